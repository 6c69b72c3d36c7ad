#!/bin/sh
# bench_send — messages per second from rappeld through libgammu's AT
# driver to the modem simulator, with libgammu's own sleeps around each
# PDU (send_pause_ms = 500, what libgammu does unchanged) and with them cut
# (send_pause_ms = 0, rappel's default; docs/modem.md).
#
#   bench/bench_send.sh [BUILD_DIR] [N_FAST] [N_SLOW]
#
# Prints, for a modem answering at once and one taking 3 s per SMS, the
# messages per second and the share of the modem's capacity used.
set -eu
build=${1:-build}
n_fast=${2:-100}
n_slow=${3:-10}
sim=$build/rappel-modemsim
dir=$(mktemp -d /tmp/rappel-bench-XXXXXX)
trap 'kill $simpid $daemonpid 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
simpid=
daemonpid=

run() {		# run LATENCY_MS PAUSE_MS N
	latency=$1 pause=$2 n=$3
	rm -f "$dir"/rappel.db* "$dir"/sim.log
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	cat > "$dir/rappel.conf" <<CONF
[centre]
name = Banc d'essai
phone = 03 21 00 00 00
[database]
path = $dir/rappel.db
[http]
listen = 127.0.0.1:$port
[sending]
hours = 00:00-23:59
days = mon,tue,wed,thu,fri,sat,sun
max_per_minute = 6000
max_per_day = 100000
[modem]
device = $dir/ttyUSB0
send_pause_ms = $pause
CONF
	"$sim" --link "$dir/ttyUSB0" --log "$dir/sim.log" --log-at --latency "0,$latency" >/dev/null &
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
	kill "$daemonpid"; wait "$daemonpid" 2>/dev/null || true
	kill "$simpid"; wait "$simpid" 2>/dev/null || true
	python3 - "$dir/sim.log" "$n" "$latency" "$pause" <<'PY'
import json, sys
log, n, latency, pause = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ev = [json.loads(l) for l in open(log)]
# from the first AT+CMGS to the last accepted submit: the sending itself
starts = [e["t"] for e in ev if e["event"] == "at" and e.get("cmd", "").upper().startswith("AT+CMGS")]
subs = [e["t"] for e in ev if e["event"] == "submit"]
first = min(starts) if starts else subs[0]
span = subs[-1] - first
rate = (len(subs) - 1) / (subs[-1] - subs[0]) if len(subs) > 1 else 0
used = (len(subs) * latency / 1000.0) / span if latency else float("nan")
print("latency %5d ms/SMS  send_pause_ms %3d  %4d SMS in %7.2f s  %7.2f SMS/s  capacity used %s"
      % (latency, pause, len(subs), span, rate, "%.1f %%" % (100 * used) if latency else "-"))
PY
}

[ -x "$sim" ] || { echo "bench_send: build first (ninja -C $build)" >&2; exit 1; }
echo "rappel bench_send: $n_fast messages at 0 ms, $n_slow at 3000 ms per SMS"
run 0 500 "$n_fast"
run 0 0 "$n_fast"
run 3000 500 "$n_slow"
run 3000 0 "$n_slow"
