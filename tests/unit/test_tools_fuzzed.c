// SPDX-License-Identifier: GPL-2.0
/*
 * Regressions for what tests/fuzz/fuzz_sysfs, fuzz_iomem and fuzz_memmap found in
 * tdxctl's parsers: each input below was accepted (or left output
 * behind) before the fix.
 */
#include "tap.h"
#include "tdx_iomem.h"
#include "tdx_memblock.h"
#include "tdx_memmap.h"
#include "tdx_sysfs.h"
#include "tdx_util.h"

static void numbers(void)
{
	char zeros[100];
	u64 v = 7;

	/* strtoull() after our own 0x took a second prefix */
	TAP_OK(tdx_parse_u64("0x0x10", &v) && v == 7, "0x0x10 rejected");
	TAP_OK(tdx_parse_u64("0X0X10", &v) && v == 7, "0X0X10 rejected");
	v = 7;
	TAP_OK(tdx_parse_u64("0x+10", &v) && tdx_parse_u64("0x 10", &v) &&
	       tdx_parse_u64(" 10", &v) && tdx_parse_u64("+10", &v) && v == 7,
	       "sign or blank anywhere rejected");
	TAP_OK(!tdx_parse_u64("0xffffffffffffffff", &v) && v == ~0ULL &&
	       !tdx_parse_u64("18446744073709551615", &v) && v == ~0ULL,
	       "2^64-1 both ways");
	TAP_OK(tdx_parse_u64("18446744073709551616", &v) &&
	       tdx_parse_u64("0x10000000000000000", &v),
	       "2^64 both ways rejected");
	v = 7;
	TAP_OK(tdx_parse_block_size("0x8000000", &v) && v == 7,
	       "block_size_bytes with a 0x prefix rejected (0x0x before)");
	TAP_OK(!tdx_parse_block_size("8000000", &v) && v == 0x8000000,
	       "block_size_bytes 8000000 is 128 MiB");
	memset(zeros, '0', sizeof(zeros));
	strcpy(zeros + sizeof(zeros) - 6, "80000");
	TAP_OK(!tdx_parse_block_size(zeros, &v) && v == 0x80000,
	       "%zu leading zeros accepted (refused by a buffer's length before)",
	       sizeof(zeros) - 6);
	TAP_OK(tdx_parse_block_size("0", &v) && tdx_parse_block_size("", &v),
	       "block size 0 or empty rejected");
}

static void progress_tdmrs(void)
{
	struct tdx_tdmr_line t = { .pamt = 7 };
	u64 d = 7, tot = 7;

	/* sscanf("%llu %llu") read "-0" as the second number */
	TAP_OK(tdx_parse_progress("20000-0", &d, &tot) && d == 7 && tot == 7,
	       "progress \"20000-0\" rejected");
	TAP_OK(tdx_parse_progress("-1 5", &d, &tot) &&
	       tdx_parse_progress("99999999999999999999 1", &d, &tot) &&
	       tdx_parse_progress("1 +2", &d, &tot) && d == 7,
	       "progress: sign, overflow rejected");
	TAP_OK(!tdx_parse_progress(" 1048576\t4194304\r\n", &d, &tot) &&
	       d == 1048576 && tot == 4194304, "progress with blanks around");

	TAP_OK(tdx_parse_tdmr_line("0x0-0xfff pamt=-1 reserved=3", &t) &&
	       t.pamt == 7, "tdmrs: pamt=-1 (2^64-1 by sscanf) rejected");
	TAP_OK(tdx_parse_tdmr_line("0x0-0xfff pamt= 5 reserved=3", &t) &&
	       tdx_parse_tdmr_line("0x0-0xfff pamt=5 reserved=4294967296", &t) &&
	       tdx_parse_tdmr_line("0x0-0xfff pamt=99999999999999999999 reserved=1",
				   &t) && t.pamt == 7,
	       "tdmrs: blank after '=', 32-bit and 64-bit overflow rejected");
	TAP_OK(!tdx_parse_tdmr_line("0x40000000-0x7fffffff pamt=4198400 reserved=4294967295\n",
				    &t) && t.start == 0x40000000 &&
	       t.end == 0x80000000 && t.pamt == 4198400 &&
	       t.nr_rsvd == 4294967295U, "tdmrs: the kernel's line");
}

/* A failed parse leaves the caller's set empty, not half filled. */
static void nothing_left(void)
{
	struct tdx_range buf[4];
	struct tdx_rangeset rs;
	char err[128], text[400];

	tdx_rs_init(&rs, buf, 4);
	TAP_OK(tdx_parse_ranges("0x1000-0x1fff\nbad\n", &rs, err,
				sizeof(err)) && rs.nr == 0,
	       "range list with a bad line: set left empty");
	memset(text, '1', sizeof(text));
	memcpy(text, "00100000-001fffff : System RAM\n", 31);
	text[sizeof(text) - 1] = '\0';
	TAP_OK(tdx_iomem_parse(text, &rs) == -EINVAL && rs.nr == 0,
	       "iomem line too long after a RAM line: set left empty");
}

/*
 * Overlapping node lines: the node of a range was a sum per node that
 * counted shared bytes twice and wrapped past 2^64 (fuzz_memmap: node 7
 * chosen where the lines give node 4 most). Refused now.
 */
static void node_overlap(void)
{
	static const char * const bad[] = {
		"node 0 0x0-0xfff\nnode 1 0x800-0x1fff\n",
		"node 4 0x1000-0xfffffffffffff000\nnode 4 0x1000-0xfffffffffffff000\n",
		"node 1 0x100000-0x1fffff\nnode 0 0x0-0xfffffff\n",
	};
	struct tdx_memmap m;
	char err[256];
	unsigned int i;

	for (i = 0; i < 3; i++)
		TAP_OK(tdx_memmap_parse(bad[i], "t", &m, err, sizeof(err)) ==
		       -EINVAL && strstr(err, "t: node lines overlap at") &&
		       !m.nodes, "overlapping node lines %u refused: %s", i,
		       err);
	TAP_OK(!tdx_memmap_parse("node 0 0x0-0xfff\nnode 1 0x1000-0x1fff\n"
				 "node 0 0x2000-0x2fff\n", "t", &m, err,
				 sizeof(err)) &&
	       tdx_memmap_nid(&m, 0, 0x3000) == 0,
	       "touching node lines fine, split node counted once");
	tdx_memmap_free(&m);
}

int main(void)
{
	numbers();
	progress_tdmrs();
	nothing_left();
	node_overlap();
	return tap_done();
}
