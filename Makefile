# mdmlab — the two commands a newcomer needs:
#   make demo   set-up + build + the main job (writes reports, prints where)
#   make test   set-up + build + every test (ctest)
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CTEST_ARGS ?=

# ccache: CI clones into another folder, so hash paths relative to the source root.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true
export CCACHE_SLOPPINESS := pch_defines,time_macros,include_file_mtime,include_file_ctime
export CCACHE_MAXSIZE ?= 5G

.PHONY: setup configure build test test-scale test-sanitize fuzz-build fuzz-smoke fuzz demo clean format format-check

setup:
	@bash scripts/setup.sh

configure: setup
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

build: configure
	@start=$$(date +%s); \
	cmake --build $(BUILD_DIR) -j $(JOBS) || exit 1; \
	echo "build: wall time $$(( $$(date +%s) - start )) s"; \
	ccache -s 2>/dev/null | grep -E "Hits|Misses|hit rate" | head -3 || true

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer (own build dir),
# except the labels `scale` (1,000 Macs) and `hostile` (2,483 cases; 10+ minutes under ASan on
# 2 cores), which `make test` runs in the optimised build.
SANITIZE_DIR ?= build-asan
test-sanitize: setup
	@cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMDMLAB_SANITIZE=address,undefined >/dev/null
	@start=$$(date +%s); cmake --build $(SANITIZE_DIR) -j $(JOBS) || exit 1; \
	echo "sanitizer build: wall time $$(( $$(date +%s) - start )) s"
	@cd $(SANITIZE_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) -LE 'scale|hostile' $(CTEST_ARGS)

# The 1,000-Mac fleet alone (also part of `make test`): make test-scale
test-scale: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -L scale $(CTEST_ARGS)

# libFuzzer targets (clang-14, ASan + UBSan + fuzzer instrumentation) in their own build dir.
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 10
SECONDS ?= 60
TARGET ?=
fuzz-build: setup
	@cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
	  -DMDMLAB_FUZZ=ON -DMDMLAB_SANITIZE=address,undefined -DMDMLAB_WERROR=OFF >/dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_all

# Every target for FUZZ_SECONDS each; fails on a crash (CI runs this).
fuzz-smoke: fuzz-build
	@bash scripts/fuzz-smoke.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

# One long run: make fuzz TARGET=plist_xml SECONDS=600
fuzz: fuzz-build
	@bash scripts/fuzz-smoke.sh $(FUZZ_DIR) $(SECONDS) $(TARGET)

demo: build
	@bash scripts/demo.sh $(BUILD_DIR)

# Every C++ source of ours; `make format` rewrites them, `make format-check` (CI) fails on a diff.
FORMAT_SOURCES = $(shell find apps common core crypto protocol server simulators scenarios load fuzz \
  reports tests bench -name '*.cpp' -o -name '*.hpp' 2>/dev/null)

format:
	@clang-format -i $(FORMAT_SOURCES)

format-check:
	@clang-format --dry-run -Werror $(FORMAT_SOURCES) && echo "format-check: $(words $(FORMAT_SOURCES)) files clean"

clean:
	@rm -rf $(BUILD_DIR)
