// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel side of the emulator's ops: physical memory the host names
 * by address, the calling CPU, the module's try-locks and the per-call
 * busy-wait. The host is not trusted: a PA must be online memory, and the
 * copy itself tolerates faults, so a garbage address yields an error
 * status instead of an oops.
 */
#include <linux/mm.h>
#include <linux/memory_hotplug.h>
#include <linux/uaccess.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/smp.h>
#include "tdx_emu.h"

/*
 * The module's locks. SEAMCALLs run with interrupts off, some in IPIs, and
 * configfs reads take the same locks from process context: every lock is
 * taken with interrupts off, the saved flags kept with the lock (per CPU
 * for the shared global lock, which several CPUs can hold at once).
 */
static DEFINE_RWLOCK(emu_global_lock);
static unsigned long emu_global_flags;
static DEFINE_PER_CPU(unsigned long, emu_global_shared_flags);
static DEFINE_SPINLOCK(emu_fault_lock);
static unsigned long emu_fault_flags;
static spinlock_t emu_tdmr_lock[TDX_MAX_TDMRS];
static unsigned long emu_tdmr_flags[TDX_MAX_TDMRS];

void tdx_emu_locks_init(void)
{
	unsigned int i;

	for (i = 0; i < TDX_MAX_TDMRS; i++)
		spin_lock_init(&emu_tdmr_lock[i]);
}

/* copy_to_kernel_nofault() is not exported; this is its core. */
static int emu_write_nofault(void *dst, const void *src, size_t n)
{
	pagefault_disable();
	while (n >= sizeof(u64) && IS_ALIGNED((unsigned long)dst, sizeof(u64))) {
		__put_kernel_nofault(dst, src, u64, fault);
		dst += sizeof(u64);
		src += sizeof(u64);
		n -= sizeof(u64);
	}
	while (n) {
		__put_kernel_nofault(dst, src, u8, fault);
		dst++;
		src++;
		n--;
	}
	pagefault_enable();
	return 0;
fault:
	pagefault_enable();
	return -EFAULT;
}

static int emu_access(u64 pa, void *buf, size_t len, bool write)
{
	while (len) {
		size_t off = offset_in_page(pa);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page;
		void *va = tdx_emu_private_va(pa);	/* the module's PAMT */

		if (!va) {
			page = pfn_to_online_page(PHYS_PFN(pa));
			/* Reserved pages hold the kernel image, firmware data */
			if (!page || (write && PageReserved(page)))
				return -EFAULT;
			va = page_address(page) + off;
		}
		if (write ? emu_write_nofault(va, buf, n) :
			    copy_from_kernel_nofault(buf, va, n))
			return -EFAULT;
		pa += n;
		buf += n;
		len -= n;
	}
	return 0;
}

static int emu_read(void *ctx, u64 pa, void *buf, size_t len)
{
	return emu_access(pa, buf, len, false);
}

static int emu_write(void *ctx, u64 pa, const void *buf, size_t len)
{
	return emu_access(pa, (void *)buf, len, true);
}

/* The calling CPU as the module sees it: CPUID, not Linux's numbering. */
static u32 emu_cpu_apic_id(void *ctx)
{
	return tdx_emu_cpuid_apic_id();
}

static u32 emu_cpu_pkg(void *ctx)
{
	return tdx_emu_cpuid_pkg();
}

static bool emu_trylock(void *ctx, unsigned int lock, bool shared)
{
	unsigned long flags;
	bool ok = false;

	local_irq_save(flags);
	if (lock == TDX_EMU_LOCK_GLOBAL) {
		ok = shared ? read_trylock(&emu_global_lock) :
			      write_trylock(&emu_global_lock);
		if (ok && shared)
			this_cpu_write(emu_global_shared_flags, flags);
		else if (ok)
			emu_global_flags = flags;
	} else if (lock == TDX_EMU_LOCK_FAULTS) {
		ok = spin_trylock(&emu_fault_lock);
		if (ok)
			emu_fault_flags = flags;
	} else if (lock >= TDX_EMU_LOCK_TDMR(0) && lock < TDX_EMU_NR_LOCKS) {
		unsigned int i = lock - TDX_EMU_LOCK_TDMR(0);

		ok = spin_trylock(&emu_tdmr_lock[i]);
		if (ok)
			emu_tdmr_flags[i] = flags;
	}
	if (!ok)
		local_irq_restore(flags);
	return ok;
}

static void emu_lock(void *ctx, unsigned int lock)
{
	unsigned long flags;

	if (WARN_ON_ONCE(lock != TDX_EMU_LOCK_FAULTS))
		return;
	spin_lock_irqsave(&emu_fault_lock, flags);
	emu_fault_flags = flags;
}

static void emu_unlock(void *ctx, unsigned int lock, bool shared)
{
	unsigned long flags;

	if (lock == TDX_EMU_LOCK_GLOBAL) {
		if (shared) {
			flags = this_cpu_read(emu_global_shared_flags);
			read_unlock_irqrestore(&emu_global_lock, flags);
		} else {
			flags = emu_global_flags;
			write_unlock_irqrestore(&emu_global_lock, flags);
		}
	} else if (lock == TDX_EMU_LOCK_FAULTS) {
		flags = emu_fault_flags;
		spin_unlock_irqrestore(&emu_fault_lock, flags);
	} else if (lock >= TDX_EMU_LOCK_TDMR(0) && lock < TDX_EMU_NR_LOCKS) {
		unsigned int i = lock - TDX_EMU_LOCK_TDMR(0);

		flags = emu_tdmr_flags[i];
		spin_unlock_irqrestore(&emu_tdmr_lock[i], flags);
	}
}

/*
 * Wall-clock busy-wait, bounded by TDX_EMU_MAX_DELAY_NS. Not udelay(): it
 * scales by loops_per_jiffy, which a CPU under emulation (QEMU TCG) can
 * calibrate far too low, making the modelled cost vanish.
 */
static void emu_delay_ns(void *ctx, u64 ns)
{
	u64 end = ktime_get_mono_fast_ns() + ns;

	while (ktime_get_mono_fast_ns() < end)
		cpu_relax();
}

const struct tdx_emu_ops tdx_emu_kernel_ops = {
	.read = emu_read,
	.write = emu_write,
	.cpu_apic_id = emu_cpu_apic_id,
	.cpu_pkg = emu_cpu_pkg,
	.trylock = emu_trylock,
	.lock = emu_lock,
	.unlock = emu_unlock,
	.delay_ns = emu_delay_ns,
};
