#!/bin/sh
# The systemd unit: `systemd-analyze verify` passes and `systemd-analyze
# security` rates it 2.0 or better.  $1 is the built rappeld, used in a
# copy of the unit in place of /usr/sbin/rappeld.
set -eu
rappeld=$1
unit=$(dirname "$0")/../systemd/rappel.service
command -v systemd-analyze >/dev/null || { echo "systemd-analyze missing"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s|/usr/sbin/rappeld|$rappeld|" "$unit" > "$dir/rappel.service"
systemd-analyze verify "$dir/rappel.service"
systemd-analyze security --offline=yes "$dir/rappel.service" > "$dir/security.txt" 2>&1 || true
score=$(sed -n 's/.*Overall exposure level for rappel.service: \([0-9.]*\).*/\1/p' "$dir/security.txt")
echo "systemd-analyze security: exposure $score (2.0 or less wanted)"
[ -n "$score" ] || { cat "$dir/security.txt"; exit 1; }
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' && echo "1 passed, 0 failed" || {
	grep '✗' "$dir/security.txt"; echo "0 passed, 1 failed"; exit 1; }
