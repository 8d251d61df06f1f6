// SPDX-License-Identifier: GPL-2.0
/*
 * tdx_emu.ko: an emulated TDX module and platform for testing tdx_sys
 * without TDX hardware, in the manner of nfit_test. The platform is
 * described through configfs (/sys/kernel/config/tdx_emu); writing 1 to
 * "attached" registers the emulator as tdx_sys's SEAMCALL provider.
 *
 * Like the real module, whose state lives in SEAMRR until a firmware
 * reset, the emulated module keeps its state across detach/attach, across
 * tdx_sys and tdx_emu reloads and across kexec - the last two when given
 * reserved memory to keep it in (persist=) - and only a platform reset
 * (configfs "reset", or a reboot) powers it on afresh.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/syscore_ops.h>
#include "tdx_kcompat.h"
#include "tdx_provider.h"
#include "tdx_emu.h"
#include "tdx_emu_bios.h"
#include "tdx_emu_check.h"

struct tdx_emu_platform tdx_emu_plat = {
	.lock = __MUTEX_INITIALIZER(tdx_emu_plat.lock),
	/* A TDX host: VMX allowed and locked by the BIOS; MOVDIR64B */
	.feature_control = TDX_EMU_FEAT_CTL_LOCKED | TDX_EMU_FEAT_CTL_VMX,
	.movdir64b = true,
};

static unsigned long persist;
module_param(persist, ulong, 0400);	/* a physical address: root only */
MODULE_PARM_DESC(persist,
		 "Physical address of 2 MiB of reserved memory (memmap=2M$ADDR) that keeps the module's state across tdx_emu reloads and kexec, as SEAMRR keeps the real module's; 0 (default): the state lives as long as tdx_emu");

#define EMU_PERSIST_SIZE	SZ_2M

/* What one kernel leaves the next one (kexec), besides the module. */
struct emu_handoff {
	u32 cpus_dirty;		/* ran a SEAMCALL since their last flush */
	u32 pw_erratum;
	u64 pamt_bytes;		/* PAMT the module owned */
	u64 pamt_reset_bytes;	/* of which reset with MOVDIR64B */
};

/* The persistent region: the module, then the platform's settings. */
struct emu_persist {
	struct tdx_emu emu;
	u64 feature_control;
	u8 cmrs_set, cpus_set, movdir64b;
	struct emu_handoff handoff;
};

static struct emu_persist *emu_store;
static bool emu_kexec;
static struct emu_handoff emu_prev;	/* what the previous kernel left */
static bool emu_have_prev;

static int emu_state(void)
{
	return READ_ONCE(tdx_emu_plat.emu.sys_state);
}

/* The module still at power-on: the platform may still be reconfigured. */
bool tdx_emu_fresh(void)
{
	return emu_state() == TDX_EMU_SYSINIT_PENDING;
}

/*
 * The instruction: #UD outside VMX operation, then the module. Around it,
 * what the CPUs' caches hold: from CONFIG on the module writes with its
 * private KeyID, and KEY.CONFIG should find every CPU flushed since CONFIG.
 */
static u64 emu_seamcall(u64 fn, struct tdx_module_args *args)
{
	struct tdx_emu_regs r = {
		.rcx = args->rcx, .rdx = args->rdx, .r8 = args->r8,
		.r9 = args->r9, .r10 = args->r10, .r11 = args->r11,
	};
	u64 leaf = fn & 0xffff, st;
	int before, after;

	if (!tdx_emu_vmx_on())
		return TDX_SEAMCALL_UD;
	before = emu_state();
	if (leaf == TDH_SYS_KEY_CONFIG && before == TDX_EMU_SYSCONFIG_DONE &&
	    tdx_emu_cpus_kid0_dirty())
		atomic64_inc(&tdx_emu_cpu_stats.key_config_unflushed);
	st = tdx_emu_seamcall(&tdx_emu_plat.emu, fn, &r);
	after = emu_state();
	if (leaf == TDH_SYS_CONFIG && before < TDX_EMU_SYSCONFIG_DONE &&
	    after >= TDX_EMU_SYSCONFIG_DONE) {
		tdx_emu_cpu_configured();
		tdx_emu_private_configured();
	}
	tdx_emu_cpu_after_call(leaf, st, before, after);

	args->rcx = r.rcx;
	args->rdx = r.rdx;
	args->r8 = r.r8;
	args->r9 = r.r9;
	args->r10 = r.r10;
	args->r11 = r.r11;
	return st;
}

static int emu_rdmsr(u32 msr, u64 *val)
{
	if (msr == TDX_EMU_MSR_FEATURE_CONTROL) {
		*val = READ_ONCE(tdx_emu_plat.feature_control);
		return 0;
	}
	return tdx_emu_rdmsr(&tdx_emu_plat.emu, msr, val);
}

static void emu_cpu_model(u32 *family, u32 *model)
{
	tdx_emu_fms_decode(READ_ONCE(tdx_emu_plat.emu.cfg.cpu_fms), family,
			   model);
}

/* Bytes of [pa, pa + size) inside the PAMT the module owns. */
static u64 emu_pamt_overlap(u64 pa, u64 size)
{
	const struct tdx_emu *e = &tdx_emu_plat.emu;
	u64 n = 0, b, s, lo, hi;
	unsigned int i, lvl;

	if (emu_state() < TDX_EMU_SYSCONFIG_DONE)
		return 0;
	for (i = 0; i < e->nr_tdmrs; i++) {
		for (lvl = 0; lvl < 3; lvl++) {
			tdx_emu_pamt_of(&e->tdmrs[i], lvl, &b, &s);
			lo = max(b, pa);
			hi = min(b + s, pa + size);
			if (lo < hi)
				n += hi - lo;
		}
	}
	return n;
}

/*
 * MOVDIR64B with KeyID 0 over the range: 64-byte zero writes, as the real
 * instruction leaves it. Asking for nothing says whether the CPU has it.
 */
static int emu_reset_memory(u64 pa, u64 size)
{
	static const u8 zero[64];
	u64 p;

	if (!READ_ONCE(tdx_emu_plat.movdir64b))
		return -EOPNOTSUPP;
	if (!IS_ALIGNED(pa, 64) || !IS_ALIGNED(size, 64))
		return -EINVAL;
	for (p = pa; p < pa + size; p += sizeof(zero)) {
		if (tdx_emu_kernel_ops.write(NULL, p, zero, sizeof(zero)))
			return -EFAULT;
		if (!(p & (SZ_2M - 1)))
			cond_resched();
	}
	atomic64_add(emu_pamt_overlap(pa, size),
		     &tdx_emu_cpu_stats.pamt_reset_bytes);
	return 0;
}

static const struct tdx_provider emu_provider = {
	.name = "emulated",
	.owner = THIS_MODULE,
	.seamcall = emu_seamcall,
	.vmx_enter = tdx_emu_vmx_enter,
	.vmx_leave = tdx_emu_vmx_leave,
	.flush_cache = tdx_emu_flush_cache,
	.reset_memory = emu_reset_memory,
	.rdmsr = emu_rdmsr,
	.cpu_model = emu_cpu_model,
};

/*
 * The platform as it booted: the BIOS's CMRs and CPUs unless configured.
 * Only while the module is at power-on: afterwards they are facts it
 * sampled. Called with tdx_emu_plat.lock held.
 */
static int emu_boot_platform(void)
{
	struct tdx_emu_platform *p = &tdx_emu_plat;
	struct tdx_emu_config *c = &p->emu.cfg;
	int ret;

	if (!tdx_emu_fresh())
		return 0;
	if (!p->cmrs_set) {
		ret = tdx_emu_firmware_cmrs(c->cmrs, &c->nr_cmrs);
		if (ret)
			return ret;
	}
	if (!p->cpus_set) {
		ret = tdx_emu_firmware_lps(c->lps, &c->nr_lps);
		if (ret)
			return ret;
	}
	c->keyid_bits = tdx_emu_keyid_bits(c->num_mktme_keyids,
					   c->num_tdx_keyids);
	if (tdx_emu_config_check(c)) {
		pr_warn("attach refused: inconsistent platform configuration\n");
		return -EINVAL;
	}
	return 0;
}

/* Called with tdx_emu_plat.lock held. */
int tdx_emu_attach(void)
{
	struct tdx_emu_platform *p = &tdx_emu_plat;
	struct tdx_emu_config *c = &p->emu.cfg;
	int ret;

	if (p->attached)
		return 0;
	ret = emu_boot_platform();
	if (ret)
		return ret;
	p->attached = true;
	ret = tdx_provider_register(&emu_provider);
	if (ret) {
		p->attached = false;
		pr_warn("attach failed: tdx_provider_register: %d\n", ret);
		return ret;
	}
	pr_info("attached: %u CPUs in %u packages, %u CMRs, TDX module %u.%u.%u in %s\n",
		c->nr_lps, tdx_emu_platform_pkgs(c), c->nr_cmrs,
		c->major, c->minor, c->update,
		tdx_emu_state_name(emu_state()));
	return 0;
}

/* Called with tdx_emu_plat.lock held. */
int tdx_emu_detach(void)
{
	int ret;

	if (!tdx_emu_plat.attached)
		return 0;
	ret = tdx_provider_unregister(&emu_provider);
	if (ret) {
		pr_warn("detach refused (%d): the host configured the module, its PAMT stays in use until reboot\n",
			ret);
		return ret;
	}
	tdx_emu_plat.attached = false;
	pr_info("detached; the module stays %s until a platform reset\n",
		tdx_emu_state_name(emu_state()));
	return 0;
}

/*
 * A firmware reset: the module powers on, the CPUs leave VMX and forget
 * their caches. Detached only. Called with tdx_emu_plat.lock held.
 */
int tdx_emu_platform_reset(void)
{
	if (tdx_emu_plat.attached)
		return -EBUSY;
	tdx_emu_private_reset();
	tdx_emu_reset(&tdx_emu_plat.emu);
	tdx_emu_cpu_reset();
	tdx_emu_plat.resumed = false;
	emu_have_prev = false;
	memset(&emu_prev, 0, sizeof(emu_prev));
	pr_info("platform reset: the module is powered on afresh\n");
	return 0;
}

/* ---- persistence across tdx_emu reloads and kexec ---- */

static void emu_handoff_now(struct emu_handoff *h)
{
	u32 family, model;

	emu_cpu_model(&family, &model);
	h->cpus_dirty = tdx_emu_cpus_dirty();
	h->pw_erratum = tdx_emu_cpu_has_pw_erratum(family, model);
	h->pamt_bytes = emu_pamt_overlap(0, ~0ULL >> 12);
	h->pamt_reset_bytes = atomic64_read(&tdx_emu_cpu_stats.pamt_reset_bytes);
}

static void emu_save(void)
{
	struct tdx_emu_platform *p = &tdx_emu_plat;

	if (!emu_store)
		return;
	memcpy(&emu_store->emu, &p->emu, sizeof(p->emu));
	emu_store->feature_control = p->feature_control;
	emu_store->cmrs_set = p->cmrs_set;
	emu_store->cpus_set = p->cpus_set;
	emu_store->movdir64b = p->movdir64b;
	emu_handoff_now(&emu_store->handoff);
}

/* Take over the module a previous kernel or tdx_emu instance left. */
static void emu_restore(void)
{
	struct tdx_emu_platform *p = &tdx_emu_plat;

	memcpy(&p->emu, &emu_store->emu, sizeof(p->emu));
	if (tdx_emu_resume(&p->emu, &tdx_emu_kernel_ops, NULL)) {
		/* Nothing (valid) there: a platform that just powered on */
		tdx_emu_config_default(&p->emu.cfg);
		tdx_emu_init(&p->emu, &tdx_emu_kernel_ops, NULL);
		return;
	}
	p->feature_control = emu_store->feature_control;
	p->cmrs_set = emu_store->cmrs_set;
	p->cpus_set = emu_store->cpus_set;
	p->movdir64b = emu_store->movdir64b;
	p->resumed = true;
	emu_prev = emu_store->handoff;
	emu_have_prev = true;
	pr_info("resumed the module state left in reserved memory: %s\n",
		tdx_emu_state_name(emu_state()));
	if (emu_prev.cpus_dirty)
		pr_warn("the previous kernel left %u CPUs with unflushed caches after its last SEAMCALL\n",
			emu_prev.cpus_dirty);
	if (emu_prev.pw_erratum && emu_prev.pamt_reset_bytes < emu_prev.pamt_bytes)
		pr_warn("the previous kernel left %llu KiB of PAMT not reset on a partial-write erratum CPU: this kernel may machine-check on it\n",
			(emu_prev.pamt_bytes - emu_prev.pamt_reset_bytes) >> 10);
	/* Consumed: a crash from here on must not resume stale state */
	emu_store->emu.hdr.magic = 0;
}

static const char *emu_prev_verdict(void)
{
	if (!emu_have_prev)
		return "none";
	if (emu_prev.cpus_dirty)
		return "unsafe (caches not flushed)";
	if (emu_prev.pw_erratum && emu_prev.pamt_reset_bytes < emu_prev.pamt_bytes)
		return "unsafe (PAMT not reset)";
	return "safe";
}

/* For configfs: what the previous kernel left, one line. */
int tdx_emu_handoff_format(char *buf, size_t len)
{
	return scnprintf(buf, len,
			 "previous_kernel: %s cpus_dirty=%u pamt_bytes=%llu pamt_reset_bytes=%llu\n",
			 emu_prev_verdict(), emu_prev.cpus_dirty,
			 emu_prev.pamt_bytes, emu_prev.pamt_reset_bytes);
}

/*
 * The platform's view of the host going away, taken after every other
 * reboot notifier (tdx_sys's runs first and ends SEAMCALLs): the verdict
 * on what the host left and, on kexec, the module for the next kernel; a
 * reboot resets the platform, so nothing is kept then. 6.1's kexec runs
 * no syscore hook, so this is the last point every kernel reaches.
 */
static int emu_reboot_cb(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	struct emu_handoff h;

	/* kernel_kexec() passes this to the reboot notifiers */
	emu_kexec = action == SYS_RESTART && data &&
		    !strcmp(data, "kexec reboot");
	emu_handoff_now(&h);
	if (emu_state() > TDX_EMU_SYSINIT_PENDING)
		pr_info("%s: %u CPUs with caches not flushed after the last SEAMCALL; PAMT %llu KiB, reset %llu KiB (partial-write erratum: %s)\n",
			emu_kexec ? "kexec" : "reboot", h.cpus_dirty,
			h.pamt_bytes >> 10, h.pamt_reset_bytes >> 10,
			h.pw_erratum ? "yes" : "no");
	if (emu_store) {
		if (emu_kexec)
			emu_save();
		else
			emu_store->emu.hdr.magic = 0;
	}
	return NOTIFY_DONE;
}

static struct notifier_block emu_reboot_nb = {
	.notifier_call = emu_reboot_cb,
	.priority = INT_MIN,
};

/* Where the kernel has a later hook (syscore, 6.7+ kexec): look again. */
static void emu_syscore_shutdown(TDX_SYSCORE_ARG)
{
	if (emu_store && emu_kexec)
		emu_save();
}

TDX_SYSCORE(emu_syscore, NULL, emu_syscore_shutdown);

static int emu_persist_init(void)
{
	if (!persist)
		return 0;
	if (!IS_ALIGNED(persist, PAGE_SIZE) ||
	    sizeof(struct emu_persist) > EMU_PERSIST_SIZE) {
		pr_err("persist=0x%lx: not page aligned (or the state outgrew 2 MiB)\n",
		       persist);
		return -EINVAL;
	}
	/* Reserved memory (memmap=), never RAM the kernel hands out */
	if (region_intersects(persist, EMU_PERSIST_SIZE, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("persist=0x%lx: not reserved memory (boot with memmap=2M$0x%lx)\n",
		       persist, persist);
		return -EINVAL;
	}
	emu_store = memremap(persist, EMU_PERSIST_SIZE, MEMREMAP_WB);
	if (!emu_store) {
		pr_err("persist=0x%lx: cannot map it\n", persist);
		return -ENOMEM;
	}
	return 0;
}

static int __init tdx_emu_init_module(void)
{
	int ret;

	tdx_emu_locks_init();
	ret = emu_persist_init();
	if (ret)
		return ret;
	if (emu_store) {
		emu_restore();
	} else {
		tdx_emu_config_default(&tdx_emu_plat.emu.cfg);
		tdx_emu_init(&tdx_emu_plat.emu, &tdx_emu_kernel_ops, NULL);
	}
	tdx_register_syscore(&emu_syscore);
	ret = register_reboot_notifier(&emu_reboot_nb);
	if (ret)
		goto err_syscore;
	ret = tdx_emu_configfs_init();
	if (ret) {
		pr_err("configfs registration failed: %d\n", ret);
		goto err_reboot;
	}
	return 0;

err_reboot:
	unregister_reboot_notifier(&emu_reboot_nb);
err_syscore:
	tdx_unregister_syscore(&emu_syscore);
	if (emu_store)
		memunmap(emu_store);
	return ret;
}

static void __exit tdx_emu_exit_module(void)
{
	tdx_emu_configfs_exit();
	unregister_reboot_notifier(&emu_reboot_nb);
	tdx_unregister_syscore(&emu_syscore);
	tdx_emu_cpu_exit();
	mutex_lock(&tdx_emu_plat.lock);
	/* tdx_sys pins this module while configured, so this succeeds */
	WARN_ON(tdx_emu_detach());
	emu_save();
	/* Unpinned by tdx_sys only before CONFIG or after a reset */
	tdx_emu_private_reset();
	mutex_unlock(&tdx_emu_plat.lock);
	if (emu_store)
		memunmap(emu_store);
}

module_init(tdx_emu_init_module);
module_exit(tdx_emu_exit_module);
MODULE_DESCRIPTION("Emulated Intel TDX module and platform (configfs-configured test platform)");
MODULE_LICENSE("GPL");
