/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Access to /sys (overridable with TDXCTL_SYSFS for tests) and parsers for
 * the text formats of /sys/firmware/tdx.
 */
#ifndef TDXCTL_SYSFS_H
#define TDXCTL_SYSFS_H

#include "tdx_policy.h"
#include "tdx_range.h"
#include "tdx_util.h"

#define TDX_FW_DIR	"firmware/tdx"
#define TDX_MEM_DIR	"devices/system/memory"

/* $TDXCTL_SYSFS or "/sys". */
const char *tdx_sysfs_root(void);
/* root + "/" + the formatted relative path; -ENAMETOOLONG if it does not fit. */
int tdx_sysfs_path(char *buf, size_t len, const char *fmt, ...);
/* Read a sysfs file, trailing whitespace stripped. Length or -errno. */
int tdx_sysfs_read(const char *rel, char *buf, size_t len);
/* Whole file on the heap (for lists of unknown length). */
int tdx_sysfs_read_alloc(const char *rel, char **text);
/* One write(2) of @val; -errno of the write. */
int tdx_sysfs_write(const char *rel, const char *val);
bool tdx_sysfs_exists(const char *rel);

/*
 * Lines of "0xSTART-0xEND" (END inclusive); empty text gives an empty set.
 * On error @rs is left empty and @err names the line.
 */
int tdx_parse_ranges(const char *text, struct tdx_rangeset *rs, char *err,
		     size_t errlen);

/* Longest tdmrs or progress line taken (blanks included). */
#define TDX_SYSFS_LINE	256

/*
 * One line of firmware/tdx/tdmrs: "0xSTART-0xEND pamt=<bytes> reserved=<n>",
 * fields separated by blanks; numbers as tdx_parse_u64() takes them.
 */
struct tdx_tdmr_line {
	u64 start;
	u64 end;	/* exclusive */
	u64 pamt;
	unsigned int nr_rsvd;
};

int tdx_parse_tdmr_line(const char *line, struct tdx_tdmr_line *t);
/* "<done> <total>", the same way. Output written only on success. */
int tdx_parse_progress(const char *text, u64 *done, u64 *total);

/* firmware/tdx/state; prints the error. */
int tdx_sysfs_read_state(enum tdx_state *st);
/*
 * firmware/tdx/error, trailing whitespace stripped; *text NULL if there
 * is no such file. free() it.
 */
int tdx_sysfs_read_error(char **text);
/* The message for a missing /sys/firmware/tdx. */
void tdx_err_not_loaded(void);

/* Read firmware/tdx/<name> as a range list; prints the error. */
int tdx_sysfs_read_ranges(const char *name, struct tdx_rangeset *rs);

#endif /* TDXCTL_SYSFS_H */
