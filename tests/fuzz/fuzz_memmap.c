// SPDX-License-Identifier: GPL-2.0
/*
 * Memory-map files (tools/tdx_memmap.c, docs/memmap-format.md).
 * Properties: a rejected file names file and line and keeps nothing; an
 * accepted one has merged sets, CMRs within the module's rules, derived
 * CMRs inside RAM; printing what was parsed and parsing it again (lines
 * in reverse order too) gives the same sets; the node of a window is the
 * one the original quadratic lookup finds.
 */
#include "fuzz.h"
#include "tdx_abi.h"
#include "tdx_memmap.h"
#include "tdx_util.h"

/* The lookup before it was made linear: the oracle. */
static int ref_nid(const struct tdx_memmap *m, u64 start, u64 end)
{
	u64 best = 0, bytes, lo, hi;
	unsigned int i, j;
	int nid = -1;

	for (i = 0; i < m->nr_nodes; i++) {
		bytes = 0;
		if (i && m->nodes[i].nid == m->nodes[i - 1].nid)
			continue;
		for (j = i; j < m->nr_nodes; j++) {
			if (m->nodes[j].nid != m->nodes[i].nid)
				continue;
			lo = m->nodes[j].start > start ? m->nodes[j].start :
							 start;
			hi = m->nodes[j].end < end ? m->nodes[j].end : end;
			if (hi > lo)
				bytes += hi - lo;
		}
		if (bytes > best) {
			best = bytes;
			nid = m->nodes[i].nid;
		}
	}
	return nid;
}

static size_t put(char *buf, size_t at, const char *kind, u64 s, u64 e,
		  int nid)
{
	if (nid >= 0)
		return at + sprintf(buf + at, "node %d 0x%llx-0x%llx\n", nid,
				    (unsigned long long)s,
				    (unsigned long long)e - 1);
	return at + sprintf(buf + at, "%s 0x%llx-0x%llx%s\n", kind,
			    (unsigned long long)s,
			    (unsigned long long)(strcmp(kind, "e820") ? e :
						 e - 1),
			    strcmp(kind, "e820") ? "" : " usable");
}

/* What @m holds as a file: usable lines, node lines, cmr-excl lines. */
static char *print(const struct tdx_memmap *m, int reverse)
{
	unsigned int i, k, n = m->usable.nr + m->nr_nodes + m->cmrs.nr;
	char *buf = malloc((size_t)n * 96 + 1);
	size_t at = 0;

	if (!buf)
		abort();
	for (k = 0; k < m->usable.nr; k++) {
		i = reverse ? m->usable.nr - 1 - k : k;
		at = put(buf, at, "e820", m->usable.r[i].start,
			 m->usable.r[i].end, -1);
	}
	for (k = 0; k < m->nr_nodes; k++) {
		i = reverse ? m->nr_nodes - 1 - k : k;
		at = put(buf, at, "node", m->nodes[i].start, m->nodes[i].end,
			 m->nodes[i].nid);
	}
	/* CMRs must stay ascending. */
	for (i = 0; i < m->cmrs.nr; i++)
		at = put(buf, at, "cmr-excl", m->cmrs.r[i].start,
			 m->cmrs.r[i].end, -1);
	buf[at] = '\0';
	return buf;
}

static void check_accepted(const struct tdx_memmap *m)
{
	const struct tdx_rangeset *ram = tdx_memmap_ram(m);
	const struct tdx_rangeset *cmrs = tdx_memmap_cmrs(m);
	unsigned int i;
	u64 sum;

	FUZZ_CHECK(ram && ram->nr, "accepted file without RAM");
	FUZZ_CHECK(fuzz_rs_merged(&m->usable) && fuzz_rs_merged(&m->node_ram) &&
		   fuzz_rs_merged(&m->cmrs) && fuzz_rs_merged(&m->ram_cmrs),
		   "a set not sorted and merged");
	FUZZ_CHECK(m->nr_cmr <= TDX_MAX_CMRS && m->cmrs.nr <= m->nr_cmr,
		   "%u CMR lines, %u CMRs", m->nr_cmr, m->cmrs.nr);
	for (i = 0; i < m->cmrs.nr; i++)
		FUZZ_CHECK(!((m->cmrs.r[i].start | m->cmrs.r[i].end) & 0xfff) &&
			   m->cmrs.r[i].end <= 1ULL << TDX_MAX_PA_BITS,
			   "CMR [0x%llx, 0x%llx) breaks the module's rules",
			   (unsigned long long)m->cmrs.r[i].start,
			   (unsigned long long)m->cmrs.r[i].end);
	/* Derived CMRs: RAM rounded inward, never more than RAM. */
	for (i = 0; i < m->ram_cmrs.nr; i++)
		FUZZ_CHECK(!((m->ram_cmrs.r[i].start | m->ram_cmrs.r[i].end) &
			     0xfff) &&
			   fuzz_covered(ram, m->ram_cmrs.r[i].start,
					m->ram_cmrs.r[i].end),
			   "derived CMR [0x%llx, 0x%llx) not whole pages of RAM",
			   (unsigned long long)m->ram_cmrs.r[i].start,
			   (unsigned long long)m->ram_cmrs.r[i].end);
	FUZZ_CHECK(cmrs == (m->cmrs.nr ? &m->cmrs : &m->ram_cmrs),
		   "CMRs from the wrong source");
	/* Node lines are disjoint: their bytes add up to the node RAM. */
	for (i = 0, sum = 0; i < m->nr_nodes; i++)
		sum += m->nodes[i].end - m->nodes[i].start;
	FUZZ_CHECK(sum == tdx_rs_bytes(&m->node_ram), "node lines overlap");
	for (i = 0; i < m->nr_nodes; i++)
		FUZZ_CHECK(m->nodes[i].nid >= 0 && m->nodes[i].nid <= 1023 &&
			   m->nodes[i].start < m->nodes[i].end &&
			   fuzz_covered(&m->node_ram, m->nodes[i].start,
					m->nodes[i].end),
			   "node line %u outside the node RAM", i);
}

static void check_nid(const struct tdx_memmap *m, u64 s, u64 e)
{
	int a = tdx_memmap_nid(m, s, e), b = ref_nid(m, s, e);

	FUZZ_CHECK(a == b, "node of [0x%llx, 0x%llx): %d, oracle %d",
		   (unsigned long long)s, (unsigned long long)e, a, b);
}

static void round_trip(const struct tdx_memmap *m, int reverse)
{
	struct tdx_memmap m2;
	char err[TDXCTL_ERRLEN + 64], *text = print(m, reverse);
	int ret = tdx_memmap_parse(text, "again", &m2, err, sizeof(err));

	FUZZ_CHECK(!ret, "printed map rejected: %s\n%s", err, text);
	FUZZ_CHECK(fuzz_rs_equal(&m->usable, &m2.usable) &&
		   fuzz_rs_equal(&m->node_ram, &m2.node_ram) &&
		   fuzz_rs_equal(&m->cmrs, &m2.cmrs) &&
		   fuzz_rs_equal(&m->ram_cmrs, &m2.ram_cmrs) &&
		   m->nr_nodes == m2.nr_nodes,
		   "printed map (reverse %d) parses differently:\n%s",
		   reverse, text);
	free(text);
	tdx_memmap_free(&m2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[TDXCTL_ERRLEN + 64], *text = fuzz_str(data, size);
	struct tdx_memmap m;
	unsigned int i;
	int ret;

	err[0] = '\0';
	ret = tdx_memmap_parse(text, "f", &m, err, sizeof(err));
	if (ret) {
		FUZZ_CHECK(ret == -EINVAL || ret == -ENOMEM, "returned %d",
			   ret);
		FUZZ_CHECK(!strncmp(err, "f:", 2) && strlen(err) > 3,
			   "error without the file: \"%s\"", err);
		FUZZ_CHECK(!m.nodes && !m.usable.r && !m.node_ram.r &&
			   !m.cmrs.r && !m.ram_cmrs.r,
			   "rejected file left memory behind");
		free(text);
		return 0;
	}
	check_accepted(&m);
	check_nid(&m, 0, ~0ULL);
	for (i = 0; i < m.nr_nodes && i < 8; i++)
		check_nid(&m, m.nodes[i].start, m.nodes[i].end);
	for (i = 0; i + 1 < m.usable.nr && i < 8; i++)
		check_nid(&m, m.usable.r[i].start, m.usable.r[i + 1].end);
	round_trip(&m, 0);
	round_trip(&m, 1);
	tdx_memmap_free(&m);
	free(text);
	return 0;
}
