#!/usr/bin/env python3
"""bench_import_latency — how long the panel's other requests wait while a
big CSV import, then a big CSV export, runs in rappeld.

    bench/bench_import_latency.sh [BUILD_DIR] [--lines N] [--base N] [--clients K]

What it does, on a fresh database in a temporary directory (no modem):

 1. an admin account and an API token (rappelctl user add, token create);
 2. a first import of --base contacts (3,000: a centre's size), so that
    GET /contacts?q=... has something to search;
 3. idle: K clients (2) send, one after the other on their own keep-alive
    connection, GET /api/v1/status, GET /api/v1/contacts?q=lemaire (30 of
    the first contacts) and GET /healthz in turn for 3 s, and one more
    client creates a contact every 50 ms (POST /api/v1/contacts, reported
    on its own line and left out of the phase's figures): the latencies
    of a quiet server;
 4. import: a CSV of --lines lines (120,000, about 5 MB, new numbers) is
    POSTed to /api/v1/contacts/import; the same K clients run while it
    runs, and only the requests that began and ended during it count;
 5. after: the same clients for 3 s on the quiet server, now with --base +
    --lines contacts (what the searches cost at that size, export or not);
 6. export: GET /api/v1/contacts/export (--base + --lines contacts),
    three times in a row, with the same K clients measured meanwhile.

For each phase it prints the number of reads and p50 / p99 / max in
milliseconds, then the same for each path and for the writes, and the time the import or export took.  p99 is the value
under which 99 % of the requests fall (nearest rank).
"""
import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from bench_peers import free_port  # the same helper, beside this file

PATHS = ["/api/v1/status", "/api/v1/contacts?q=lemaire", "/healthz"]
WRITE = "POST /api/v1/contacts"


def csv_lines(n, first):
    out = ["Prénom;Nom;Téléphone"]
    names = ["Dupont", "Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau"]
    for i in range(n):
        k = first + i
        # one in a hundred of the first import is a Lemaire: what the searches find
        name = "Lemaire" if first == 0 and k % 100 == 0 else names[k % len(names)]
        out.append("Prénom%d;%s %d;06 %02d %02d %02d %02d" % (
            k, name, k, (k // 1000000) % 100 + 10, (k // 10000) % 100,
            (k // 100) % 100, k % 100))
    return ("\n".join(out) + "\n").encode("utf-8")


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    rank = max(1, -(-len(v) * p // 100))  # nearest rank, ceil
    return v[int(rank) - 1]


class Clients:
    """K threads requesting PATHS in turn, one creating contacts (WRITE); records
    (start, end, ms, path, status)."""
    written = 0

    def __init__(self, port, token, k):
        self.port, self.token, self.k = port, token, k
        self.stop = threading.Event()
        self.samples = []
        self.lock = threading.Lock()
        self.threads = []

    def run_one(self, idx):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        i = idx
        while not self.stop.is_set():
            h = {"Authorization": "Bearer " + self.token}
            if idx == self.k:	# the writer: a contact created every 50 ms
                Clients.written += 1
                path = WRITE
                body = json.dumps({"first_name": "Écrit", "last_name": "Pendant",
                                   "phone": "07 %08d" % Clients.written})
                h["Content-Type"] = "application/json"
                t0 = time.monotonic()
                conn.request("POST", "/api/v1/contacts", body=body, headers=h)
            else:
                path = PATHS[i % len(PATHS)]
                i += 1
                t0 = time.monotonic()
                conn.request("GET", path, headers=h)
            r = conn.getresponse()
            r.read()
            t1 = time.monotonic()
            with self.lock:
                self.samples.append((t0, t1, (t1 - t0) * 1000, path, r.status
                                     if r.status != 201 else 200))
            time.sleep(0.05 if path == WRITE else 0.005)
        conn.close()

    def start(self):
        self.stop.clear()
        self.samples = []
        self.threads = [threading.Thread(target=self.run_one, args=(i,))
                        for i in range(self.k + 1)]
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join()
        return self.samples


def report(name, samples, t_from, t_to, extra=""):
    inside = [s for s in samples if s[0] >= t_from and s[1] <= t_to]
    over = [s for s in samples if s[0] < t_to and s[1] > t_to]
    ms = [s[2] for s in inside + over if s[3] != WRITE]
    bad = [s for s in inside + over if s[4] != 200]
    print("%-8s %6d requests  p50 %8.1f ms  p99 %8.1f ms  max %8.1f ms%s%s" % (
        name, len(ms), pct(ms, 50), pct(ms, 99), max(ms) if ms else float("nan"),
        "  (%d not 200)" % len(bad) if bad else "", extra))
    res = {"requests": len(ms), "p50": pct(ms, 50), "p99": pct(ms, 99),
           "max": max(ms) if ms else None}
    for path in PATHS + [WRITE]:
        pm = [s[2] for s in inside + over if s[3] == path]
        print("   %-28s %6d  p50 %8.1f ms  p99 %8.1f ms  max %8.1f ms" % (
            path, len(pm), pct(pm, 50), pct(pm, 99), max(pm) if pm else float("nan")))
        res[path] = {"requests": len(pm), "p50": pct(pm, 50), "p99": pct(pm, 99),
                     "max": max(pm) if pm else None}
    sys.stdout.flush()
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--lines", type=int, default=120000)
    ap.add_argument("--base", type=int, default=3000)
    ap.add_argument("--clients", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep the directory")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    d = tempfile.mkdtemp(prefix="rappel-importlat-", dir="/var/tmp")
    port = free_port()
    conf = os.path.join(d, "rappel.conf")
    with open(conf, "w") as f:
        f.write("""[centre]
name = Banc d'essai
phone = 03 21 00 00 00
[database]
path = %s/rappel.db
[http]
listen = 127.0.0.1:%d
""" % (d, port))
    ctl = [os.path.join(build, "rappelctl"), "-c", conf]
    subprocess.run(ctl + ["migrate"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(ctl + ["user", "add", "bench", "--role", "admin"], check=True,
                   input=b"motdepasse-de-banc\nmotdepasse-de-banc\n", stdout=subprocess.DEVNULL)
    token = subprocess.run(ctl + ["token", "create", "bench"], check=True,
                           capture_output=True, text=True).stdout.strip().split()[-1]
    log = open(os.path.join(d, "rappeld.log"), "w")
    daemon = subprocess.Popen([os.path.join(build, "rappeld"), "-c", conf], stderr=log)
    try:
        for _ in range(200):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.05)
        else:
            sys.exit("bench_import_latency: rappeld did not answer")

        def post_csv(body):
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            c.request("POST", "/api/v1/contacts/import", body=body, headers={
                "Authorization": "Bearer " + token, "Content-Type": "text/csv"})
            r = c.getresponse()
            data = r.read()
            if r.status != 200:
                sys.exit("import: %d %s" % (r.status, data[:300]))
            return json.loads(data)

        print("rappel bench_import_latency: %d clients on %s; import of %d lines over %d "
              "contacts; %s" % (a.clients, ", ".join(PATHS), a.lines, a.base, build))
        post_csv(csv_lines(a.base, 0))
        cl = Clients(port, token, a.clients)
        out = {}

        cl.start()
        t0 = time.monotonic()
        time.sleep(3)
        t1 = time.monotonic()
        out["idle"] = report("idle", cl.finish(), t0, t1)

        body = csv_lines(a.lines, a.base)
        result = {}
        cl.start()
        time.sleep(0.3)
        t0 = time.monotonic()
        result = post_csv(body)
        t1 = time.monotonic()
        samples = cl.finish()
        out["import"] = report("import", samples, t0, t1, "  import %.2f s (created %d, %.1f MB)" % (
            t1 - t0, result.get("created", -1), len(body) / 1e6))

        cl.start()
        t0 = time.monotonic()
        time.sleep(3)
        t1 = time.monotonic()
        out["after"] = report("after", cl.finish(), t0, t1, "  (quiet, %d contacts)" % (
            a.base + a.lines))

        cl.start()
        time.sleep(0.3)
        t0 = time.monotonic()
        size = 0
        for _ in range(3):
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            c.request("GET", "/api/v1/contacts/export",
                      headers={"Authorization": "Bearer " + token})
            r = c.getresponse()
            size = len(r.read())
        t1 = time.monotonic()
        samples = cl.finish()
        out["export"] = report("export", samples, t0, t1, "  3 exports %.2f s (%.1f MB each)" % (
            t1 - t0, size / 1e6))
        print(json.dumps(out))
    finally:
        daemon.terminate()
        daemon.wait()
        if a.keep:
            print("kept", d)
        else:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
