# SPDX-License-Identifier: GPL-2.0
# tdxsys top-level Makefile. See README.md.

PREFIX ?= /usr
DESTDIR ?=
# On a host, modules are built for the running kernel.  The VM test bed
# chooses its own kernels (tests/vm/kernels.py) and passes KVER and KDIR.
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
MODDIR := /lib/modules/$(KVER)/extra
DOCDIR := $(PREFIX)/share/doc/tdxsys
DKMS_NAME := $(shell sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' dkms.conf)
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC := /usr/src/$(DKMS_NAME)-$(DKMS_VERSION)
export TDXSYS_CACHE ?= /var/cache/tdxsys
# make test|demo|check KERNELS="6.1 6.12": the bed's kernels (default all;
# demo boots the first)
ifdef KERNELS
export TDXSYS_KERNELS := $(KERNELS)
endif

KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR)

.PHONY: all modules headers tools install install-modules install-tools \
	dkms-src deps ensure-deps test test-unit test-vm test-debug demo check \
	bench bench-layout bench-vm bench-udev fuzz soak clean

all: modules tools

headers:
	@test -f $(KDIR)/Makefile || { echo "no kernel headers for $(KVER)" \
		"(looked in $(KDIR)): apt-get install linux-headers-$(KVER)" >&2; \
		exit 1; }

modules: headers
	$(KMAKE) W=1 modules

tools:
	$(MAKE) -C tools

install: install-modules install-tools

install-modules: modules
	install -d $(DESTDIR)$(MODDIR)
	install -m 0644 tdx_sys.ko tdx_emu.ko $(DESTDIR)$(MODDIR)/
	[ -n "$(DESTDIR)" ] || depmod -a $(KVER)

install-tools: tools
	$(MAKE) -C tools install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	install -d $(DESTDIR)$(DOCDIR)/ABI
	install -m 0644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 docs/ABI/testing/* $(DESTDIR)$(DOCDIR)/ABI/

# The module sources as DKMS wants them, /usr/src/<name>-<version>; then
# `dkms add <name>/<version>` and `dkms install <name>/<version>`.
dkms-src:
	install -d $(DESTDIR)$(DKMS_SRC)
	tar -cf - --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' \
		Kbuild dkms.conf kernel emu lib | tar -xf - -C $(DESTDIR)$(DKMS_SRC)

deps:
	scripts/deps.sh

# test, demo and check install what is missing first.
ensure-deps:
	@scripts/deps.sh --check 2>/dev/null || scripts/deps.sh

test: ensure-deps
	@scripts/run-tests.sh

test-unit: tools
	scripts/run-tests.sh --unit-only

test-vm: ensure-deps
	python3 tests/vm/tdxvm.py suite

# The whole VM suite on the debug kernel (lockdep, KASAN, kmemleak, UBSAN;
# tests/vm/debug-kernel/, built and cached on first use). Any report
# fails the boot. Not part of make test: see tests/vm/README.md.
test-debug: ensure-deps
	python3 tests/vm/tdxvm.py suite --kernels debug

demo: ensure-deps
	python3 tests/vm/tdxvm.py demo tests/demo/demo.sh

# W=1 -Werror module builds for every bed kernel (each with its release's
# compiler and headers), whatever the host runs.
check: ensure-deps
	python3 tests/vm/tdxvm.py check-build
	$(MAKE) -C tools clean all CFLAGS="-O2 -g -Wall -Wextra -Werror"
	scripts/checkpatch.sh kernel/*.c kernel/*.h emu/*.c emu/*.h emu/core/*.c \
		emu/core/*.h lib/*.c lib/*.h tools/*.c tools/*.h
	scripts/verify-units.sh

# Every benchmark: the layout over real memory maps (bench-layout), then
# the VM ones (bench-vm, bench-udev)
bench: bench-layout bench-vm bench-udev

bench-layout: tools
	$(MAKE) -C tests/bench run

# The concurrency soaks, longer than make test runs them: every count times
# SOAK_SCALE (default 5; 10 gives soak-reload 100 cycles), see tests/vm/README.md
soak: ensure-deps
	tests/vm/soak.sh

# Each libFuzzer harness (tests/fuzz) for FUZZ_SECONDS (default 120)
fuzz: ensure-deps
	$(MAKE) -C tests/fuzz run

# TDX initialization in the VM, serial vs. parallel TDH.SYS.TDMR.INIT: two
# boots (tests/bench/vm-init*.sh) on one kernel (the default one, or the
# first of KERNELS), then ms per GiB and the speedup
bench-vm: ensure-deps
	@log=$$(mktemp); \
	{ python3 tests/vm/tdxvm.py suite --kernels \
		"$$(python3 tests/vm/tdxvm.py kernels --names | head -n 1)" \
		tests/bench/vm-init-serial.sh \
		tests/bench/vm-init.sh; echo "rc=$$?"; } | tee $$log; \
	awk -f tests/bench/vm-init-report.awk $$log; rc=$$?; \
	rm -f $$log; exit $$rc

# udev rules in the VM, tdxsys against a plain online-everything rule in
# one boot: hot-add latency per block and a coldplug of 1024 blocks
# (tests/bench/udev-rules.sh), then medians, spread and their ratios
bench-udev: ensure-deps
	@log=$$(mktemp); \
	{ python3 tests/vm/tdxvm.py suite tests/bench/udev-rules.sh; \
		echo "rc=$$?"; } | tee $$log; \
	awk -f tests/bench/udev-report.awk $$log; rc=$$?; \
	rm -f $$log; exit $$rc

clean:
	find kernel emu lib \( -name '*.o' -o -name '.*.cmd' -o -name '*.mod' \
		-o -name '*.mod.c' \) -delete
	rm -f *.ko *.mod *.mod.c .*.cmd Module.symvers modules.order
	$(MAKE) -C tools clean
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/fuzz clean
	-$(MAKE) -C tests/bench clean
