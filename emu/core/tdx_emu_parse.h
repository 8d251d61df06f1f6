/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text formats of tdx_emu's configfs attributes, parsed and printed here
 * so the host unit tests cover them. Every parser takes (buf, len) as a
 * configfs store gets it, tolerates surrounding whitespace and a trailing
 * newline, returns 0 or -EINVAL, and writes its output only on success.
 */
#ifndef TDX_EMU_PARSE_H
#define TDX_EMU_PARSE_H

#include "tdx_emu_core.h"

/* One number, decimal or 0x-hex, in [min, max]. */
int tdx_emu_parse_u64(const char *buf, size_t len, u64 min, u64 max, u64 *out);

/*
 * "0xSTART-0xEND" inclusive ranges separated by newline, comma or space,
 * at most TDX_MAX_CMRS, each START <= END. Kept as written (order and
 * alignment are TDH.SYS.INIT's to judge).
 */
int tdx_emu_parse_cmrs(const char *buf, size_t len,
		       struct tdx_cmr_info *cmrs, unsigned int *nr);
int tdx_emu_format_cmrs(const struct tdx_cmr_info *cmrs, unsigned int nr,
			char *out, size_t len);

/*
 * The platform's logical processors: "A[-B]:P" items (x2APIC ids A to B,
 * all in package P) separated by space, comma or newline; APIC ids up to
 * 0xfffffffe, no APIC id twice, at most TDX_EMU_MAX_LPS in all. @lps
 * (room for TDX_EMU_MAX_LPS) gets them sorted by APIC id.
 */
int tdx_emu_parse_lps(const char *buf, size_t len, struct tdx_emu_lp *lps,
		      unsigned int *nr);
/* The same form, runs of consecutive APIC ids in one package merged. */
int tdx_emu_format_lps(const struct tdx_emu_lp *lps, unsigned int nr,
		       char *out, size_t len);

/* "mktme=N tdx=M" (either or both); N + M must fit 15 KeyID bits. */
int tdx_emu_parse_keyids(const char *buf, size_t len, u32 *mktme, u32 *tdx);

/* "major.minor[.update]", each <= 0xffff. */
int tdx_emu_parse_version(const char *buf, size_t len, u16 *major,
			  u16 *minor, u16 *update);

/*
 * "leaf=L status=S [nth=N]" (nth defaults to 1; 0 means every call) or
 * "clear" (*clear set). Leaf <= TDX_EMU_MAX_LEAF.
 */
int tdx_emu_parse_fault(const char *buf, size_t len, bool *clear, u16 *leaf,
			u64 *status, u32 *nth);

/*
 * Transient failure rates: "NAME=N" (per mille, 0..1000) for the names of
 * tdx_emu_transient_name(), "seed=S" (u64) and "off" (every rate 0), in
 * any order; what is not named keeps its value. Writes @t on success.
 */
int tdx_emu_parse_transients(const char *buf, size_t len,
			     struct tdx_emu_transients *t);
/* "rnd_no_entropy=N ... tdmr_busy=N seed=S\n": every rate, then the seed. */
int tdx_emu_format_transients(const struct tdx_emu_transients *t, char *out,
			      size_t len);
/* "rnd_no_entropy", "key_generation_failed", "key_busy", "sys_busy",
 * "tdmr_busy" for enum tdx_emu_transient; NULL beyond.
 */
const char *tdx_emu_transient_name(unsigned int t);

#endif /* TDX_EMU_PARSE_H */
