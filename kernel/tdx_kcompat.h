/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the kernels tdxsys is built for (Debian
 * 12's 6.1, Debian 13's 6.12), in one place: kernel/ and emu/ call these
 * wrappers instead of an API that changed, and no other file tests
 * LINUX_VERSION_CODE.  What user space sees (module parameters, sysfs,
 * configfs, uevents) is the same on every kernel.
 */
#ifndef TDX_KCOMPAT_H
#define TDX_KCOMPAT_H

#include <linux/device.h>
#include <linux/module.h>
#include <linux/version.h>

/* The kernel tdxsys is being built against is at least a.b.c. */
#define TDX_KERNEL_AT_LEAST(a, b, c) \
	(KERNEL_VERSION(a, b, c) <= LINUX_VERSION_CODE)

/* 6.4 dropped class_create()'s owner: the class core never used it. */
static inline struct class *tdx_class_create(const char *name)
{
#if TDX_KERNEL_AT_LEAST(6, 4, 0)
	return class_create(name);
#else
	return class_create(THIS_MODULE, name);
#endif
}

#endif /* TDX_KCOMPAT_H */
