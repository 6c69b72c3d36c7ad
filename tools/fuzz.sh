#!/bin/sh
# fuzz.sh — runs the libFuzzer targets of tests/fuzz/ (make fuzz, make fuzz-smoke).
#
#   sh tools/fuzz.sh BUILD SECONDS JOBS TARGET...
#
# For each target, JOBS at a time: first every input kept in
# tests/fuzz/regressions/TARGET/ once (each one crashed before its fix),
# then SECONDS of fuzzing from tests/fuzz/corpus/TARGET/ plus what earlier
# runs found (BUILD/corpus/TARGET/, where new inputs go).  Prints one line
# per target: runs, execs/s, coverage, and "no crash" or the crashing
# input, written to BUILD/crashes/.  Exits 1 when any target crashed.
set -u

if [ "${1:-}" = "--one" ]; then
	build=$2 seconds=$3 name=$4
	src=$(cd "$(dirname "$0")/.." && pwd)
	exe=$build/tests/fuzz/fuzz_$name
	reg=$src/tests/fuzz/regressions/$name
	log=$build/fuzz-logs/$name.log
	mkdir -p "$build/crashes" "$build/corpus/$name" "$build/fuzz-logs" "$build/fuzz-results"
	rm -f "$build/fuzz-results/$name"
	opts="-rss_limit_mb=2048 -timeout=20 -print_final_stats=1 -artifact_prefix=$build/crashes/$name-"
	nreg=0
	if [ -d "$reg" ] && [ -n "$(ls -A "$reg")" ]; then
		nreg=$(ls -A "$reg" | wc -l)
		if ! "$exe" $opts "$reg"/* >"$log" 2>&1; then
			echo "fuzz: $name: CRASH on a kept regression input (log: $log)"
			grep -E "^(SUMMARY|==[0-9]+==ERROR)|invariant broken|Running: " "$log" | tail -4
			echo fail >"$build/fuzz-results/$name"
			exit 0
		fi
	fi
	"$exe" $opts -max_total_time="$seconds" "$build/corpus/$name" \
	    "$src/tests/fuzz/corpus/$name" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	if [ "$rc" -eq 0 ]; then
		echo "fuzz: $name: ${nreg} regression inputs ok, ${runs:-?} runs in ${seconds} s," \
		    "${speed:-?} execs/s, cov ${cov:-?} ft ${ft:-?}, corpus ${corp:-?}: no crash"
		echo ok >"$build/fuzz-results/$name"
	else
		input=$(sed -n 's/.*Test unit written to //p' "$log" | tail -1)
		echo "fuzz: $name: CRASH after ${runs:-?} runs, ${speed:-?} execs/s, cov ${cov:-?}:" \
		    "input ${input:-?} (log: $log)"
		grep -E "^(SUMMARY|==[0-9]+==ERROR)|invariant broken" "$log" | head -3
		echo fail >"$build/fuzz-results/$name"
	fi
	exit 0
fi

if [ $# -lt 4 ]; then
	echo "usage: sh tools/fuzz.sh BUILD SECONDS JOBS TARGET..." >&2
	exit 2
fi
build=$1 seconds=$2 jobs=$3
shift 3
echo "fuzz: $# targets, $seconds s each, $jobs at a time"
printf '%s\n' "$@" | xargs -P "$jobs" -n 1 sh "$0" --one "$build" "$seconds"
passed=0 failed=0
for name in "$@"; do
	if [ "$(cat "$build/fuzz-results/$name" 2>/dev/null)" = ok ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
