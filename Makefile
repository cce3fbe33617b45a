# SPDX-License-Identifier: BSD-2-Clause
#
# The PPTP toolkit.  One non-recursive GNU Makefile for the whole tree.
#
#   make            build lib/libpptp.a, the tools and the tests
#   make demo       install missing Debian packages, build, run the demo
#   make check      install missing Debian packages, build, run every test
#   make check SANITIZE=1   the same under ASan + UBSan (objects in build-san/)
#   make bench      run the benchmarks (bench/run.sh) and print the figures
#   make fuzz       build the libFuzzer targets with clang, run each FUZZ_SECONDS
#   make interop    the interop tests: the real pptpd/pppd and pptp-linux in a
#                   QEMU VM (root; make check runs them too when root)
#   make captures   regenerate captures/ with the real peers (root)
#   make install    PREFIX=/usr/local DESTDIR=
#   V=1 shows the full commands; WERROR=1 turns warnings into errors (CI).

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
SBINDIR  ?= $(PREFIX)/sbin
MANDIR   ?= $(PREFIX)/share/man
DESTDIR  ?=

SANITIZE ?= 0
WERROR   ?= 0
FUZZ_SECONDS ?= 20

ifeq ($(SANITIZE),1)
BUILD    ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
BUILD    ?= build
SANFLAGS :=
endif

CC       ?= cc
AR       ?= ar
CLANG    ?= clang

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wmissing-declarations -Wpointer-arith -Wformat=2 -Wvla -Wundef \
            -Wimplicit-fallthrough -Wno-unused-parameter
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif

# CFLAGS, CPPFLAGS and LDFLAGS are the user's (make CFLAGS=-O0 ...); what the
# tree needs is added around them, so a command-line value never drops it.
CFLAGS   ?= -O2 -g
ALL_CPPFLAGS := -Ilib -D_DEFAULT_SOURCE $(CPPFLAGS)
ALL_CFLAGS   := -std=c11 $(WARNINGS) $(SANFLAGS) -MMD -MP $(CFLAGS)
ALL_LDFLAGS  := $(SANFLAGS) $(LDFLAGS)
LDLIBS   := -lpcap -lcrypto
TEST_LDLIBS := -lcunit $(LDLIBS)

ifeq ($(V),1)
Q :=
quiet = @:
else
Q := @
quiet = @printf '  %-7s %s\n' $(1) $(2);
endif

# ---- the library ------------------------------------------------------

# LIB_DIRS narrows the library to some layers (e.g. LIB_DIRS="buf pptp") so a
# module can be built and tested while another is being written.
LIB_DIRS ?= $(notdir $(wildcard lib/*))
LIB_SRCS := $(sort $(foreach d,$(LIB_DIRS),$(wildcard lib/$(d)/*.c)))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/lib/libpptp.a

# ---- programs: each <dir>/ holds its sources and links lib/ -----------

PROGRAMS := pptp-refserver
PROG_BINS := $(foreach p,$(PROGRAMS),$(BUILD)/$(p)/$(p))
# what each program needs beyond the library (docs/dependencies.md)
PROG_LDLIBS_pptp-refserver := -levent -ljson-c -lcap

define program_rules
$(1)_OBJS := $$(patsubst %.c,$$(BUILD)/%.o,$$(sort $$(wildcard $(1)/*.c)))
$$(BUILD)/$(1)/$(1): $$($(1)_OBJS) $$(LIB)
	$$(call quiet,LD,$$@)
	$$(Q)$$(CC) $$(ALL_LDFLAGS) -o $$@ $$^ $$(PROG_LDLIBS_$(1)) $$(LDLIBS)
endef
$(foreach p,$(PROGRAMS),$(eval $(call program_rules,$(p))))

# ---- tests ------------------------------------------------------------

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:%.c=$(BUILD)/%)
UNIT_SUPPORT := $(BUILD)/tests/unit/cu_main.o

TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))
TOOL_BINS := $(TOOL_SRCS:%.c=$(BUILD)/%)

FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=%)
FUZZ_REPLAY := $(FUZZ_NAMES:%=$(BUILD)/tests/fuzz/replay_%)

BENCH_SRCS := $(sort $(wildcard bench/*.c))
BENCH_BINS := $(BENCH_SRCS:%.c=$(BUILD)/%)

ALL_BINS := $(PROG_BINS) $(UNIT_BINS) $(TOOL_BINS) $(FUZZ_REPLAY) $(BENCH_BINS)

.PHONY: all deps demo check run-tests run-demo bench fuzz fuzz-build install clean
.DEFAULT_GOAL := all
# Keep object files that pattern chains would treat as intermediate.
.SECONDARY:

all: $(LIB) $(ALL_BINS)

$(BUILD)/%.o: %.c
	$(call quiet,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	$(call quiet,AR,$@)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/tests/unit/test_%: $(BUILD)/tests/unit/test_%.o $(UNIT_SUPPORT) $(LIB)
	$(call quiet,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(TEST_LDLIBS)

$(BUILD)/tests/tools/%: $(BUILD)/tests/tools/%.o $(LIB)
	$(call quiet,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB)
	$(call quiet,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/fuzz/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay_main.o $(LIB)
	$(call quiet,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(filter %.a,$^) $(LDLIBS)

# A fuzz target that drives a program's code links that program's objects
# (all but its main.c) and libraries too.
FUZZ_PROG_refserver := pptp-refserver/server.c pptp-refserver/config.c pptp-refserver/faults.c
$(BUILD)/tests/fuzz/replay_refserver: $(FUZZ_PROG_refserver:%.c=$(BUILD)/%.o)
$(BUILD)/tests/fuzz/replay_refserver: LDLIBS += $(PROG_LDLIBS_pptp-refserver)

# ---- set-up, demo and tests --------------------------------------------

deps:
	$(Q)tests/tools/deps.sh

# The main job on a built-in default.  Until the programs arrive this is
# the synthetic PPTP session built by the core's encoders, decoded by tshark.
demo: deps
	$(Q)$(MAKE) --no-print-directory run-demo

run-demo: all
	$(Q)tests/tools/demo.sh $(BUILD)

check: deps
	$(Q)$(MAKE) --no-print-directory run-tests

run-tests: all
	$(Q)tests/tools/run-tests.sh $(BUILD)

# Speed is measured here, never by timed tests; figures go to docs/benchmarks.md.
bench: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)bench/run.sh $(BUILD)

# ---- the interop lab (tests/interop/, docs/interop.md) --------------------

# The lab's Debian packages (QEMU, busybox, ppp, pptpd, pptp-linux, nftables)
# for make check and make interop, not for make demo.  Optional: without
# them the lab's tests say why they skip.
.PHONY: deps-interop interop run-interop captures
deps-interop: deps
	$(Q)tests/tools/deps.sh interop
check: deps-interop

interop: deps-interop
	$(Q)$(MAKE) --no-print-directory run-interop

run-interop: all
	$(Q)sh tests/interop/run.sh $(BUILD)

captures: deps-interop
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh tests/interop/make-captures.sh captures
	$(Q)sh tests/interop/t_captures.sh

# ---- fuzzing with libFuzzer (clang) ------------------------------------

FUZZ_BUILD  := build-fuzz
FUZZ_CFLAGS := -O1 -g -std=c11 -fno-omit-frame-pointer -Wall -Wextra -Wno-unused-parameter \
               -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_BINS := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)

$(FUZZ_BUILD)/lib/%.o: lib/%.c
	$(call quiet,CLANG,$<)
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(ALL_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/libpptp.a: $(FUZZ_LIB_OBJS)
	$(call quiet,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libpptp.a
	$(call quiet,CLANG,$@)
	$(Q)$(CLANG) $(ALL_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $(filter %.c,$^) \
		$(filter %.a,$^) $(LDLIBS)

$(FUZZ_BUILD)/fuzz_refserver: $(FUZZ_PROG_refserver)
$(FUZZ_BUILD)/fuzz_refserver: LDLIBS += $(PROG_LDLIBS_pptp-refserver)

fuzz-build: $(FUZZ_BINS)

fuzz: deps
	$(Q)$(MAKE) --no-print-directory fuzz-build
	$(Q)tests/tools/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_NAMES)

# ---- install -----------------------------------------------------------

install: $(LIB) $(PROG_BINS)
	$(Q)install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/pptp
	$(Q)install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/libpptp.a
	$(Q)for h in $(wildcard lib/*/*.h); do \
		install -D -m 644 $$h $(DESTDIR)$(PREFIX)/include/pptp/$${h#lib/}; done
	$(Q)for p in $(PROG_BINS); do install -D -m 755 $$p $(DESTDIR)$(SBINDIR)/$${p##*/}; done
	$(Q)for m in $(wildcard $(PROGRAMS:%=%/*.8)); do \
		install -D -m 644 $$m $(DESTDIR)$(MANDIR)/man8/$${m##*/}; done

clean:
	rm -rf build build-san $(BUILD) $(FUZZ_BUILD)

-include $(shell find $(BUILD) $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
