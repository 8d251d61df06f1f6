/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated module's global-scope metadata as TDH.SYS.RD serves it: the
 * 1.5 module's whole field table (ids, element sizes, fields per entry,
 * elements per field, in its order), the lookup rules for a field id and
 * the "next element" a read returns. Values come from the configuration
 * and the module state; fields about TDs (not modelled) read as 0.
 */
#ifndef TDX_EMU_META_H
#define TDX_EMU_META_H

#include "tdx_emu_core.h"

/* The first element id of the global context (answer to the null id). */
u64 tdx_emu_meta_first(void);

/*
 * Read the element @fid names (its context bits already cleared): a single
 * element id (reserved bits, LAST_ELEMENT and LAST_FIELD zero), found by
 * class and field code; element size, non-arch, inc-size and write-mask
 * bits are ignored. On success *value is the element (masked to the
 * table's element size) and *next the id of the next element, or -1 after
 * the last one. Returns TDX_SUCCESS or TDX_METADATA_FIELD_ID_INCORRECT.
 */
u64 tdx_emu_meta_read(const struct tdx_emu *e, u64 fid, u64 *value, u64 *next);

#endif /* TDX_EMU_META_H */
