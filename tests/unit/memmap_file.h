/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tiny reader of tests/data/memmaps files (format: docs memmap-format.md),
 * for the layout tests and the benchmark only. tdxctl has its own parser.
 */
#ifndef TDX_TEST_MEMMAP_FILE_H
#define TDX_TEST_MEMMAP_FILE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tdx_range.h"

#define MM_MAX 256

struct memmap {
	struct tdx_range usable_buf[MM_MAX], node_buf[MM_MAX];
	struct tdx_range cmr_buf[MM_MAX], cover_buf[MM_MAX];
	struct tdx_rangeset usable;	/* e820 usable */
	struct tdx_rangeset nodes;	/* union of node lines */
	struct tdx_rangeset file_cmrs;	/* cmr / cmr-excl lines */
	struct tdx_rangeset ram;	/* RAM present at boot */
	struct tdx_rangeset cmrs;	/* effective CMRs */
	struct tdx_rangeset cover;	/* ram & cmrs: what a kernel covers */
	int nr_e820;
};

static int mm_range(const char *s, int excl, u64 *start, u64 *end)
{
	char *dash;

	*start = strtoull(s, &dash, 16);
	if (*dash != '-')
		return -1;
	*end = strtoull(dash + 1, NULL, 16) + (excl ? 0 : 1);
	return *end > *start ? 0 : -1;
}

/* Returns 0, or -1 with a message on stderr. */
static int memmap_load(const char *path, struct memmap *m)
{
	char line[512], kw[32], a[64], b[64];
	u64 s, e;
	FILE *f;
	int n, err = 0;

	memset(m, 0, sizeof(*m));
	tdx_rs_init(&m->usable, m->usable_buf, MM_MAX);
	tdx_rs_init(&m->nodes, m->node_buf, MM_MAX);
	tdx_rs_init(&m->file_cmrs, m->cmr_buf, MM_MAX);
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		n = sscanf(line, "%31s %63s %63s", kw, a, b);
		if (n >= 3 && !strcmp(kw, "e820")) {
			m->nr_e820++;
			if (mm_range(a, 0, &s, &e))
				err = -1;
			else if (!strcmp(b, "usable"))
				err |= tdx_rs_add(&m->usable, s, e);
		} else if (n >= 3 && !strcmp(kw, "node")) {
			if (mm_range(b, 0, &s, &e))
				err = -1;
			else
				err |= tdx_rs_add(&m->nodes, s, e);
		} else if (n >= 2 && (!strcmp(kw, "cmr") ||
				      !strcmp(kw, "cmr-excl"))) {
			if (mm_range(a, !strcmp(kw, "cmr-excl"), &s, &e))
				err = -1;
			else
				err |= tdx_rs_add(&m->file_cmrs, s, e);
		} else {
			err = -1;
		}
		if (err) {
			fprintf(stderr, "%s: bad line: %s", path, line);
			break;
		}
	}
	fclose(f);
	if (err)
		return -1;

	/* Views share the buffers above; they are only read. */
	if (m->nr_e820)
		m->ram = m->usable;
	else if (m->nodes.nr)
		m->ram = m->nodes;
	else
		m->ram = m->file_cmrs;
	if (m->file_cmrs.nr)
		m->cmrs = m->file_cmrs;
	else
		m->cmrs = m->ram;
	tdx_rs_init(&m->cover, m->cover_buf, MM_MAX);
	return tdx_rs_intersect(&m->ram, &m->cmrs, &m->cover) ? -1 : 0;
}

#endif /* TDX_TEST_MEMMAP_FILE_H */
