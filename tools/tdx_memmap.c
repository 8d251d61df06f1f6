// SPDX-License-Identifier: GPL-2.0
/*
 * Parser for memory-map files. Strict: every line is a comment, blank, or
 * one of the four record kinds; anything else is an error with its line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdx_abi.h"
#include "tdx_memmap.h"
#include "tdx_util.h"

#define MEMMAP_MAX_NID	1023
#define PAGE_MASK_4K	(TDX_SZ_4K - 1)
#define MEMMAP_MAX_TOKENS 4

static const char * const e820_types[] = {
	"usable", "reserved", "acpi", "nvs", "pmem", "soft-reserved",
	"unusable",
};

static bool e820_type_known(const char *t)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(e820_types); i++)
		if (!strcmp(t, e820_types[i]))
			return true;
	return false;
}

/* Split at blanks, stopping at '#'; returns the token count or -E2BIG. */
static int tokenize(char *line, char **tok)
{
	char *hash = strchr(line, '#');
	char *save = NULL, *t;
	int n = 0;

	if (hash)
		*hash = '\0';
	for (t = strtok_r(line, " \t\r", &save); t;
	     t = strtok_r(NULL, " \t\r", &save)) {
		if (n == MEMMAP_MAX_TOKENS)
			return -E2BIG;
		tok[n++] = t;
	}
	return n;
}

/* "0xS-0xE" with END inclusive (@excl false) or exclusive (@excl true). */
static int parse_span(const char *s, bool excl, u64 *start, u64 *end,
		      char *msg, size_t len)
{
	char a[40];
	const char *dash = strchr(s, '-');
	u64 lo, hi;

	if (!dash || dash == s || (size_t)(dash - s) >= sizeof(a) ||
	    strncmp(s, "0x", 2) || strncmp(dash + 1, "0x", 2)) {
		snprintf(msg, len, "\"%s\" is not a 0xSTART-0xEND range", s);
		return -EINVAL;
	}
	memcpy(a, s, dash - s);
	a[dash - s] = '\0';
	if (tdx_parse_u64(a, &lo) || tdx_parse_u64(dash + 1, &hi)) {
		snprintf(msg, len, "\"%s\" is not a 0xSTART-0xEND range", s);
		return -EINVAL;
	}
	if (excl) {
		if (hi <= lo) {
			snprintf(msg, len, "empty or reversed range \"%s\"", s);
			return -EINVAL;
		}
	} else {
		if (hi < lo) {
			snprintf(msg, len, "reversed range \"%s\"", s);
			return -EINVAL;
		}
		if (hi == ~0ULL) {
			snprintf(msg, len, "range \"%s\" ends past 2^64", s);
			return -EINVAL;
		}
		hi++;
	}
	*start = lo;
	*end = hi;
	return 0;
}

static int add_cmr(struct tdx_memmap *m, u64 s, u64 e, char *msg, size_t len)
{
	if ((s | e) & PAGE_MASK_4K) {
		snprintf(msg, len, "CMR [0x%llx, 0x%llx) is not 4 KiB aligned",
			 (unsigned long long)s, (unsigned long long)e);
		return -EINVAL;
	}
	if (e > (1ULL << TDX_MAX_PA_BITS)) {
		snprintf(msg, len, "CMR [0x%llx, 0x%llx) beyond 2^%d",
			 (unsigned long long)s, (unsigned long long)e,
			 TDX_MAX_PA_BITS);
		return -EINVAL;
	}
	if (m->cmrs.nr && s < m->cmrs.r[m->cmrs.nr - 1].end) {
		snprintf(msg, len,
			 "CMR [0x%llx, 0x%llx) not above the previous one (CMRs must be ascending and disjoint)",
			 (unsigned long long)s, (unsigned long long)e);
		return -EINVAL;
	}
	if (m->nr_cmr == TDX_MAX_CMRS) {
		snprintf(msg, len, "more than %d CMRs", TDX_MAX_CMRS);
		return -EINVAL;
	}
	m->nr_cmr++;
	return tdx_rs_add(&m->cmrs, s, e);
}

static int parse_record(struct tdx_memmap *m, struct tdx_rangeset *usable,
			char *line, char *msg, size_t len)
{
	char *tok[MEMMAP_MAX_TOKENS];
	u64 s, e, nid;
	int n, ret;

	n = tokenize(line, tok);
	if (n == 0)
		return 0;
	if (n < 0) {
		snprintf(msg, len, "too many fields");
		return -EINVAL;
	}
	if (!strcmp(tok[0], "e820")) {
		if (n != 3) {
			snprintf(msg, len,
				 "expected \"e820 0xSTART-0xEND TYPE\"");
			return -EINVAL;
		}
		if (!e820_type_known(tok[2])) {
			snprintf(msg, len, "unknown e820 type \"%s\"", tok[2]);
			return -EINVAL;
		}
		ret = parse_span(tok[1], false, &s, &e, msg, len);
		if (ret)
			return ret;
		m->nr_e820++;
		/* Kept raw: added to the set sorted, once all are read. */
		if (!strcmp(tok[2], "usable")) {
			usable->r[usable->nr].start = s;
			usable->r[usable->nr].end = e;
			usable->nr++;
		}
		return 0;
	}
	if (!strcmp(tok[0], "node")) {
		if (n != 3) {
			snprintf(msg, len, "expected \"node N 0xSTART-0xEND\"");
			return -EINVAL;
		}
		if (tok[1][0] == '0' && tok[1][1] == 'x')
			nid = MEMMAP_MAX_NID + 1;
		else if (tdx_parse_u64(tok[1], &nid))
			nid = MEMMAP_MAX_NID + 1;
		if (nid > MEMMAP_MAX_NID) {
			snprintf(msg, len, "bad node number \"%s\"", tok[1]);
			return -EINVAL;
		}
		ret = parse_span(tok[2], false, &s, &e, msg, len);
		if (ret)
			return ret;
		m->nodes[m->nr_nodes].start = s;
		m->nodes[m->nr_nodes].end = e;
		m->nodes[m->nr_nodes].nid = (int)nid;
		m->nr_nodes++;
		return 0;
	}
	if (!strcmp(tok[0], "cmr") || !strcmp(tok[0], "cmr-excl")) {
		if (n != 2) {
			snprintf(msg, len, "expected \"%s 0xSTART-0xEND\"",
				 tok[0]);
			return -EINVAL;
		}
		ret = parse_span(tok[1], tok[0][3] == '-', &s, &e, msg, len);
		if (ret)
			return ret;
		return add_cmr(m, s, e, msg, len);
	}
	snprintf(msg, len,
		 "unknown record \"%s\" (expected e820, node, cmr or cmr-excl)",
		 tok[0]);
	return -EINVAL;
}

static int cmp_range(const void *a, const void *b)
{
	const struct tdx_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/*
 * Union of @raw's ranges (any order, overlaps allowed) into @rs. Sorted
 * first, so each tdx_rs_add() appends or merges at the end: n log n for
 * any file, where adding in file order moves the whole set per line.
 */
static void add_sorted(struct tdx_rangeset *rs, struct tdx_range *raw,
		       unsigned int n)
{
	unsigned int i;

	qsort(raw, n, sizeof(*raw), cmp_range);
	/* Cannot fail: rs holds one range per line. */
	for (i = 0; i < n; i++)
		tdx_rs_add(rs, raw[i].start, raw[i].end);
}

/*
 * A byte of RAM is on one node: node lines sharing one are refused, as
 * Linux refuses such a NUMA map. Summing them per node also counted the
 * shared bytes twice (and could wrap past 2^64). @r is sorted by start.
 */
static int nodes_overlap(const struct tdx_range *r, unsigned int n,
			 const char *file, char *err, size_t errlen)
{
	unsigned int i;
	u64 end = 0;

	for (i = 0; i < n; i++) {
		if (i && r[i].start < end) {
			snprintf(err, errlen,
				 "%s: node lines overlap at [0x%llx, 0x%llx): a byte of RAM is on one node",
				 file, (unsigned long long)r[i].start,
				 (unsigned long long)(r[i].end < end ? r[i].end :
						      end));
			return -EINVAL;
		}
		if (r[i].end > end)
			end = r[i].end;
	}
	return 0;
}

/* Without cmr lines, CMRs are the RAM ranges, 4 KiB aligned like real ones. */
static void derive_cmrs(struct tdx_memmap *m)
{
	const struct tdx_rangeset *ram = tdx_memmap_ram(m);
	unsigned int i;
	u64 s, e;

	for (i = 0; i < ram->nr; i++) {
		/* No whole page in RAM starting in the last one (no wrap). */
		if (ram->r[i].start > ~0ULL - PAGE_MASK_4K)
			continue;
		s = tdx_align_up(ram->r[i].start, TDX_SZ_4K);
		e = tdx_align_down(ram->r[i].end, TDX_SZ_4K);
		if (e > s)
			tdx_rs_add(&m->ram_cmrs, s, e);
	}
}

static unsigned int count_lines(const char *text)
{
	unsigned int n = 1;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

int tdx_memmap_parse(const char *text, const char *file, struct tdx_memmap *m,
		     char *err, size_t errlen)
{
	unsigned int cap = count_lines(text), lineno = 0, i;
	const char *p = text, *start, *nl;
	char *line, msg[TDXCTL_ERRLEN];
	struct tdx_rangeset raw;
	size_t n;
	int ret = -ENOMEM;

	memset(m, 0, sizeof(*m));
	m->nodes = calloc(cap, sizeof(*m->nodes));
	if (tdx_rs_heap_init(&raw, cap))
		raw.r = NULL;
	if (!m->nodes || !raw.r || tdx_rs_heap_init(&m->usable, cap) ||
	    tdx_rs_heap_init(&m->node_ram, cap) ||
	    tdx_rs_heap_init(&m->cmrs, cap) ||
	    tdx_rs_heap_init(&m->ram_cmrs, cap)) {
		snprintf(err, errlen, "%s: out of memory", file);
		goto fail;
	}
	while (*p) {
		lineno++;
		start = p;
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		p = nl ? nl + 1 : p + n;
		line = strndup(start, n);
		if (!line) {
			snprintf(err, errlen, "%s: out of memory", file);
			ret = -ENOMEM;
			goto fail;
		}
		ret = parse_record(m, &raw, line, msg, sizeof(msg));
		free(line);
		if (ret) {
			if (ret != -EINVAL)
				snprintf(msg, sizeof(msg), "%s", strerror(-ret));
			snprintf(err, errlen, "%s:%u: %s", file, lineno, msg);
			goto fail;
		}
	}
	add_sorted(&m->usable, raw.r, raw.nr);
	for (i = 0; i < m->nr_nodes; i++) {
		raw.r[i].start = m->nodes[i].start;
		raw.r[i].end = m->nodes[i].end;
	}
	add_sorted(&m->node_ram, raw.r, m->nr_nodes);
	ret = nodes_overlap(raw.r, m->nr_nodes, file, err, errlen);
	tdx_rs_heap_free(&raw);
	if (ret)
		goto fail;
	if (!tdx_memmap_ram(m)) {
		snprintf(err, errlen,
			 "%s: no memory described (no usable e820, node or cmr line)",
			 file);
		ret = -EINVAL;
		goto fail;
	}
	derive_cmrs(m);
	return 0;
fail:
	tdx_rs_heap_free(&raw);
	tdx_memmap_free(m);
	return ret;
}

int tdx_memmap_load(const char *path, struct tdx_memmap *m, char *err,
		    size_t errlen)
{
	char *text;
	int ret;

	ret = tdx_read_file(path, &text);
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = tdx_memmap_parse(text, path, m, err, errlen);
	free(text);
	return ret;
}

void tdx_memmap_free(struct tdx_memmap *m)
{
	tdx_rs_heap_free(&m->usable);
	tdx_rs_heap_free(&m->node_ram);
	tdx_rs_heap_free(&m->cmrs);
	tdx_rs_heap_free(&m->ram_cmrs);
	free(m->nodes);
	m->nodes = NULL;
	m->nr_nodes = 0;
}

const struct tdx_rangeset *tdx_memmap_ram(const struct tdx_memmap *m)
{
	if (m->usable.nr)
		return &m->usable;
	if (m->node_ram.nr)
		return &m->node_ram;
	if (m->cmrs.nr)
		return &m->cmrs;
	return NULL;
}

const struct tdx_rangeset *tdx_memmap_cmrs(const struct tdx_memmap *m)
{
	return m->cmrs.nr ? &m->cmrs : &m->ram_cmrs;
}

int tdx_memmap_nid(const struct tdx_memmap *m, u64 start, u64 end)
{
	u64 bytes[MEMMAP_MAX_NID + 1] = { 0 }, best = 0, lo, hi;
	unsigned int i;
	int nid = -1;

	/* Sum per node id, so a node split in several lines counts once. */
	for (i = 0; i < m->nr_nodes; i++) {
		lo = m->nodes[i].start > start ? m->nodes[i].start : start;
		hi = m->nodes[i].end < end ? m->nodes[i].end : end;
		if (hi > lo)
			bytes[m->nodes[i].nid] += hi - lo;
	}
	/* Ties go to the node whose lines come first in the file. */
	for (i = 0; i < m->nr_nodes; i++) {
		if (bytes[m->nodes[i].nid] > best) {
			best = bytes[m->nodes[i].nid];
			nid = m->nodes[i].nid;
		}
	}
	return nid;
}
