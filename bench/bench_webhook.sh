#!/bin/sh
# bench_webhook — what webhooks cost the sending, and how late their
# notices arrive.  rappeld sends N messages through the modem simulator
# three times: with no webhook, with one whose receiver (a Python HTTP
# server on 127.0.0.1) answers 200 at once, and with one whose receiver
# accepts connections and never answers (every POST runs into the 10 s
# time-out).
#
#   bench/bench_webhook.sh [BUILD_DIR] [N]
#
# Prints for each the SMS per second through the modem and, with the live
# receiver, the delay from each SMS leaving the modem to its "sent" notice
# reaching the receiver (median and maximum).
set -eu
build=${1:-build}
n=${2:-100}
sim=$build/rappel-modemsim
dir=$(mktemp -d /tmp/rappel-bench-XXXXXX)
trap 'kill $simpid $daemonpid $recvpid 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
simpid=
daemonpid=
recvpid=

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# receiver MODE PORT: "live" answers 200 and logs "time id status" lines; "dead" never answers
receiver() {
	python3 - "$1" "$2" "$dir/hooks.log" <<'PY' &
import http.server, json, socket, sys, time
mode, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if mode == "dead":
    s = socket.socket(); s.bind(("127.0.0.1", port)); s.listen(64)
    time.sleep(3600)
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        m = json.loads(body).get("message") or {}
        with open(log, "a") as f:
            f.write("%f %s %s\n" % (time.time(), m.get("id"), m.get("status")))
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
PY
	recvpid=$!
}

run() {		# run none|live|dead
	mode=$1
	rm -f "$dir"/rappel.db* "$dir"/sim.log "$dir"/hooks.log
	port=$(free_port)
	hookport=$(free_port)
	cat > "$dir/rappel.conf" <<CONF
[centre]
name = Banc d'essai
phone = 03 21 00 00 00
[database]
path = $dir/rappel.db
[http]
listen = 127.0.0.1:$port
[sending]
hours = 00:00-24:00
days = mon,tue,wed,thu,fri,sat,sun
max_per_minute = 600
max_per_day = 100000
[modem]
device = $dir/ttyUSB0
CONF
	if [ "$mode" != none ]; then
		printf '[webhook]\nurl = http://127.0.0.1:%s/\nsecret = banc-d-essai-secret-0001\n' \
		    "$hookport" >> "$dir/rappel.conf"
		receiver "$mode" "$hookport"
	fi
	"$sim" --link "$dir/ttyUSB0" --log "$dir/sim.log" >/dev/null &
	simpid=$!
	sleep 0.3
	i=1
	while [ "$i" -le "$n" ]; do
		"$build/rappelctl" -c "$dir/rappel.conf" send 0612345678 "Message de banc d'essai $i" >/dev/null
		i=$((i + 1))
	done
	"$build/rappeld" -c "$dir/rappel.conf" 2>"$dir/rappeld.log" &
	daemonpid=$!
	while [ "$(grep -c '"event":"submit"' "$dir/sim.log" 2>/dev/null || true)" -lt "$n" ]; do
		sleep 0.2
	done
	if [ "$mode" = live ]; then
		while [ "$(grep -c ' sent$' "$dir/hooks.log" 2>/dev/null || true)" -lt "$n" ]; do
			sleep 0.2
		done
	fi
	kill "$daemonpid"; wait "$daemonpid" 2>/dev/null || true
	kill "$simpid"; wait "$simpid" 2>/dev/null || true
	[ -z "$recvpid" ] || { kill "$recvpid"; wait "$recvpid" 2>/dev/null || true; recvpid=; }
	python3 - "$dir/sim.log" "$dir/hooks.log" "$mode" <<'PY'
import json, os, statistics, sys
sim, hooks, mode = sys.argv[1], sys.argv[2], sys.argv[3]
subs = [json.loads(l)["t"] for l in open(sim) if '"event":"submit"' in l]
rate = (len(subs) - 1) / (subs[-1] - subs[0]) if len(subs) > 1 else 0
line = "webhook %-4s  %4d SMS in %6.2f s  %7.2f SMS/s" % (mode, len(subs),
    subs[-1] - subs[0], rate)
if mode == "live" and os.path.exists(hooks):
    # messages leave in id order: the k-th submit is message k
    got = {}
    for l in open(hooks):
        t, mid, status = l.split()
        if status == "sent":
            got[int(mid)] = float(t)
    delays = [1000 * (got[k + 1] - subs[k]) for k in range(len(subs)) if k + 1 in got]
    line += "  %d notices, delay median %.0f ms, max %.0f ms" % (len(delays),
        statistics.median(delays), max(delays))
print(line)
PY
}

[ -x "$sim" ] || { echo "bench_webhook: build first (ninja -C $build)" >&2; exit 1; }
echo "rappel bench_webhook: $n messages each run"
run none
run live
run dead
