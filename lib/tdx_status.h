/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding of SEAMCALL statuses into names, detail fields, a plain-English
 * cause and, where known, the remedy. One implementation for kernel and tdxctl.
 */
#ifndef TDX_STATUS_H
#define TDX_STATUS_H

#include "tdx_abi.h"

static inline bool tdx_status_is_error(u64 status)
{
	return status & TDX_STATUS_ERROR_BIT;
}

/* "TDH.SYS.CONFIG"; "TDH.SYS.<n>" style fallback is the caller's (NULL if unknown). */
const char *tdx_leaf_name(u64 leaf);
/* "TDX_INVALID_PAMT" from the code part (bits 63:32); NULL if unknown. */
const char *tdx_status_name(u64 status);
/*
 * Worth retrying the same call as is (SYS_BUSY, RND_NO_ENTROPY, OPERAND_BUSY,
 * KEY_GENERATION_FAILED); leaf-specific.
 */
bool tdx_status_retryable(u64 leaf, u64 status);
/*
 * One line: "<leaf> failed: <NAME> (0x<status>)[: <details>]: <cause>[; <remedy>]".
 * Details name TDMR index, reserved area, PAMT level or operand register as
 * the status class defines them. Returns the length snprintf would return.
 */
int tdx_status_format(u64 leaf, u64 status, char *buf, size_t len);

#endif /* TDX_STATUS_H */
