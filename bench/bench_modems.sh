#!/bin/sh
# bench_modems — four simulated modems at 3 s per send: a 1,000-message
# campaign against 4x one modem, then the same again with each contact's
# sender (the sticky SIM); bench/bench_modems.py says how.  About 26
# minutes with the defaults; a short run:
#   bench/bench_modems.sh build --messages 200 --single 20
#
#   bench/bench_modems.sh [BUILD_DIR] [--modems N] [--messages M] [--send-ms MS] [--single K]
set -eu
build=build
case "${1:-}" in
-*|"") ;;
*) build=$1; shift ;;
esac
[ -x "$build/rappeld" ] || { echo "bench_modems: build first (ninja -C $build)" >&2; exit 1; }
exec python3 "$(dirname "$0")/bench_modems.py" --build "$build" "$@"
