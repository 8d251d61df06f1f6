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
 * CPU-to-package map: "A[-B]:P" items separated by space, comma or newline,
 * CPU ids < TDX_EMU_MAX_CPUS, packages <= TDX_EMU_MAX_PKG_ID, no CPU twice.
 * @map gets TDX_EMU_MAX_CPUS entries (TDX_EMU_NO_PKG where absent).
 */
int tdx_emu_parse_cpus(const char *buf, size_t len, u8 *map);
int tdx_emu_format_cpus(const u8 *map, char *out, size_t len);

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

#endif /* TDX_EMU_PARSE_H */
