#!/usr/bin/env python3
"""bench_modems — several simulated modems at a few seconds per send: the
throughput of a campaign against N times one modem's, and what the sticky
sender (a contact's messages go out from the SIM that last wrote to them,
queue.h: QUEUE_STICKY_WAIT) costs.

    bench/bench_modems.sh [BUILD_DIR] [--modems N] [--messages M] [--send-ms MS]
                          [--single K]

On a fresh database in a temporary directory (under /var/tmp):

 1. one modem: rappeld with one [modem] (rappel-modemsim --latency 0,MS)
    sends K (40) messages queued by rappelctl send; its rate is K over the
    time from the first AT+CMGS to the last PDU the simulator accepted
    (its JSON log), as bench_send.sh measures it;
 2. N modems (4): M (1,000) contacts are imported, put in a group, and a
    campaign to the group is scheduled now: "first" is that campaign, to
    contacts no modem has written to (no sender: any modem takes any);
 3. then a second campaign to the same group, at once: "sticky", each
    message has the sender of the first, and waits for that modem unless it
    is not ready, or its time is QUEUE_STICKY_WAIT past.

For each run: messages, the span (first AT+CMGS to last accepted PDU,
over all the simulators), messages per second, the share of the modems'
capacity used (messages x send time / (span x modems)), the rate against
N times the one modem's, the messages each modem sent, and for "sticky"
the share of messages that went out from their sender, and how many PDUs
carried the text and number their contact should get (the simulators'
logs: four modem threads share libgammu).  The cost of the
sticky sender is 1 - rate(sticky) / rate(first).
"""
import argparse
import datetime
import http.client
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

from bench_peers import free_port  # the same helper, beside this file


class Rig:
    def __init__(self, build, d, nmodems, send_ms, tag):
        self.build, self.d, self.n, self.send_ms = build, d, nmodems, send_ms
        self.dir = os.path.join(d, tag)
        os.makedirs(self.dir)
        self.port = free_port()
        self.conf = os.path.join(self.dir, "rappel.conf")
        self.db = os.path.join(self.dir, "rappel.db")
        lines = ["[centre]", "name = Banc d'essai", "phone = 03 21 00 00 00",
                 "[database]", "path = " + self.db,
                 "[http]", "listen = 127.0.0.1:%d" % self.port,
                 "[sending]", "hours = 00:00-23:59", "days = mon,tue,wed,thu,fri,sat,sun",
                 "max_per_minute = 6000", "max_per_day = 100000"]
        for i in range(nmodems):
            lines += ["[modem]" if i == 0 else "[modem.%d]" % (i + 1),
                      "device = %s/tty%d" % (self.dir, i)]
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.sims = []
        for i in range(nmodems):
            self.sims.append(subprocess.Popen([
                os.path.join(build, "rappel-modemsim"), "--link", "%s/tty%d" % (self.dir, i),
                "--log", "%s/sim%d.log" % (self.dir, i), "--log-at",
                "--latency", "0,%d" % send_ms], stdout=subprocess.DEVNULL))
        time.sleep(0.3)
        self.daemon = None
        self.token = None

    def ctl(self, *args, stdin=None):
        return subprocess.run([os.path.join(self.build, "rappelctl"), "-c", self.conf] +
                              list(args), check=True, capture_output=True, text=True,
                              input=stdin).stdout

    def start(self):
        self.log = open(os.path.join(self.dir, "rappeld.log"), "w")
        self.daemon = subprocess.Popen([os.path.join(self.build, "rappeld"), "-c", self.conf],
                                       stderr=self.log)
        for _ in range(200):
            try:
                if self.call("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.05)
        sys.exit("bench_modems: rappeld did not answer")

    def call(self, method, path, body=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = {"Content-Type": "application/json"}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        c.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
        r = c.getresponse()
        data = r.read()
        return r.status, (json.loads(data) if data else None)

    def submits(self):
        """[(t, modem index, event)] of AT+CMGS and accepted PDUs, in time order."""
        ev = []
        for i in range(self.n):
            p = "%s/sim%d.log" % (self.dir, i)
            if not os.path.exists(p):
                continue
            for line in open(p):
                e = json.loads(line)
                if e["event"] == "submit":
                    ev.append((e["t"], i, "submit", e.get("to"), e.get("text")))
                elif e["event"] == "at" and e.get("cmd", "").upper().startswith("AT+CMGS"):
                    ev.append((e["t"], i, "cmgs", None, None))
        ev.sort()
        return ev

    def wait_submits(self, n, timeout):
        end = time.time() + timeout
        while time.time() < end:
            if sum(1 for e in self.submits() if e[2] == "submit") >= n:
                return
            time.sleep(1)
        sys.exit("bench_modems: %d submits not reached in %d s" % (n, timeout))

    def stop(self):
        if self.daemon:
            self.daemon.terminate()
            self.daemon.wait()
        for s in self.sims:
            s.terminate()
            s.wait()


def span_of(ev, skip):
    """The run made of the submits after the first `skip` ones."""
    subs = [e for e in ev if e[2] == "submit"]
    before = subs[skip - 1][0] if skip else 0
    mine = subs[skip:]
    starts = [e[0] for e in ev if e[2] == "cmgs" and e[0] > before]
    first = min(starts) if starts else mine[0][0]
    per = {}
    for e in mine:
        per[e[1]] = per.get(e[1], 0) + 1
    return len(mine), mine[-1][0] - first, per


def intact(ev, skip, expect):
    """Of the submits after the first `skip`, how many carry the text expect(to) gives."""
    subs = [e for e in ev if e[2] == "submit"][skip:]
    return sum(1 for e in subs if e[3] and e[4] == expect(e[3])), len(subs)


def campaign_text(to):
    """The campaign's text for +336XXXXXXXX (contact P<i>, see the CSV below)."""
    d = to[4:]
    i = int(d[2:4]) * 10000 + int(d[4:6]) * 100 + int(d[6:8]) + (int(d[0:2]) - 20) * 1000000
    return "Bonjour P%d, rappel de banc d'essai." % i


def line(name, n, span, nmodems, send_ms, single_rate, extra=""):
    rate = n / span
    used = n * send_ms / 1000.0 / (span * nmodems)
    vs = " %.3fx one modem" % (rate / single_rate) if single_rate else ""
    print("%-7s %5d SMS in %8.2f s  %6.3f SMS/s  capacity used %6.2f %%%s%s" % (
        name, n, span, rate, 100 * used, vs, extra))
    sys.stdout.flush()
    return rate


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--modems", type=int, default=4)
    ap.add_argument("--messages", type=int, default=1000)
    ap.add_argument("--send-ms", type=int, default=3000)
    ap.add_argument("--single", type=int, default=40)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    d = tempfile.mkdtemp(prefix="rappel-modems-", dir="/var/tmp")
    print("rappel bench_modems: %d modems at %d ms per send, %d messages a campaign; one "
          "modem: %d messages; %s" % (a.modems, a.send_ms, a.messages, a.single, build))
    out = {}
    try:
        # 1. one modem
        one = Rig(build, d, 1, a.send_ms, "one")
        one.ctl("migrate")
        for i in range(a.single):
            one.ctl("send", "06 12 34 %02d %02d" % (i // 100, i % 100), "Banc d'essai %d" % i)
        one.start()
        one.wait_submits(a.single, a.single * a.send_ms / 1000 * 2 + 60)
        n, span, per = span_of(one.submits(), 0)
        one.stop()
        single = n / span
        line("one", n, span, 1, a.send_ms, 0)
        out["one"] = {"messages": n, "span": span, "rate": single}

        # 2, 3. N modems, two campaigns to the same contacts
        rig = Rig(build, d, a.modems, a.send_ms, "many")
        rig.ctl("migrate")
        rig.ctl("user", "add", "bench", "--role", "admin", stdin="motdepasse-de-banc\n" * 2)
        rig.token = rig.ctl("token", "create", "bench").strip().split()[-1]
        csv = os.path.join(rig.dir, "contacts.csv")
        with open(csv, "w") as f:
            f.write("Prénom;Nom;Téléphone\n")
            for i in range(a.messages):
                f.write("P%d;Banc%d;06 %02d %02d %02d %02d\n" % (
                    i, i, 20 + i // 1000000, (i // 10000) % 100, (i // 100) % 100, i % 100))
        rig.ctl("import", "contacts", csv)
        rig.start()
        st, contacts = rig.call("GET", "/api/v1/contacts")
        ids = [c["id"] for c in contacts]
        st, g = rig.call("POST", "/api/v1/groups", {"name": "Banc", "contact_ids": ids})
        assert st == 201, (st, g)
        done = 0
        rates = {}
        for name in ("first", "sticky"):
            at = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            st, c = rig.call("POST", "/api/v1/campaigns", {
                "name": "Banc " + name, "body": "Bonjour {prenom}, rappel de banc d'essai.",
                "audience": {"group_ids": [g["id"]]}, "schedule": {"at": at}})
            assert st == 201, (st, c)
            st, r = rig.call("POST", "/api/v1/campaigns/%d/schedule" % c["id"], {})
            assert st in (200, 204), (st, r)
            done += a.messages
            rig.wait_submits(done, a.messages * a.send_ms / 1000.0 / a.modems * 3 + 120)
            n, span, per = span_of(rig.submits(), done - a.messages)
            extra = "  per modem " + "/".join(str(per.get(i, 0)) for i in range(a.modems))
            ok, total = intact(rig.submits(), done - a.messages, campaign_text)
            extra += "  texts intact %d of %d" % (ok, total)
            kept = None
            if name == "sticky":
                time.sleep(2)
                db = sqlite3.connect(rig.db)
                row = db.execute("SELECT count(*), sum(modem = sender) FROM messages "
                                 "WHERE campaign_id = ? AND status IN ('sent', 'delivered')",
                                 (c["id"],)).fetchone()
                db.close()
                kept = row[1] / row[0] if row[0] else 0
                extra += "  from their sender %.1f %%" % (100 * kept)
            rates[name] = line(name, n, span, a.modems, a.send_ms, single, extra)
            out[name] = {"messages": n, "span": span, "rate": rates[name], "per_modem": per,
                         "from_sender": kept, "intact": ok}
        rig.stop()
        cost = 1 - rates["sticky"] / rates["first"]
        print("sticky sender cost %.2f %% of the first campaign's rate" % (100 * cost))
        out["sticky_cost"] = cost
        print(json.dumps(out))
    finally:
        for r in ("one", "rig"):
            obj = locals().get(r)
            if obj:
                obj.stop()
        if a.keep:
            print("kept", d)
        else:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
