/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tdx_emu.ko internals: the one emulated platform, its configuration lock
 * and the pieces the configfs front end and the provider glue share.
 */
#ifndef TDX_EMU_H
#define TDX_EMU_H

#include <linux/mutex.h>
#include "tdx_emu_core.h"

/* Longest busy-wait per TDH.SYS.TDMR.INIT call the configuration accepts. */
#define TDX_EMU_MAX_DELAY_NS	10000000ULL

struct tdx_emu_platform {
	struct mutex lock;	/* configuration and attach state */
	bool attached;		/* registered as the SEAMCALL provider */
	bool cmrs_set;		/* else System RAM at attach time */
	bool cpus_set;		/* else present CPUs at attach */
	struct tdx_emu emu;
};

extern struct tdx_emu_platform tdx_emu_plat;
extern const struct tdx_emu_ops tdx_emu_kernel_ops;

/* tdx_emu_main.c */
int tdx_emu_attach(void);
int tdx_emu_detach(void);
void tdx_emu_default_cmrs(struct tdx_cmr_info *cmrs, unsigned int *nr);
void tdx_emu_default_lps(struct tdx_emu_lp *lps, unsigned int *nr);

/* tdx_emu_mem.c */
void tdx_emu_locks_init(void);

/* tdx_emu_configfs.c */
int tdx_emu_configfs_init(void);
void tdx_emu_configfs_exit(void);

#endif /* TDX_EMU_H */
