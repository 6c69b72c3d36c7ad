#!/bin/sh
# bench_import_latency — p50/p99/max of other requests (GET /status,
# GET /contacts?q=, /healthz) while a 120,000-line CSV import, then a big
# CSV export, runs; bench/bench_import_latency.py says how.
#
#   bench/bench_import_latency.sh [BUILD_DIR] [--lines N] [--base N] [--clients K]
set -eu
build=build
case "${1:-}" in
-*|"") ;;
*) build=$1; shift ;;
esac
[ -x "$build/rappeld" ] || { echo "bench_import_latency: build first (ninja -C $build)" >&2; exit 1; }
exec python3 "$(dirname "$0")/bench_import_latency.py" --build "$build" "$@"
