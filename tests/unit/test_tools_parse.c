// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl's parsers of /sys/firmware/tdx formats and command arguments.
 */
#include "tap.h"
#include "tools_run.h"
#include "tdx_memblock.h"
#include "tdx_sysfs.h"
#include "tdx_util.h"

static void ranges(void)
{
	struct tdx_range buf[8];
	struct tdx_rangeset rs;
	char err[256] = "";

	tdx_rs_init(&rs, buf, 8);
	TAP_OK(!tdx_parse_ranges("0x100000-0x7fffffff\n0x100000000-0x17fffffff  \n\n",
				 &rs, err, sizeof(err)), "range list parses");
	TAP_EQ_U64(rs.nr, 2, "two ranges");
	TAP_EQ_U64(rs.r[0].end, 0x80000000, "END is inclusive");
	TAP_EQ_U64(rs.r[1].start, 0x100000000ULL, "second start");
	TAP_OK(!tdx_parse_ranges("", &rs, err, sizeof(err)) && rs.nr == 0,
	       "empty file: empty set");
	TAP_OK(!tdx_parse_ranges("0x0-0xfff", &rs, err, sizeof(err)) &&
	       rs.nr == 1 && rs.r[0].end == 0x1000, "no trailing newline");
	TAP_OK(!tdx_parse_ranges("0x0-0xfff\n0x1000-0x1fff\n", &rs, err,
				 sizeof(err)) && rs.nr == 1,
	       "adjacent ranges merge");
	TAP_OK(tdx_parse_ranges("0x0-0xfff\n0x2000 0x3000\n", &rs, err,
				sizeof(err)) && strstr(err, "line 2"),
	       "bad line named: %s", err);
	TAP_OK(tdx_parse_ranges("0x3000-0x2000\n", &rs, err, sizeof(err)),
	       "reversed range rejected");
	TAP_OK(tdx_parse_ranges("0x0-0xfff trailing\n", &rs, err, sizeof(err)),
	       "trailing junk rejected");
}

static void tdmr_progress(void)
{
	struct tdx_tdmr_line t;
	u64 d, tot;

	TAP_OK(!tdx_parse_tdmr_line("0x0-0x7fffffff pamt=8392704 reserved=3",
				    &t) && t.end == 0x80000000 &&
	       t.pamt == 8392704 && t.nr_rsvd == 3, "tdmr line parses");
	TAP_OK(tdx_parse_tdmr_line("0x0-0x7fffffff pamt=1", &t),
	       "tdmr line without reserved= rejected");
	TAP_OK(tdx_parse_tdmr_line("0x0-0x7fffffff pamt=1 reserved=2 x", &t),
	       "tdmr line with junk rejected");
	TAP_OK(!tdx_parse_progress("1048576 4194304\n", &d, &tot) &&
	       d == 1048576 && tot == 4194304, "progress parses");
	TAP_OK(tdx_parse_progress("12", &d, &tot), "half progress rejected");
}

static void numbers(void)
{
	char buf[32];
	u64 v, s, e;
	unsigned long id;

	TAP_OK(!tdx_parse_u64("0x1F", &v) && v == 0x1f, "hex");
	TAP_OK(!tdx_parse_u64("42", &v) && v == 42, "decimal");
	TAP_OK(tdx_parse_u64("-1", &v), "negative rejected");
	TAP_OK(tdx_parse_u64("0x", &v), "bare 0x rejected");
	TAP_OK(tdx_parse_u64("12k", &v), "suffix rejected");
	TAP_OK(tdx_parse_u64("0x10000000000000000", &v), "overflow rejected");
	TAP_OK(!tdx_parse_range("0x1000-0x1fff", &s, &e) && s == 0x1000 &&
	       e == 0x2000, "range inclusive");
	TAP_OK(tdx_parse_range("0x0-0xffffffffffffffff", &s, &e),
	       "range ending at 2^64-1 rejected (no room for end)");
	TAP_OK(tdx_parse_range("0x2-0x1", &s, &e), "reversed rejected");
	TAP_OK(!tdx_memblock_parse_name("memory12", &id) && id == 12,
	       "memory12");
	TAP_OK(!tdx_memblock_parse_name("7", &id) && id == 7, "7");
	TAP_OK(tdx_memblock_parse_name("memoryx", &id), "memoryx rejected");
	TAP_OK(tdx_memblock_parse_name("012", &id), "leading zero rejected");
	TAP_OK(tdx_memblock_parse_name("mem1", &id), "mem1 rejected");
	tdx_fmt_size(0, buf, sizeof(buf));
	TAP_EQ_STR(buf, "0 B", "0 B");
	tdx_fmt_size(128ULL << 20, buf, sizeof(buf));
	TAP_EQ_STR(buf, "128 MiB", "128 MiB");
	tdx_fmt_size(3ULL << 29, buf, sizeof(buf));
	TAP_EQ_STR(buf, "1.5 GiB", "1.5 GiB");
	tdx_fmt_size(~0ULL, buf, sizeof(buf));
	TAP_OK(strstr(buf, "EiB") != NULL, "2^64-1 in EiB: %s", buf);
}

int main(void)
{
	ranges();
	tdmr_progress();
	numbers();
	return tap_done();
}
