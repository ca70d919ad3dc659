# duban build. Plain make: see docs/decisions/0001-build-with-make.md.
#   make                 debug build into build/
#   make MODE=asan       AddressSanitizer + UBSan build into build-asan/
#   make MODE=release    optimised build into build-release/
#   make test            build (asan) and run every test
#   make BUILD=dir       use another build folder (helpers working in parallel)
MODE   ?= debug
ifeq ($(MODE),debug)
BUILD  ?= build
MODEFLAGS = -O1 -g
else ifeq ($(MODE),asan)
BUILD  ?= build-asan
MODEFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
else ifeq ($(MODE),release)
BUILD  ?= build-release
MODEFLAGS = -O2 -g -DNDEBUG
else ifeq ($(MODE),fuzz)
BUILD  ?= build-fuzz
CC     = clang
MODEFLAGS = -O1 -g -fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer
endif

CC     ?= cc
PKGS    = libmicrohttpd jansson sqlite3 libpq libsodium icu-uc icu-i18n xlsxwriter libzip expat libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN    = -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2 -Wvla
CFLAGS += -std=c11 -D_GNU_SOURCE $(WARN) $(MODEFLAGS) -Isrc $(PKG_CFLAGS) -pthread
LDLIBS += $(PKG_LIBS) -lm -pthread

# MODULES lets a helper build only the parts it works on (make MODULES="util ingest").
MODULES ?= util core store app ingest exchange http
LIB_SRC  := $(sort $(foreach m,$(MODULES),$(wildcard src/$(m)/*.c)))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
BENCH_SRC:= $(sort $(wildcard bench/*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/holidays_data.o
HOLIDAYS := $(sort $(wildcard data/holidays-cn/*.json))
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TESTS    := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCHES  := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all test clean benches web
all: $(BUILD)/duban $(TESTS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/gen/holidays_data.c: $(HOLIDAYS) scripts/embed.sh
	@mkdir -p $(dir $@)
	bash scripts/embed.sh embedded_holidays $@ $(HOLIDAYS)

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libduban.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/duban: $(CLI_OBJ) $(BUILD)/libduban.a
	$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testlib.h tests/unit/testdates.h $(BUILD)/libduban.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit $< $(BUILD)/libduban.a $(LDLIBS) -o $@

$(BUILD)/bench/%: bench/%.c $(BUILD)/libduban.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< $(BUILD)/libduban.a $(LDLIBS) -o $@

benches: $(BENCHES)

test:
	bash tests/run.sh

clean:
	rm -rf build build-asan build-release build-fuzz

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
