# SPDX-License-Identifier: GPL-2.0
# tdxsys top-level Makefile. See README.md.

PREFIX ?= /usr
DESTDIR ?=
KVER ?= $(shell $(CURDIR)/scripts/kver.sh 2>/dev/null)
KDIR ?= /usr/src/linux-headers-$(KVER)
MODDIR := /lib/modules/$(KVER)/extra
DOCDIR := $(PREFIX)/share/doc/tdxsys
export TDXSYS_CACHE ?= /var/cache/tdxsys

KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR)

.PHONY: all modules tools install deps ensure-deps test test-unit test-vm \
	demo check bench bench-vm bench-udev clean

all: modules tools

modules:
	@test -n "$(KVER)" || { echo "no kernel headers: run 'make deps'" >&2; exit 1; }
	$(KMAKE) W=1 modules

tools:
	$(MAKE) -C tools

install: all
	install -d $(DESTDIR)$(MODDIR)
	install -m 0644 tdx_sys.ko tdx_emu.ko $(DESTDIR)$(MODDIR)/
	[ -n "$(DESTDIR)" ] || depmod -a $(KVER)
	$(MAKE) -C tools install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	install -d $(DESTDIR)$(DOCDIR)/ABI
	install -m 0644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 docs/ABI/testing/* $(DESTDIR)$(DOCDIR)/ABI/

deps:
	scripts/deps.sh

# test and demo install what is missing first, then re-enter make so KVER
# is computed with the headers in place.
ensure-deps:
	@scripts/deps.sh --check 2>/dev/null || scripts/deps.sh

test: ensure-deps
	@$(MAKE) --no-print-directory -s all >/dev/null
	@scripts/run-tests.sh

test-unit: tools
	scripts/run-tests.sh --unit-only

test-vm: all
	python3 tests/vm/tdxvm.py suite

demo: ensure-deps
	@$(MAKE) --no-print-directory -s all >/dev/null
	python3 tests/vm/tdxvm.py demo tests/demo/demo.sh

check: ensure-deps
	$(KMAKE) clean >/dev/null
	$(KMAKE) W=1 KCFLAGS=-Werror modules
	$(MAKE) -C tools clean all CFLAGS="-O2 -g -Wall -Wextra -Werror"
	scripts/checkpatch.sh kernel/*.c kernel/*.h emu/*.c emu/*.h emu/core/*.c \
		emu/core/*.h lib/*.c lib/*.h tools/*.c tools/*.h
	scripts/verify-units.sh

bench: tools
	$(MAKE) -C tests/bench run

# TDX initialization in the VM, serial vs. parallel TDH.SYS.TDMR.INIT: two
# boots (tests/bench/vm-init*.sh), then ms per GiB and the speedup
bench-vm: all
	@log=$$(mktemp); \
	{ python3 tests/vm/tdxvm.py suite tests/bench/vm-init-serial.sh \
		tests/bench/vm-init.sh; echo "rc=$$?"; } | tee $$log; \
	awk -f tests/bench/vm-init-report.awk $$log; rc=$$?; \
	rm -f $$log; exit $$rc

# udev rules in the VM, tdxsys against a plain online-everything rule in
# one boot: hot-add latency per block and a coldplug of 1024 blocks
# (tests/bench/udev-rules.sh), then medians, spread and their ratios
bench-udev: all
	@log=$$(mktemp); \
	{ python3 tests/vm/tdxvm.py suite tests/bench/udev-rules.sh; \
		echo "rc=$$?"; } | tee $$log; \
	awk -f tests/bench/udev-report.awk $$log; rc=$$?; \
	rm -f $$log; exit $$rc

clean:
	-$(KMAKE) clean
	$(MAKE) -C tools clean
	$(MAKE) -C tests/unit clean
	-$(MAKE) -C tests/bench clean
