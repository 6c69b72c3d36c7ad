#!/bin/sh
# cross_check — rappel for another processor, built and tested on amd64:
# make cross-check ARCH=arm64 (Raspberry Pi 3, 4, 5, 64-bit OS) or
# ARCH=armhf (32-bit Raspberry Pi OS, Debian armhf).  README, "Other
# processors".
#
#   sh tools/cross/cross_check.sh ARCH [STEP...]
#
# Steps, all by default, in this order:
#   deps   the Debian 12 tree of $CROSS_ROOT/ARCH (default
#          /var/cache/rappel-cross/ARCH): amd64 with ARCH added by
#          multiarch (dpkg --add-architecture), crossbuild-essential-ARCH,
#          qemu-user, and the -dev packages as NAME:ARCH; made with
#          mmdebstrap the first time, missing packages added later.  As
#          root; otherwise the commands are printed.
#   build  meson setup build-ARCH --cross-file tools/cross/ARCH.ini
#          (-Dwerror=true), ninja;
#   test   meson test -C build-ARCH, every test but the browser's (no
#          Chromium in the tree) and the slow suite, the programs under
#          qemu-user (tools/cross/ARCH.ini, tests/meson.build), timeouts
#          times CROSS_TIMEOUT_MULTIPLIER (default 3); CROSS_TESTS names
#          some tests only (meson test's names, e.g. "recur modem-1");
#   deb    tests/package_test.sh with PACKAGE_ARCH=ARCH: dpkg-buildpackage
#          -a ARCH, the unpacked rappeld run under qemu-user with its
#          simulated modem, one SMS sent; the .deb left in build-ARCH.
#
# Why a separate tree and not the machine's own multiarch: libgammu8,
# libgammu-dev and libdb5.3-dev (libical-dev needs it) are not
# "Multi-Arch: same", so NAME:ARCH cannot be installed beside the amd64
# packages `make check` needs: apt-get would remove gammu, libgammu-dev and
# libical-dev.  In the tree, gammu and gammu-smsd are ARCH's too, run under
# qemu-user by two scripts in its /usr/local/bin.
#
# Each step runs in the tree with chroot, in a mount namespace of its own
# (unshare): /proc, /dev and a fresh /tmp, and the source tree (and its
# git directory) at the same path as outside, so build-ARCH works from
# both sides.  Nothing stays mounted afterwards.
set -eu
arch=${1:?usage: cross_check.sh arm64|armhf [deps] [build] [test] [deb]}
shift
case $arch in
arm64) qemu='qemu-aarch64' ;;
armhf) qemu='qemu-arm' ;;
*) echo "cross_check: ARCH=$arch: arm64 or armhf" >&2; exit 2 ;;
esac
[ $# -gt 0 ] || set -- deps build test deb
src=$(cd "$(dirname "$0")/../.." && pwd)
root=${CROSS_ROOT:-/var/cache/rappel-cross}/$arch
build=build-$arch
multiplier=${CROSS_TIMEOUT_MULTIPLIER:-3}
mirror=${CROSS_MIRROR:-http://deb.debian.org/debian}
security=${CROSS_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

# What the tree holds: the amd64 tools, ARCH's libraries.
native_packages="build-essential meson ninja-build pkgconf crossbuild-essential-$arch qemu-user
	python3 python3-dateutil python3-phonenumbers systemd curl sqlite3 procps git
	debhelper dpkg-dev fakeroot gzip ca-certificates"
arch_packages="check libsqlite3-dev libmicrohttpd-dev libsodium-dev libjansson-dev libical-dev
	libgammu-dev libqrencode-dev libsystemd-dev libinih-dev libcurl4-openssl-dev libzbar-dev
	gammu gammu-smsd"
packages=$(echo $native_packages; for p in $arch_packages; do printf ' %s:%s' "$p" "$arch"; done)

step() {	# step NAME: its time, as the README gives them
	echo "cross-check $arch: $1 ($(date -u +%H:%M:%S))"
}

# in_tree COMMAND: COMMAND with sh -c in the tree, in the source tree.
in_tree() {
	if [ "$(id -u)" != 0 ]; then
		echo "cross-check: the steps run in $root with chroot and unshare: as root" >&2
		exit 1
	fi
	gitdir=$(git -C "$src" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
	unshare --mount --propagation private sh -eu -c '
		root=$1 src=$2 gitdir=$3 cmd=$4
		mount -t proc proc "$root/proc"
		mount --rbind /dev "$root/dev"
		mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
		for d in "$src" $gitdir; do
			mkdir -p "$root$d"
			mount --bind "$d" "$root$d"
		done
		exec chroot "$root" /bin/sh -ec "cd \"\$0\"; $cmd" "$src"
	' sh "$root" "$src" "$gitdir" "$1"
}

# gammu and gammu-smsd of the tree are ARCH's: scripts run them under qemu-user.
gammu_scripts() {
	for g in gammu gammu-smsd; do
		printf '#!/bin/sh\n# %s for %s under qemu-user (tools/cross/cross_check.sh)\nexec %s /usr/bin/%s "$@"\n' \
			"$g" "$arch" "$qemu" "$g" >"$root/usr/local/bin/$g"
		chmod 755 "$root/usr/local/bin/$g"
	done
}

deps() {
	step deps
	missing=
	if [ -x "$root/usr/bin/dpkg-query" ]; then
		for p in $packages; do
			dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}\n' "$p" 2>/dev/null |
				grep -q "ok installed" || missing="$missing $p"
		done
		if [ -z "$missing" ]; then
			[ -x "$root/usr/local/bin/gammu-smsd" ] || gammu_scripts
			return 0
		fi
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "cross-check needs, as root:"
		if [ -z "$missing" ]; then
			echo "  apt-get install mmdebstrap"
			echo "  mmdebstrap --variant=apt --architectures=amd64,$arch --include=$(echo $packages | tr ' ' ,) bookworm $root '$mirror bookworm main' '$mirror bookworm-updates main' '$security bookworm-security main'"
		else
			echo "  chroot $root sh -c 'apt-get update && apt-get install$missing'"
		fi
		exit 1
	fi
	if [ -z "$missing" ]; then
		command -v mmdebstrap >/dev/null ||
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap
		mkdir -p "$(dirname "$root")"
		echo "cross-check $arch: making $root (Debian 12, amd64 + $arch) with mmdebstrap"
		mmdebstrap --quiet --variant=apt --architectures="amd64,$arch" \
			--include="$(echo $packages | tr ' ' ,)" bookworm "$root" \
			"deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
			"deb $security bookworm-security main"
	else
		echo "cross-check $arch: installing in $root:$missing"
		in_tree "dpkg --add-architecture $arch && apt-get update -qq &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$missing"
	fi
	gammu_scripts
}

build() {
	step build
	in_tree "[ -f $build/build.ninja ] ||
		meson setup $build --cross-file tools/cross/$arch.ini --buildtype=debugoptimized -Dwerror=true
		ninja -C $build"
}

run_tests() {
	step test
	in_tree "meson test -C $build --no-suite slow --num-processes 2 --print-errorlogs \
		--timeout-multiplier $multiplier ${CROSS_TESTS:-}"
}

deb() {
	step deb
	in_tree "PACKAGE_ARCH=$arch PACKAGE_OUT=$src/$build sh tests/package_test.sh"
}

if [ ! -x "$root/usr/bin/dpkg-query" ] || [ "$1" = deps ]; then
	[ "$1" = deps ] && shift
	deps
fi
for s in "$@"; do
	case $s in
	deps) deps ;;
	build) build ;;
	test) run_tests ;;
	deb) deb ;;
	*) echo "cross_check: unknown step $s" >&2; exit 2 ;;
	esac
done
step finished
