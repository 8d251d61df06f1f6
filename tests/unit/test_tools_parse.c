// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl's parsers of /sys/firmware/tdx formats and command arguments.
 */
#include "tap.h"
#include "tools_run.h"
#include "tdx_iomem.h"
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

/* A QEMU guest's /proc/iomem, abridged, plus a nested and a kmem line. */
static const char iomem[] =
	"00000000-00000fff : Reserved\n"
	"00001000-0009fbff : System RAM\n"
	"0009fc00-0009ffff : Reserved\n"
	"000f0000-000fffff : Reserved\n"
	"  000f0000-000fffff : System ROM\n"
	"00100000-3ffdffff : System RAM\n"
	"  01000000-01ffffff : Kernel code\n"
	"3ffe0000-3fffffff : Reserved\n"
	"100000000-13fffffff : PCI Bus 0000:00\n"
	"  100000000-10fffffff : System RAM\n"
	"140000000-17fffffff : System RAM (kmem)\n";

static void iomem_ram(void)
{
	struct tdx_range buf[8];
	struct tdx_rangeset rs;
	u64 pos, s, e;
	int n;

	tdx_rs_init(&rs, buf, 8);
	TAP_OK(!tdx_iomem_parse(iomem, &rs), "iomem parses");
	TAP_EQ_U64(rs.nr, 2,
		   "two System RAM ranges: not the first MiB, not kmem");
	TAP_OK(rs.r[0].start == 0x100000 && rs.r[0].end == 0x3ffe0000,
	       "boot RAM from 1 MiB, ends before the reserved top: [0x%llx, 0x%llx)",
	       (unsigned long long)rs.r[0].start,
	       (unsigned long long)rs.r[0].end);
	TAP_OK(rs.r[1].start == 0x100000000ULL &&
	       rs.r[1].end == 0x110000000ULL, "nested System RAM counts");
	TAP_OK(!tdx_iomem_parse("000ff000-00100fff : System RAM\n"
				"00200800-002027ff : System RAM\n", &rs) &&
	       rs.nr == 2 && rs.r[0].start == 0x100000 &&
	       rs.r[0].end == 0x101000 && rs.r[1].start == 0x201000 &&
	       rs.r[1].end == 0x202000,
	       "clipped at 1 MiB, partial pages trimmed");
	TAP_EQ_U64(tdx_iomem_parse("00000000-00000000 : Reserved\n"
				   "00000000-00000000 : System RAM\n", &rs),
		   (u64)-EPERM, "zeroed addresses (not root): -EPERM");
	TAP_EQ_U64(tdx_iomem_parse("00001000-0009fbff System RAM\n", &rs),
		   (u64)-EINVAL, "line without \" : \" rejected");
	TAP_EQ_U64(tdx_iomem_parse("2000-1000 : System RAM\n", &rs),
		   (u64)-EINVAL, "reversed line rejected");
	TAP_OK(!tdx_iomem_parse("", &rs) && !rs.nr, "empty text: no RAM");
	TAP_EQ_U64(tdx_iomem_parse("101000-101fff : System RAM\n"
				   "103000-103fff : System RAM\n"
				   "105000-105fff : System RAM\n", &rs) ? 0 : rs.nr,
		   3, "three pages");
	TAP_OK(!tdx_iomem_parse("1000-9efff : System RAM\n", &rs) && !rs.nr,
	       "RAM below 1 MiB only: nothing");

	/* Parts of [0x0, 0x8000000) with the QEMU map: one, from 1 MiB. */
	tdx_iomem_parse(iomem, &rs);
	pos = 0;
	n = 0;
	while (tdx_ram_next(&rs, &pos, 0x8000000, &s, &e)) {
		TAP_OK(s == 0x100000 && e == 0x8000000,
		       "block 0's part starts at 1 MiB, clipped to the block");
		n++;
	}
	TAP_EQ_U64(n, 1, "block 0: one RAM part (the first MiB is not TDX memory)");
	pos = 0x38000000;
	TAP_OK(tdx_ram_next(&rs, &pos, 0x40000000, &s, &e) &&
	       s == 0x38000000 && e == 0x3ffe0000 &&
	       !tdx_ram_next(&rs, &pos, 0x40000000, &s, &e),
	       "last boot block: one part, up to the reserved top");
	pos = 0x40000000;
	TAP_OK(!tdx_ram_next(&rs, &pos, 0x48000000, &s, &e),
	       "a block in no RAM range: no parts");

	unsetenv("TDXCTL_PROC");
	setenv("TDXCTL_SYSFS", "/tmp/fake", 1);
	TAP_OK(!tdx_proc_root(), "fake sysfs without TDXCTL_PROC: no iomem");
	setenv("TDXCTL_PROC", "/tmp/fakeproc", 1);
	TAP_EQ_STR(tdx_proc_root(), "/tmp/fakeproc", "TDXCTL_PROC wins");
	unsetenv("TDXCTL_PROC");
	unsetenv("TDXCTL_SYSFS");
	TAP_EQ_STR(tdx_proc_root(), "/proc", "default /proc");
}

int main(void)
{
	ranges();
	tdmr_progress();
	numbers();
	iomem_ram();
	return tap_done();
}
