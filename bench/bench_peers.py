#!/usr/bin/env python3
"""bench_peers — rappeld against gammu-smsd (SQLite backend) and smstools3
smsd, side by side in one run, each driving the project's modem simulator
(tools/modemsim) through a pseudo-terminal, with the same messages.

    bench/bench_peers.sh [BUILD_DIR] [options]     (make bench runs it)

Options (defaults match the issue):
    --messages N      messages for the zero-latency run (1000)
    --slow N          messages for the 3 s/send run (20)
    --send-ms MS      modem time per send for the slow run (3000)
    --idle S          idle seconds over which CPU is measured (60)
    --idle-at S       idle seconds over which AT commands are counted (180)
    --incoming K      incoming SMS injected for the store latency (7)
    --contacts N      contacts for the panel figures (3000)
    --panel-s S       seconds of wrk load on the contact list (10)
    --mem-messages N  rappeld alone: its memory after N messages (1500)
    --big N           rappeld alone: rate and CPU with N messages (10000)
    --no-reports      the simulator reports nothing (default: a "delivered"
                      report for every part, and every program asks for them)
    --only NAMES      comma list among rappeld,gammu,smstools
    --results FILE    also write the table there (Markdown)

What is measured, for each program, on a fresh working directory on the
same disk (ext4 under /var/tmp):

 - throughput: N messages are queued with the program's own tool before
   it starts (rappelctl send, gammu-smsd-inject, files in smstools'
   outgoing spool); messages/s = N over the time from the first AT+CMGS
   to the last PDU the simulator accepted (its JSON log).  The slow run
   reports the share of the modem's capacity used: PDUs x send time over
   the same span.
 - CPU (utime + stime, all processes of the program, /proc/PID/stat) and
   peak RSS (VmHWM, summed over its processes) for the N messages, from
   start to the last message reported sent by the program itself;
   write_bytes from /proc/PID/io over N.
 - idle: a fresh start with nothing queued; after a settling time, CPU
   seconds and AT command lines (the simulator's --log-at log) during
   the idle seconds, scaled to one minute.
 - incoming: K SMS injected through the simulator's control socket, one
   at a time at irregular intervals; the time until the program's store
   has it (rappeld: the replies table; gammu-smsd: its SQLite inbox
   table; smstools: a file in the incoming spool), polled every 2 ms.

With reports (the default), the simulator (modemsim --reports) sends a
"delivered" status report for every part at once, and the CPU, memory and
write figures run until the program has taken in every report (rappeld:
message_parts.report; gammu-smsd: sentitems.Status or inbox; smstools: the
report files in its incoming spool), or until that count has not moved for
10 s.  The load average (1 minute) is recorded when each program starts and
when its figures are taken.

rappeld alone: the same send run with --mem-messages (memory: RssAnon and
VmHWM once every report is in) and --big messages (rate and CPU per
message: flat with the size of the queue), bench_queue (3,000-recipient
campaign), wrk on
GET /api/v1/contacts with 3,000 contacts at 50 connections, rappeld's
RSS halfway through the load and 1 s after it.
"""
import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

# ---- the messages: short, long and accented French texts ----

TEXTS = [
    "Rappel : RDV CAF mardi 14h au centre. Répondez OUI si vous venez.",
    "Centre social Jacques Brel : l'atelier informatique reprend jeudi 10 "
    "décembre à 14h, salle 2. Apportez vos papiers CAF et votre carte Vitale "
    "si vous voulez de l'aide pour vos démarches en ligne. Répondez OUI si "
    "vous venez, NON sinon. Renseignements au 03 21 00 00 00.",
    "Fête de quartier samedi : goûter, crêpes et maïs grillé à la Maison du "
    "Cœur. Ça vous dit ? Répondez OUI ou NON.",
]

# GSM 03.38 default alphabet and its extension table
GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
           "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXT = set("^{}\\[~]|€\f")


def gsm7_ok(text):
    return all(c in GSM7 or c in GSM7_EXT for c in text)


def parts(text):
    """SMS parts of a text: GSM-7 160 / 153 septets, else UCS-2 70 / 67 units."""
    if gsm7_ok(text):
        n = sum(2 if c in GSM7_EXT else 1 for c in text)
        return 1 if n <= 160 else -(-n // 153)
    n = len(text.encode("utf-16-be")) // 2
    return 1 if n <= 70 else -(-n // 67)


def message(i):
    """The i-th message of every run: (number without +, text)."""
    return "336120%05d" % (i % 50), TEXTS[i % len(TEXTS)]


def reassemble(submits):
    """Texts of the messages in a list of simulator submit events, in order.

    Parts join by (number, reference) until a part number comes again: a
    reference is 8 bits, so it is reused for later messages to one number."""
    done, open_ = [], {}
    for e in submits:
        u = e.get("udh")
        if not u:
            done.append(e.get("text", ""))
            continue
        key = (e["to"], u["ref"])
        if key in open_ and u["seq"] in open_[key]:
            segs = open_.pop(key)
            done.append("".join(segs[k] for k in sorted(segs)))
        open_.setdefault(key, {})[u["seq"]] = e.get("text", "")
    for segs in open_.values():
        done.append("".join(segs[k] for k in sorted(segs)))
    return done


# ---- /proc ----

CLK = os.sysconf("SC_CLK_TCK")


def proc_group(pgid):
    """Pids of the live processes in process group pgid."""
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        fields = st[st.rindex(")") + 2:].split()
        if int(fields[2]) == pgid:
            pids.append(int(d))
    return pids


def proc_sample(pgid):
    """CPU seconds, summed VmHWM, VmRSS and RssAnon (KiB), write_bytes and wchar of a group.

    "cpu" counts clock ticks of every thread, dead ones and reaped children
    included; "run" sums the live threads' schedstat run time (ns), finer,
    for the idle deltas."""
    cpu = hwm = rss = anon = wb = wc = run = 0
    for pid in proc_group(pgid):
        try:
            for t in os.listdir("/proc/%d/task" % pid):
                with open("/proc/%d/task/%s/schedstat" % (pid, t)) as f:
                    run += int(f.read().split()[0]) / 1e9
            with open("/proc/%d/stat" % pid) as f:
                st = f.read()
            fields = st[st.rindex(")") + 2:].split()
            # utime stime cutime cstime: fields 14-17 (index 11-14 here)
            cpu += sum(int(x) for x in fields[11:15]) / CLK
            with open("/proc/%d/status" % pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        hwm += int(line.split()[1])
                    elif line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
                    elif line.startswith("RssAnon:"):
                        anon += int(line.split()[1])
            with open("/proc/%d/io" % pid) as f:
                for line in f:
                    k, v = line.split(":")
                    if k == "write_bytes":
                        wb += int(v)
                    elif k == "wchar":
                        wc += int(v)
        except (OSError, ValueError):
            continue
    return {"cpu": cpu, "run": run, "hwm": hwm, "rss": rss, "anon": anon, "write_bytes": wb,
            "wchar": wc}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(cond, timeout, step=0.05):
    until = time.time() + timeout
    while time.time() < until:
        if cond():
            return True
        time.sleep(step)
    return cond()


def wait_until_stalled(count, want, stall_s, step=0.05):
    """Waits until count() >= want (True) or has not grown for stall_s."""
    last, since = -1, time.time()
    while True:
        c = count()
        if c >= want:
            return True
        if c != last:
            last, since = c, time.time()
        elif time.time() - since > stall_s:
            return False
        time.sleep(step)


def sqlite_count(path, sql):
    try:
        con = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=1)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return -1


# ---- the simulator ----

class Sim:
    def __init__(self, build, d, send_ms, reports=True):
        self.bin = os.path.join(build, "rappel-modemsim")
        self.dev = os.path.join(d, "ttyUSB0")
        self.log = os.path.join(d, "sim.jsonl")
        self.ctl = os.path.join(d, "sim.ctl")
        self.proc = subprocess.Popen(
            [self.bin, "--link", self.dev, "--log", self.log, "--log-at",
             "--latency", "0,%d" % send_ms, "--control", self.ctl] +
            (["--reports"] if reports else []),
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.proc.stdout.readline()
        wait_for(lambda: os.path.exists(self.ctl), 5)

    def events(self):
        out = []
        with open(self.log) as f:
            for line in f:
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
        return out

    def inject(self, number, text):
        subprocess.run([self.bin, "--send", self.ctl, "inject", number, "gsm7", text],
                       check=True, stdout=subprocess.DEVNULL)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


# ---- the programs ----

class Program:
    name = "?"
    proc = None
    poll = 0.05     # seconds between two looks at the program's store while it sends

    def __init__(self, d, sim, args):
        self.d, self.sim, self.args = d, sim, args

    def start(self):
        self.log = open(os.path.join(self.d, self.name + ".out"), "w")
        self.proc = subprocess.Popen(self.command(), stdout=self.log, stderr=self.log,
                                     start_new_session=True, cwd=self.d)

    def sample(self):
        return proc_sample(self.proc.pid)

    def stop(self):
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()
        self.proc = None


class Rappel(Program):
    name = "rappeld"
    tuning = ("[sending] hours 00:00-23:59 all days, max_per_minute = 60000 (the highest "
              "allowed), max_per_day = 100000; send_pause_ms = 0 (the default); "
              "logs at the default level to a file")

    def __init__(self, d, sim, args):
        super().__init__(d, sim, args)
        self.build = args.build
        self.db = os.path.join(d, "rappel.db")
        self.port = free_port()
        self.conf = os.path.join(d, "rappel.conf")
        with open(self.conf, "w") as f:
            f.write("[centre]\nname = Banc d'essai\nphone = 03 21 00 00 00\n"
                    "[database]\npath = %s\n[http]\nlisten = 127.0.0.1:%d\n"
                    "[sending]\nhours = 00:00-23:59\n"
                    "days = mon,tue,wed,thu,fri,sat,sun\n"
                    "max_per_minute = 60000\nmax_per_day = 100000\n"
                    "[modem]\ndevice = %s\n" % (self.db, self.port, sim.dev))

    def ctl(self, *argv, stdin=None):
        return subprocess.run([os.path.join(self.build, "rappelctl"), "-c", self.conf] +
                              list(argv), check=True, input=stdin, capture_output=True,
                              text=True).stdout

    def queue(self, n):
        for i in range(n):
            num, text = message(i)
            self.ctl("send", "+" + num, text)

    def command(self):
        return [os.path.join(self.build, "rappeld"), "-c", self.conf]

    def sent(self):
        return sqlite_count(self.db, "SELECT count(*) FROM messages "
                            "WHERE status IN ('sent','delivered')")

    def stored(self):
        return sqlite_count(self.db, "SELECT count(*) FROM replies")

    def reported(self):
        return sqlite_count(self.db, "SELECT count(*) FROM message_parts "
                            "WHERE report IN ('delivered', 'failed')")


class Gammu(Program):
    name = "gammu-smsd"
    # its database is in rollback mode: a reader takes SQLite's shared lock,
    # and a write of gammu-smsd that meets it fails ("database is locked");
    # it reconnects, and after a few it stops for good (twice, after 220 and
    # 866 of 1,666 PDUs, with reads once a second).  So the bench never opens
    # that database while gammu-smsd runs: it reads a copy (count()), once a
    # second while it sends 1.3 PDU/s, which changes none of its figures.
    poll = 1.0

    def count(self, sql):
        """sqlite_count() on a copy of the database; -1 when the copy was
        taken in the middle of a write (the next look takes another)."""
        copy = self.db + ".bench"
        try:
            shutil.copyfile(self.db, copy)      # plain reads: no lock taken
        except OSError:
            return -1
        return sqlite_count(copy, sql)
    tuning = ("LoopSleep = 0 for the sending runs (1 message per loop, so the default "
              "1 s caps it at 1 msg/s), LoopSleep = 1 (the default) for idle and incoming; "
              "CommTimeout = 1, ReceiveFrequency = 1, StatusFrequency = 60, "
              "CheckBattery = 0, CheckSecurity = 0, CheckSignal = 1, debuglevel = 0, "
              "DeliveryReport = sms (a report asked for every part), SQLite backend (libdbi sqlite3 driver, Debian's sqlite.sql schema), queued "
              "with gammu-smsd-inject (-unicode for texts outside GSM-7)")

    def __init__(self, d, sim, args, loopsleep):
        super().__init__(d, sim, args)
        self.loopsleep = loopsleep
        self.db = os.path.join(d, "smsd.db")
        self.conf = os.path.join(d, "smsdrc")
        schema = "/usr/share/doc/gammu-smsd/examples/sqlite.sql"
        subprocess.run(["sqlite3", self.db], stdin=open(schema), check=True)
        with open(self.conf, "w") as f:
            f.write("[gammu]\ndevice = %s\nconnection = at115200\n"
                    "[smsd]\nservice = sql\ndriver = sqlite3\nsql = sqlite\n"
                    "database = smsd.db\ndbdir = %s/\nlogfile = %s/smsd.log\n"
                    "debuglevel = 0\n%s" % (sim.dev, d, d, self.tuning_lines()))

    def tuning_lines(self):
        return ("LoopSleep = %d\nCommTimeout = 1\nReceiveFrequency = 1\n"
                "StatusFrequency = 60\nCheckBattery = 0\nCheckSignal = 1\n"
                "CheckSecurity = 0\nSendTimeout = 30\n%s" % (
                    self.loopsleep, "DeliveryReport = sms\n" if self.args.reports else ""))

    def queue(self, n):
        for i in range(n):
            num, text = message(i)
            argv = ["gammu-smsd-inject", "-c", self.conf, "TEXT", "+" + num,
                    "-len", str(len(text)), "-text", text]
            if not gsm7_ok(text):
                argv.append("-unicode")
            subprocess.run(argv, check=True, capture_output=True)

    def command(self):
        return ["gammu-smsd", "-c", self.conf]

    def sent(self):
        left = self.count("SELECT count(*) FROM outbox")
        return -1 if left < 0 else self.queued - left

    def stored(self):
        return self.count("SELECT count(*) FROM inbox")

    def reported(self):
        # the SQL service marks the part's sentitems row; "sms" also keeps
        # the report in inbox
        return self.count( "SELECT max((SELECT count(*) FROM sentitems "
                            "WHERE Status IN ('DeliveryOK', 'DeliveryFailed')), "
                            "(SELECT count(*) FROM inbox))")


class Smstools(Program):
    name = "smstools"
    tuning = ("delaytime = 1, delaytime_mainprocess = 1, trust_outgoing = yes, "
              "spool_directory_order = yes, receive_before_send = no, autosplit = 3; on the "
              "modem: report = yes (a report asked for every part), incoming = yes, "
              "detect_unexpected_input = no, detect_message_routing = no, check_network = 0, "
              "poll_faster = 100; spool dirs (outgoing, checked, incoming, sent, failed) in "
              "the same working directory, no eventhandler, loglevel 4 (the default "
              "with a logfile); files written as 'Alphabet: UTF-8', or 'Alphabet: UCS2' "
              "(UTF-16BE body) for texts outside GSM-7, which UTF-8 would transliterate")

    def __init__(self, d, sim, args):
        super().__init__(d, sim, args)
        for sub in ("outgoing", "checked", "incoming", "sent", "failed"):
            os.mkdir(os.path.join(d, sub))
        self.conf = os.path.join(d, "smsd.conf")
        with open(self.conf, "w") as f:
            f.write("devices = GSM1\n"
                    "outgoing = {d}/outgoing\nchecked = {d}/checked\n"
                    "incoming = {d}/incoming\nsent = {d}/sent\nfailed = {d}/failed\n"
                    "logfile = {d}/smsd.log\nloglevel = 4\n"
                    "infofile = {d}/smsd.working\npidfile = {d}/smsd.pid\n"
                    "delaytime = 1\ndelaytime_mainprocess = 1\n"
                    "trust_outgoing = yes\nspool_directory_order = yes\n"
                    "receive_before_send = no\nautosplit = 3\n"
                    "\n[GSM1]\ndevice = {dev}\nincoming = yes\nbaudrate = 115200\n"
                    "report = {rep}\ndetect_unexpected_input = no\n"
                    "detect_message_routing = no\ncheck_network = 0\npoll_faster = 100\n"
                    .format(d=d, dev=sim.dev, rep="yes" if args.reports else "no"))

    def queue(self, n):
        for i in range(n):
            num, text = message(i)
            p = os.path.join(self.d, "outgoing", "msg%05d" % i)
            with open(p + ".tmp", "wb") as f:
                if gsm7_ok(text):
                    f.write(("To: %s\nAlphabet: UTF-8\n\n%s" % (num, text)).encode())
                else:
                    f.write(("To: %s\nAlphabet: UCS2\n\n" % num).encode() +
                            text.encode("utf-16-be"))
            os.rename(p + ".tmp", p)

    def command(self):
        return ["smsd", "-t", "-c", self.conf]

    def sent(self):
        return len(os.listdir(os.path.join(self.d, "sent")))

    def stored(self):
        return len(os.listdir(os.path.join(self.d, "incoming")))

    def reported(self):
        return self.stored()    # status reports are files in incoming


def make(name, d, sim, args, phase):
    if name == "rappeld":
        return Rappel(d, sim, args)
    if name == "gammu":
        return Gammu(d, sim, args, 0 if phase == "send" else 1)
    return Smstools(d, sim, args)


# ---- the runs ----

def run_send(name, args, n, send_ms):
    """Queues n messages, starts the program, waits for all sent."""
    d = tempfile.mkdtemp(prefix="peers-%s-" % name, dir=args.workdir)
    sim = Sim(args.build, d, send_ms, args.reports)
    p = make(name, d, sim, args, "send")
    res = {}
    try:
        t0 = time.time()
        p.queue(n)
        p.queued = n
        res["queue_s"] = time.time() - t0
        res["load_start"] = os.getloadavg()[0]
        p.start()
        limit = 60 + n * (send_ms / 1000.0 * 4 + 2)
        ok = wait_for(lambda: p.sent() >= n, limit, p.poll)
        if args.reports and send_ms == 0:
            # the reports too: one a part, all taken in by the program
            want = sum(parts(message(i)[1]) for i in range(n))
            ok = wait_until_stalled(lambda: p.reported(), want, 10, p.poll) and ok
        s = p.sample()
        time.sleep(0.3)
        ev = sim.events()
        subs = [e for e in ev if e["event"] == "submit"]
        cmgs = [e["t"] for e in ev if e["event"] == "at" and
                e.get("cmd", "").upper().startswith(("AT+CMGS", "AT+CMSS"))]
        if not subs or not cmgs:
            raise RuntimeError("%s sent nothing (see %s)" % (name, d))
        span = subs[-1]["t"] - min(cmgs)
        texts = reassemble(subs)
        want = sorted(message(i)[1] for i in range(n))
        reps = [e for e in ev if e["event"] == "report" and e.get("auto")]
        res.update(reports=len(reps), reports_lost=sum(1 for e in reps if e["index"] < 0),
                   reported=p.reported() if args.reports else None)
        res.update(ok=ok, n=n, pdus=len(subs), span=span, msg_s=n / span,
                   pdu_s=len(subs) / span, cpu=s["cpu"], hwm=s["hwm"], anon=s["anon"],
                   load_end=os.getloadavg()[0],
                   write_bytes=s["write_bytes"], wchar=s["wchar"],
                   intact=sum(1 for a, b in zip(sorted(texts), want) if a == b),
                   ucs2=sum(1 for e in subs if e.get("encoding") == "ucs2"),
                   capacity=len(subs) * send_ms / 1000.0 / span if send_ms else None)
    finally:
        p.stop()
        sim.stop()
    if not args.keep:
        shutil.rmtree(d, ignore_errors=True)
    return res


def run_idle(name, args):
    """A fresh start, nothing queued: CPU and AT lines while idle, then incoming."""
    d = tempfile.mkdtemp(prefix="peers-idle-%s-" % name, dir=args.workdir)
    sim = Sim(args.build, d, 0)
    p = make(name, d, sim, args, "idle")
    res = {}
    try:
        p.queued = 0
        p.start()
        time.sleep(args.settle)
        a = p.sample()
        t0 = time.time()
        time.sleep(args.idle)
        t1 = time.time()
        b = p.sample()
        time.sleep(max(0, args.idle_at - args.idle))
        t1 = max(t1, time.time())
        ats = [e for e in sim.events() if e["event"] == "at" and t0 <= e["t"] < t1]
        res["idle_cpu_min"] = (b["run"] - a["run"]) * 60.0 / args.idle
        res["idle_tick_cpu_min"] = (b["cpu"] - a["cpu"]) * 60.0 / args.idle
        res["idle_at_min"] = len(ats) * 60.0 / (t1 - t0)
        cmds = {}
        for e in ats:
            c = re.split(r"[=?]", e.get("cmd", "").upper(), 1)[0]
            cmds[c] = cmds.get(c, 0) + 1
        res["idle_cmds"] = cmds
        res["idle_rss"] = b["rss"]
        rnd = random.Random(7)
        lat = []
        for k in range(args.incoming):
            time.sleep(rnd.uniform(0.3, 1.7))
            before = p.stored()
            t = time.time()
            sim.inject("+33612999%03d" % k, "Bonjour, je serai en retard jeudi %d" % k)
            while p.stored() <= before and time.time() - t < 120:
                time.sleep(0.002)
            lat.append(time.time() - t if p.stored() > before else float("inf"))
        res["incoming"] = lat
    finally:
        p.stop()
        sim.stop()
    if not args.keep:
        shutil.rmtree(d, ignore_errors=True)
    return res


def run_rappel_only(args):
    """bench_queue, then wrk on the contact list with N contacts, and the RSS."""
    res = {}
    out = subprocess.run([os.path.join(args.build, "bench/bench_queue"),
                          str(args.contacts), "5"], check=True, capture_output=True,
                         text=True, cwd=args.workdir).stdout
    m = re.search(r"median: ([0-9.]+) ms", out)
    res["queue_ms"] = float(m.group(1))
    d = tempfile.mkdtemp(prefix="peers-panel-", dir=args.workdir)
    sim = Sim(args.build, d, 0)
    p = Rappel(d, sim, args)
    try:
        csv = os.path.join(d, "contacts.csv")
        first = ["Awa", "Élodie", "Karim", "Chloé", "Jean", "Fatou", "Léa", "Zoé"]
        with open(csv, "w") as f:
            f.write("Prénom;Nom;Téléphone;Groupes;Langue;Consentement\n")
            for i in range(args.contacts):
                f.write("%s;Famille%04d;06 %02d %02d %02d %02d;Atelier %d;fr;oui\n" % (
                    first[i % len(first)], i, 10 + i // 1000000, i // 10000 % 100,
                    i // 100 % 100, i % 100, i % 5))
        p.ctl("import", "contacts", csv)
        p.ctl("user", "add", "bench", "--role", "admin", stdin="banc-essai-2026\n" * 2)
        token = p.ctl("token", "create", "bench").strip().split()[-1]
        p.queued = 0
        p.start()
        url = "http://127.0.0.1:%d/api/v1/contacts" % p.port
        wait_for(lambda: subprocess.run(["curl", "-sf", "-o", "/dev/null", "-H",
                                         "Authorization: Bearer " + token, url]).returncode == 0,
                 20, 0.2)
        body = subprocess.run(["curl", "-sf", "-H", "Authorization: Bearer " + token, url],
                              capture_output=True, text=True).stdout
        res["listed"] = len(json.loads(body).get("contacts", json.loads(body))) \
            if body.startswith("{") else len(json.loads(body))
        res["body_kib"] = len(body.encode()) / 1024.0
        time.sleep(1)
        res["rss_before"] = p.sample()["rss"]
        load = subprocess.Popen(["wrk", "-t2", "-c50", "-d%ds" % args.panel_s, "--latency",
                                 "-H", "Authorization: Bearer " + token, url],
                                stdout=subprocess.PIPE, text=True)
        time.sleep(args.panel_s / 2.0)
        during = p.sample()
        res["rss_during"], res["anon_during"] = during["rss"], during["anon"]
        w = load.communicate()[0]
        res["wrk"] = w
        for pct in ("50", "99"):
            m = re.search(r"^\s+%s(?:\.000)?%%\s+([0-9.]+)(us|ms|s)" % pct, w, re.M)
            v = float(m.group(1))
            res["p" + pct] = v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v
        m = re.search(r"Requests/sec:\s+([0-9.]+)", w)
        res["rps"] = float(m.group(1))
        time.sleep(1)   # rappeld gives memory back once the last client has gone
        s = p.sample()
        res["rss_after"], res["hwm"] = s["rss"], s["hwm"]
        with open("/proc/%d/status" % p.proc.pid) as f:
            for line in f:
                if line.startswith(("RssAnon:", "RssFile:")):
                    res[line.split(":")[0]] = int(line.split()[1])
        # the list is kept until the database changes: the cost of one
        # request right after a change (a contact imported by rappelctl)
        one = os.path.join(d, "one.csv")
        rebuilt = []
        for i in range(7):
            with open(one, "w") as f:
                f.write("Prénom;Nom;Téléphone\nNouvelle;Personne%d;07 00 00 00 %02d\n" % (i, i))
            p.ctl("import", "contacts", one)
            out = subprocess.run(["curl", "-sf", "-o", "/dev/null", "-w", "%{time_total}",
                                  "-H", "Authorization: Bearer " + token, url],
                                 check=True, capture_output=True, text=True).stdout
            rebuilt.append(float(out) * 1000)
        res["rebuilt_ms"] = statistics.median(rebuilt)
    finally:
        p.stop()
        sim.stop()
    if not args.keep:
        shutil.rmtree(d, ignore_errors=True)
    return res


# ---- the table ----

def fmt(v, f="%.2f"):
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    return f % v


def table(rows, names):
    """rows: (metric, {name: value}, format, better) -> Markdown lines."""
    peers = [n for n in names if n != "rappeld"]
    head = ["metric"] + names + ["rappeld / %s" % n for n in peers if "rappeld" in names]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for metric, vals, f, _ in rows:
        cells = [metric] + [fmt(vals.get(n), f) for n in names]
        if "rappeld" in names:
            for n in peers:
                a, b = vals.get("rappeld"), vals.get(n)
                ok = isinstance(a, (int, float)) and isinstance(b, (int, float)) and b
                cells.append("%.2fx" % (a / b) if ok else "-")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--messages", type=int, default=1000)
    ap.add_argument("--slow", type=int, default=20)
    ap.add_argument("--send-ms", type=int, default=3000)
    ap.add_argument("--idle", type=float, default=60)
    ap.add_argument("--idle-at", type=float, default=180,
                    help="seconds over which idle AT commands are counted (from the start "
                    "of the idle window; rappeld's longest period is 180 s)")
    ap.add_argument("--settle", type=float, default=15)
    ap.add_argument("--incoming", type=int, default=7)
    ap.add_argument("--contacts", type=int, default=3000)
    ap.add_argument("--panel-s", type=int, default=10)
    ap.add_argument("--mem-messages", type=int, default=1500)
    ap.add_argument("--big", type=int, default=10000)
    ap.add_argument("--only", default="rappeld,gammu,smstools")
    ap.add_argument("--no-reports", dest="reports", action="store_false",
                    help="the simulator sends no delivery report (default: one for "
                    "every part, and every program asks for them)")
    ap.add_argument("--skip", default="", help="comma list among send,slow,idle,panel")
    ap.add_argument("--workdir", default="/var/tmp")
    ap.add_argument("--results", default=None)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--json", default=None, help="write the raw figures there")
    ap.add_argument("--from-json", default=None,
                    help="print the table of an earlier --json file instead of running")
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)
    names = args.only.split(",")
    skip = set(args.skip.split(",")) - {""}
    label = {"rappeld": "rappeld", "gammu": "gammu-smsd", "smstools": "smstools3"}
    R = {n: {} for n in names}
    panel = None
    if args.from_json:
        with open(args.from_json) as f:
            saved = json.load(f)
        R, panel = saved["results"], saved["panel"]
        names = [n for n in names if n in R]
        skip |= {"send", "slow", "idle", "panel"}
    for n in names if not args.from_json else []:
        if "send" not in skip:
            print("bench_peers: %s, %d messages, zero latency ..." % (n, args.messages),
                  file=sys.stderr, flush=True)
            R[n]["fast"] = run_send(n, args, args.messages, 0)
        if "slow" not in skip:
            print("bench_peers: %s, %d messages, %d ms per send ..." % (
                n, args.slow, args.send_ms), file=sys.stderr, flush=True)
            R[n]["slow"] = run_send(n, args, args.slow, args.send_ms)
        if "idle" not in skip:
            print("bench_peers: %s, idle %g s and %d incoming ..." % (
                n, args.idle, args.incoming), file=sys.stderr, flush=True)
            R[n]["idle"] = run_idle(n, args)
    if "rappeld" in names and "send" not in skip:
        for key, n in (("mem", args.mem_messages), ("big", args.big)):
            if n:
                print("bench_peers: rappeld alone, %d messages, zero latency ..." % n,
                      file=sys.stderr, flush=True)
                R["rappeld"][key] = run_send("rappeld", args, n, 0)
    if "rappeld" in names and "panel" not in skip:
        print("bench_peers: rappeld alone, queue and panel ...", file=sys.stderr, flush=True)
        panel = run_rappel_only(args)

    def col(phase, key, scale=1.0):
        return {label[n]: (R[n][phase][key] * scale if R[n].get(phase) and
                           R[n][phase].get(key) is not None else None) for n in names}

    rows = []
    shown = {k for k in ("send", "slow", "idle") if k not in skip}
    if args.from_json:
        shown = {k for k, ph in (("send", "fast"), ("slow", "slow"), ("idle", "idle"))
                 if all(ph in R[n] for n in names)}
    skip = {"send", "slow", "idle"} - shown
    if "send" not in skip:
        N = args.messages
        rows += [
            ("msg/s, zero-latency modem (%d msgs)" % N, col("fast", "msg_s"), "%.2f", "high"),
            ("PDU/s, zero-latency modem", col("fast", "pdu_s"), "%.2f", "high"),
            ("PDUs for %d msgs (UCS-2 PDUs)" % N,
             {label[n]: "%d (%d)" % (R[n]["fast"]["pdus"], R[n]["fast"]["ucs2"]) for n in names},
             "%s", ""),
            ("texts intact of %d" % N, col("fast", "intact"), "%d", "high"),
            ("CPU s for %d msgs" % N, col("fast", "cpu"), "%.2f", "low"),
            ("CPU ms per msg", col("fast", "cpu", 1000.0 / N), "%.3f", "low"),
            ("peak RSS MiB (VmHWM, sum of processes)", col("fast", "hwm", 1 / 1024.0), "%.1f",
             "low"),
            ("RssAnon MiB at the end (sum of processes)", col("fast", "anon", 1 / 1024.0),
             "%.1f", "low"),
            ("delivery reports taken in, of PDUs (lost to a full SIM)",
             {label[n]: "%s of %d (%s)" % (R[n]["fast"].get("reported"), R[n]["fast"]["pdus"],
                                           R[n]["fast"].get("reports_lost"))
              for n in names}, "%s", ""),
            ("load average at start / end",
             {label[n]: "%.2f / %.2f" % (R[n]["fast"].get("load_start", 0),
                                         R[n]["fast"].get("load_end", 0)) for n in names},
             "%s", ""),
            ("disk write_bytes per SMS (KiB)", col("fast", "write_bytes", 1 / 1024.0 / N),
             "%.2f", "low"),
            ("write() bytes per SMS (KiB, wchar)", col("fast", "wchar", 1 / 1024.0 / N),
             "%.2f", "low"),
        ]
    if "slow" not in skip:
        rows += [
            ("msg/s at %d ms/send (%d msgs)" % (args.send_ms, args.slow), col("slow", "msg_s"),
             "%.3f", "high"),
            ("modem capacity used at %d ms/send (%%)" % args.send_ms,
             col("slow", "capacity", 100.0), "%.2f", "high"),
        ]
    if "idle" not in skip:
        rows += [
            ("idle CPU s per minute", col("idle", "idle_cpu_min"), "%.4f", "low"),
            ("idle AT commands per minute (over %g s)" % args.idle_at,
             col("idle", "idle_at_min"), "%.1f", "low"),
            ("incoming stored after (median ms)",
             {label[n]: statistics.median(R[n]["idle"]["incoming"]) * 1000 for n in names},
             "%.1f", "low"),
            ("incoming stored after (max ms)",
             {label[n]: max(R[n]["idle"]["incoming"]) * 1000 for n in names}, "%.1f", "low"),
        ]
    cols = [label[n] for n in names]
    lines = table(rows, cols)
    extra = []
    if "idle" not in skip:
        for n in names:
            extra.append("idle AT commands of %s: %s" % (label[n], ", ".join(
                "%s x%d" % kv for kv in sorted(R[n]["idle"]["idle_cmds"].items()))))
    classes = {"rappeld": Rappel, "gammu": Gammu, "smstools": Smstools}
    extra += ["", "Tuning:"] + ["- %s: %s" % (label[n], classes[n].tuning) for n in names]
    alone = alone_rows(R.get("rappeld", {}))
    if alone or panel:
        extra += ["", "| rappeld alone | value |", "|---|---|"] + alone
    if panel:
        extra += [
            "| time to queue a %d-recipient campaign (bench_queue, median of 5) | %.1f ms |" % (
                args.contacts, panel["queue_ms"]),
            "| GET /api/v1/contacts, %d contacts (%.0f KiB), 50 connections: p50 | %.2f ms |" % (
                panel["listed"], panel["body_kib"], panel["p50"]),
            "| same, p99 | %.2f ms |" % panel["p99"],
            "| same, requests/s | %.0f |" % panel["rps"],
            "| one request right after a change (list rebuilt; curl time_total, median of 7) | %s |" % (
                "%.1f ms" % panel["rebuilt_ms"] if panel.get("rebuilt_ms") else "-"),
            "| RSS with %d contacts, before / during / 1 s after the load | %.1f / %s / %.1f MiB |" % (
                args.contacts, panel["rss_before"] / 1024.0,
                "%.1f" % (panel["rss_during"] / 1024.0) if "rss_during" in panel else "-",
                panel["rss_after"] / 1024.0),
            "| peak RSS (VmHWM) | %.1f MiB |" % (panel["hwm"] / 1024.0),
            "| RssAnon during the load (50 clients) | %s |" % (
                "%.1f MiB" % (panel["anon_during"] / 1024.0) if "anon_during" in panel else "-"),
            "| RSS after the load: anonymous / file-backed (shared libraries) | %.1f / %.1f MiB |" % (
                panel.get("RssAnon", 0) / 1024.0, panel.get("RssFile", 0) / 1024.0),
        ]
    extra += targets(R, panel, names, args)
    head = ["bench_peers: %s, %s, %d CPUs, %s" % (
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), platform.node(),
        os.cpu_count(), cpu_model()), ""]
    text = "\n".join(head + lines + [""] + extra)
    print(text)
    if args.results:
        with open(args.results, "w") as f:
            f.write(text + "\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"results": R, "panel": panel}, f, indent=1, default=str)


def alone_rows(r):
    """rappeld's send runs as table rows: rate, CPU, memory, and the load average."""
    out = []
    for key in ("fast", "mem", "big"):
        x = r.get(key)
        if not x:
            continue
        out.append("| %d messages%s: msg/s, CPU ms per message, RssAnon / VmHWM MiB "
                   "(load average at start / end) | %.0f, %.3f, %.1f / %.1f (%.2f / %.2f) |" % (
                       x["n"], ", reports %s of %d" % (x["reported"], x["pdus"])
                       if x.get("reported") is not None else "",
                       x["msg_s"], x["cpu"] * 1000 / x["n"], x.get("anon", 0) / 1024.0,
                       x["hwm"] / 1024.0, x.get("load_start", 0), x.get("load_end", 0)))
    return out


def targets(R, panel, names, args):
    """The issue's targets for rappeld: met or missed, and where the peers stand."""
    def get(n, phase, key):
        return R.get(n, {}).get(phase, {}).get(key)

    def med(n):
        lat = get(n, "idle", "incoming")
        return statistics.median(lat) * 1000 if lat else None

    N = args.messages
    checks = [
        ("zero-latency msg/s >= 2x smstools3's", lambda n: get(n, "fast", "msg_s"),
         lambda v: get("smstools", "fast", "msg_s") is not None and
         v >= 2 * get("smstools", "fast", "msg_s"), "high", "%.2f msg/s"),
        ("modem capacity used at %d ms/send >= 99.5 %%" % args.send_ms,
         lambda n: (get(n, "slow", "capacity") or 0) * 100 if get(n, "slow", "capacity")
         else None, lambda v: v >= 99.5, "high", "%.2f %%"),
        ("CPU <= 0.8 ms per message (%d msgs%s)" % (N, ", reports" if args.reports else ""),
         lambda n: get(n, "fast", "cpu") * 1000 / N if get(n, "fast", "cpu") is not None
         else None, lambda v: v <= 0.8, "low", "%.3f ms"),
        (">= 400 msg/s (%d msgs%s)" % (N, ", reports" if args.reports else ""),
         lambda n: get(n, "fast", "msg_s"), lambda v: v >= 400, "high", "%.1f msg/s"),
        ("idle CPU <= 0.03 s per minute", lambda n: get(n, "idle", "idle_cpu_min"),
         lambda v: v <= 0.03, "low", "%.4f s"),
        ("idle AT commands <= 6 per minute", lambda n: get(n, "idle", "idle_at_min"),
         lambda v: v <= 6, "low", "%.1f"),
        ("incoming SMS stored <= 100 ms after it arrives (median)", med,
         lambda v: v <= 100, "low", "%.1f ms"),
        ("<= 8 KiB written to disk per SMS", lambda n: get(n, "fast", "write_bytes") / 1024 / N
         if get(n, "fast", "write_bytes") is not None else None, lambda v: v <= 8, "low",
         "%.2f KiB"),
    ]
    out = ["", "Targets (rappeld):"]
    for what, val, ok, better, f in checks:
        v = val("rappeld") if "rappeld" in names else None
        if v is None or ("smstools" in what and get("smstools", "fast", "msg_s") is None):
            continue
        peers = [(n, val(n)) for n in names if n != "rappeld" and val(n) is not None]
        ahead = all((v > pv if better == "high" else v < pv) for _, pv in peers)
        out.append("- %s: %s — %s%s" % (what, f % v, "met" if ok(v) else "MISSED",
                                         "" if not peers else ", ahead of every peer" if ahead
                                         else ", NOT ahead of every peer"))
    big, mem = get("rappeld", "big", "n"), get("rappeld", "mem", "n")
    if big:
        cpu = get("rappeld", "big", "cpu") * 1000 / big
        rate = get("rappeld", "big", "msg_s")
        out.append("- CPU <= 0.8 ms per message (%d msgs): %.3f ms — %s" % (
            big, cpu, "met" if cpu <= 0.8 else "MISSED"))
        out.append("- >= 400 msg/s (%d msgs): %.1f msg/s — %s" % (
            big, rate, "met" if rate >= 400 else "MISSED"))
    if mem:
        anon = get("rappeld", "mem", "anon") / 1024.0
        hwm = get("rappeld", "mem", "hwm") / 1024.0
        out.append("- after %d sends%s: RssAnon <= 6 MiB: %.1f — %s; VmHWM <= 24 MiB: %.1f — %s" % (
            mem, " with a report each" if args.reports else "", anon,
            "met" if anon <= 6 else "MISSED", hwm, "met" if hwm <= 24 else "MISSED"))
    if panel:
        anon = max(panel.get("anon_during", 0), panel.get("RssAnon", 0)) / 1024.0
        for what, v, ok in [
                ("<= 200 ms to queue %d" % args.contacts, panel["queue_ms"],
                 panel["queue_ms"] <= 200),
                ("panel p99 <= 50 ms", panel["p99"], panel["p99"] <= 50),
                # during the load: the arenas are full then, whatever is given back after
                ("RssAnon <= 6 MiB with the panel serving %d contacts to 50 clients (the "
                 "larger of during and after the load, MiB)" % args.contacts, anon, anon <= 6)]:
            out.append("- %s: %.1f — %s" % (what, v, "met" if ok else "MISSED"))
    return out


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


if __name__ == "__main__":
    main()
