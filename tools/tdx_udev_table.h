/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The udev decision table: the onlining decision for every memory block,
 * compiled into a rules file that 80-tdx-memory.rules relies on, so udev
 * decides the common cases without running a program. The table holds
 * for one TDX generation (/sys/class/tdx/tdx/generation, which changes
 * with every TDX state) and the tdxsys.conf settings it was built from;
 * its rules check both on every event and leave the block to
 * "tdxctl check --udev" when either changed, or when the decision is
 * "refuse" (that one also names the range, TDX_RANGE).
 */
#ifndef TDXCTL_UDEV_TABLE_H
#define TDXCTL_UDEV_TABLE_H

#include "tdx_decide.h"

#define TDX_UDEV_TABLE_PATH	"/run/udev/rules.d/79-tdx-memory-table.rules"
#define TDX_GENERATION_ATTR	"class/tdx/tdx/generation"
/* More blocks below the last range than this: no table (a program decides). */
#define TDX_UDEV_TABLE_MAX_BLOCKS	(1024UL * 1024)

/* What a table is valid for, besides the boot's RAM layout. */
struct tdx_table_key {
	bool loaded;			/* /sys/firmware/tdx exists */
	u64 generation;
	enum tdx_before_init before_init;	/* tdx_sys's, when loaded */
	bool before_init_param;			/* it has the parameter */
	char zone[32];			/* the values udev imports from */
	char online_before_init[32];	/* tdxsys.conf, "" when unset */
};

/*
 * $TDXCTL_UDEV_TABLE, else TDX_UDEV_TABLE_PATH; NULL (no table) when only
 * TDXCTL_SYSFS is set: a fake sysfs tree must not steer the host's udev.
 */
const char *tdx_udev_table_path(void);

/* A character udev can carry in a quoted value ('_' for the others). */
char tdx_udev_char(char ch);

/*
 * Glob patterns matching exactly the block names memoryN, lo <= N <= hi
 * (hi == ULONG_MAX: no upper end), separated by '|', into @buf.
 * -ENOSPC when they do not fit.
 */
int tdx_block_globs(unsigned long lo, unsigned long hi, char *buf,
		    size_t len);

/*
 * The table text for context @c (configuration and TDX state loaded as
 * for tdx_ctx_decide_block(), RAM included), built for @k, blocks of @bs
 * bytes; *text on the heap. -E2BIG beyond TDX_UDEV_TABLE_MAX_BLOCKS.
 */
int tdx_udev_table_build(const struct tdx_ctx *c,
			 const struct tdx_table_key *k, u64 bs, char **text);

/*
 * Bring the table file up to date with the live TDX state and
 * configuration: rebuilt when the key in its header differs (always with
 * @force), written atomically, and udevd told to reload its rules. When
 * no table can be valid (tdx_sys without the generation attribute, or a
 * tdxsys.conf whose settings udev would read differently than tdxctl) the
 * file is removed, so udev runs tdxctl for every block; so it is for a
 * malformed tdxsys.conf (then an error, not printed: the caller reports
 * it when it loads the configuration). Prints other errors; @why (may be
 * NULL) says what happened, for tdxctl udev-table.
 */
int tdx_udev_table_update(bool force, const char **why);

/* The table for the live state on stdout (nothing is written). */
int tdx_udev_table_print(void);

#endif /* TDXCTL_UDEV_TABLE_H */
