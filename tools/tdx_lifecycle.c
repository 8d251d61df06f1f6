// SPDX-License-Identifier: GPL-2.0
/*
 * kexec, kdump and suspend with TDX on: reading tdx_sys's verdicts and
 * applying tdxsys.conf's policy for them. tdx_sys cannot make kexec safe
 * on a partial-write erratum CPU without MOVDIR64B, and nothing can act on
 * the crash path, so the policy lives here, in tdx-init.service's run.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdx_iomem.h"
#include "tdx_lifecycle.h"
#include "tdx_sysfs.h"
#include "tdx_util.h"

#define KEXEC_SYSCTL	"kernel.kexec_load_disabled"

#define KEXEC_UNSAFE_WHY \
	"this CPU has the partial-write erratum and no MOVDIR64B, so the PAMT cannot be reset to KeyID 0 before kexec and the next kernel could machine-check on it"
#define KEXEC_UNSAFE \
	"unsafe: partial-write erratum CPU without MOVDIR64B: the PAMT cannot be reset to KeyID 0 and the next kernel may machine-check on it"
#define KEXEC_SAFE \
	"safe: every CPU's caches are flushed after the last SEAMCALL"
#define KEXEC_SAFE_RESET \
	"safe: every CPU's caches are flushed and, on this partial-write erratum CPU, the PAMT is reset with MOVDIR64B"
#define KDUMP_UNSAFE \
	"unsafe: the crash path flushes no cache and resets no PAMT; on this partial-write erratum CPU the crash kernel may machine-check reading PAMT pages (/proc/vmcore), and the dump is lost"
#define KDUMP_SAFE_FOR_NOW \
	"safe for now: on this partial-write erratum CPU it becomes unsafe once the TDX module owns the PAMT (TDH.SYS.CONFIG)"
#define KDUMP_SAFE \
	"safe: the crash path flushes no cache and resets no PAMT, which this CPU (no partial-write erratum) survives; PAMT and TD pages in a dump are not readable data"
#define SUSPEND_REFUSED \
	"S3 and hibernation refused: the TDX module's keys and state would not survive them; s2idle allowed"
#define CRASH_LOADED_RISK \
	"a crash kernel is loaded (/sys/kernel/kexec_crash_loaded = 1) and this CPU has the partial-write erratum: once TDX is initialized the crash path resets no PAMT and a crash dump may machine-check on it"

static void read_word(const char *rel, char *buf, size_t len)
{
	if (tdx_sysfs_read(rel, buf, len) < 0)
		buf[0] = '\0';
}

/* A file holding "0" or "1": that value, else -1. */
static int read_flag(const char *path)
{
	char *text;
	int v = -1;

	if (tdx_read_file(path, &text))
		return -1;
	if (!strcmp(text, "0\n") || !strcmp(text, "0"))
		v = 0;
	else if (!strcmp(text, "1\n") || !strcmp(text, "1"))
		v = 1;
	free(text);
	return v;
}

static int proc_path(char *buf, size_t len, const char *rel)
{
	const char *root = tdx_proc_root();

	if (!root)
		return -ENOENT;
	if (snprintf(buf, len, "%s/%s", root, rel) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

static int sys_flag(const char *rel)
{
	char path[PATH_MAX];

	if (tdx_sysfs_path(path, sizeof(path), "%s", rel))
		return -1;
	return read_flag(path);
}

static int kexec_disabled(void)
{
	char path[PATH_MAX];

	if (proc_path(path, sizeof(path), TDX_KEXEC_DISABLED_FILE))
		return -1;
	return read_flag(path);
}

void tdx_lifecycle_read(struct tdx_lifecycle *l)
{
	read_word(TDX_FW_DIR "/kexec", l->kexec, sizeof(l->kexec));
	read_word(TDX_FW_DIR "/kdump", l->kdump, sizeof(l->kdump));
	read_word(TDX_FW_DIR "/suspend", l->suspend, sizeof(l->suspend));
	read_word(TDX_FW_DIR "/features0", l->features0,
		  sizeof(l->features0));
	l->erratum = sys_flag(TDX_FW_DIR "/partial_write_erratum");
	l->crash_loaded = sys_flag(TDX_CRASH_LOADED_FILE);
	l->kexec_disabled = kexec_disabled();
}

const char *tdx_kexec_text(const struct tdx_lifecycle *l)
{
	if (!strcmp(l->kexec, "unsafe"))
		return KEXEC_UNSAFE;
	if (strcmp(l->kexec, "safe"))
		return "unknown: tdx_sys does not say";
	return l->erratum == 1 ? KEXEC_SAFE_RESET : KEXEC_SAFE;
}

const char *tdx_kdump_text(const struct tdx_lifecycle *l, enum tdx_state s)
{
	if (!strcmp(l->kdump, "unsafe"))
		return KDUMP_UNSAFE;
	if (strcmp(l->kdump, "safe"))
		return "unknown: tdx_sys does not say";
	if (l->erratum == 1)
		return KDUMP_SAFE_FOR_NOW;
	if (s == TDX_STATE_INITIALIZED || s == TDX_STATE_FAILED)
		return KDUMP_SAFE;
	return "safe: the TDX module owns no memory yet";
}

const char *tdx_suspend_text(const struct tdx_lifecycle *l)
{
	if (!strcmp(l->suspend, "refused"))
		return SUSPEND_REFUSED;
	if (!strcmp(l->suspend, "allowed"))
		return "allowed: TDH.SYS.INIT has not run";
	return "unknown: tdx_sys does not say";
}

int tdx_lifecycle_before_init(const struct tdxsys_config *c)
{
	struct tdx_lifecycle l;

	tdx_lifecycle_read(&l);
	if (l.erratum != 1 || l.crash_loaded != 1)
		return 0;
	if (c->kdump == TDX_KDUMP_REFUSE) {
		tdxctl_err("refusing to initialize TDX: %s (kdump = refuse in %s); %s",
			   CRASH_LOADED_RISK, tdx_config_path(),
			   "unload it (kexec -p -u) or set kdump = warn");
		return -EPERM;
	}
	tdxctl_err("warning: %s (kdump = warn in %s; %s)", CRASH_LOADED_RISK,
		   tdx_config_path(),
		   "kdump = refuse refuses initialization instead");
	return 0;
}

int tdx_lifecycle_after_init(const struct tdxsys_config *c)
{
	char path[PATH_MAX];
	struct tdx_lifecycle l;
	FILE *f;
	int ret;

	tdx_lifecycle_read(&l);
	if (strcmp(l.kexec, "unsafe"))
		return 0;
	if (l.kexec_disabled == 1) {
		printf("kexec already disabled (%s = 1): %s\n", KEXEC_SYSCTL,
		       KEXEC_UNSAFE_WHY);
		return 0;
	}
	if (c->unsafe_kexec == TDX_KEXEC_ALLOW) {
		tdxctl_err("warning: kexec left enabled (unsafe_kexec = allow in %s) although %s",
			   tdx_config_path(), KEXEC_UNSAFE_WHY);
		return 0;
	}
	ret = proc_path(path, sizeof(path), TDX_KEXEC_DISABLED_FILE);
	if (!ret && l.kexec_disabled < 0) {
		printf("kexec is unsafe with TDX here, but this kernel cannot load one (no %s)\n",
		       KEXEC_SYSCTL);
		return 0;
	}
	if (!ret) {
		f = fopen(path, "w");
		if (!f)
			ret = -errno;
		else if (fputs("1\n", f) < 0 || fflush(f))
			ret = -errno;
		if (f && fclose(f) && !ret)
			ret = -errno;
	}
	if (ret) {
		tdxctl_err("TDX initialized, but kexec is unsafe and cannot be disabled: %s/%s: %s",
			   tdx_proc_root() ? tdx_proc_root() : "/proc",
			   TDX_KEXEC_DISABLED_FILE, strerror(-ret));
		return ret;
	}
	printf("kexec disabled (%s = 1) until reboot: %s (unsafe_kexec = disable in %s)\n",
	       KEXEC_SYSCTL, KEXEC_UNSAFE_WHY, tdx_config_path());
	return 0;
}
