#!/bin/sh
# bench_peers — rappeld, gammu-smsd (SQLite backend) and smstools3 smsd
# side by side through the modem simulator; one table, one column per
# program, ratio columns rappeld / peer.  bench/bench_peers.py says what
# is measured and how each program is tuned.
#
#   bench/bench_peers.sh [BUILD_DIR] [--messages N] [--slow N] [--idle S]
#                        [--idle-at S] [--incoming K] [--only LIST] ...
#
# Defaults match the issue (1,000 messages, 60 s idle ...): about 50
# minutes, most of it gammu-smsd sending 1,000 messages.  A short run:
#   bench/bench_peers.sh build --messages 100 --slow 5 --idle 20 --idle-at 60
set -eu
build=build
case "${1:-}" in
-*|"") ;;
*) build=$1; shift ;;
esac
for p in gammu-smsd gammu-smsd-inject smsd wrk sqlite3 python3; do
	command -v "$p" >/dev/null 2>&1 || {
		echo "bench_peers: $p not found: make deps (gammu-smsd smstools wrk sqlite3 python3)" >&2
		exit 1
	}
done
[ -x "$build/rappeld" ] || { echo "bench_peers: build first (ninja -C $build)" >&2; exit 1; }
exec python3 "$(dirname "$0")/bench_peers.py" --build "$build" "$@"
