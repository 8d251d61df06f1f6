/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of tdx_sys.ko, shared by its files.
 *
 * Locking (decided once, followed everywhere):
 *   cpus_read_lock() -> tdx.lock -> tdx.pub
 * tdx.lock serializes the provider, initialization, the memory notifier and
 * the CPU hotplug callback. Initialization holds cpus_read_lock() and
 * tdx.lock for its whole duration and never takes mem_hotplug_lock, so the
 * memory notifier (called under mem_hotplug_lock) can simply wait on
 * tdx.lock. tdx.pub guards what sysfs shows and is held only briefly, so
 * status stays readable while initialization runs.
 */
#ifndef TDX_SYS_H
#define TDX_SYS_H

#include <linux/bits.h>
#include <linux/cpumask.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "tdx_abi.h"
#include "tdx_layout.h"
#include "tdx_policy.h"
#include "tdx_provider.h"
#include "tdx_range.h"

#define TDX_ERR_LEN		1536
#define TDX_REASON_LEN		160
#define TDX_MEM_RANGES		512	/* online RAM ranges, merged */
#define TDX_INFLIGHT_RANGES	64

/* Host-side pseudo status: the CPU to run a SEAMCALL on was not online */
#define TDX_SC_NO_CPU		0xFFFF0000FFFF00FFULL
/* Host-side pseudo status: no memory for the SEAMCALL's buffers */
#define TDX_SC_NOMEM		0xFFFF0000FFFF00FEULL
/* Host-side pseudo status: rebooting or kexec, no SEAMCALL any more */
#define TDX_SC_STOPPING		0xFFFF0000FFFF00FAULL
/* Host-side pseudo statuses: VMX operation could not be entered */
#define TDX_SC_VMX_NONE		0xFFFF0000FFFF00FDULL	/* the CPU has no VMX */
#define TDX_SC_VMX_BIOS		0xFFFF0000FFFF00FCULL	/* IA32_FEATURE_CONTROL */
#define TDX_SC_VMX_FAIL		0xFFFF0000FFFF00FBULL	/* VMXON failed */

/* IA32_FEATURE_CONTROL: locked, VMX outside SMX allowed */
#define TDX_MSR_FEATURE_CONTROL	0x3a
#define TDX_FEAT_CTL_LOCKED	BIT_ULL(0)
#define TDX_FEAT_CTL_VMX	BIT_ULL(2)

/* The oldest module Linux can drive, and the feature it must have */
#define TDX_MIN_MAJOR		1
#define TDX_MIN_MINOR		5
#define TDX_FEATURES0_NO_RBP_MOD	BIT_ULL(18)
/* One KeyID for the module (PAMT), at least one for a TD */
#define TDX_MIN_KEYIDS		2

enum tdx_cover {
	TDX_COVER_PRESENT,	/* TDMRs cover the memory online at init */
	TDX_COVER_CMRS,		/* TDMRs cover all convertible memory */
};

/* The platform's logical CPUs as the BIOS enabled them (ACPI MADT). */
#define TDX_TOPO_SHOW_UNKNOWN	8
struct tdx_topo {
	struct cpumask cpus;		/* Linux CPUs that are platform CPUs */
	unsigned int nr_lps;		/* BIOS-enabled logical CPUs */
	unsigned int nr_unknown;	/* of those, without a Linux CPU */
	u32 unknown_apic[TDX_TOPO_SHOW_UNKNOWN];
	bool from_madt;			/* else Linux's present CPUs at probe */
};

struct tdx_meta {
	u32 attributes;
	u32 vendor_id;
	u32 build_date;
	u16 build_num;
	u16 major;
	u16 minor;
	u16 update;
	u16 num_pkgs;
	u64 features0;
	bool have_attributes;
	bool have_num_pkgs;
};

struct tdx_sys {
	struct mutex lock;		/* see the top of this file */
	struct mutex pub;

	/* Under lock */
	const struct tdx_provider *provider;
	bool sysinit_done;
	bool sysinit_found;		/* TDH.SYS.INIT was done before us */
	bool found_configured;		/* ... and TDH.SYS.CONFIG too */
	bool configured;		/* TDH.SYS.CONFIG succeeded: no way back */
	bool stopping;			/* reboot or kexec: no SEAMCALL any more */
	bool init_running;
	struct cpumask lp_done;		/* CPUs with LP.INIT done (or refused as done) */
	struct cpumask nonplatform_reported;
	struct tdx_topo topo;
	struct tdx_rangeset inflight;	/* approved by MEM_GOING_ONLINE, not yet online */
	struct tdx_range inflight_buf[TDX_INFLIGHT_RANGES];
	char hw_reason[TDX_REASON_LEN];	/* why the hardware provider is absent */

	/* Under lock for writing, pub for both */
	enum tdx_state state;
	u64 generation;			/* changes with the state, see tdx_set_state() */
	char provider_name[16];		/* "none" without a provider */
	char error[TDX_ERR_LEN];
	struct tdx_meta meta;
	struct tdx_limits limits;
	bool have_limits;		/* metadata read from the module */
	u32 keyid_min, keyid_max;	/* max < min: none */
	u32 global_keyid;		/* 0 until CONFIG */
	struct tdx_rangeset cmrs;		/* merged, for decisions */
	struct tdx_cmr_info cmr_raw[TDX_MAX_CMRS];	/* as reported */
	unsigned int nr_cmr_raw;
	struct tdx_range cmrs_buf[TDX_MAX_CMRS];
	struct tdx_rangeset nonconv;	/* online memory outside CMRs */
	struct tdx_range *nonconv_buf;
	struct tdx_rangeset tdx_mem;
	struct tdx_range *tdx_mem_buf;
	struct tdx_layout *layout;	/* published after a successful CONFIG */
	u64 progress_done;
	u64 progress_total;
	/* PAMT pages ever allocated and freed; the difference is held */
	u64 pamt_pages_allocated;
	u64 pamt_pages_freed;
	unsigned int cpus_platform;
	unsigned int cpus_done;
	bool pw_erratum;		/* partial writes to private memory poison it */
	bool can_reset;			/* the provider can reset PAMT (MOVDIR64B) */
};

extern struct tdx_sys tdx;
extern int tdx_param_cover;
extern bool tdx_param_any_before_init;

/* tdx_sys_main.c: state and error publication */
void tdx_set_state(enum tdx_state s);
__printf(1, 2) void tdx_err(const char *fmt, ...);
void tdx_clear_error(void);
void tdx_append_error(const char *s);
int tdx_format_ranges(char *buf, size_t len, const struct tdx_rangeset *rs,
		      const char *sep);

/* tdx_sys_seamcall.c */
u64 tdx_seamcall(u64 fn, struct tdx_module_args *args);
int tdx_check_vmx_allowed(void);
void tdx_flush_all_caches(void);
u64 tdx_seamcall_on(unsigned int cpu, u64 fn, struct tdx_module_args *args);
u64 tdx_seamcall_lp(u64 fn, struct tdx_module_args *args);
u64 tdx_seamcall_retry(unsigned int cpu, u64 fn, struct tdx_module_args *args);
void tdx_seamcall_error(u64 fn, u64 status, const char *context);
bool tdx_status_is(u64 status, u64 code);

/* tdx_sys_meta.c */
int tdx_read_metadata(void);
int tdx_read_keyids(void);

/* tdx_sys_topo.c */
int tdx_topo_read(struct tdx_topo *t);
bool tdx_topo_is_platform_cpu(unsigned int cpu);
int tdx_topo_check_complete(void);
int tdx_topo_check_packages(void);

/* tdx_sys_cpu.c */
int tdx_lp_init_local(void);
int tdx_lp_init_all(void);
int tdx_key_config_all(void);
int tdx_cpu_hp_setup(void);
void tdx_cpu_hp_remove(void);

/* tdx_sys_mem.c */
int tdx_online_memory(struct tdx_rangeset *out);
int tdx_update_nonconvertible(void);
int tdx_mem_notifier_register(void);
void tdx_mem_notifier_unregister(void);

/* tdx_sys_pamt.c */
int tdx_pamt_alloc_all(struct tdx_layout *l, const struct tdx_rangeset *ram);
void tdx_pamt_free_all(struct tdx_layout *l);
int tdx_pamt_nid(u64 pa);

/* tdx_sys_init.c */
int tdx_probe_provider(void);
int tdx_request_init(void);
void tdx_init_flush(void);

/* tdx_sys_sysfs.c */
int tdx_sysfs_init(void);
void tdx_sysfs_exit(void);
void tdx_uevent(enum tdx_state prev, enum tdx_state now);

/* tdx_sys_debugfs.c */
void tdx_debugfs_init(void);
void tdx_debugfs_exit(void);

/* tdx_sys_lifecycle.c */
extern const struct dev_pm_ops tdx_class_pm_ops;
bool tdx_cpu_has_pw_erratum(u32 family, u32 model);
void tdx_lifecycle_probe(void);
void tdx_lifecycle_provider(bool on);
const char *tdx_kexec_safety(void);
const char *tdx_kdump_safety(void);
const char *tdx_suspend_policy(void);
int tdx_lifecycle_init(void);
void tdx_lifecycle_exit(void);

/* tdx_hw.c: the hardware provider */
int tdx_hw_init(void);
void tdx_hw_exit(void);

#endif /* TDX_SYS_H */
