/* SPDX-License-Identifier: GPL-2.0 */
/*
 * before_init: what may be onlined before TDX is initialized. The kernel
 * enforces its module parameter, so every decision tdxctl predicts uses
 * the kernel's value; tdxsys.conf's before_init is how an operator sets
 * it ("tdxctl apply" writes it to the parameter).
 */
#ifndef TDXCTL_BEFORE_INIT_H
#define TDXCTL_BEFORE_INIT_H

#include "tdx_config.h"

#define TDX_BEFORE_INIT_PARAM	"module/tdx_sys/parameters/before_init"

/*
 * The value tdx_sys enforces. A tdx_sys without the parameter enforces
 * cmrs (*present false). An unknown value is -EINVAL; errors are printed.
 */
int tdx_before_init_kernel(enum tdx_before_init *b, bool *present);

/*
 * Write @c's before_init to tdx_sys when the file sets it. @what gets a
 * static description of what happened, for a log line. -ENOENT when
 * tdx_sys is not loaded or has no such parameter; errors are printed.
 */
int tdx_before_init_apply(const struct tdxsys_config *c, const char **what);

#endif /* TDXCTL_BEFORE_INIT_H */
