#!/bin/sh
# package_test — the Debian package, built and used for real.
#
#   sh tests/package_test.sh            (make package-test; .ci/run calls it)
#   PACKAGE_ARCH=arm64 PACKAGE_OUT=build-arm64 sh tests/package_test.sh
#                                       (make cross-check ARCH=arm64, armhf)
#
# 1. dpkg-buildpackage -us -uc -b builds the .deb from a clean copy of the
#    tree (the files git knows, or would add); with PACKAGE_ARCH, for that
#    processor (dpkg-buildpackage -a, the build dependencies as NAME:ARCH),
#    and the .deb is copied into PACKAGE_OUT;
# 2. the .deb holds the programs, the unit, the sysusers and tmpfiles
#    snippets and the example configuration;
# 3. unpacked into a clean directory tree (dpkg -x), its rappeld starts on
#    a fresh database with the built-in simulated modem (the package's
#    rappel-modemsim, named by RAPPEL_MODEMSIM there), answers /healthz,
#    reports the modem ready in GET /api/v1/status (its rappelctl made the
#    account and the token), runs the simulator as its child process, sends
#    an SMS queued with POST /api/v1/messages through it, and stops
#    cleanly; for another processor, its programs run under qemu-user;
# 4. as root, when no rappel package is installed yet (CI) and the package
#    is for this processor, it is installed
#    with dpkg -i: the rappel user in dialout, /etc/rappel/rappel.conf
#    0640 root:rappel, /var/lib/rappel owned by rappel with the database
#    migrated; "sudo rappelctl" leaves it usable by rappel; the installed
#    rappeld finds its installed simulator by itself; dpkg -r keeps the
#    data and dpkg --purge removes it.
# Prints "N passed, N failed"; exits 1 when a check failed.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/rappel-package-XXXXXX)
daemon=
pass=0
fail=0
cleanup() {
	[ -z "$daemon" ] || kill "$daemon" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# For another processor (PACKAGE_ARCH), its programs run under qemu-user.
native=$(dpkg --print-architecture)
arch=${PACKAGE_ARCH:-$native}
case $arch in
"$native") qemu= ;;
arm64) qemu='qemu-aarch64' ;;
armhf) qemu='qemu-arm' ;;
*) echo "package: PACKAGE_ARCH=$arch: arm64 or armhf" >&2; exit 2 ;;
esac

check() {	# check DESCRIPTION COMMAND...
	desc=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
		echo "ok: $desc"
	else
		fail=$((fail + 1))
		echo "FAIL: $desc"
	fi
}

finish() {
	echo "package: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}

# api_has PATH PATTERN: GET PATH with the token answers text matching PATTERN.
api_has() {
	curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port$1" | grep -q "$2"
}

# eventually COMMAND...: COMMAND succeeds within 30 s (tried every 0.2 s).
eventually() {
	i=0
	until "$@" >/dev/null 2>&1 || [ "$i" -ge 150 ]; do
		i=$((i + 1))
		sleep 0.2
	done
	"$@"
}

# serve WHAT RAPPELD: RAPPELD on $work/rappel.conf (the simulated modem)
# answers, has its modem ready, runs the simulator as its child, sends an
# SMS through it, stops.
serve() {
	what=$1
	$qemu "$2" -c "$work/rappel.conf" 2>>"$work/rappeld.log" &
	daemon=$!
	check "$what answers /healthz" eventually curl -sf "http://127.0.0.1:$port/healthz" -o /dev/null
	check "$what: its simulated modem is ready in /api/v1/status" \
		eventually api_has /api/v1/status '"state": *"ready"'
	# under qemu-user its name is qemu's: its command line names it
	sim=$(pgrep -P "$daemon" -f rappel-modemsim | head -1)
	check "$what: the simulator is its own child process" test -n "$sim"
	simlog=$(tr '\0' '\n' <"/proc/${sim:-0}/cmdline" 2>/dev/null | sed -n '/^--log$/{n;p;}')
	sent=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
		-d '{"to":"06 12 34 56 78","body":"Rappel : atelier cuisine jeudi 14h."}' \
		"http://127.0.0.1:$port/api/v1/messages" | sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
	check "$what queues an SMS with POST /api/v1/messages" test -n "$sent"
	check "$what: the SMS is sent" eventually api_has "/api/v1/messages/$sent" '"status": *"sent"'
	check "$what: the simulated network received it" \
		grep -q '"text":"Rappel : atelier cuisine jeudi 14h\.' "${simlog:-/nonexistent}"
	kill "$daemon"
	wait "$daemon" 2>/dev/null && stopped=0 || stopped=$?
	daemon=
	check "$what stops cleanly on SIGTERM" test "$stopped" -eq 0
	[ "$fail" -eq 0 ] || cat "$work/rappeld.log"
}

# ---- 1. build --------------------------------------------------------------
mkdir "$work/src"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$src" ls-files -co --exclude-standard | (cd "$src" && tar -cf - -T -) |
		tar -xf - -C "$work/src"
else
	(cd "$src" && tar -cf - --exclude='./build*' --exclude=node_modules .) |
		tar -xf - -C "$work/src"
fi
echo "package: dpkg-buildpackage -a $arch -us -uc -b (log in $work/build.log)"
if ! (cd "$work/src" && dpkg-buildpackage -a "$arch" -us -uc -b -j2) >"$work/build.log" 2>&1; then
	tail -40 "$work/build.log"
	check "dpkg-buildpackage builds the package" false
	finish
fi
deb=$(ls "$work"/rappel_*_"$arch".deb)
check "dpkg-buildpackage builds $(basename "$deb")" test -s "$deb"
check "$(basename "$deb") is for $arch" test "$(dpkg-deb -f "$deb" Architecture)" = "$arch"
if [ -n "${PACKAGE_OUT:-}" ]; then
	cp "$work"/rappel_*_"$arch".deb "$work"/rappel_*_"$arch".buildinfo \
		"$work"/rappel_*_"$arch".changes "$PACKAGE_OUT"/
	echo "package: $(basename "$deb") and its .buildinfo, .changes copied into $PACKAGE_OUT"
fi

# ---- 2. contents -----------------------------------------------------------
dpkg-deb -c "$deb" | awk '{ print $6 }' > "$work/contents"
for f in ./usr/sbin/rappeld ./usr/bin/rappelctl ./usr/libexec/rappel/rappel-modemsim \
	./lib/systemd/system/rappel.service \
	./usr/lib/sysusers.d/rappel.conf ./usr/lib/tmpfiles.d/rappel.conf \
	./usr/share/rappel/rappel.conf.example; do
	check "the package holds $f" grep -qx "$f" "$work/contents"
done
dpkg-deb -e "$deb" "$work/control"
check "postinst creates the user and migrates" grep -q "rappelctl -c /etc/rappel/rappel.conf migrate" \
	"$work/control/postinst"
check "postinst enables the service" grep -q "deb-systemd-helper" "$work/control/postinst"
check "postrm removes the data on purge only" grep -q 'if \[ "$1" = purge \]' "$work/control/postrm"

# ---- 3. unpacked and run ---------------------------------------------------
root=$work/root
dpkg -x "$deb" "$root"
port=$(shuf -i 20000-59999 -n 1)
mkdir "$work/data"
cat > "$work/rappel.conf" <<EOF
[centre]
name = Centre social Jacques Brel
phone = 03 21 00 00 00
[database]
path = $work/data/rappel.db
[http]
listen = 127.0.0.1:$port
[sending]
hours = 00:00-24:00
days = mon,tue,wed,thu,fri,sat,sun
[modem]
device = simulator
EOF
printf 'paquet-mot-de-passe\npaquet-mot-de-passe\n' |
	$qemu "$root/usr/bin/rappelctl" -c "$work/rappel.conf" user add directrice --role admin >/dev/null
token=$($qemu "$root/usr/bin/rappelctl" -c "$work/rappel.conf" token create directrice | tail -1)
export RAPPEL_MODEMSIM="$root/usr/libexec/rappel/rappel-modemsim"
if [ -n "$qemu" ]; then
	# rappeld, under qemu-user, cannot start another processor's program itself
	printf '#!/bin/sh\nexec %s %s "$@"\n' "$qemu" "$RAPPEL_MODEMSIM" >"$work/rappel-modemsim"
	chmod +x "$work/rappel-modemsim"
	RAPPEL_MODEMSIM=$work/rappel-modemsim
fi
serve "rappeld from the package" "$root/usr/sbin/rappeld"
unset RAPPEL_MODEMSIM

# ---- 4. installed with dpkg (root, no rappel installed) --------------------
if [ -n "$qemu" ]; then
	echo "package: built for $arch: dpkg -i not tried"
	finish
fi
# (nor over the data an earlier rappel left here, removed but not purged)
if [ "$(id -u)" != 0 ] || dpkg-query -W -f='${Status}' rappel 2>/dev/null | grep -q installed ||
    [ -e /var/lib/rappel ]; then
	echo "package: not root, or rappel is installed here or left its data: dpkg -i not tried"
	finish
fi
if ! dpkg -i "$deb" >"$work/install.log" 2>&1; then
	cat "$work/install.log"
	check "dpkg -i installs the package" false
	finish
fi
check "dpkg -i installs the package" true
check "the rappel user exists" sh -c 'getent passwd rappel >/dev/null'
check "rappel is in dialout" sh -c 'id -nG rappel | tr " " "\n" | grep -qx dialout'
check "/etc/rappel/rappel.conf is 0640 root:rappel" \
	test "$(stat -c '%a %U %G' /etc/rappel/rappel.conf)" = "640 root rappel"
check "/var/lib/rappel belongs to rappel" test "$(stat -c '%U' /var/lib/rappel)" = rappel
latest=$(ls "$src"/sql/[0-9]*.sql | wc -l)
check "postinst migrated the database to version $latest" \
	test "$(sqlite3 /var/lib/rappel/rappel.db 'PRAGMA user_version')" = "$latest"
printf 'directrice-mot-de-passe\ndirectrice-mot-de-passe\n' |
	rappelctl user add directrice --role admin >/dev/null
check "rappelctl run as root adds the account" sh -c 'rappelctl user list | grep -q directrice'
check "rappelctl run as root leaves the database to rappel" sh -c \
	'! find /var/lib/rappel -user root | grep -q .'
check "rappeld --check-config accepts the installed configuration" \
	runuser -u rappel -- /usr/sbin/rappeld --check-config -c /etc/rappel/rappel.conf
serve "the installed rappeld" /usr/sbin/rappeld
dpkg -r rappel >/dev/null 2>&1
check "dpkg -r keeps the database" test -e /var/lib/rappel/rappel.db
check "dpkg -r keeps the configuration" test -e /etc/rappel/rappel.conf
dpkg --purge rappel >/dev/null 2>&1
check "dpkg --purge removes the database" test ! -e /var/lib/rappel
check "dpkg --purge removes the configuration" test ! -e /etc/rappel
finish
