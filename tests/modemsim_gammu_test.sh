#!/bin/sh
# modemsim_gammu_test — the modemsim program and its control socket,
# driven from the shell as a human would, with the Debian gammu client.
#
#   modemsim_gammu_test.sh PATH/TO/modemsim
#
# Exits 0 when everything worked, 1 with a message otherwise.  gammu
# must be on PATH (the Makefile installs it).
set -eu

MODEMSIM=${1:?usage: modemsim_gammu_test.sh PATH/TO/modemsim}
command -v gammu >/dev/null 2>&1 || {
	echo "gammu not found on PATH: apt-get install gammu (see the Makefile)" >&2
	exit 1
}
DIR=$(mktemp -d /tmp/modemsim-cli.XXXXXX)
PID=
cleanup() {
	if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; fi
	rm -rf "$DIR"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
ctl() {
	"$MODEMSIM" --send "$DIR/ctl" "$@"
}

"$MODEMSIM" --link "$DIR/modem" --log "$DIR/log.jsonl" --control "$DIR/ctl" \
	>"$DIR/stdout" 2>"$DIR/stderr" &
PID=$!
i=0
while [ ! -S "$DIR/ctl" ]; do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "modemsim did not start: $(cat "$DIR/stderr")"
	sleep 0.1
done
[ "$(cat "$DIR/stdout")" = "$DIR/modem" ] || fail "stdout is not the device path"
printf '[gammu]\ndevice = %s\nconnection = at115200\n' "$DIR/modem" >"$DIR/gammurc"

[ "$(ctl status)" = "ok submits=0 sim=0" ] || fail "status"
ctl inject +33611223344 gsm7 "Oui, à jeudi {salle 2}" >/dev/null || fail "inject"
ctl inject-parts +33611223344 ucs2 2,1 "Передайте привет всем участникам мастерской по кулинарии, до встречи в четверг в два часа дня" \
	>/dev/null || fail "inject-parts"
if ctl frobnicate >/dev/null; then fail "an unknown command succeeded"; fi

gammu -c "$DIR/gammurc" getallsms >"$DIR/getallsms" 2>&1 || fail "gammu getallsms: $(cat "$DIR/getallsms")"
grep -qF "Oui, à jeudi {salle 2}" "$DIR/getallsms" || fail "injected SMS not read by gammu"
grep -qF "part 2 of 2" "$DIR/getallsms" || fail "multipart SMS not read by gammu"

ctl unplug >/dev/null || fail "unplug"
[ ! -e "$DIR/modem" ] || fail "the device path survived the unplug"
if gammu -c "$DIR/gammurc" identify >/dev/null 2>&1; then fail "gammu worked while unplugged"; fi
ctl replug >/dev/null || fail "replug"
[ -L "$DIR/modem" ] || fail "the device path did not come back"

ctl cms-every 1 38 >/dev/null
if gammu -c "$DIR/gammurc" sendsms TEXT +33612345678 -text "x" >"$DIR/send" 2>&1; then
	fail "send succeeded despite cms-every 1"
fi
grep -q "error 38" "$DIR/send" || fail "no +CMS ERROR: 38 seen by gammu: $(cat "$DIR/send")"
grep -q '"event":"submit_error"' "$DIR/log.jsonl" || fail "no submit_error logged"

kill -TERM "$PID"
wait "$PID" || fail "modemsim exited with status $?"
PID=
[ ! -e "$DIR/ctl" ] || fail "control socket left behind"
echo "ok"
