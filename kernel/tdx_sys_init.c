// SPDX-License-Identifier: GPL-2.0
/*
 * The probe run when a provider registers (TDH.SYS.INIT, LP.INIT on one
 * CPU, metadata) and the initialization sequence run on request:
 * LP.INIT everywhere, TDX memory, TDMRs and PAMTs, TDH.SYS.CONFIG, WBINVD,
 * KEY.CONFIG per package, TDMR.INIT (TDMRs spread over the CPUs).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <asm/smp.h>

#include "tdx_status.h"
#include "tdx_sys.h"

#define TDX_REBOOT_NEEDED \
	"; the TDX module is configured and cannot be reset: reboot needed"

static void tdx_init_work_fn(struct work_struct *work);
static DECLARE_WORK(tdx_init_work, tdx_init_work_fn);

/* CPUs doing TDH.SYS.TDMR.INIT: 0 = every online one with LP.INIT */
static unsigned int tdx_param_init_threads;

static int tdx_init_threads_set(const char *val, const struct kernel_param *kp)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return param_set_uint(val, kp);
}

static const struct kernel_param_ops tdx_init_threads_ops = {
	.set = tdx_init_threads_set,
	.get = param_get_uint,
};

module_param_cb(tdmr_init_threads, &tdx_init_threads_ops,
		&tdx_param_init_threads, 0644);
MODULE_PARM_DESC(tdmr_init_threads,
		 "CPUs running TDH.SYS.TDMR.INIT in parallel, one TDMR each at a time: 0 (default) every online TDX platform CPU, 1 serial");

/* Error text for online memory the module cannot take. Under tdx.lock. */
static void tdx_report_nonconvertible(const struct tdx_rangeset *rs)
{
	static char list[TDX_ERR_LEN - 320];	/* under tdx.lock */

	tdx_format_ranges(list, sizeof(list), rs, ", ");
	tdx_err("memory outside convertible memory (CMRs) is online: %s; TDX cannot be initialized while the page allocator holds it: offline those memory blocks (e.g. chmem --disable <range>) and retry%s",
		list, READ_ONCE(tdx_param_any_before_init) ?
		" (before_init=any let it come online)" : "");
}

/*
 * The module was configured before this driver instance: by an earlier
 * kernel (kexec) or an earlier load of tdx_sys. Its TDMRs and PAMT are
 * unknown here, and the PAMT may be memory this kernel uses as RAM: TDX
 * is unusable until a firmware reset. Say exactly that. Under tdx.lock.
 */
static void tdx_report_found_configured(void)
{
	/* RCX = 1 is no TDMR base: SYS_NOT_READY before ready, else invalid */
	struct tdx_module_args a = { .rcx = 1 };
	u64 st = tdx_seamcall_retry(nr_cpu_ids, TDH_SYS_TDMR_INIT, &a);
	bool ready = !tdx_status_is(st, TDX_SYS_NOT_READY);

	tdx_err("found the TDX module already configured (TDH.SYS.CONFIG done by an earlier kernel or driver instance; module %s): this kernel does not know its TDMRs and PAMT, so TDX cannot be used until a reboot through firmware: reboot needed",
		ready ? "ready" : "not ready, key configuration or TDMR initialization unfinished");
}

/* Under cpus_read_lock() and tdx.lock with tdx.provider set. */
int tdx_probe_provider(void)
{
	struct tdx_module_args a = {};
	u64 st;
	int ret;

	ret = tdx_topo_read(&tdx.topo);
	if (ret) {
		tdx_err("cannot read the platform's CPUs (%d)", ret);
		return ret;
	}
	ret = tdx_check_vmx_allowed();
	if (ret)
		return ret;
	ret = tdx_read_keyids();
	if (ret)
		return ret;
	tdx_lifecycle_probe();
	tdx.found_configured = false;
	st = tdx_seamcall_retry(raw_smp_processor_id(), TDH_SYS_INIT, &a);
	tdx.sysinit_found = tdx_status_is(st, TDX_SYS_INIT_NOT_PENDING);
	if (tdx.sysinit_found) {
		pr_info("TDH.SYS.INIT was already done, by an earlier kernel or driver instance\n");
	} else if (tdx_status_is_error(st)) {
		tdx_seamcall_error(TDH_SYS_INIT, st, NULL);
		return -EIO;
	}
	tdx.sysinit_done = true;
	ret = tdx_lp_init_local();
	if (ret)
		return ret;
	ret = tdx_read_metadata();
	if (ret)
		return ret;
	if (tdx.found_configured) {
		tdx_report_found_configured();
		tdx_set_state(TDX_STATE_FAILED);
		return 0;
	}
	tdx_set_state(TDX_STATE_UNINITIALIZED);
	ret = tdx_update_nonconvertible();
	if (ret > 0)
		tdx_report_nonconvertible(&tdx.nonconv);
	/* Nothing here is fatal to the provider: initialization re-checks */
	return 0;
}

static int tdx_config(struct tdx_layout *l)
{
	struct tdx_tdmr_info **info;
	struct tdx_module_args a = {};
	u64 *pas, st;
	unsigned int i;
	int ret = -ENOMEM;

	BUILD_BUG_ON(sizeof(struct tdx_tdmr_info) != TDX_TDMR_INFO_SIZE);
	BUILD_BUG_ON(TDX_MAX_TDMRS * sizeof(u64) != TDX_TDMR_ARRAY_ALIGN);

	/* kmalloc(512) is 512-aligned: each TDMR_INFO and the PA array */
	info = kcalloc(l->nr, sizeof(*info), GFP_KERNEL);
	pas = kzalloc(TDX_TDMR_ARRAY_ALIGN, GFP_KERNEL);
	if (!info || !pas)
		goto out;
	for (i = 0; i < l->nr; i++) {
		info[i] = kzalloc(TDX_TDMR_INFO_ALIGN, GFP_KERNEL);
		if (!info[i])
			goto out;
		tdx_layout_to_info(l, i, info[i]);
		pas[i] = virt_to_phys(info[i]);
	}

	/* Taken before CONFIG so nothing can fail once the module owns PAMTs */
	if (!try_module_get(tdx.provider->owner)) {
		tdx_err("the %s provider's module is being removed",
			tdx.provider->name);
		ret = -ENODEV;
		goto out;
	}
	__module_get(THIS_MODULE);

	a.rcx = virt_to_phys(pas);
	a.rdx = l->nr;
	a.r8 = tdx.keyid_min;
	st = tdx_seamcall_retry(nr_cpu_ids, TDH_SYS_CONFIG, &a);
	if (tdx_status_is_error(st)) {
		tdx_seamcall_error(TDH_SYS_CONFIG, st, NULL);
		module_put(THIS_MODULE);
		module_put(tdx.provider->owner);
		ret = -EIO;
		goto out;
	}
	tdx.configured = true;
	mutex_lock(&tdx.pub);
	tdx.global_keyid = tdx.keyid_min;
	mutex_unlock(&tdx.pub);
	pr_info("TDH.SYS.CONFIG done: %u TDMRs, global KeyID %u\n", l->nr,
		tdx.keyid_min);
	ret = 0;
out:
	if (info)
		for (i = 0; i < l->nr; i++)
			kfree(info[i]);
	kfree(info);
	kfree(pas);
	return ret;
}

static void tdx_set_progress(u64 done, u64 total)
{
	mutex_lock(&tdx.pub);
	tdx.progress_done = done;
	tdx.progress_total = total;
	mutex_unlock(&tdx.pub);
}

/*
 * TDH.SYS.TDMR.INIT takes only a per-TDMR lock in the module, so TDMRs are
 * spread over CPUs: each helper, bound to its own CPU with LP.INIT done,
 * takes the next TDMR index until none is left. The first error wins and
 * the others stop at their next call. Helpers take neither tdx.lock nor
 * cpus_read_lock() (their caller holds both), only tdx.pub to publish.
 */
struct tdx_tdmr_job {
	const struct tdx_layout *l;
	u64 total;
	atomic_t next;		/* next TDMR index to take */
	atomic_t err;		/* first error, 0 while none */
	atomic64_t done;	/* bytes initialized over all TDMRs */
	atomic_t running;	/* helpers not finished, +1 for the caller */
	struct completion finished;
};

static void tdx_tdmr_progress(struct tdx_tdmr_job *job, u64 add)
{
	atomic64_add(add, &job->done);
	mutex_lock(&tdx.pub);
	/* Read under pub: what is published never goes backwards */
	tdx.progress_done = atomic64_read(&job->done);
	tdx.progress_total = job->total;
	mutex_unlock(&tdx.pub);
}

/* True for the first failure only: it alone is reported. */
static bool tdx_tdmr_first_error(struct tdx_tdmr_job *job)
{
	return atomic_cmpxchg(&job->err, 0, -EIO) == 0;
}

/*
 * No RDX progress for this many calls in a row means the module is stuck.
 * RDX moves in whole GiBs and the work per call is the module's choice
 * (4 MiB on 1.5, 16 MiB with Dynamic PAMT): allow one call per 4 KiB page
 * of a GiB, which no module can need, and never budget calls otherwise.
 */
#define TDX_TDMR_STUCK_CALLS	(SZ_1G / SZ_4K + 64)

/* Progress shown inside a GiB, where RDX does not move: an estimate. */
static u64 tdx_tdmr_estimate(u64 base_done, u64 calls, u64 per_call, u64 size)
{
	u64 est = base_done + calls * per_call;

	/* Never beyond the next GiB: RDX has not said so */
	return min3(est, ALIGN(base_done + 1, SZ_1G), size);
}

/* One TDMR until the module reports RDX == base + size. */
static int tdx_tdmr_init_one(struct tdx_tdmr_job *job, unsigned int i)
{
	const struct tdx_tdmr *t = &job->l->tdmr[i];
	u64 end = t->base + t->size, reported = 0, done = 0;
	u64 calls = 0, total_calls = 0, per_call = SZ_4M;

	for (;;) {
		struct tdx_module_args a = { .rcx = t->base };
		char ctx[64];
		u64 st, shown;

		if (atomic_read(&job->err))
			return -EIO;
		/* Any CPU: this one when it has LP.INIT, as helpers' CPUs do */
		st = tdx_seamcall_retry(nr_cpu_ids, TDH_SYS_TDMR_INIT, &a);
		if (tdx_status_is(st, TDX_TDMR_ALREADY_INITIALIZED))
			break;
		if (tdx_status_is_error(st)) {
			if (tdx_tdmr_first_error(job)) {
				scnprintf(ctx, sizeof(ctx),
					  "TDMR %u [0x%llx-0x%llx]", i,
					  t->base, end - 1);
				tdx_seamcall_error(TDH_SYS_TDMR_INIT, st, ctx);
			}
			return -EIO;
		}
		if (a.rdx == end)
			break;
		total_calls++;
		if (a.rdx < t->base || a.rdx > end) {
			if (tdx_tdmr_first_error(job))
				tdx_err("TDH.SYS.TDMR.INIT of TDMR %u [0x%llx-0x%llx] returned RDX 0x%llx outside the TDMR after %llu calls",
					i, t->base, end - 1, a.rdx, total_calls);
			return -EIO;
		}
		if (a.rdx - t->base > done) {
			/* Learn the module's step from a whole GiB */
			per_call = max_t(u64, (a.rdx - t->base - done) /
					 (calls + 1), SZ_4K);
			done = a.rdx - t->base;
			calls = 0;
		} else if (++calls > TDX_TDMR_STUCK_CALLS) {
			if (tdx_tdmr_first_error(job))
				tdx_err("TDH.SYS.TDMR.INIT of TDMR %u [0x%llx-0x%llx] made no progress in %llu calls (RDX stays 0x%llx): the TDX module is stuck",
					i, t->base, end - 1, calls, a.rdx);
			return -EIO;
		}
		shown = tdx_tdmr_estimate(done, calls, per_call, t->size);
		if (shown > reported) {
			tdx_tdmr_progress(job, shown - reported);
			reported = shown;
		}
		cond_resched();
	}
	tdx_tdmr_progress(job, t->size - reported);
	return 0;
}

/* Take TDMRs until none is left or one failed. */
static void tdx_tdmr_work(struct tdx_tdmr_job *job)
{
	unsigned int i;

	for (;;) {
		i = atomic_inc_return(&job->next) - 1;
		if (i >= job->l->nr || tdx_tdmr_init_one(job, i))
			break;
	}
}

static int tdx_tdmr_thread(void *data)
{
	struct tdx_tdmr_job *job = data;

	tdx_tdmr_work(job);
	if (atomic_dec_and_test(&job->running))
		complete(&job->finished);
	return 0;
}

/*
 * Start up to @want helpers on the CPUs with LP.INIT, one each; returns
 * how many run. Fewer (even none) when memory or threads run short: the
 * caller then does the work itself, so that is no failure.
 */
static unsigned int tdx_tdmr_start(struct tdx_tdmr_job *job,
				   struct task_struct **tasks,
				   const struct cpumask *cpus, unsigned int want)
{
	unsigned int cpu, n = 0;

	for_each_cpu(cpu, cpus) {
		struct task_struct *t;

		if (n == want)
			break;
		t = kthread_create(tdx_tdmr_thread, job, "tdx_tdmr/%u", cpu);
		if (IS_ERR(t)) {
			pr_warn("cannot start a TDMR.INIT thread on CPU %u (%ld)\n",
				cpu, PTR_ERR(t));
			break;
		}
		kthread_bind(t, cpu);
		/* Held so kthread_stop() can join a thread that has returned */
		get_task_struct(t);
		tasks[n++] = t;
		atomic_inc(&job->running);
		wake_up_process(t);
	}
	return n;
}

static int tdx_tdmr_init_all(const struct tdx_layout *l, u64 total)
{
	unsigned int want = READ_ONCE(tdx_param_init_threads), n = 0, i;
	struct task_struct **tasks = NULL;
	struct tdx_tdmr_job job = { .l = l, .total = total };
	cpumask_var_t cpus;
	ktime_t t0 = ktime_get();

	atomic_set(&job.next, 0);
	atomic_set(&job.err, 0);
	atomic64_set(&job.done, 0);
	atomic_set(&job.running, 1);
	init_completion(&job.finished);

	if (zalloc_cpumask_var(&cpus, GFP_KERNEL)) {
		/* Stable: hotplug is held off by cpus_read_lock() */
		cpumask_and(cpus, &tdx.lp_done, cpu_online_mask);
		if (!want || want > cpumask_weight(cpus))
			want = cpumask_weight(cpus);
		want = min(want, l->nr);
		if (want > 1)
			tasks = kcalloc(want, sizeof(*tasks), GFP_KERNEL);
		if (tasks)
			n = tdx_tdmr_start(&job, tasks, cpus, want);
		free_cpumask_var(cpus);
	}
	if (!n)
		tdx_tdmr_work(&job);

	/* Join: the helpers use @job, which lives on this stack */
	if (!atomic_dec_and_test(&job.running))
		/* In steps, so a long initialization is no hung task */
		while (!wait_for_completion_timeout(&job.finished, 10 * HZ))
			;
	for (i = 0; i < n; i++) {
		kthread_stop(tasks[i]);
		put_task_struct(tasks[i]);
	}
	kfree(tasks);
	if (!atomic_read(&job.err))
		pr_info("TDH.SYS.TDMR.INIT of %u TDMRs (%llu MiB) on %u CPU%s took %lld ms\n",
			l->nr, total >> 20, max(n, 1U), n > 1 ? "s" : "",
			ktime_ms_delta(ktime_get(), t0));
	return atomic_read(&job.err);
}

static int tdx_build_layout(struct tdx_layout *l, const struct tdx_rangeset *ram,
			    int cover)
{
	struct tdx_layout_error le = {};
	int ret;

	ret = tdx_layout_build(l, cover == TDX_COVER_CMRS ? &tdx.cmrs : ram,
			       &tdx.cmrs, &tdx.limits, &le);
	if (ret) {
		tdx_err("TDMR layout failed (%d): %s", ret, le.msg);
		return ret;
	}
	ret = tdx_pamt_alloc_all(l, ram);
	if (ret)
		return ret;
	ret = tdx_layout_add_pamts(l, &tdx.limits, &le);
	if (ret) {
		tdx_err("TDMR layout failed placing PAMTs (%d): %s", ret,
			le.msg);
		tdx_pamt_free_all(l);
	}
	return ret;
}

/* Online memory that is not convertible blocks initialization. */
static int tdx_check_ram(const struct tdx_rangeset *ram)
{
	unsigned int i;
	int n;

	for (i = 0; i < ram->nr; i++)
		if (!tdx_rs_contains(&tdx.cmrs, ram->r[i].start,
				     ram->r[i].end))
			break;
	if (i == ram->nr)
		return 0;
	n = tdx_update_nonconvertible();
	if (n > 0)
		tdx_report_nonconvertible(&tdx.nonconv);
	else if (!n)	/* raced with an offline: fine on retry */
		tdx_err("online memory changed during initialization; retry");
	return -EINVAL;
}

/*
 * The whole sequence. Returns 0 or a negative errno with tdx.error set;
 * tdx.configured tells whether the failure can be retried.
 */
static int tdx_do_init(void)
{
	int cover = READ_ONCE(tdx_param_cover);
	struct tdx_range *ram_buf;
	struct tdx_rangeset ram;
	struct tdx_layout *l;
	u64 total = 0;
	unsigned int i;
	int ret;

	ret = tdx_lp_init_all();
	if (ret)
		return ret;

	ram_buf = kcalloc(TDX_MEM_RANGES, sizeof(*ram_buf), GFP_KERNEL);
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!ram_buf || !l) {
		tdx_err("out of memory for the TDMR layout");
		ret = -ENOMEM;
		goto out_free;
	}
	tdx_rs_init(&ram, ram_buf, TDX_MEM_RANGES);
	ret = tdx_online_memory(&ram);
	if (ret)
		goto out_free;
	ret = tdx_check_ram(&ram);
	if (ret)
		goto out_free;
	mutex_lock(&tdx.pub);
	tdx_rs_clear(&tdx.nonconv);
	mutex_unlock(&tdx.pub);

	ret = tdx_build_layout(l, &ram, cover);
	if (ret)
		goto out_free;
	/* Last checks before the point of no return */
	ret = tdx_topo_check_packages();
	if (ret) {
		tdx_pamt_free_all(l);
		goto out_free;
	}
	for (i = 0; i < l->nr; i++)
		total += l->tdmr[i].size;
	pr_info("PAMT %llu KiB for %u TDMRs covering %llu MiB (tdmr_cover=%s, online memory %llu MiB)\n",
		tdx_layout_pamt_bytes(l) >> 10, l->nr, total >> 20,
		cover == TDX_COVER_CMRS ? "cmrs" : "present",
		tdx_rs_bytes(&ram) >> 20);
	tdx_set_progress(0, total);

	ret = tdx_config(l);
	if (ret) {
		tdx_pamt_free_all(l);
		goto out_free;
	}

	/* From here on the PAMTs belong to the module: publish, never free */
	mutex_lock(&tdx.pub);
	tdx.layout = l;
	ret = tdx_layout_tdx_memory(l, &tdx.cmrs, &tdx.tdx_mem);
	mutex_unlock(&tdx.pub);
	l = NULL;
	if (ret) {
		tdx_err("cannot describe TDX memory (%d)", ret);
		goto out_free;
	}

	/* No dirty line of a PAMT may be written back under the wrong key */
	tdx_flush_all_caches();
	ret = tdx_key_config_all();
	if (ret)
		goto out_free;
	ret = tdx_tdmr_init_all(tdx.layout, total);
	if (!ret)
		pr_info("TDX module initialized: %llu MiB of TDX memory, %llu KiB PAMT\n",
			tdx_rs_bytes(&tdx.tdx_mem) >> 20,
			tdx_layout_pamt_bytes(tdx.layout) >> 10);
out_free:
	kfree(l);
	kfree(ram_buf);
	return ret;
}

static void tdx_init_work_fn(struct work_struct *work)
{
	int ret;

	cpus_read_lock();
	mutex_lock(&tdx.lock);
	/* The provider may have gone while we were queued */
	if (tdx.state != TDX_STATE_INITIALIZING || !tdx.provider)
		goto out;
	if (READ_ONCE(tdx.stopping)) {
		tdx_err("initialization not started: the host is rebooting");
		tdx_set_state(TDX_STATE_UNINITIALIZED);
		goto out;
	}
	tdx.init_running = true;
	ret = tdx_do_init();
	tdx.init_running = false;
	if (!ret) {
		tdx_set_state(TDX_STATE_INITIALIZED);
	} else if (tdx.configured) {
		tdx_append_error(TDX_REBOOT_NEEDED);
		tdx_set_state(TDX_STATE_FAILED);
	} else {
		pr_err("initialization failed (%d); it can be retried\n", ret);
		tdx_set_state(TDX_STATE_UNINITIALIZED);
	}
out:
	mutex_unlock(&tdx.lock);
	cpus_read_unlock();
}

static bool tdx_initializing(void)
{
	bool busy;

	mutex_lock(&tdx.pub);
	busy = tdx.state == TDX_STATE_INITIALIZING;
	mutex_unlock(&tdx.pub);
	return busy;
}

/*
 * The sysfs request. Starts initialization in a worker and returns: the
 * state reads `initializing` until it ends and a uevent reports the end.
 */
int tdx_request_init(void)
{
	int ret = 0;

	/*
	 * The worker holds tdx.lock for the whole initialization (minutes on
	 * a large host): a request meanwhile answers EBUSY from the published
	 * state instead of waiting for the lock. Other holders are brief.
	 */
	while (!mutex_trylock(&tdx.lock)) {
		if (tdx_initializing())
			return -EBUSY;
		usleep_range(500, 1000);
	}
	switch (tdx.state) {
	case TDX_STATE_UNSUPPORTED:
		ret = -ENODEV;
		break;
	case TDX_STATE_INITIALIZING:
		ret = -EBUSY;
		break;
	case TDX_STATE_INITIALIZED:
		break;
	case TDX_STATE_FAILED:
		pr_err("initialization failed after TDH.SYS.CONFIG: reboot needed\n");
		ret = -EIO;
		break;
	default:
		tdx_clear_error();
		tdx_set_state(TDX_STATE_INITIALIZING);
		/*
		 * Unbound: initialization is CPU-bound for seconds and would
		 * stall every other work item of a per-CPU pool (ACPI hotplug
		 * notifications among them) until it ends.
		 */
		queue_work(system_unbound_wq, &tdx_init_work);
		break;
	}
	mutex_unlock(&tdx.lock);
	return ret;
}

void tdx_init_flush(void)
{
	flush_work(&tdx_init_work);
}
