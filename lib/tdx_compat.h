/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types and helpers for code shared by the kernel modules and user space.
 * Files in lib/ include only this header (and each other), never a kernel
 * or libc header directly, so the same source compiles in both worlds.
 */
#ifndef TDX_COMPAT_H
#define TDX_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/export.h>
/* lib/ objects are linked into tdx_sys only; tdx_emu uses them as exports. */
#define TDX_EXPORT(sym)	EXPORT_SYMBOL_GPL(sym)
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <linux/types.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s64 s64;
#define TDX_EXPORT(sym)
#endif

#define TDX_SZ_4K	0x1000ULL
#define TDX_SZ_2M	0x200000ULL
#define TDX_SZ_1G	0x40000000ULL

/* Power-of-two alignment helpers (no overflow check: callers bound x). */
static inline u64 tdx_align_down(u64 x, u64 a)
{
	return x & ~(a - 1);
}

static inline u64 tdx_align_up(u64 x, u64 a)
{
	return (x + a - 1) & ~(a - 1);
}

static inline bool tdx_is_aligned(u64 x, u64 a)
{
	return !(x & (a - 1));
}

#endif /* TDX_COMPAT_H */
