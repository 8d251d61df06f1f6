/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated TDX module's validation rules for the CMR list (TDH.SYS.INIT)
 * and for each TDMR_INFO handed to TDH.SYS.CONFIG, with the exact statuses
 * and detail fields of the real module (docs: tdx-module-model.md section 3).
 * Pure functions: no state, no memory access beyond the arguments.
 */
#ifndef TDX_EMU_CHECK_H
#define TDX_EMU_CHECK_H

#include "tdx_abi.h"

/* What the checks need from the platform configuration. */
struct tdx_emu_check_params {
	const struct tdx_cmr_info *cmrs;	/* validated, ascending */
	unsigned int nr_cmrs;			/* entries, null ones included */
	unsigned int max_rsvd;			/* reserved areas read per TDMR */
	unsigned int pamt_entry_size;		/* bytes, every level */
	u64 hkid_mask;				/* KeyID bits of a PA */
};

/* KeyID bits of a physical address: bits 51 down to 52 - keyid_bits. */
u64 tdx_emu_hkid_mask(unsigned int keyid_bits);

/* True if [pa, pa + size) is a valid plain PA range: no overflow, below 2^52, no HKID bits. */
bool tdx_emu_pa_range_ok(u64 pa, u64 size, u64 hkid_mask);

/*
 * TDH.SYS.INIT's CMR list sanity (check_cmrs()): every non-null entry
 * 4 KiB aligned, no overflow, below 2^52 without HKID bits, ascending and
 * not overlapping (touching allowed). An all-null list passes.
 * Returns TDX_SUCCESS or TDX_CMR_LIST_INVALID.
 */
u64 tdx_emu_check_cmrs(const struct tdx_cmr_info *cmrs, unsigned int nr,
		       u64 hkid_mask);

/* True if [start, end) lies inside the CMRs (exactly adjacent CMRs join). */
bool tdx_emu_in_cmrs(const struct tdx_cmr_info *cmrs, unsigned int nr,
		     u64 start, u64 end);

/*
 * True if [start, end) lies entirely inside the reserved areas of a TDMR
 * whose reserved list already passed rule 4.
 */
bool tdx_emu_tdmr_reserved(const struct tdx_tdmr_info *t, unsigned int max_rsvd,
			   u64 start, u64 end);

/* PAMT bytes the module requires for @level (0 4K, 1 2M, 2 1G) of a TDMR. */
u64 tdx_emu_pamt_required(u64 tdmr_size, unsigned int level,
			  unsigned int entry_size);

/* PAMT base/size of @level (0 4K, 1 2M, 2 1G) from a TDMR_INFO. */
void tdx_emu_pamt_of(const struct tdx_tdmr_info *t, unsigned int level,
		     u64 *base, u64 *size);

/*
 * Validate tdmrs[i] against tdmrs[0..i-1] (already validated), rules 1-9
 * in order (check_and_set_tdmrs()). Returns TDX_SUCCESS or the status
 * with its details:
 *   TDX_INVALID_TDMR(i), TDX_NON_ORDERED_TDMR(i),
 *   TDX_INVALID_RESERVED_IN_TDMR(i, j), TDX_NON_ORDERED_RESERVED_IN_TDMR(i, j)
 *   (j: the null slot when a null entry is followed by a non-null one),
 *   TDX_INVALID_PAMT(i, level), TDX_PAMT_OVERLAP(owner, level, other),
 *   TDX_PAMT_OUTSIDE_CMRS(i, level), TDX_TDMR_OUTSIDE_CMRS(i).
 * PAMT_OVERLAP names the PAMT's owner and level first: against an earlier
 * TDMR's PAMTs (i, level, j); own levels against each other (i, lower, i);
 * in TDMR j's available memory (i, level, j); an earlier TDMR j's PAMT in
 * TDMR i's available memory (j, level, i).
 */
u64 tdx_emu_check_tdmr(const struct tdx_emu_check_params *p,
		       const struct tdx_tdmr_info *tdmrs, unsigned int i);

/* Every TDMR in order; the first failure. */
u64 tdx_emu_check_tdmrs(const struct tdx_emu_check_params *p,
			const struct tdx_tdmr_info *tdmrs, unsigned int n);

#endif /* TDX_EMU_CHECK_H */
