// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl plan --memmap on maps far larger than any machine's: results
 * pinned (the node of each TDMR, the layout error naming the count), in
 * any line order. These took minutes when node lookup and range-set
 * insertion were quadratic; `make bench` (bench_plan) has the timings.
 * Also the derived-CMR wrap.
 */
#include "tap.h"
#include "tools_run.h"
#include "tdx_memmap.h"

#define G	0x40000000ULL

static char path[PATH_MAX];

/* The text of @n lines from @line(i, buf), in order or shuffled. */
static char *lines(unsigned int n, bool shuffle,
		   int (*line)(unsigned int, char *, size_t))
{
	unsigned int *order = malloc(n * sizeof(*order)), i, j, t;
	char *text = malloc((size_t)n * 64 + 1);
	size_t len = 0;
	u64 seed = 42;

	if (!order || !text)
		exit(2);
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n; shuffle && i > 1; i--) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		j = (seed >> 33) % i;
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	for (i = 0; i < n; i++)
		len += line(order[i], text + len, 64);
	text[len] = '\0';
	free(order);
	return text;
}

static int plan_file(struct run *r, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f))
		exit(2);
	return run_cmd(r, cmd_plan, "plan", "--memmap", path, NULL);
}

/*
 * 40,960 node lines alternating between nodes 0 and 1 in 64 regions of
 * 16 GiB, 16 GiB apart: 64 TDMRs. Node 0 holds 3/4 of even regions, 1/4
 * of odd ones.
 */
#define PER_REGION	640
#define NODE_LINES	(64 * PER_REGION)

static int node_line(unsigned int i, char *buf, size_t len)
{
	unsigned int reg = i / PER_REGION, k = i % PER_REGION;
	u64 pair = 16 * G / (PER_REGION / 2) & ~0xfffULL;
	u64 n0 = (reg % 2 ? pair / 4 : pair / 4 * 3) & ~0xfffULL;
	u64 s = (u64)(reg + 1) * 32 * G + (k / 2) * pair;
	u64 a = k % 2 ? s + n0 : s, e = k % 2 ? s + pair : s + n0;

	return snprintf(buf, len, "node %u 0x%llx-0x%llx\n", k % 2,
			(unsigned long long)a, (unsigned long long)e - 1);
}

static void many_nodes(void)
{
	unsigned int reg, bad = 0, nodes[2] = { 0 };
	struct run r;
	char want[32], *text, *p;

	text = lines(NODE_LINES, false, node_line);
	plan_file(&r, text);
	free(text);
	TAP_EQ_U64(r.rc, 0, "40,960 node lines: plan succeeds (%s)", r.err);
	/* "  TDMR 7: 0x...-0x...    16 GiB node 1, ..." */
	for (reg = 0; reg < 64; reg++) {
		snprintf(want, sizeof(want), "  TDMR %u: ", reg);
		p = strstr(r.out, want);
		p = p ? strstr(p, " node ") : NULL;
		if (!p || (unsigned int)atoi(p + 6) != reg % 2)
			bad++;
		else
			nodes[reg % 2]++;
	}
	TAP_OK(!bad && nodes[0] == 32 && nodes[1] == 32,
	       "each TDMR labelled with the node holding most of it (%u wrong)",
	       bad);
}

/* 200,000 usable lines of 16 KiB, 16 KiB apart: every gap a CMR hole. */
static int e820_line(unsigned int i, char *buf, size_t len)
{
	u64 s = 0x100000 + (u64)i * 0x8000;

	return snprintf(buf, len, "e820 0x%llx-0x%llx usable\n",
			(unsigned long long)s,
			(unsigned long long)s + 0x3fff);
}

static int e820_touching(unsigned int i, char *buf, size_t len)
{
	u64 s = 0x100000 + (u64)i * 0x8000;

	return snprintf(buf, len, "e820 0x%llx-0x%llx usable\n",
			(unsigned long long)s,
			(unsigned long long)s + 0x7fff);
}

static void many_e820(void)
{
	char *text, want[160];
	struct run r;

	snprintf(want, sizeof(want), "tdxctl: layout failed: %s: %s",
		 "TDMR [0x0, 0x1c0000000)",
		 "reserved areas exhausted (200001 needed, 16 allowed)");

	text = lines(200000, false, e820_line);
	plan_file(&r, text);
	free(text);
	TAP_OK(r.rc == 1 && !strcmp(r.err, want),
	       "200,000 e820 lines with holes: the layout error counts them: %s",
	       r.err);
	text = lines(200000, true, e820_line);
	plan_file(&r, text);
	free(text);
	TAP_OK(r.rc == 1 && !strcmp(r.err, want),
	       "the same lines shuffled: the same result");
	text = lines(200000, true, e820_touching);
	plan_file(&r, text);
	free(text);
	TAP_OK(r.rc == 0 && strstr(r.out, "RAM:           1 range(s), 6.1 GiB"),
	       "200,000 touching lines, shuffled: one RAM range (%s)", r.err);
}

/*
 * A usable range starting in the last page, rounded up to 4 KiB,
 * wrapped to 0, and the derived CMR covered [0, 2^64-4K).
 */
static void derived_cmr_wrap(void)
{
	const struct tdx_rangeset *c;
	struct tdx_memmap m;
	char err[256];

	if (!TAP_OK(!tdx_memmap_parse("e820 0x100000-0x7fffffff usable\n"
				      "e820 0xfffffffffffff964-0xfffffffffffffa7f usable\n",
				      "t.txt", &m, err, sizeof(err)),
		    "RAM in the last page parses"))
		return;
	c = tdx_memmap_cmrs(&m);
	TAP_OK(c->nr == 1 && c->r[0].start == 0x100000 &&
	       c->r[0].end == 0x80000000,
	       "derived CMRs: only [0x100000, 0x80000000), nothing from the top page (%u, [0x%llx, 0x%llx))",
	       c->nr, (unsigned long long)c->r[0].start,
	       (unsigned long long)c->r[0].end);
	tdx_memmap_free(&m);
}

int main(void)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/tdxctl-memmap.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return 2;
	close(fd);
	derived_cmr_wrap();
	many_nodes();
	many_e820();
	unlink(path);
	return tap_done();
}
