# The two commands of the README: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
JOBS  ?= $(shell nproc)
FUZZ_SECONDS ?= 20
CMAKE_GEN := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")
# ccache hits across clones in other folders (CI builds a fresh clone each time).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

.PHONY: all bootstrap configure web build binary run serve test test-unit test-sanitize fuzz bench bench-optimize clean bench-cluster

all: build

bootstrap:
	@bash scripts/bootstrap

configure: bootstrap
	@[ -f build/CMakeCache.txt ] || cmake -S . -B build $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release

# The web pages' bundle (docs/web.md): web/dist, served by `lastmile serve`. `npm ci` runs when
# web/node_modules is missing or older than the lock file; Vite rebuilds when a source is newer than
# the bundle.
WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) $(wildcard web/*.html web/*.json web/*.ts)

web: web/dist/track.html

web/node_modules/.package-lock.json: web/package-lock.json | bootstrap
	cd web && npm ci --no-audit --no-fund

web/dist/track.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run --silent build

# Release build of the binary, the tests and the web pages: build/lastmile, web/dist
build: configure web
	cmake --build build -j $(JOBS)

# The binary and the web pages (what `make run` needs).
binary: configure web
	cmake --build build -j $(JOBS) --target lastmile

# The demo: a server on a fresh SQLite file in build/demo with the bundled Monaco map, a clock 10x
# faster than the wall clock and a simulated fleet; prints the URLs to open (Ctrl-C stops).
# `make serve` starts a plain server on ./lastmile.db instead.
run: binary
	./build/lastmile demo --data-dir build/demo --http 127.0.0.1:8080

serve: binary
	@echo "lastmile: starting on http://127.0.0.1:8080 (database ./lastmile.db; Ctrl-C stops)"
	./build/lastmile serve --db sqlite:./lastmile.db --http 127.0.0.1:8080

# Every test: unit + integration on the Release build, again under ASan+UBSan, then the fuzzers.
# Ends with one summary line over both ctest runs, e.g. "test: 674 passed, 0 failed".
test: build
	@mkdir -p build/test-logs
	ctest --test-dir build --output-on-failure -j $(JOBS) 2>&1 | tee build/test-logs/release.txt; \
	  test $${PIPESTATUS[0]} -eq 0 || { python3 scripts/failure_digest.py build/test-logs/release.txt; exit 1; }
	$(MAKE) test-sanitize 2>&1 | tee build/test-logs/sanitize.txt; \
	  test $${PIPESTATUS[0]} -eq 0 || { python3 scripts/failure_digest.py build/test-logs/sanitize.txt; exit 1; }
	$(MAKE) fuzz
	@awk '/tests passed, [0-9]+ tests failed out of/ { total += $$NF; failed += $$4 } \
	  END { printf "test: %d passed, %d failed\n", total - failed, failed }' build/test-logs/release.txt build/test-logs/sanitize.txt

test-unit: build
	ctest --test-dir build --output-on-failure -j $(JOBS) -L unit

test-sanitize: bootstrap
	@[ -f build-asan/CMakeCache.txt ] || cmake -S . -B build-asan $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DLASTMILE_SANITIZE=ON
	cmake --build build-asan -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir build-asan --output-on-failure -j $(JOBS)

# Each libFuzzer target runs FUZZ_SECONDS from the committed seed corpus.
fuzz: bootstrap
	@[ -f build-fuzz/CMakeCache.txt ] || CXX=clang++ cmake -S . -B build-fuzz $(CMAKE_GEN) \
	  -DCMAKE_BUILD_TYPE=Debug -DLASTMILE_FUZZ=ON
	cmake --build build-fuzz -j $(JOBS) --target fuzzers
	bash tests/fuzz/run_all.sh build-fuzz $(FUZZ_SECONDS) $(JOBS)

bench: build
	LASTMILE_BIN=build/lastmile bash bench/run.sh

# The route optimization part of `make bench` alone (Solomon C1/R1; OPT_SECONDS=2 for a quick look).
bench-optimize: build
	LASTMILE_BIN=build/lastmile bash bench/optimize_solomon.sh

clean:
	rm -rf build build-asan build-fuzz web/dist

# The scale-out part of `make bench` alone (bench/cluster.sh): CPU per ping on SQLite vs PostgreSQL, and
# ingest points/s with 1 vs 2 nodes behind nginx.
bench-cluster: build
	LASTMILE_BIN=build/lastmile bash bench/cluster.sh
