# rappel — a thin front over meson.  The README's two commands:
#   make demo    build and start rappeld on a demo database
#   make check   build with sanitizers and run every test
# Both first install the missing Debian packages (as root) or print the
# command that would.

DEBIAN_PACKAGES = gcc meson ninja-build pkg-config check libsqlite3-dev sqlite3 \
	libmicrohttpd-dev libsodium-dev libjansson-dev libical-dev libgammu-dev \
	libsystemd-dev libinih-dev libcurl4-openssl-dev curl ca-certificates \
	gammu gammu-smsd chromium openssl systemd \
	smstools libdbd-sqlite3 wrk python3

BUILD      ?= build
TEST_BUILD ?= build-test
DEMO_DIR   ?= $(BUILD)/demo
DEMO_PORT  ?= 8080

.PHONY: all deps build demo check bench clean

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

check: deps tests/browser/node_modules/.package-lock.json $(TEST_BUILD)/build.ninja
	ninja -C $(TEST_BUILD)
	meson test -C $(TEST_BUILD) --verbose --print-errorlogs --num-processes 2

# BENCH_PEERS_ARGS shortens the side-by-side run, e.g.
#   make bench BENCH_PEERS_ARGS="--messages 100 --slow 5 --idle 20 --idle-at 60"
BENCH_PEERS_ARGS ?=

bench: build
	$(BUILD)/bench/bench_queue 3000 5
	sh bench/bench_send.sh $(BUILD)
	sh bench/bench_peers.sh $(BUILD) $(BENCH_PEERS_ARGS)

demo: build
	@sh tools/demo.sh $(BUILD) $(DEMO_DIR) $(DEMO_PORT)

clean:
	rm -rf $(BUILD) $(TEST_BUILD)
