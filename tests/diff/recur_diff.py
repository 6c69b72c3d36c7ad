#!/usr/bin/python3
"""recur_diff — atelier sessions, rappel (libical) against python-dateutil.

Usage: recur_diff.py RECUR_DUMP [--corpus FILE] [--verbose]

A corpus of recurrence rules is generated with a fixed seed (or read from
FILE, one "ID<TAB>ZONE<TAB>YYYYMMDDHHMM<TAB>RRULE<TAB>MAX" a line): daily,
weekly, monthly and yearly rules with BYDAY and its ordinals, BYSETPOS,
BYMONTHDAY (29-31 and negatives), BYMONTH, INTERVAL, COUNT and UNTIL
(date and UTC), first dates on and off the rule, around both
daylight-saving changes of 2026-2028 in Europe/Paris and Australia/Sydney.
Each rule is expanded by rappel (the RECUR_DUMP program, through
recur_expand) and by dateutil, and the local start (with its offset) of
every session is compared.

Two rules of rappel's that dateutil does not share are applied to the
reference, and each is counted as "explained":
  - RFC 5545 3.3.10: "The COUNT rule part defines the number of occurrences
    at which to range-bound the recurrence.  The DTSTART property value
    always counts as the first occurrence."  dateutil leaves out a DTSTART
    that is not on the rule (documented in its rrule docstring); rappel
    keeps it, within COUNT.  (The API refuses such a first date for an
    atelier; the expansion still follows the RFC for rows written before.)
  - RFC 5545 3.3.5: a local time that does not exist is the time after the
    gap, one that exists twice is the first (rappel's wall-clock rule,
    recur.h); the reference places its naive times with zoneinfo, fold=0,
    which is the same rule, so this is not a difference.
The start itself is placed as the API would place it: a start in a gap is
already after the gap.

Where libical has a 32-bit time_t (Debian 12 armhf: RECUR_DUMP says
"libical-last-year 2037"), it expands nothing after 2037: there, rappel's
sessions must be the reference's up to the end of 2037 exactly (none and
ERROR for a rule starting later), counted apart as "stopped at 2037".

Prints one summary line and exits 1 on any unexplained difference.
"""
import datetime as dt
import random
import subprocess
import sys
from zoneinfo import ZoneInfo

try:
    from dateutil import rrule as du
except ImportError:
    print("recur-diff: python3-dateutil is missing: apt-get install python3-dateutil")
    sys.exit(1)

SEED = 5545
ZONES = ["Europe/Paris", "Australia/Sydney"]
# the days each zone changes its clocks, 2026-2028
DST_DAYS = {
    "Europe/Paris": ["2026-03-29", "2026-10-25", "2027-03-28", "2027-10-31",
                     "2028-03-26", "2028-10-29"],
    "Australia/Sydney": ["2026-04-05", "2026-10-04", "2027-04-04", "2027-10-03",
                         "2028-04-02", "2028-10-01"],
}
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
TIMES = [(9, 0), (14, 0), (18, 30), (2, 30), (2, 0), (3, 0), (0, 0), (23, 30)]
MAX_SESSIONS = 30   # sessions compared for a rule without end
# the two rules of issue 25, and the cases the first trial agreed on
FIXED = [
    ("issue25-last-saturday", "Europe/Paris", "202612050900", "FREQ=MONTHLY;BYDAY=-1SA;COUNT=8", 30),
    ("issue25-setpos", "Europe/Paris", "202612011400",
     "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2;COUNT=6", 30),
    ("gap-0230", "Europe/Paris", "202603220230", "FREQ=WEEKLY;COUNT=3", 30),
    ("fold-0230", "Europe/Paris", "202610180230", "FREQ=WEEKLY;COUNT=3", 30),
    ("monthday-31", "Europe/Paris", "202601311000", "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=8", 30),
    ("until-utc", "Europe/Paris", "202610151400",
     "FREQ=WEEKLY;BYDAY=TH;UNTIL=20261105T130000Z", 30),
]


def pick_start(rnd, zone):
    """A local wall-clock start within a few weeks of a clock change."""
    day = dt.date.fromisoformat(rnd.choice(DST_DAYS[zone]))
    day += dt.timedelta(days=rnd.randint(-40, 5))
    hour, minute = rnd.choice(TIMES)
    return dt.datetime(day.year, day.month, day.day, hour, minute)


def make_rule(rnd):
    """One rule, without COUNT or UNTIL (added by the caller)."""
    kind = rnd.randrange(12)
    interval = rnd.choice([1, 1, 1, 2, 3])
    parts = []
    if kind == 0:
        parts = ["FREQ=DAILY"]
        if rnd.random() < 0.5:
            parts.append("BYDAY=" + ",".join(sorted(rnd.sample(DAYS, rnd.randint(1, 5)),
                                                    key=DAYS.index)))
    elif kind in (1, 2):
        parts = ["FREQ=WEEKLY"]
        if rnd.random() < 0.8:
            parts.append("BYDAY=" + ",".join(sorted(rnd.sample(DAYS, rnd.randint(1, 3)),
                                                    key=DAYS.index)))
    elif kind in (3, 4):
        n = rnd.choice([1, 2, 3, 4, 5, -1, -2])
        parts = ["FREQ=MONTHLY", "BYDAY=%d%s" % (n, rnd.choice(DAYS))]
    elif kind == 5:
        days = rnd.choice([["MO", "TU", "WE", "TH", "FR"], ["SA", "SU"], ["TU", "TH"],
                           [rnd.choice(DAYS)]])
        pos = rnd.choice([1, 2, 3, -1, -2])
        parts = ["FREQ=MONTHLY", "BYDAY=" + ",".join(days), "BYSETPOS=%d" % pos]
    elif kind in (6, 7):
        md = rnd.choice([1, 15, 28, 29, 30, 31, -1, -2, -3])
        parts = ["FREQ=MONTHLY", "BYMONTHDAY=%d" % md]
        if rnd.random() < 0.3:
            parts[-1] += ",%d" % rnd.choice([5, 10, 20])
    elif kind == 8:
        parts = ["FREQ=MONTHLY", "BYMONTHDAY=%s" % rnd.choice(["1,2,3,4,5,6,7", "-7,-6,-5,-4,-3,-2,-1"]),
                 "BYDAY=%s" % rnd.choice(DAYS)]
    elif kind == 9:
        parts = ["FREQ=YEARLY", "BYMONTH=%d" % rnd.randint(1, 12),
                 "BYDAY=%d%s" % (rnd.choice([1, 2, -1]), rnd.choice(DAYS))]
    elif kind == 10:
        parts = ["FREQ=YEARLY", "BYMONTH=%d" % rnd.choice([2, 3, 10, 12]),
                 "BYMONTHDAY=%d" % rnd.choice([1, 29, 30, 31, -1])]
    else:
        parts = ["FREQ=MONTHLY"]
    if interval > 1:
        parts.append("INTERVAL=%d" % interval)
    return parts


def reference_first(rule, start):
    """The first occurrence dateutil finds at or after start, or None."""
    r = du.rrulestr(rule, dtstart=start)
    for t in r:
        return t
    return None


def place(naive, zone):
    """A naive local time in zone as an aware one (a gap moves forward)."""
    z = ZoneInfo(zone)
    aware = naive.replace(tzinfo=z, fold=0)
    return aware.astimezone(dt.timezone.utc).astimezone(z)


def iso(aware):
    return aware.isoformat(timespec="seconds")


def generate(count):
    rnd = random.Random(SEED)
    corpus = []
    i = 0
    while len(corpus) < count:
        zone = ZONES[i % 2]
        i += 1
        parts = make_rule(rnd)
        start = pick_start(rnd, zone)
        # as the API places it: a start in a gap is after the gap
        start = place(start, zone).replace(tzinfo=None)
        base = ";".join(parts)
        on_rule = rnd.random() < 0.6
        if on_rule:
            first = reference_first(base, start)
            if first is None:
                continue
            start = place(first, zone).replace(tzinfo=None)
            if reference_first(base, start) != start:
                continue    # the first one fell in a gap: skip
        end = rnd.random()
        if end < 0.5:
            base += ";COUNT=%d" % rnd.randint(1, 20)
        elif end < 0.8:
            until = start + dt.timedelta(days=rnd.randint(20, 500))
            if rnd.random() < 0.5:
                base += ";UNTIL=" + until.strftime("%Y%m%d")
            else:
                # an UNTIL in UTC, at the local start time of that day
                u = place(until, zone).astimezone(dt.timezone.utc)
                u += dt.timedelta(minutes=rnd.choice([0, 0, -30, 30]))
                base += ";UNTIL=" + u.strftime("%Y%m%dT%H%M%SZ")
        corpus.append(("r%03d" % len(corpus), zone, start.strftime("%Y%m%d%H%M"), base,
                       MAX_SESSIONS))
    return corpus


def reference(zone, start_key, rule, maxn):
    """dateutil's sessions (aware), and whether the start is on the rule."""
    start = dt.datetime.strptime(start_key, "%Y%m%d%H%M")
    start = place(start, zone).replace(tzinfo=None)
    text = rule
    until_utc = None
    parts = rule.split(";")
    for p in parts:
        if p.startswith("UNTIL=") and p.endswith("Z"):
            # RFC 5545 3.3.10: with a local DTSTART, UNTIL in UTC is an instant;
            # dateutil wants it in the naive DTSTART's terms: the local time.
            until_utc = dt.datetime.strptime(p[6:], "%Y%m%dT%H%M%SZ").replace(
                tzinfo=dt.timezone.utc)
            local = until_utc.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
            text = ";".join(x if x != p else "UNTIL=" + local.strftime("%Y%m%dT%H%M%S")
                            for x in parts)
    r = du.rrulestr(text, dtstart=start)
    out = []
    for t in r:
        out.append(place(t, zone))
        if len(out) == maxn:
            break
    on_rule = bool(out) and out[0].replace(tzinfo=None) == start
    return place(start, zone), out, on_rule


def rfc_adjusted(start, ref, rule, maxn):
    """The reference with an off-rule DTSTART put first, within COUNT."""
    count = None
    for p in rule.split(";"):
        if p.startswith("COUNT="):
            count = int(p[6:])
    out = [start] + ref
    if count is not None:
        out = out[:count]
    return out[:maxn]


def main():
    args = sys.argv[1:]
    verbose = "--verbose" in args
    args = [a for a in args if a != "--verbose"]
    if not args:
        print(__doc__)
        return 2
    dump = args[0]
    if "--corpus" in args:
        with open(args[args.index("--corpus") + 1], encoding="utf-8") as f:
            corpus = [tuple(line.rstrip("\n").split("\t")) for line in f
                      if line.strip() and not line.startswith("#")]
    else:
        corpus = generate(240) + FIXED
    lines = "".join("\t".join(str(x) for x in c) + "\n" for c in corpus)
    got = subprocess.run([dump], input=lines, capture_output=True, text=True, check=True)
    mine = {}
    last_year = None
    for line in got.stdout.splitlines():
        rid, _start, sessions = line.split("\t")
        if rid == "#" and _start == "libical-last-year":
            last_year = int(sessions)
            continue
        mine[rid] = None if sessions == "ERROR" else [s for s in sessions.split(",") if s]
    sessions = 0
    off_rule = 0
    diffs = []
    explained = 0
    stopped = 0

    def cut(isos):
        return [t for t in isos if int(t[:4]) <= last_year]

    for rid, zone, start_key, rule, maxn in corpus:
        maxn = int(maxn)
        start, ref, on_rule = reference(zone, start_key, rule, maxn)
        off_rule += not on_rule
        expect = [iso(t) for t in ref]
        sessions += len(expect)
        have = mine.get(rid)
        if have == expect:
            continue
        adjusted = [iso(t) for t in rfc_adjusted(start, ref, rule, maxn)]
        if not on_rule and have == adjusted:
            explained += 1
            continue
        if last_year is not None and (have == cut(expect) or
                                      (not on_rule and have == cut(adjusted)) or
                                      (have is None and not cut(adjusted))):
            stopped += 1
            continue
        diffs.append((rid, zone, start_key, rule, expect, adjusted, have))
    for rid, zone, start_key, rule, expect, adjusted, have in diffs:
        print("DIFF %s %s start %s %s" % (rid, zone, start_key, rule))
        print("  dateutil:     %d %s" % (len(expect), " ".join(expect[:6])))
        print("  rfc-adjusted: %d %s" % (len(adjusted), " ".join(adjusted[:6])))
        print("  rappel:       %s" % ("ERROR" if have is None else
                                      "%d %s" % (len(have), " ".join(have[:6]))))
        if verbose:
            print("  full rappel:   %s" % have)
            print("  full dateutil: %s" % expect)
    print("recur-diff: %d rules (%d first dates off the rule), %d sessions, %d differences "
          "(%d explained: DTSTART off the rule is the first session, RFC 5545 3.3.10)"
          % (len(corpus), off_rule, sessions, len(diffs), explained)
          + ("" if last_year is None else
             "; %d stopped at %d (libical with a 32-bit time_t)" % (stopped, last_year)))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
