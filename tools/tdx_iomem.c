// SPDX-License-Identifier: GPL-2.0
/*
 * System RAM from /proc/iomem.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdx_iomem.h"
#include "tdx_memory.h"
#include "tdx_util.h"

#define RAM_NAME	"System RAM"

const char *tdx_proc_root(void)
{
	const char *r = getenv("TDXCTL_PROC");

	if (r && *r)
		return r;
	r = getenv("TDXCTL_SYSFS");
	return r && *r ? NULL : "/proc";
}

/*
 * Hex digits up to @stop, as the kernel prints them ("%0*llx": no sign, no
 * prefix, no blanks); overflow refused. strtoull() would take a sign, a
 * "0x" and leading blanks, and wrap "-f" to 2^64-15.
 */
static int parse_hex(const char *s, char stop, u64 *out, const char **next)
{
	u64 v = 0;
	int d, n = 0;

	for (; *s != stop; s++, n++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -EINVAL;
		if (v >> 60)
			return -EINVAL;
		v = v << 4 | d;
	}
	if (!n)
		return -EINVAL;
	*out = v;
	*next = s + 1;
	return 0;
}

/* "START-END : NAME" after the indentation; END inclusive. */
static int parse_line(const char *line, u64 *start, u64 *end,
		      const char **name)
{
	const char *p;
	u64 s, e;

	if (parse_hex(line, '-', &s, &p) || parse_hex(p, ' ', &e, &p) ||
	    strncmp(p, ": ", 2) || e < s)
		return -EINVAL;
	*start = s;
	*end = e;
	*name = p + 2;
	return 0;
}

int tdx_iomem_parse(const char *text, struct tdx_rangeset *rs)
{
	const char *p = text, *nl, *name;
	char line[256];
	u64 s, e;
	size_t n;
	int ret;

	tdx_rs_clear(rs);
	for (; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (!n)
			continue;
		ret = -EINVAL;
		if (n >= sizeof(line))
			goto fail;
		memcpy(line, p, n);
		line[n] = '\0';
		ret = parse_line(line + strspn(line, " "), &s, &e, &name);
		if (ret)
			goto fail;
		if (strcmp(name, RAM_NAME))
			continue;
		/* Without CAP_SYS_ADMIN the kernel prints every address as 0. */
		ret = -EPERM;
		if (!s && !e)
			goto fail;
		/* No room for an exclusive end: no machine has RAM up there. */
		ret = -EINVAL;
		if (e == ~0ULL)
			goto fail;
		/* Only what can be TDX memory: whole pages above 1 MiB */
		ret = tdx_memory_add(rs, s, e + 1);
		if (ret)
			goto fail;
	}
	return 0;
fail:
	tdx_rs_clear(rs);
	return ret;
}

int tdx_iomem_load(struct tdx_rangeset *rs)
{
	const char *root = tdx_proc_root();
	char path[PATH_MAX], *text, *p;
	unsigned int lines = 1;
	int ret;

	if (!root)
		return -ENOENT;
	if (snprintf(path, sizeof(path), "%s/iomem", root) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	ret = tdx_read_file(path, &text);
	if (ret)
		return ret;
	for (p = text; (p = strchr(p, '\n')); p++)
		lines++;
	ret = tdx_rs_heap_init(rs, lines);
	if (!ret) {
		ret = tdx_iomem_parse(text, rs);
		if (ret)
			tdx_rs_heap_free(rs);
	}
	free(text);
	return ret;
}

bool tdx_ram_next(const struct tdx_rangeset *ram, u64 *pos, u64 end,
		  u64 *s, u64 *e)
{
	unsigned int i;

	for (i = tdx_rs_first_after(ram, *pos); i < ram->nr && *pos < end;
	     i++) {
		if (ram->r[i].start >= end)
			return false;
		*s = ram->r[i].start > *pos ? ram->r[i].start : *pos;
		*e = ram->r[i].end < end ? ram->r[i].end : end;
		*pos = *e;
		return true;
	}
	return false;
}
