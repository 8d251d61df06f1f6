/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Transient failures of the emulated module: whether the one of kind @t
 * that the real module can meet at this point happens now, drawn at the
 * configured rate from a deterministic sequence (seed, draw number).
 */
#ifndef TDX_EMU_TRANSIENT_H
#define TDX_EMU_TRANSIENT_H

#include "tdx_emu_core.h"

/* True (and counted) if the transient fires; no draw at rate 0. */
bool tdx_emu_transient_due(struct tdx_emu *e, enum tdx_emu_transient t);

#endif /* TDX_EMU_TRANSIENT_H */
