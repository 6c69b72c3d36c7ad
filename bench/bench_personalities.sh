#!/bin/sh
# bench_personalities — rappeld against each modem the simulator plays
# (rappel-modemsim --personality, tools/modemsim/persona.h): how much it
# costs idle while the stick chatters, and whether sending, replies,
# delivery reports and a USB reset work.  Figures, not assertions: the
# assertions are the modem-<personality> tests (tests/meson.build).
#
#   bench/bench_personalities.sh [BUILD_DIR] [IDLE_S] [PERSONALITY...]
#
# For each personality (default: generic huawei simcom quectel slow2g):
#   1. the simulator (with --reports: every part is reported delivered)
#      and rappeld on it; once the modem is ready and its first sweep and
#      health check are done (3 s after ready), IDLE_S seconds idle
#      (default 60): rappeld's CPU (its threads' schedstat) and
#      the AT command lines the simulator received;
#   2. three messages (GSM-7, a 2-part GSM-7, UCS-2): sent, messages
#      delivered (reports);
#   3. two replies injected: how many stored;
#   4. unplug, 1.5 s, replug: seconds until a message queued then is
#      sent, and whether it is;
#   and over the whole run, the parts the network accepted and the
#   +CMS errors it answered.
# Prints one table row per personality.  Targets (bench/RESULTS.md):
# idle CPU <= 0.03 s a minute, <= 6 idle AT commands a minute.
set -eu
build=${1:-build}
idle=${2:-60}
[ $# -ge 2 ] && shift 2 || shift $#
personas=${*:-generic huawei simcom quectel slow2g}
sim=$build/rappel-modemsim
[ -x "$sim" ] && [ -x "$build/rappeld" ] || {
	echo "bench_personalities: build first (ninja -C $build)" >&2; exit 1; }
dir=$(mktemp -d /tmp/rappel-persona-XXXXXX)
simpid= daemonpid=
trap 'kill $simpid $daemonpid 2>/dev/null; rm -rf "$dir"' EXIT INT TERM

ctl() { "$build/rappelctl" -c "$dir/rappel.conf" "$@" >/dev/null; }
simctl() { "$sim" --send "$dir/control" "$@" >/dev/null; }
sql() { sqlite3 -cmd ".timeout 5000" "$dir/rappel.db" "$1" 2>/dev/null || echo 0; }
events() { grep -c "\"event\":\"$1\"" "$dir/sim.log" 2>/dev/null || true; }
# CPU nanoseconds of rappeld's threads (as bench_peers.py: their schedstat).
cpu_ns() { cat /proc/"$daemonpid"/task/*/schedstat | awk '{ s += $1 } END { printf "%d", s }'; }
now() { date +%s.%N; }

# Waits up to $2 seconds for the SQL $1 to print something other than 0.
wait_sql() {
	i=0
	while [ "$(sql "$1")" = 0 ] && [ "$i" -lt $(($2 * 5)) ]; do
		sleep 0.2; i=$((i + 1))
	done
}

run() {
	p=$1
	rm -f "$dir"/rappel.db* "$dir"/sim.log "$dir"/rappeld.log
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
hours = 00:00-24:00
days = mon,tue,wed,thu,fri,sat,sun
max_per_minute = 600
max_per_day = 100000
retry_delay = 1
[modem]
device = $dir/ttyUSB0
CONF
	"$sim" --link "$dir/ttyUSB0" --control "$dir/control" --log "$dir/sim.log" --log-at \
	    --reports --personality "$p" >/dev/null 2>"$dir/sim.err" &
	simpid=$!
	sleep 0.3
	"$build/rappeld" -c "$dir/rappel.conf" 2>"$dir/rappeld.log" &
	daemonpid=$!
	t0=$(now)
	wait_sql "SELECT count(*) FROM modem_status WHERE state = 'ready'" 120
	ready=$(python3 -c "print('%.1f' % ($(now) - $t0))")
	sleep 3
	at0=$(events at) c0=$(cpu_ns)
	sleep "$idle"
	at1=$(events at) c1=$(cpu_ns)

	ctl send 0612345678 "Rappel : RDV CAF mardi 14h. Répondez OUI."
	ctl send 0612345678 "Bonjour, le centre social vous rappelle l'atelier numérique de jeudi à 14h : créer son adresse électronique, envoyer une pièce jointe, trouver les démarches de la CAF en ligne. Apportez votre téléphone. Répondez OUI si vous venez, NON sinon. En cas de problème appelez le 03 21 00 00 00. A jeudi !"
	ctl send 0612345679 "Fête du quartier à côté de l'école : reçu !"
	wait_sql "SELECT count(*) = 3 FROM messages WHERE status IN ('sent', 'delivered')" 120
	wait_sql "SELECT count(*) = 3 FROM messages WHERE status = 'delivered'" 20
	sent=$(sql "SELECT count(*) FROM messages WHERE status IN ('sent', 'delivered')")
	delivered=$(sql "SELECT count(*) FROM messages WHERE status = 'delivered'")

	simctl inject +33612345678 gsm7 Oui je viens
	simctl inject +33612345679 ucs2 "Merci, à jeudi"
	wait_sql "SELECT count(*) = 2 FROM replies" 30
	replies=$(sql "SELECT count(*) FROM replies")

	simctl unplug
	sleep 1.5
	simctl replug
	t0=$(now)
	ctl send 0612345678 "Après le débranchement."
	wait_sql "SELECT count(*) = 4 FROM messages WHERE status IN ('sent', 'delivered')" 120
	reset=$(python3 -c "print('%.1f' % ($(now) - $t0))")
	resent=$(sql "SELECT count(*) = 4 FROM messages WHERE status IN ('sent', 'delivered')")
	parts=$(events submit) cms=$(events submit_error)

	kill "$daemonpid"; wait "$daemonpid" 2>/dev/null || true
	kill "$simpid"; wait "$simpid" 2>/dev/null || true
	python3 - "$p" "$idle" "$c0" "$c1" "$at0" "$at1" "$ready" "$sent" "$parts" \
	    "$cms" "$delivered" "$replies" "$reset" "$resent" <<'PY'
import sys
(p, idle, c0, c1, at0, at1, ready, sent, parts, cms, delivered, replies, reset,
 resent) = sys.argv[1:]
cpu = (int(c1) - int(c0)) / 1e9
per_min = 60.0 / int(idle)
print("| %-8s | %5s s | %6.4f s (%.3f %%) | %5.1f | %s/3 | %s | %s | %s/3 | %s/2 | %s (%s s) |"
      % (p, ready, cpu * per_min, 100 * cpu / int(idle), (int(at1) - int(at0)) * per_min,
         sent, parts, cms, delivered, replies, "yes" if resent == "1" else "NO", reset))
PY
}

echo "rappel bench_personalities: $(date -u '+%Y-%m-%d %H:%M UTC'), idle $idle s, $(uname -srm)"
echo
echo "| personality | ready after | idle CPU a minute | idle AT/min | sent | parts | +CMS errors | delivered | replies | reset survived (sending again after) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for p in $personas; do
	run "$p"
done
