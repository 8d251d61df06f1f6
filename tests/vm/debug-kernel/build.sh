#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the VM test bed's debug kernel (lockdep, KASAN, kmemleak, UBSAN...)
# from Debian's linux-source-6.1 into OUT:
#   OUT/boot/vmlinuz-KVER, OUT/boot/config-KVER, OUT/boot/System.map-KVER
#   OUT/lib/modules/KVER/   the kernel's modules (modules_install)
#   OUT/kbuild/             a kbuild tree for `make -C OUT/kbuild M=...`
#   OUT/kver                the kernel release
# Config: `make tinyconfig` + config.fragment (next to this script); the
# build fails when a fragment line did not survive olddefconfig.
# Usage: build.sh OUT [JOBS]      (tests/vm/tdxvm.py caches OUT)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: build.sh OUT [JOBS]}
jobs=${2:-$(nproc)}
tarball=${TDXSYS_LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
frag=$here/config.fragment
kmake=(make -s ARCH=x86_64 -j"$jobs")

[ -f "$tarball" ] || { echo "no $tarball (run make deps)" >&2; exit 1; }
mkdir -p "$out/kbuild" "$out/boot"
out=$(cd "$out" && pwd)
src=$out/kbuild

t0=$(date +%s)
tar -xf "$tarball" -C "$src" --strip-components=1
cd "$src"
echo "# unpacked $(basename "$tarball") in $(($(date +%s) - t0)) s"

"${kmake[@]}" tinyconfig >/dev/null
scripts/kconfig/merge_config.sh -m -O . .config "$frag" >/dev/null
"${kmake[@]}" olddefconfig
# Every fragment line must hold in the final config (a dependency that
# is not met drops an option silently).
awk '
	FNR == NR {
		if (match($0, /^CONFIG_[A-Za-z0-9_]+=/))
			want[substr($0, 1, RLENGTH - 1)] = substr($0, RLENGTH + 1)
		else if ($0 ~ /^# CONFIG_[A-Za-z0-9_]+ is not set$/)
			want[$2] = "n"
		next
	}
	match($0, /^CONFIG_[A-Za-z0-9_]+=/) {
		got[substr($0, 1, RLENGTH - 1)] = substr($0, RLENGTH + 1)
	}
	END {
		bad = 0
		for (k in want) {
			g = (k in got) ? got[k] : "n"
			if (g != want[k]) {
				printf "config.fragment: %s=%s, but the config has %s\n",
					k, want[k], g > "/dev/stderr"
				bad = 1
			}
		}
		exit bad
	}' "$frag" .config

t1=$(date +%s)
"${kmake[@]}" bzImage modules
kver=$("${kmake[@]}" kernelrelease)
echo "# built $kver (bzImage + modules, -j$jobs) in $(($(date +%s) - t1)) s"

"${kmake[@]}" INSTALL_MOD_PATH="$out" modules_install
rm -f "$out/lib/modules/$kver/build" "$out/lib/modules/$kver/source"
cp arch/x86/boot/bzImage "$out/boot/vmlinuz-$kver"
cp .config "$out/boot/config-$kver"
cp System.map "$out/boot/System.map-$kver"
echo "$kver" >"$out/kver"

# Keep only what out-of-tree module builds read (headers, Makefiles,
# Kconfig, scripts and host tools, generated files, Module.symvers),
# as Debian's linux-headers packages do.
rm -rf Documentation samples LICENSES vmlinux vmlinux.o .tmp_vmlinux* \
	arch/x86/boot/bzImage arch/x86/boot/*.bin arch/x86/boot/compressed/vmlinux*
find . -path ./scripts -prune -o -path ./tools -prune -o -type f \
	\( -name '*.[coSa]' -o -name '*.ko' -o -name '*.mod' -o -name '*.cmd' \
	-o -name '*.rst' -o -name '*.txt' -o -name '.*.d' \) -print0 |
	xargs -0 rm -f
find tools -mindepth 1 -maxdepth 1 ! -name objtool ! -name include \
	! -name arch ! -name scripts ! -name build -exec rm -rf {} +
find tools -name '*.o' -delete
find . -type d -empty -delete
echo "# kbuild tree: $(du -sh . | cut -f1), total $(du -sh "$out" | cut -f1)"
