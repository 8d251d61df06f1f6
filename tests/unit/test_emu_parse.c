// SPDX-License-Identifier: GPL-2.0
/*
 * tdx_emu_parse: the configfs text formats of tdx_emu (CMRs, LPs, KeyIDs,
 * version, faults, transient rates). Good input round
 * trips; malformed input gives -EINVAL and leaves the output untouched.
 */
#include "tap.h"
#include "tdx_emu_parse.h"

#define P(s) s, strlen(s)

static void test_u64(void)
{
	u64 v = 7;

	TAP_OK(!tdx_emu_parse_u64(P("0x10\n"), 0, 100, &v) && v == 16, "u64 hex");
	TAP_OK(!tdx_emu_parse_u64(P(" 42 "), 0, 100, &v) && v == 42, "u64 decimal");
	TAP_OK(tdx_emu_parse_u64(P("101"), 0, 100, &v) == -EINVAL && v == 42,
	       "u64 above max refused, value kept");
	TAP_OK(tdx_emu_parse_u64(P("4x"), 0, 100, &v) == -EINVAL, "u64 junk");
	TAP_OK(tdx_emu_parse_u64(P(""), 0, 100, &v) == -EINVAL, "u64 empty");
	TAP_OK(tdx_emu_parse_u64(P("-1"), 0, 100, &v) == -EINVAL, "u64 sign");
	TAP_OK(tdx_emu_parse_u64(P("0x10000000000000000"), 0, ~0ULL, &v) ==
	       -EINVAL, "u64 overflow");
	TAP_OK(tdx_emu_parse_u64(P("1 2"), 0, 100, &v) == -EINVAL, "u64 two");
}

static void test_cmrs(void)
{
	struct tdx_cmr_info c[TDX_MAX_CMRS] = { { 0, 0 } };
	unsigned int nr = 99;
	char buf[1200], many[1200];
	int i, n = 0;

	TAP_OK(!tdx_emu_parse_cmrs(P("0x0-0x7fffffff,0x100000000-0x17fffffff\n"),
				   c, &nr) && nr == 2 && c[0].base == 0 &&
	       c[0].size == 0x80000000ULL && c[1].base == 0x100000000ULL &&
	       c[1].size == 0x80000000ULL, "cmrs: two inclusive ranges");
	tdx_emu_format_cmrs(c, nr, buf, sizeof(buf));
	TAP_EQ_STR(buf, "0x0-0x7fffffff\n0x100000000-0x17fffffff\n",
		   "cmrs: read back");
	TAP_OK(!tdx_emu_parse_cmrs(P("0x1000-0x1ffe 0x0-0xfff"), c, &nr) &&
	       nr == 2 && c[0].size == 0xfff,
	       "cmrs: kept as written (SYS.INIT judges order/alignment)");
	TAP_OK(tdx_emu_parse_cmrs(P("0x2000-0x1000"), c, &nr) == -EINVAL &&
	       nr == 2, "cmrs: start > end refused, list kept");
	TAP_OK(tdx_emu_parse_cmrs(P("0x1000"), c, &nr) == -EINVAL, "cmrs: no end");
	TAP_OK(tdx_emu_parse_cmrs(P("0x1000-0x2000x"), c, &nr) == -EINVAL,
	       "cmrs: junk");
	TAP_OK(tdx_emu_parse_cmrs(P(" \n"), c, &nr) == -EINVAL, "cmrs: empty");
	TAP_OK(tdx_emu_parse_cmrs(P("0x0-0xffffffffffffffff"), c, &nr) == -EINVAL,
	       "cmrs: size overflow");
	for (i = 0; i < 33; i++)
		n += snprintf(many + n, sizeof(many) - n, "0x%x-0x%x ",
			      i * 0x2000, i * 0x2000 + 0xfff);
	TAP_OK(tdx_emu_parse_cmrs(many, n, c, &nr) == -EINVAL && nr == 2,
	       "cmrs: 33 ranges refused");
}

static void test_lps(void)
{
	static struct tdx_emu_lp lps[TDX_EMU_MAX_LPS];
	unsigned int nr = 99;
	char buf[256];

	TAP_OK(!tdx_emu_parse_lps(P("0-1:0 8-9:1\n"), lps, &nr) && nr == 4 &&
	       lps[0].apic_id == 0 && lps[1].apic_id == 1 && lps[1].pkg == 0 &&
	       lps[2].apic_id == 8 && lps[3].apic_id == 9 && lps[3].pkg == 1,
	       "lps: two packages by APIC id");
	tdx_emu_format_lps(lps, nr, buf, sizeof(buf));
	TAP_EQ_STR(buf, "0-1:0 8-9:1\n", "lps: read back");
	TAP_OK(!tdx_emu_parse_lps(P("0x10:2,0:0\n4:0 5:0"), lps, &nr) &&
	       nr == 4 && lps[0].apic_id == 0 && lps[1].apic_id == 4 &&
	       lps[3].apic_id == 16 && lps[3].pkg == 2,
	       "lps: hex, any order, kept sorted by APIC id");
	tdx_emu_format_lps(lps, nr, buf, sizeof(buf));
	TAP_EQ_STR(buf, "0:0 4-5:0 16:2\n", "lps: runs merged on read back");
	TAP_OK(tdx_emu_parse_lps(P("0-3:0 2:1"), lps, &nr) == -EINVAL &&
	       nr == 4 && lps[3].apic_id == 16,
	       "lps: APIC id twice refused, list kept");
	TAP_OK(tdx_emu_parse_lps(P("3-1:0"), lps, &nr) == -EINVAL,
	       "lps: reversed range");
	TAP_OK(tdx_emu_parse_lps(P("0xffffffff:0"), lps, &nr) == -EINVAL,
	       "lps: the broadcast APIC id");
	TAP_OK(!tdx_emu_parse_lps(P("0xfffffffe:0xffffffff"), lps, &nr) &&
	       nr == 1 && lps[0].pkg == 0xffffffffU,
	       "lps: highest APIC id, any package (LP.INIT judges it)");
	TAP_OK(tdx_emu_parse_lps(P("0:0x100000000"), lps, &nr) == -EINVAL,
	       "lps: package beyond 32 bits");
	TAP_OK(!tdx_emu_parse_lps(P("0-1023:0"), lps, &nr) && nr == 1024,
	       "lps: 1024 LPs");
	TAP_OK(tdx_emu_parse_lps(P("0-1023:0 5000:1"), lps, &nr) == -EINVAL &&
	       nr == 1024, "lps: 1025 LPs refused");
	TAP_OK(tdx_emu_parse_lps(P("0-4294967294:0"), lps, &nr) == -EINVAL,
	       "lps: a huge range refused without expanding it");
	TAP_OK(tdx_emu_parse_lps(P("0"), lps, &nr) == -EINVAL, "lps: no package");
	TAP_OK(tdx_emu_parse_lps(P("0:0x"), lps, &nr) == -EINVAL, "lps: junk");
	TAP_OK(tdx_emu_parse_lps(P(" \n"), lps, &nr) == -EINVAL, "lps: empty");
}

static void test_transients(void)
{
	struct tdx_emu_transients t = { .seed = 9 };
	char buf[256];

	TAP_OK(!tdx_emu_parse_transients(P("rnd_no_entropy=50 key_busy=1000\n"),
					 &t) &&
	       t.rate[TDX_EMU_TR_RND_NO_ENTROPY] == 50 &&
	       t.rate[TDX_EMU_TR_KEY_BUSY] == 1000 &&
	       t.rate[TDX_EMU_TR_SYS_BUSY] == 0 && t.seed == 9,
	       "transients: named rates set, the rest kept");
	TAP_OK(!tdx_emu_parse_transients(P("seed=0x1234,sys_busy=7 tdmr_busy=3"),
					 &t) && t.seed == 0x1234 &&
	       t.rate[TDX_EMU_TR_SYS_BUSY] == 7 &&
	       t.rate[TDX_EMU_TR_RND_NO_ENTROPY] == 50,
	       "transients: seed and more rates");
	TAP_OK(!tdx_emu_parse_transients(P("key_generation_failed=1"), &t) &&
	       t.rate[TDX_EMU_TR_KEY_GEN_FAILED] == 1, "transients: keygen");
	tdx_emu_format_transients(&t, buf, sizeof(buf));
	TAP_EQ_STR(buf, "rnd_no_entropy=50 key_generation_failed=1 key_busy=1000 "
		   "sys_busy=7 tdmr_busy=3 seed=4660\n", "transients: read back");
	TAP_OK(tdx_emu_parse_transients(P("sys_busy=1001"), &t) == -EINVAL &&
	       t.rate[TDX_EMU_TR_SYS_BUSY] == 7,
	       "transients: above 1000 per mille refused, kept");
	TAP_OK(tdx_emu_parse_transients(P("sys_busy=5 bogus=1"), &t) == -EINVAL &&
	       t.rate[TDX_EMU_TR_SYS_BUSY] == 7,
	       "transients: unknown name refused, nothing applied");
	TAP_OK(tdx_emu_parse_transients(P("sys_busy"), &t) == -EINVAL,
	       "transients: no value");
	TAP_OK(tdx_emu_parse_transients(P("offx"), &t) == -EINVAL,
	       "transients: off with junk");
	TAP_OK(tdx_emu_parse_transients(P(""), &t) == -EINVAL,
	       "transients: empty");
	TAP_OK(!tdx_emu_parse_transients(P("off\n"), &t) &&
	       !t.rate[TDX_EMU_TR_KEY_BUSY] && !t.rate[TDX_EMU_TR_SYS_BUSY] &&
	       t.seed == 0x1234, "transients: off zeroes the rates, keeps the seed");
	TAP_OK(!tdx_emu_parse_transients(P("off sys_busy=2"), &t) &&
	       t.rate[TDX_EMU_TR_SYS_BUSY] == 2, "transients: off, then a rate");
	TAP_OK(tdx_emu_transient_name(TDX_EMU_TR_TDMR_BUSY) &&
	       !strcmp(tdx_emu_transient_name(TDX_EMU_TR_TDMR_BUSY),
		       "tdmr_busy") &&
	       !tdx_emu_transient_name(TDX_EMU_NR_TRANSIENTS),
	       "transient names");
}

static void test_keyids(void)
{
	u32 m = 31, t = 32;

	TAP_OK(!tdx_emu_parse_keyids(P("mktme=15 tdx=16\n"), &m, &t) &&
	       m == 15 && t == 16, "keyids: both");
	TAP_OK(!tdx_emu_parse_keyids(P("tdx=0"), &m, &t) && m == 15 && t == 0,
	       "keyids: one, other kept");
	TAP_OK(tdx_emu_parse_keyids(P("mktme=20000 tdx=20000"), &m, &t) ==
	       -EINVAL && m == 15, "keyids: beyond 15 bits");
	TAP_OK(tdx_emu_parse_keyids(P("foo=1"), &m, &t) == -EINVAL, "keyids: key");
	TAP_OK(tdx_emu_parse_keyids(P("tdx=x"), &m, &t) == -EINVAL, "keyids: value");
	TAP_OK(tdx_emu_parse_keyids(P(""), &m, &t) == -EINVAL, "keyids: empty");
}

static void test_version(void)
{
	u16 a = 9, b = 9, c = 9;

	TAP_OK(!tdx_emu_parse_version(P("1.5.6\n"), &a, &b, &c) && a == 1 &&
	       b == 5 && c == 6, "version: 1.5.6");
	TAP_OK(!tdx_emu_parse_version(P("1.0"), &a, &b, &c) && b == 0 && c == 0,
	       "version: 1.0");
	TAP_OK(tdx_emu_parse_version(P("1"), &a, &b, &c) == -EINVAL && a == 1,
	       "version: major only refused");
	TAP_OK(tdx_emu_parse_version(P("1.5.0.1"), &a, &b, &c) == -EINVAL,
	       "version: four parts");
	TAP_OK(tdx_emu_parse_version(P("1.70000"), &a, &b, &c) == -EINVAL,
	       "version: part > 0xffff");
}

static void test_fault(void)
{
	bool clear = true;
	u16 leaf = 0;
	u64 st = 0;
	u32 nth = 0;

	TAP_OK(!tdx_emu_parse_fault(P("leaf=33 status=0x8000020300000000\n"),
				    &clear, &leaf, &st, &nth) && !clear &&
	       leaf == 33 && st == 0x8000020300000000ULL && nth == 1,
	       "fault: nth defaults to 1");
	TAP_OK(!tdx_emu_parse_fault(P("nth=0 status=1 leaf=31"), &clear, &leaf,
				    &st, &nth) && nth == 0 && leaf == 31,
	       "fault: any order, nth=0");
	TAP_OK(!tdx_emu_parse_fault(P("clear\n"), &clear, &leaf, &st, &nth) &&
	       clear, "fault: clear");
	TAP_OK(tdx_emu_parse_fault(P("leaf=33"), &clear, &leaf, &st, &nth) ==
	       -EINVAL, "fault: status required");
	TAP_OK(tdx_emu_parse_fault(P("leaf=64 status=1"), &clear, &leaf, &st,
				   &nth) == -EINVAL, "fault: leaf 64");
	TAP_OK(tdx_emu_parse_fault(P("leaf=1 status=1 bogus=2"), &clear, &leaf,
				   &st, &nth) == -EINVAL, "fault: unknown key");
	TAP_OK(tdx_emu_parse_fault(P("clearx"), &clear, &leaf, &st, &nth) ==
	       -EINVAL, "fault: clear with junk");
}

int main(void)
{
	test_u64();
	test_cmrs();
	test_lps();
	test_transients();
	test_keyids();
	test_version();
	test_fault();
	return tap_done();
}
