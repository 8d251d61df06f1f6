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
#include <linux/syscore_ops.h>
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

/*
 * System core hooks. Upstream 6.18 registers a struct syscore (ops plus a
 * data pointer passed to each callback) instead of the ops themselves;
 * Debian's 6.12 carries that change too, so Kbuild probes the header
 * (TDX_HAVE_SYSCORE_STRUCT) rather than trusting the version. Callbacks
 * take TDX_SYSCORE_ARG; TDX_SYSCORE() defines what gets registered.
 */
#ifdef TDX_HAVE_SYSCORE_STRUCT
#define TDX_SYSCORE_ARG	void *data
#define TDX_SYSCORE(name, _suspend, _shutdown)				\
	static const struct syscore_ops name##_ops = {			\
		.suspend = _suspend,					\
		.shutdown = _shutdown,					\
	};								\
	static struct syscore name = { .ops = &name##_ops }
#define tdx_register_syscore(s)		register_syscore(s)
#define tdx_unregister_syscore(s)	unregister_syscore(s)
#else
#define TDX_SYSCORE_ARG	void
#define TDX_SYSCORE(name, _suspend, _shutdown)				\
	static struct syscore_ops name = {				\
		.suspend = _suspend,					\
		.shutdown = _shutdown,					\
	}
#define tdx_register_syscore(s)		register_syscore_ops(s)
#define tdx_unregister_syscore(s)	unregister_syscore_ops(s)
#endif

#endif /* TDX_KCOMPAT_H */
