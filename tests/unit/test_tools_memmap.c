// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl's memory-map parser: every data file parses with the facts its
 * header states; malformed input is rejected naming file and line.
 */
#include <dirent.h>

#include "tap.h"
#include "tools_run.h"
#include "tdx_memmap.h"
#include "tdx_util.h"

static void parse_all_files(void)
{
	char dir[PATH_MAX], path[PATH_MAX * 2], err[512];
	struct tdx_memmap m;
	struct dirent *de;
	int n = 0;
	DIR *d;

	memmap_dir(dir, sizeof(dir));
	d = opendir(dir);
	if (!TAP_OK(d, "memmap directory %s opens", dir))
		return;
	while ((de = readdir(d))) {
		if (!strstr(de->d_name, ".txt"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (TAP_OK(!tdx_memmap_load(path, &m, err, sizeof(err)),
			   "%s parses", de->d_name)) {
			TAP_OK(tdx_memmap_ram(&m) && tdx_rs_bytes(tdx_memmap_ram(&m)) > (1ULL << 30),
			       "%s has more than 1 GiB of RAM", de->d_name);
			TAP_OK(tdx_memmap_cmrs(&m)->nr > 0, "%s has CMRs",
			       de->d_name);
			tdx_memmap_free(&m);
		} else {
			printf("#   %s\n", err);
		}
		n++;
	}
	closedir(d);
	TAP_OK(n >= 5, "found %d memmap files (want >= 5)", n);
}

static int load(const char *name, struct tdx_memmap *m)
{
	char dir[PATH_MAX], path[PATH_MAX * 2], err[512];
	int ret;

	memmap_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ret = tdx_memmap_load(path, m, err, sizeof(err));
	if (ret)
		printf("#   %s\n", err);
	return ret;
}

static void file_facts(void)
{
	struct tdx_memmap m;

	if (!load("tdx-emr-fcp-canonical135-cmr.txt", &m)) {
		TAP_EQ_U64(m.nr_cmr, 5, "canonical135: 5 CMRs");
		TAP_EQ_U64(m.cmrs.r[0].start, 0x100000, "first CMR start");
		TAP_EQ_U64(m.cmrs.r[0].end, 0x6f800000,
			   "cmr-excl end is exclusive");
		TAP_OK(tdx_memmap_ram(&m) == &m.cmrs,
		       "no e820/node lines: RAM is the CMRs");
		tdx_memmap_free(&m);
	}
	if (!load("dell-r7425-epyc-1tb.txt", &m)) {
		TAP_EQ_U64(m.nr_nodes, 13, "dell: 13 node lines");
		TAP_EQ_U64(m.nr_cmr, 0, "dell: no CMR lines");
		TAP_EQ_U64(tdx_memmap_nid(&m, 0x2080000000ULL, 0x20c0000000ULL),
			   1, "dell: 0x2080000000 is node 1");
		TAP_EQ_U64(tdx_memmap_nid(&m, 0xfe00000000ULL, 0xfe40000000ULL),
			   7, "dell: node 7 split by the hole still node 7");
		TAP_OK(tdx_memmap_cmrs(&m) == &m.ram_cmrs,
		       "dell: CMRs derived from usable e820");
		tdx_memmap_free(&m);
	}
	if (!load("sun-x4600m2-8s-128g.txt", &m)) {
		TAP_EQ_U64(m.usable.r[0].end, 0x99c00,
			   "sun: e820 end inclusive (0x99bff -> 0x99c00)");
		TAP_EQ_U64(tdx_memmap_cmrs(&m)->r[0].end, 0x99000,
			   "sun: derived CMR rounded down to 4 KiB");
		tdx_memmap_free(&m);
	}
}

struct bad {
	const char *text;
	const char *where;	/* "t.txt:N:" */
	const char *what;	/* substring of the message */
};

static const struct bad bad[] = {
	{ "e820 0x0-0xfff usable\nfoo 0x0-0x1\n", "t.txt:2:", "unknown record" },
	{ "# c\n\ne820 0x0-0xfff ram\n", "t.txt:3:", "unknown e820 type" },
	{ "e820 0x2000-0x1000 usable\n", "t.txt:1:", "reversed" },
	{ "e820 0x0-0xfff\n", "t.txt:1:", "expected" },
	{ "e820 0x0-0xfff usable extra\n", "t.txt:1:", "expected" },
	{ "e820 0x0-0xfff usable a b c\n", "t.txt:1:", "too many fields" },
	{ "e820 0x0-zz usable\n", "t.txt:1:", "not a 0xSTART-0xEND" },
	{ "e820 0-0xfff usable\n", "t.txt:1:", "not a 0xSTART-0xEND" },
	{ "e820 0x0-0xffffffffffffffff usable\n", "t.txt:1:", "2^64" },
	{ "e820 0x0-0x1ffffffffffffffff usable\n", "t.txt:1:", "not a 0xSTART" },
	{ "node x 0x0-0xfff\n", "t.txt:1:", "bad node number" },
	{ "node 99999 0x0-0xfff\n", "t.txt:1:", "bad node number" },
	{ "cmr 0x800-0x1fff\n", "t.txt:1:", "4 KiB" },
	{ "cmr-excl 0x1000-0x1000\n", "t.txt:1:", "empty" },
	{ "cmr 0x2000-0x2fff\ncmr 0x1000-0x1fff\n", "t.txt:2:", "ascending" },
	{ "cmr 0x1000-0x2fff\ncmr-excl 0x2000-0x4000\n", "t.txt:2:", "ascending" },
	{ "cmr 0x1000-0x1fff\ncmr\n", "t.txt:2:", "expected" },
	{ "# only comments\n\n", "t.txt:", "no memory described" },
	{ "e820 0x0-0xfff reserved\n", "t.txt:", "no memory described" },
};

static void malformed(void)
{
	struct tdx_memmap m;
	char err[512], many[64 * 40];
	unsigned int i;
	size_t n = 0;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		TAP_OK(tdx_memmap_parse(bad[i].text, "t.txt", &m, err,
					sizeof(err)) &&
		       !strncmp(err, bad[i].where, strlen(bad[i].where)) &&
		       strstr(err, bad[i].what),
		       "bad input %u rejected: \"%s\"", i, err);
		TAP_OK(!m.nodes && !m.usable.r, "bad input %u: nothing kept",
		       i);
	}
	for (i = 0; i < 33; i++)
		n += snprintf(many + n, sizeof(many) - n, "cmr 0x%x-0x%x\n",
			      (i + 1) << 20, ((i + 1) << 20) + 0xfff);
	TAP_OK(tdx_memmap_parse(many, "t.txt", &m, err, sizeof(err)) &&
	       strstr(err, "t.txt:33:") && strstr(err, "more than 32"),
	       "33rd CMR rejected: \"%s\"", err);
}

static void good_syntax(void)
{
	const char *text =
		"  # indented comment\n"
		"e820 0x0-0x9ffff usable   # trailing comment\n"
		"\te820\t0x100000-0x7fffffff\tusable\r\n"
		"e820 0x80000000-0x8fffffff soft-reserved\n"
		"node 0 0x0-0x3fffffff\n"
		"node 1 0x40000000-0x7fffffff\n"
		"cmr 0x100000-0x3fffffff\n"
		"cmr-excl 0x40000000-0x80000000\n";
	struct tdx_memmap m;
	char err[512] = "";

	if (!TAP_OK(!tdx_memmap_parse(text, "g.txt", &m, err, sizeof(err)),
		    "well-formed file parses (%s)", err))
		return;
	TAP_EQ_U64(m.usable.nr, 2, "two usable ranges");
	TAP_EQ_U64(m.nr_e820, 3, "three e820 lines counted");
	TAP_EQ_U64(m.cmrs.nr, 1, "touching CMRs merge");
	TAP_EQ_U64(m.cmrs.r[0].end, 0x80000000, "merged CMR end");
	TAP_EQ_U64(tdx_memmap_nid(&m, 0x40000000, 0x50000000), 1, "node 1");
	TAP_EQ_U64(tdx_memmap_nid(&m, 0x100000000ULL, 0x110000000ULL),
		   (u64)-1, "no node beyond the node lines");
	tdx_memmap_free(&m);
}

int main(void)
{
	parse_all_files();
	file_facts();
	malformed();
	good_syntax();
	return tap_done();
}
