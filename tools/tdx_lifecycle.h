/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's lifecycle with TDX on, as tdxctl sees and polices it: whether
 * kexec and kdump are safe and S3/hibernation refused (tdx_sys says, in
 * /sys/firmware/tdx), what that costs the operator, and what
 * tdx-init.service does about it (tdxsys.conf's unsafe_kexec and kdump).
 */
#ifndef TDXCTL_LIFECYCLE_H
#define TDXCTL_LIFECYCLE_H

#include "tdx_config.h"
#include "tdx_policy.h"

#define TDX_KEXEC_DISABLED_FILE	"sys/kernel/kexec_load_disabled"	/* in /proc */
#define TDX_CRASH_LOADED_FILE	"kernel/kexec_crash_loaded"		/* in /sys */

struct tdx_lifecycle {
	char kexec[16];		/* firmware/tdx/kexec: "safe", "unsafe", "" */
	char kdump[16];		/* firmware/tdx/kdump */
	char suspend[16];	/* firmware/tdx/suspend: "refused", "allowed" */
	char features0[32];
	int erratum;		/* partial_write_erratum; -1: not said */
	int crash_loaded;	/* kexec_crash_loaded; -1: no kexec here */
	int kexec_disabled;	/* kernel.kexec_load_disabled; -1: unknown */
};

/* Best effort: what is missing reads "" or -1. */
void tdx_lifecycle_read(struct tdx_lifecycle *l);

/* One-line explanations for tdxctl status (kdump's depends on the state). */
const char *tdx_kexec_text(const struct tdx_lifecycle *l);
const char *tdx_kdump_text(const struct tdx_lifecycle *l, enum tdx_state s);
const char *tdx_suspend_text(const struct tdx_lifecycle *l);

/*
 * Before tdxctl init starts initialization: on an erratum CPU with a crash
 * kernel loaded, warn (kdump = warn) or refuse (kdump = refuse, then
 * -EPERM). Prints its log line.
 */
int tdx_lifecycle_before_init(const struct tdxsys_config *c);

/*
 * Once TDX is initialized: where tdx_sys says kexec is unsafe, set
 * kernel.kexec_load_disabled = 1 (unsafe_kexec = disable) or warn
 * (allow). Prints its log line; -errno when the write failed.
 */
int tdx_lifecycle_after_init(const struct tdxsys_config *c);

#endif /* TDXCTL_LIFECYCLE_H */
