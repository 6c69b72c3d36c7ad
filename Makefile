# rappel — a thin front over meson.  The README's two commands:
#   make demo    build and start rappeld on a demo database
#   make check   build with sanitizers and run every test
# Both first install the missing Debian packages (as root) or print the
# command that would.

DEBIAN_PACKAGES = gcc meson ninja-build pkg-config check libsqlite3-dev sqlite3 \
	libmicrohttpd-dev libsodium-dev libjansson-dev libical-dev libgammu-dev libqrencode-dev \
	libsystemd-dev libinih-dev libcurl4-openssl-dev curl ca-certificates \
	gammu gammu-smsd chromium openssl systemd clang libclang-rt-14-dev \
	debhelper dpkg-dev smstools libdbd-sqlite3 wrk python3 \
	python3-dateutil python3-phonenumbers libzbar-dev

BUILD      ?= build
TEST_BUILD ?= build-test
DEMO_DIR   ?= $(BUILD)/demo
DEMO_PORT  ?= 8080
FUZZ_BUILD ?= build-fuzz
# make fuzz: FUZZ_SECONDS per target; make fuzz-smoke (part of make check):
# FUZZ_SMOKE_SECONDS.  FUZZ_JOBS targets run at a time (the machine's 2 cores).
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_JOBS ?= 2
FUZZ_TARGETS = config csv template phone intent json pdu

.PHONY: all deps build demo check package-test cross-check chaos bench screenshots clean \
	fuzz fuzz-build fuzz-smoke

all: build

deps:
	@missing=""; \
	for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	command -v node >/dev/null && command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else \
			echo "Missing Debian packages. Run as root:"; \
			echo "  apt-get install$$missing"; \
			exit 1; \
		fi; \
	fi

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(TEST_BUILD)/build.ninja:
	meson setup $(TEST_BUILD) --buildtype=debug -Db_sanitize=address,undefined \
		-Db_lundef=false -Dwerror=true

# The browser tests' playwright-core and axe-core, pinned in package-lock.json.
tests/browser/node_modules/.package-lock.json: tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund

# Three tests at a time on two cores: the long ones mostly wait (the
# simulated network, the browser), and start first (tests/meson.build).
check: deps tests/browser/node_modules/.package-lock.json $(TEST_BUILD)/build.ninja
	ninja -C $(TEST_BUILD)
	meson test -C $(TEST_BUILD) --verbose --print-errorlogs --num-processes 3 --no-suite slow
	$(MAKE) fuzz-smoke

# The libFuzzer targets of tests/fuzz/, with clang (see README, "Fuzzing").
$(FUZZ_BUILD)/build.ninja:
	CC=clang meson setup $(FUZZ_BUILD) -Dfuzz=true -Db_lundef=false -Dwerror=true

fuzz-build: deps $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD) $(FUZZ_TARGETS:%=tests/fuzz/fuzz_%)

fuzz: fuzz-build
	@sh tools/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	@sh tools/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SMOKE_SECONDS) $(FUZZ_JOBS) $(FUZZ_TARGETS)

# The Debian package: built with dpkg-buildpackage, run unpacked, and (as
# root, where no rappel package is installed) installed and purged.
package-test: deps
	sh tests/package_test.sh

# Another processor, on this amd64 machine (README, "Other processors"):
# ARCH=arm64 or armhf.  In a Debian 12 tree of amd64 + ARCH made as root
# with mmdebstrap in CROSS_ROOT/ARCH (not the machine's own packages:
# libgammu-dev for ARCH cannot be installed beside the amd64 one), build
# build-ARCH with the cross compiler, run every test but the browser's
# and the slow ones under qemu-user, build ARCH's .deb with
# dpkg-buildpackage -a ARCH (left in build-ARCH) and run it unpacked.
# CROSS_STEPS picks some of deps build test deb; CROSS_TESTS some tests.
ARCH ?= arm64
CROSS_STEPS ?=
CROSS_TESTS ?=

cross-check:
	CROSS_TESTS="$(CROSS_TESTS)" sh tools/cross/cross_check.sh $(ARCH) $(CROSS_STEPS)

# The long chaos runs: 50 SIGKILLs during a 1,000-message campaign with
# replies flowing in (make check runs 20), and 20 USB unplug/replug
# cycles during one batch (make check runs 1).
chaos: build
	RAPPELD=$(BUILD)/rappeld RAPPELCTL=$(BUILD)/rappelctl \
	MODEMSIM=$(BUILD)/rappel-modemsim RAPPEL_CRASH_KILLS=50 \
	CK_TIMEOUT_MULTIPLIER=3 $(BUILD)/tests/check_crash
	RAPPELD=$(BUILD)/rappeld RAPPELCTL=$(BUILD)/rappelctl RAPPEL_UNPLUG_CYCLES=20 \
	CK_RUN_CASE=faults CK_TIMEOUT_MULTIPLIER=8 $(BUILD)/tests/check_modem

# BENCH_PEERS_ARGS shortens the side-by-side run, e.g.
#   make bench BENCH_PEERS_ARGS="--messages 100 --slow 5 --idle 20 --idle-at 60"
BENCH_PEERS_ARGS ?=
# bench_modems: 200 messages a campaign here (about 6 minutes); its defaults,
# 1,000 (about 26 minutes), gave the figures of bench/RESULTS.md.
BENCH_MODEMS_ARGS ?= --messages 200 --single 20

bench: build
	$(BUILD)/bench/bench_queue 3000 5
	sh bench/bench_queue.sh $(BUILD) 3000 3
	sh bench/bench_send.sh $(BUILD)
	sh bench/bench_webhook.sh $(BUILD)
	$(BUILD)/bench/bench_rss_floor
	sh bench/bench_peers.sh $(BUILD) $(BENCH_PEERS_ARGS)
	sh bench/bench_import_latency.sh $(BUILD)
	sh bench/bench_modems.sh $(BUILD) $(BENCH_MODEMS_ARGS)

demo: build
	@sh tools/demo.sh $(BUILD) $(DEMO_DIR) $(DEMO_PORT)

# The guide's pictures (docs/images/*.png), from a demo in headless Chromium.
screenshots: build tests/browser/node_modules/.package-lock.json
	node tools/guide_screenshots.mjs $(BUILD) docs/images

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(FUZZ_BUILD) build-arm64 build-armhf
