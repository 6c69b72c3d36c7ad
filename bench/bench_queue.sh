#!/bin/sh
# bench_queue — how long the real rappeld takes to queue a campaign to N
# recipients (default 3,000), end to end: N contacts imported in one group
# with rappelctl, rappeld started without a [modem] section (messages are
# queued, never sent), a campaign "Bonjour {prenom} {nom} ... {centre}"
# created over HTTP and scheduled for now.  bench_queue.c measures the
# scheduler alone, in-process; this measures it inside the daemon.
#
#   bench/bench_queue.sh [BUILD_DIR] [N] [RUNS]
#
# Each run starts from a fresh database.  Figures, in milliseconds:
#   visible   from sending POST /campaigns/ID/schedule to the moment the N
#             messages can be read from the database (count(*) polled
#             every 5 ms on a read-only connection)
#   answer    the schedule request's round trip
#   pass      from rappeld's "http: POST .../schedule status=200" log line
#             to its "scheduler: pass queued=N" line (-v): the scheduler's
#             one transaction (audience, rendering, N inserts, the run),
#             commit included; the log is time-stamped as it is written
#   commit    from "scheduler: campaign=ID ... queued=N" (last insert done)
#             to the pass line: mostly COMMIT and its fsync
# then the median of each over the runs.
set -eu
build=${1:-build}
n=${2:-3000}
runs=${3:-3}
dir=$(mktemp -d /tmp/rappel-bench-XXXXXX)
daemonpid=
stamppid=
stop_daemon() {
	if [ -n "$daemonpid" ]; then
		kill "$daemonpid" 2>/dev/null || true
		wait "$daemonpid" 2>/dev/null || true
	fi
	if [ -n "$stamppid" ]; then
		wait "$stamppid" 2>/dev/null || true
	fi
	daemonpid='' stamppid=''
}
trap 'stop_daemon; rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM

if [ ! -x "$build/rappeld" ] || [ ! -x "$build/rappelctl" ]; then
	echo "bench_queue: build first (ninja -C $build)" >&2
	exit 1
fi
command -v python3 >/dev/null || { echo "bench_queue: python3 is needed" >&2; exit 1; }

# The contacts: distinct mobile numbers, ten first names, one group "Tous".
awk -v n="$n" 'BEGIN {
	split("Awa Élodie Karim Chloé Jean Fatou Léa Mohamed Zoé Hélène", first, " ")
	print "Prénom;Nom;Téléphone;Groupes"
	for (i = 0; i < n; i++)
		printf "%s;Famille%04d;+336%08d;Tous\n", first[i % 10 + 1], i, 10000000 + i
}' > "$dir/contacts.csv"

# Lines of stdin, each prefixed with the time it was read (Unix seconds).
cat > "$dir/stamp.py" <<'PY'
import sys, time
out = sys.stdout.buffer
for line in iter(sys.stdin.buffer.readline, b""):
    out.write(b"%.6f " % time.time() + line)
    out.flush()
PY

# Logs in, creates the campaign, then times the schedule request and the
# moment the messages are there.  Prints "ID VISIBLE_MS ANSWER_MS".
cat > "$dir/measure.py" <<'PY'
import http.client, json, sqlite3, sys, time
port, db, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
headers = {"Content-Type": "application/json"}

def call(method, path, body=None, want=200):
    conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    r = conn.getresponse()
    data = r.read()
    if r.status != want:
        sys.exit("bench_queue: %s %s: %d %s" % (method, path, r.status, data.decode()))
    cookie = r.getheader("Set-Cookie")
    if cookie:
        headers["Cookie"] = cookie.split(";")[0]
    return json.loads(data) if data else None

s = call("POST", "/api/v1/session", {"login": "bench", "password": "banc-d-essai-mot-de-passe"})
headers["X-CSRF-Token"] = s["csrf_token"]
group = call("GET", "/api/v1/groups")[0]["id"]
at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
at = at[:-2] + ":" + at[-2:]			# ISO 8601: +01:00
c = call("POST", "/api/v1/campaigns", {
    "name": "Invitation fête de quartier",
    "body": "Bonjour {prenom} {nom}, la fête de quartier a lieu samedi à 15h. "
            "Répondez OUI ou NON. {centre}",
    "audience": {"group_ids": [group]}, "schedule": {"at": at}}, 201)
path = "/api/v1/campaigns/%d/schedule" % c["id"]
ro = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
count = "SELECT count(*) FROM messages WHERE campaign_id = %d" % c["id"]
t0 = time.time()
call("POST", path)
t1 = time.time()
while ro.execute(count).fetchone()[0] < n:
    if time.time() - t0 > 120:
        sys.exit("bench_queue: the messages were not queued within 120 s")
    time.sleep(0.005)
t2 = time.time()
print(c["id"], "%.1f" % ((t2 - t0) * 1000), "%.1f" % ((t1 - t0) * 1000))
PY

# From the time-stamped log: "PASS_MS COMMIT_MS" of campaign ID.
cat > "$dir/passlog.py" <<'PY'
import re, sys
log, cid, n = sys.argv[1], sys.argv[2], sys.argv[3]
http = queued = done = None
for line in open(log, encoding="utf-8", errors="replace"):
    t, _, msg = line.partition(" ")
    t, msg = float(t), re.sub(r"^<\d>", "", msg.strip())
    if msg == "http: POST /api/v1/campaigns/%s/schedule status=200" % cid:
        http = t
    elif re.match(r"scheduler: campaign=%s occurrence=.* queued=%s " % (cid, n), msg):
        queued = t
    elif queued and done is None and msg.startswith("scheduler: pass queued=%s " % n):
        done = t
if None in (http, queued, done):
    sys.exit("bench_queue: the scheduler's lines are missing from " + log)
print("%.1f %.1f" % ((done - http) * 1000, (done - queued) * 1000))
PY

run() {		# appends "VISIBLE ANSWER PASS COMMIT" (ms) to $dir/results
	rm -f "$dir"/rappel.db* "$dir/rappeld.log" "$dir/log.fifo"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	cat > "$dir/rappel.conf" <<CONF
[centre]
name = Centre social Jacques Brel
phone = 03 21 00 00 00
timezone = Europe/Paris
[database]
path = $dir/rappel.db
[http]
listen = 127.0.0.1:$port
CONF
	printf 'banc-d-essai-mot-de-passe\nbanc-d-essai-mot-de-passe\n' |
		"$build/rappelctl" -c "$dir/rappel.conf" user add bench --role admin >/dev/null
	"$build/rappelctl" -c "$dir/rappel.conf" import contacts "$dir/contacts.csv" >/dev/null
	mkfifo "$dir/log.fifo"
	python3 "$dir/stamp.py" < "$dir/log.fifo" > "$dir/rappeld.log" &
	stamppid=$!
	"$build/rappeld" -c "$dir/rappel.conf" -v 2>"$dir/log.fifo" >/dev/null &
	daemonpid=$!
	i=0
	until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -lt 200 ] || { echo "bench_queue: rappeld did not start" >&2; cat "$dir/rappeld.log" >&2; exit 1; }
		sleep 0.05
	done
	out=$(python3 "$dir/measure.py" "$port" "$dir/rappel.db" "$n")
	read -r id visible answer <<EOF
$out
EOF
	i=0
	until grep -q "scheduler: pass queued=$n " "$dir/rappeld.log"; do
		i=$((i + 1))
		[ "$i" -lt 200 ] || { echo "bench_queue: no pass line in the log" >&2; exit 1; }
		sleep 0.05
	done
	stop_daemon
	echo "$visible $answer $(python3 "$dir/passlog.py" "$dir/rappeld.log" "$id" "$n")" \
		> "$dir/last"
	cat "$dir/last" >> "$dir/results"
}

echo "rappel bench_queue: a campaign to $n recipients queued by rappeld ($build), $runs runs"
r=1
: > "$dir/results"
while [ "$r" -le "$runs" ]; do
	run
	read -r visible answer pass commit < "$dir/last"
	printf '  run %d: all %d messages visible %8.1f ms after the request  (answer %6.1f ms, scheduler pass %7.1f ms, commit %6.1f ms)\n' \
		"$r" "$n" "$visible" "$answer" "$pass" "$commit"
	r=$((r + 1))
done
python3 - "$dir/results" "$n" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
m = [statistics.median(c) for c in zip(*rows)]
print("median: all %s messages visible %.1f ms after the request (answer %.1f ms, "
      "scheduler pass %.1f ms, commit %.1f ms); %.0f µs per message"
      % (sys.argv[2], m[0], m[1], m[2], m[3], m[2] * 1000 / int(sys.argv[2])))
PY
