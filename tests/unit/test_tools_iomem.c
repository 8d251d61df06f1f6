// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/iomem numbers are bare hex as the kernel prints them ("%0*llx"):
 * a sign, a 0x prefix or a blank inside is malformed, never read as a
 * wrapped or signed value; a failed parse leaves no RAM behind.
 */
#include "tap.h"
#include "tdx_iomem.h"

static struct tdx_range buf[8];
static struct tdx_rangeset rs;

/* Parse @text after a valid line was parsed: the result and the set. */
static int parse(const char *text)
{
	tdx_iomem_parse("00100000-001fffff : System RAM\n", &rs);
	return tdx_iomem_parse(text, &rs);
}

static void rejected(const char *text, const char *what)
{
	int ret = parse(text);

	TAP_OK(ret == -EINVAL && rs.nr == 0, "%s: -EINVAL, no RAM (got %d, %u ranges)",
	       what, ret, rs.nr);
}

int main(void)
{
	tdx_rs_init(&rs, buf, 8);

	/* The issue-10 lines: a negative END, a start that wraps rounded up */
	rejected("fffffffffffff001--f : System RAM\n",
		 "signed END \"-f\" (strtoull would read 2^64-15)");
	TAP_OK(!parse("fffffffffffff001-fffffffffffffffe : System RAM\n") &&
	       rs.nr == 0,
	       "start in the last page: no RAM, nothing wraps to 0");
	rejected("100000-ffffffffffffffff : System RAM\n",
		 "RAM up to 2^64-1: no exclusive end (e + 1 wraps to 0)");

	rejected("+100000-1fffff : System RAM\n", "plus sign");
	rejected("100000-+1fffff : System RAM\n", "plus sign on END");
	rejected("-1-2 : Reserved\n", "minus sign on a non-RAM line");
	rejected("0x100000-0x1fffff : System RAM\n", "0x prefix");
	rejected("100000- 1fffff : System RAM\n", "blank before END");
	rejected("100000 -1fffff : System RAM\n", "blank before the dash");
	rejected("10000000000000000-10000000000000fff : System RAM\n",
		 "17 significant hex digits overflow");
	rejected("-1fffff : System RAM\n", "no START");
	rejected("100000- : System RAM\n", "no END");
	rejected("100000-1fffff :System RAM\n", "no blank after the colon");
	rejected("00100000-001fffff : System RAM\n"
		 "00200000-002fffff System RAM\n",
		 "bad second line: the first line's RAM dropped too");

	TAP_OK(!parse("0000000000100000-00000000001FFFFF : System RAM\n") &&
	       rs.nr == 1 && rs.r[0].start == 0x100000 &&
	       rs.r[0].end == 0x200000,
	       "16 digits with leading zeros, either case");
	TAP_OK(!parse("  00100000-001fffff : System RAM\n") && rs.nr == 1,
	       "indentation (nested resources) allowed");
	TAP_OK(!parse("fffffffffffff000-fffffffffffffffe : Reserved\n") &&
	       rs.nr == 0, "non-RAM line near the top: accepted, no RAM");
	return tap_done();
}
