// SPDX-License-Identifier: GPL-2.0
/*
 * Transient failures that happen on their own: each kind has a rate per
 * mille; draw n of the sequence is splitmix64(seed + (n + 1) * golden),
 * so a given seed replays the same outcomes for the same order of calls.
 * Draws are numbered atomically, so concurrent SEAMCALLs each get one.
 */
#include "tdx_emu_transient.h"

#define GOLDEN	0x9E3779B97F4A7C15ULL

static u64 mix(u64 x)
{
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

bool tdx_emu_transient_due(struct tdx_emu *e, enum tdx_emu_transient t)
{
	u16 rate = __atomic_load_n(&e->transients.rate[t], __ATOMIC_RELAXED);
	u64 n, seed;

	if (!rate)
		return false;
	seed = __atomic_load_n(&e->transients.seed, __ATOMIC_RELAXED);
	n = __atomic_fetch_add(&e->draws, 1, __ATOMIC_RELAXED);
	if (mix(seed + (n + 1) * GOLDEN) % TDX_EMU_RATE_MAX >= rate)
		return false;
	__atomic_fetch_add(&e->transients_fired[t], 1, __ATOMIC_RELAXED);
	return true;
}

int tdx_emu_set_transients(struct tdx_emu *e,
			   const struct tdx_emu_transients *t)
{
	unsigned int i;

	for (i = 0; i < TDX_EMU_NR_TRANSIENTS; i++)
		if (t->rate[i] > TDX_EMU_RATE_MAX)
			return -EINVAL;
	e->ops->lock(e->ctx, TDX_EMU_LOCK_FAULTS);
	for (i = 0; i < TDX_EMU_NR_TRANSIENTS; i++)
		__atomic_store_n(&e->transients.rate[i], t->rate[i],
				 __ATOMIC_RELAXED);
	__atomic_store_n(&e->transients.seed, t->seed, __ATOMIC_RELAXED);
	__atomic_store_n(&e->draws, 0, __ATOMIC_RELAXED);
	e->ops->unlock(e->ctx, TDX_EMU_LOCK_FAULTS, false);
	return 0;
}

void tdx_emu_get_transients(struct tdx_emu *e, struct tdx_emu_transients *t)
{
	e->ops->lock(e->ctx, TDX_EMU_LOCK_FAULTS);
	*t = e->transients;
	e->ops->unlock(e->ctx, TDX_EMU_LOCK_FAULTS, false);
}
