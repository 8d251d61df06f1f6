/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the tdxctl commands: error messages, exit codes,
 * number and range parsing, human-readable sizes, heap-backed range sets.
 */
#ifndef TDXCTL_UTIL_H
#define TDXCTL_UTIL_H

#include "tdx_range.h"

/* Exit codes, documented in tdxctl(8). */
enum {
	TDXCTL_EXIT_OK = 0,
	TDXCTL_EXIT_FAIL = 1,		/* failed, refused, timed out */
	TDXCTL_EXIT_USAGE = 2,		/* bad arguments, malformed input file */
	TDXCTL_EXIT_NOTDX = 3,		/* tdx_sys not loaded, TDX unsupported */
	TDXCTL_EXIT_WAIT = 4,		/* check: decision is "wait" */
};

#define TDXCTL_ERRLEN 256

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
/* One line on stderr; fprintf checks the format. */
#define tdxctl_err(fmt, ...) \
	fprintf(stderr, "tdxctl: " fmt "\n", ##__VA_ARGS__)

/* Strict: whole string, decimal or 0x-prefixed hex, no sign, no overflow. */
int tdx_parse_u64(const char *s, u64 *out);
/* Whole string of digits in @base (10 or 16), nothing else; no overflow. */
int tdx_parse_digits(const char *s, unsigned int base, u64 *out);
/* "0xSTART-0xEND", END inclusive, into half-open [*start, *end). */
int tdx_parse_range(const char *s, u64 *start, u64 *end);

/* "1.5 GiB", "128 MiB", "0 B": binary units, one decimal where useful. */
void tdx_fmt_size(u64 bytes, char *buf, size_t len);

/* A range set whose storage is on the heap; tdx_rs_heap_free() releases it. */
int tdx_rs_heap_init(struct tdx_rangeset *rs, unsigned int cap);
void tdx_rs_heap_free(struct tdx_rangeset *rs);

/*
 * Options of a command that takes only --json and --help: -1 to go on,
 * else the exit code to return.
 */
int tdx_json_opts(int argc, char **argv, const char *usage, bool *json);
/* After getopt: no operands left, else an error naming argv[0]; 0 or -1. */
int tdx_no_operands(int argc, char **argv);

/* Read a whole (small) file into a NUL-terminated heap buffer. */
int tdx_read_file(const char *path, char **text);

#endif /* TDXCTL_UTIL_H */
