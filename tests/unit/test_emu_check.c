// SPDX-License-Identifier: GPL-2.0
/*
 * tdx_emu_check: one negative test per TDH.SYS.CONFIG rule (section 3 of
 * the model) and per CMR list rule, each giving exactly that violation on
 * an otherwise valid configuration and checking the exact status and
 * detail bytes; where two rules are broken, the module's precedence.
 */
#include "tap.h"
#include "tdx_emu_check.h"

#define G	TDX_SZ_1G
#define M	0x100000ULL
#define K4	TDX_SZ_4K

static struct tdx_cmr_info cmrs[TDX_MAX_CMRS];
static struct tdx_emu_check_params P;
static struct tdx_tdmr_info t[8];

/*
 * A valid 4-TDMR configuration: CMRs [0, 2G) and [4G, 20G); TDMRs
 * [0,1G) [1G,2G) [4G,5G) [5G,6G); PAMTs at 8G + i * 16M, outside TDMRs.
 */
static void good(void)
{
	static const u64 bases[4] = { 0, G, 4 * G, 5 * G };
	unsigned int i;

	memset(cmrs, 0, sizeof(cmrs));
	cmrs[0].base = 0;
	cmrs[0].size = 2 * G;
	cmrs[1].base = 4 * G;
	cmrs[1].size = 16 * G;
	P.cmrs = cmrs;
	P.nr_cmrs = TDX_MAX_CMRS;
	P.max_rsvd = 16;
	P.pamt_entry_size = 16;
	P.hkid_mask = tdx_emu_hkid_mask(6);
	memset(t, 0, sizeof(t));
	for (i = 0; i < 4; i++) {
		u64 p = 8 * G + i * 16 * M;

		t[i].base = bases[i];
		t[i].size = G;
		t[i].pamt_4k_base = p;
		t[i].pamt_4k_size = 4 * M;
		t[i].pamt_2m_base = p + 4 * M;
		t[i].pamt_2m_size = 8192;
		t[i].pamt_1g_base = p + 4 * M + 8192;
		t[i].pamt_1g_size = K4;
	}
}

#define CHECK(want, ...) \
	TAP_EQ_U64(tdx_emu_check_tdmrs(&P, t, 4), want, __VA_ARGS__)

static void test_good(void)
{
	good();
	CHECK(TDX_SUCCESS, "valid configuration accepted");
	good();
	t[1].base = G;	/* touching TDMR 0 */
	CHECK(TDX_SUCCESS, "touching TDMRs allowed");
	good();
	t[0].rsvd[0].offset = 0;
	t[0].rsvd[0].size = G;
	CHECK(TDX_SUCCESS, "reserved area may cover a whole TDMR");
	good();
	t[0].rsvd[0].offset = 0;
	t[0].rsvd[0].size = 4 * M;
	t[0].rsvd[1].offset = 4 * M;	/* touching the previous area */
	t[0].rsvd[1].size = 4 * M;
	CHECK(TDX_SUCCESS, "touching reserved areas allowed");
	good();
	t[0].pamt_4k_size = 8 * M;	/* larger than needed is fine */
	t[0].pamt_2m_base = 8 * G + 8 * M;
	t[0].pamt_1g_base = 8 * G + 8 * M + 8192;
	CHECK(TDX_SUCCESS, "oversized PAMT allowed");
}

static void test_rule1(void)
{
	good();
	t[3].base = 0xFFFFFFFFC0000000ULL;
	t[3].size = 2 * G;
	CHECK(TDX_INVALID_TDMR | 3, "rule 1: base + size overflow");
}

static void test_rule2(void)
{
	good();
	t[2].base = 0;
	CHECK(TDX_NON_ORDERED_TDMR | 2, "rule 2: base below previous base");
	good();
	t[1].base = t[0].base;
	CHECK(TDX_NON_ORDERED_TDMR | 1, "rule 2: same base");
	good();
	t[0].size = 2 * G;	/* TDMR 0 now overlaps TDMR 1 */
	t[0].pamt_4k_size = 8 * M;
	t[0].pamt_2m_base = 8 * G + 8 * M;
	t[0].pamt_2m_size = 16384;
	t[0].pamt_1g_base = 8 * G + 8 * M + 16384;
	CHECK(TDX_NON_ORDERED_TDMR | 1, "rule 2: overlaps previous TDMR");
	good();
	t[2].base = G + 1;	/* order checked before alignment */
	CHECK(TDX_NON_ORDERED_TDMR | 2, "rule 2 before rule 3");
}

static void test_rule3(void)
{
	good();
	t[2].base = 4 * G + 2 * M;
	CHECK(TDX_INVALID_TDMR | 2, "rule 3: base not 1G aligned");
	good();
	t[3].size = 0;
	CHECK(TDX_INVALID_TDMR | 3, "rule 3: size 0");
	good();
	t[3].size = G + 4 * M;
	CHECK(TDX_INVALID_TDMR | 3, "rule 3: size not a multiple of 1G");
	good();
	t[3].base = 1ULL << 52;
	CHECK(TDX_INVALID_TDMR | 3, "rule 3: base at 2^52");
	good();
	t[3].base = 1ULL << 46;	/* lowest HKID bit with 6 KeyID bits */
	CHECK(TDX_INVALID_TDMR | 3, "rule 3: base with HKID bits");
	good();
	t[3].base = (1ULL << 46) - G;
	t[3].size = 2 * G;	/* end crosses into HKID bits */
	CHECK(TDX_INVALID_TDMR | 3, "rule 3: end with HKID bits");
	good();
	P.hkid_mask = 0;
	t[3].base = (1ULL << 52) - G;	/* last GiB below 2^52 */
	CHECK(TDX_TDMR_OUTSIDE_CMRS | 3,
	      "rule 3: end at 2^52 passes (rule 9 fails later)");
	t[3].size = 2 * G;
	CHECK(TDX_INVALID_TDMR | 3, "rule 3: end beyond 2^52");
}

static void test_rule4(void)
{
	good();
	t[1].rsvd[0].offset = 0;
	t[1].rsvd[0].size = 0;
	t[1].rsvd[1].offset = 0;
	t[1].rsvd[1].size = 4 * K4;
	CHECK(TDX_NON_ORDERED_RESERVED_IN_TDMR | TDX_DETAIL(1, 0, 0),
	      "rule 4: entry after the null entry, reported at the null slot");
	good();
	t[1].rsvd[0].size = K4;
	t[1].rsvd[2].offset = 2 * M;
	t[1].rsvd[2].size = K4;
	CHECK(TDX_NON_ORDERED_RESERVED_IN_TDMR | TDX_DETAIL(1, 1, 0),
	      "rule 4: null slot 1 followed by an area: (1, 1)");
	good();
	t[1].rsvd[0].offset = 0x123;	/* a null slot's offset */
	t[1].rsvd[5].offset = 0x456;
	CHECK(TDX_SUCCESS, "rule 4: offsets of unused slots are not looked at");
	good();
	t[3].rsvd[0].offset = 8 * M;
	t[3].rsvd[0].size = 4 * M;
	t[3].rsvd[1].offset = 4 * M + 0x800;	/* below AND misaligned */
	t[3].rsvd[1].size = K4;
	CHECK(TDX_NON_ORDERED_RESERVED_IN_TDMR | TDX_DETAIL(3, 1, 0),
	      "rule 4: order is checked before alignment");
	good();
	t[1].rsvd[0].offset = 0x800;
	t[1].rsvd[0].size = K4;
	CHECK(TDX_INVALID_RESERVED_IN_TDMR | TDX_DETAIL(1, 0, 0),
	      "rule 4: offset not 4K aligned");
	good();
	t[1].rsvd[0].offset = 0;
	t[1].rsvd[0].size = K4;
	t[1].rsvd[1].offset = 2 * M;
	t[1].rsvd[1].size = 0x1800;
	CHECK(TDX_INVALID_RESERVED_IN_TDMR | TDX_DETAIL(1, 1, 0),
	      "rule 4: size not 4K aligned");
	good();
	t[2].rsvd[0].offset = G - K4;
	t[2].rsvd[0].size = 2 * K4;
	CHECK(TDX_INVALID_RESERVED_IN_TDMR | TDX_DETAIL(2, 0, 0),
	      "rule 4: area ends past the TDMR");
	good();
	t[2].rsvd[0].offset = 0xFFFFFFFFFFFFF000ULL;
	t[2].rsvd[0].size = 2 * K4;
	CHECK(TDX_INVALID_RESERVED_IN_TDMR | TDX_DETAIL(2, 0, 0),
	      "rule 4: offset + size overflow");
	good();
	t[3].rsvd[0].offset = 8 * M;
	t[3].rsvd[0].size = 4 * M;
	t[3].rsvd[1].offset = 4 * M;
	t[3].rsvd[1].size = K4;
	CHECK(TDX_NON_ORDERED_RESERVED_IN_TDMR | TDX_DETAIL(3, 1, 0),
	      "rule 4: offset below the previous area");
	good();
	t[3].rsvd[0].offset = 4 * M;
	t[3].rsvd[0].size = 4 * M;
	t[3].rsvd[1].offset = 8 * M - K4;
	t[3].rsvd[1].size = 2 * K4;
	CHECK(TDX_NON_ORDERED_RESERVED_IN_TDMR | TDX_DETAIL(3, 1, 0),
	      "rule 4: overlapping the previous area");
	good();
	P.max_rsvd = 2;
	t[0].rsvd[0].size = K4;
	t[0].rsvd[1].offset = K4;
	t[0].rsvd[1].size = K4;
	t[0].rsvd[2].offset = 0x123;	/* beyond max_rsvd: not read */
	t[0].rsvd[2].size = 0x5;
	CHECK(TDX_SUCCESS, "rule 4: areas beyond max_reserved_per_tdmr ignored");
}

static void test_rule5(void)
{
	static const char * const lname[3] = { "4K", "2M", "1G" };
	unsigned int l;
	u64 *b, *s;

	for (l = 0; l < 3; l++) {
		good();
		b = l == 0 ? &t[2].pamt_4k_base : l == 1 ? &t[2].pamt_2m_base :
			     &t[2].pamt_1g_base;
		s = l == 0 ? &t[2].pamt_4k_size : l == 1 ? &t[2].pamt_2m_size :
			     &t[2].pamt_1g_size;
		*b += 0x800;
		CHECK(TDX_INVALID_PAMT | TDX_DETAIL(2, l, 0),
		      "rule 5: PAMT_%s base not 4K aligned", lname[l]);
		good();
		*s += 0x10;
		CHECK(TDX_INVALID_PAMT | TDX_DETAIL(2, l, 0),
		      "rule 5: PAMT_%s size not 4K aligned", lname[l]);
		good();
		*s -= K4;
		CHECK(TDX_INVALID_PAMT | TDX_DETAIL(2, l, 0),
		      "rule 5: PAMT_%s too small", lname[l]);
		good();
		*b = (1ULL << 46) + *b;
		CHECK(TDX_INVALID_PAMT | TDX_DETAIL(2, l, 0),
		      "rule 5: PAMT_%s with HKID bits", lname[l]);
		good();
		*b = 0xFFFFFFFFFFFFF000ULL;
		CHECK(TDX_INVALID_PAMT | TDX_DETAIL(2, l, 0),
		      "rule 5: PAMT_%s overflow", lname[l]);
	}
	good();
	t[1].pamt_4k_size = 0;
	t[1].pamt_1g_size = 0;
	CHECK(TDX_INVALID_PAMT | TDX_DETAIL(1, 2, 0),
	      "rule 5: 1G level checked before 4K");
	good();
	t[1].size = 2 * G;	/* 2 GiB TDMR needs 8 MiB at 4K */
	t[2].base = 4 * G;
	CHECK(TDX_INVALID_PAMT | TDX_DETAIL(1, 1, 0),
	      "rule 5: size scales with the TDMR (reserved parts included)");
	good();
	P.pamt_entry_size = 32;
	CHECK(TDX_INVALID_PAMT | TDX_DETAIL(0, 1, 0),
	      "rule 5: size scales with the entry size");
}

static void test_rule6(void)
{
	good();
	t[2].pamt_2m_base = t[0].pamt_4k_base + 4 * K4;
	CHECK(TDX_PAMT_OVERLAP | TDX_DETAIL(2, 1, 0),
	      "rule 6: PAMT_2M of TDMR 2 overlaps TDMR 0's PAMT");
	good();
	t[3].pamt_1g_base = t[1].pamt_1g_base;
	CHECK(TDX_PAMT_OVERLAP | TDX_DETAIL(3, 2, 1),
	      "rule 6: PAMT_1G of TDMR 3 overlaps TDMR 1's PAMT_1G");
	good();
	t[1].pamt_1g_base = t[1].pamt_4k_base + 4 * M - K4;
	CHECK(TDX_PAMT_OVERLAP | TDX_DETAIL(1, 0, 1),
	      "rule 6: own PAMT_4K/PAMT_1G: the lower level (4K) reported");
	good();
	t[1].pamt_2m_base = t[1].pamt_4k_base + 4 * M - K4;
	CHECK(TDX_PAMT_OVERLAP | TDX_DETAIL(1, 0, 1),
	      "rule 6: own PAMT_4K/PAMT_2M -> (1, 0, 1)");
	good();
	t[1].pamt_1g_base = t[1].pamt_2m_base;
	CHECK(TDX_PAMT_OVERLAP | TDX_DETAIL(1, 1, 1),
	      "rule 6: own PAMT_2M/PAMT_1G -> (1, 1, 1)");
	good();
	t[2].pamt_1g_base = t[1].pamt_2m_base;	/* vs TDMR 1 */
	t[2].pamt_4k_base = t[0].pamt_4k_base;	/* vs TDMR 0 */
	CHECK(TDX_PAMT_OVERLAP | TDX_DETAIL(2, 0, 0),
	      "rule 6: earlier TDMRs in the outer loop, levels 4K, 2M, 1G inside");
	good();
	t[2].pamt_4k_base = t[2].pamt_2m_base - K4;	/* own levels */
	t[2].pamt_1g_base = t[0].pamt_1g_base;	/* vs TDMR 0 */
	CHECK(TDX_PAMT_OVERLAP | TDX_DETAIL(2, 2, 0),
	      "rule 6: earlier TDMRs before the TDMR's own levels");
	good();
	t[1].pamt_2m_base = t[1].pamt_4k_base + 4 * M;	/* touching */
	CHECK(TDX_SUCCESS, "rule 6: touching PAMTs allowed");
}

static void test_rule7(void)
{
	good();
	t[3].pamt_2m_base = G + 64 * M;
	CHECK(0xC0000A1200010103ULL,
	      "rule 7: PAMT_2M of TDMR 3 in TDMR 1's memory (model example)");
	good();
	t[2].pamt_4k_base = 4 * G + 512 * M;
	CHECK(TDX_PAMT_OVERLAP | TDX_DETAIL(2, 0, 2),
	      "rule 7: PAMT in its own TDMR's available memory");
	good();
	t[2].pamt_4k_base = 4 * G;
	t[2].rsvd[0].offset = 0;
	t[2].rsvd[0].size = 4 * M;
	CHECK(TDX_SUCCESS, "rule 7: PAMT inside its own TDMR's reserved area");
	good();
	t[2].pamt_4k_base = 4 * G;
	t[2].rsvd[0].offset = 0;
	t[2].rsvd[0].size = 2 * M;	/* only half of the PAMT reserved */
	CHECK(TDX_PAMT_OVERLAP | TDX_DETAIL(2, 0, 2),
	      "rule 7: PAMT partly in available memory");
	good();
	/* TDMR 1's PAMT_1G lies in TDMR 3, checked when TDMR 3 comes */
	t[1].pamt_1g_base = 5 * G + 16 * M;
	CHECK(TDX_PAMT_OVERLAP | TDX_DETAIL(1, 2, 3),
	      "rule 7: earlier TDMR's PAMT in a later TDMR's memory: owner first");
	good();
	t[3].pamt_4k_base = 4 * G + 512 * M;	/* in TDMR 2 */
	t[0].pamt_1g_base = 5 * G + 16 * M;	/* in TDMR 3 */
	CHECK(TDX_PAMT_OVERLAP | TDX_DETAIL(0, 2, 3),
	      "rule 7: both directions per earlier TDMR (TDMR 0 before TDMR 2)");
	good();
	t[1].pamt_1g_base = 5 * G + 16 * M;
	t[3].rsvd[0].offset = 16 * M;
	t[3].rsvd[0].size = K4;
	CHECK(TDX_SUCCESS,
	      "rule 7: earlier TDMR's PAMT in a later TDMR's reserved area");
}

static void test_rule8(void)
{
	good();
	t[0].pamt_4k_base = 2 * G + 4 * M;	/* in the CMR hole, no TDMR */
	CHECK(TDX_PAMT_OUTSIDE_CMRS | TDX_DETAIL(0, 0, 0),
	      "rule 8: PAMT_4K in a CMR hole");
	good();
	t[1].pamt_1g_base = 2 * G - K4;
	t[1].pamt_1g_size = 2 * K4;	/* straddles the end of CMR 0 */
	t[1].rsvd[0].offset = G - K4;
	t[1].rsvd[0].size = K4;
	CHECK(TDX_PAMT_OUTSIDE_CMRS | TDX_DETAIL(1, 2, 0),
	      "rule 8: PAMT_1G crossing the end of a CMR");
	good();
	cmrs[1].base = 4 * G;
	cmrs[1].size = 4 * G + 2 * M;
	cmrs[2].base = 8 * G + 2 * M;	/* exactly adjacent */
	cmrs[2].size = 8 * G;
	CHECK(TDX_SUCCESS, "rule 8: PAMT across exactly adjacent CMRs");
	good();
	cmrs[1].base = 4 * G;
	cmrs[1].size = 4 * G + 2 * M;
	cmrs[2].base = 8 * G + 2 * M + K4;	/* 4K gap under TDMR 0's PAMT */
	cmrs[2].size = 8 * G;
	CHECK(TDX_PAMT_OUTSIDE_CMRS | TDX_DETAIL(0, 0, 0),
	      "rule 8: PAMT across a gap between CMRs");
}

static void test_rule9(void)
{
	good();
	cmrs[0].size = 2 * G - 2 * M;	/* TDMR 1 tail not convertible */
	CHECK(TDX_TDMR_OUTSIDE_CMRS | TDX_DETAIL(1, 0, 0),
	      "rule 9: available memory outside CMRs");
	good();
	cmrs[0].size = 2 * G - 2 * M;
	t[1].rsvd[0].offset = G - 2 * M;
	t[1].rsvd[0].size = 2 * M;
	CHECK(TDX_SUCCESS, "rule 9: the hole reserved is fine");
	good();
	cmrs[0].size = G + 4 * M;
	cmrs[1].base = G + 8 * M;	/* a hole inside TDMR 1 */
	cmrs[1].size = 19 * G - 8 * M;
	CHECK(TDX_TDMR_OUTSIDE_CMRS | TDX_DETAIL(1, 0, 0),
	      "rule 9: hole between CMRs not reserved");
	t[1].rsvd[0].offset = 4 * M;
	t[1].rsvd[0].size = 4 * M;
	CHECK(TDX_SUCCESS, "rule 9: hole between CMRs reserved");
}

static void test_order(void)
{
	good();
	t[1].rsvd[0].offset = 0x800;	/* rule 4 */
	t[1].rsvd[0].size = K4;
	t[1].pamt_4k_size = 0;		/* rule 5 */
	CHECK(TDX_INVALID_RESERVED_IN_TDMR | TDX_DETAIL(1, 0, 0),
	      "order: rule 4 before rule 5");
	good();
	t[1].pamt_4k_size = 0;		/* rule 5 on TDMR 1 */
	t[2].base = 4 * G + 1;		/* rule 3 on TDMR 2 */
	CHECK(TDX_INVALID_PAMT | TDX_DETAIL(1, 0, 0),
	      "order: each TDMR fully before the next");
	good();
	t[2].pamt_2m_base = t[0].pamt_4k_base;	/* rule 6 */
	t[2].pamt_1g_base = 3 * G;		/* rule 8: in the CMR hole */
	CHECK(TDX_PAMT_OVERLAP | TDX_DETAIL(2, 1, 0),
	      "order: rule 6 before rule 8");
}

static void test_cmrs(void)
{
	struct tdx_cmr_info c[4];
	u64 hm = tdx_emu_hkid_mask(6);

	TAP_EQ_U64(hm, 0x000FC00000000000ULL, "HKID mask for 6 KeyID bits");
	memset(c, 0, sizeof(c));
	c[0].base = 0;
	c[0].size = 2 * G;
	c[2].base = 2 * G;	/* touching, a null entry between */
	c[2].size = G;
	TAP_EQ_U64(tdx_emu_check_cmrs(c, 4, hm), TDX_SUCCESS,
		   "CMRs: touching, null entries skipped");
	c[2].base = 2 * G - K4;
	TAP_EQ_U64(tdx_emu_check_cmrs(c, 4, hm), TDX_CMR_LIST_INVALID,
		   "CMRs: overlap");
	c[2].base = G;
	c[2].size = K4;
	c[0].size = G;
	c[1].base = 3 * G;
	c[1].size = G;
	TAP_EQ_U64(tdx_emu_check_cmrs(c, 4, hm), TDX_CMR_LIST_INVALID,
		   "CMRs: descending");
	memset(c, 0, sizeof(c));
	c[0].base = 0x800;
	c[0].size = K4;
	TAP_EQ_U64(tdx_emu_check_cmrs(c, 4, hm), TDX_CMR_LIST_INVALID,
		   "CMRs: base not 4K aligned");
	c[0].base = 0;
	c[0].size = K4 + 1;
	TAP_EQ_U64(tdx_emu_check_cmrs(c, 4, hm), TDX_CMR_LIST_INVALID,
		   "CMRs: size not 4K aligned");
	c[0].base = 1ULL << 46;
	c[0].size = K4;
	TAP_EQ_U64(tdx_emu_check_cmrs(c, 4, hm), TDX_CMR_LIST_INVALID,
		   "CMRs: HKID bits");
	TAP_EQ_U64(tdx_emu_check_cmrs(c, 4, 0), TDX_SUCCESS,
		   "CMRs: same address fine without KeyID bits");
	c[0].base = 0xFFFFFFFFFFFFF000ULL;
	c[0].size = 2 * K4;
	TAP_EQ_U64(tdx_emu_check_cmrs(c, 4, 0), TDX_CMR_LIST_INVALID,
		   "CMRs: overflow");
	memset(c, 0, sizeof(c));
	TAP_EQ_U64(tdx_emu_check_cmrs(c, 4, hm), TDX_SUCCESS,
		   "CMRs: an all-null list passes");
	TAP_EQ_U64(tdx_emu_check_cmrs(c, TDX_MAX_CMRS + 1, hm),
		   TDX_CMR_LIST_INVALID, "CMRs: more than 32 entries");

	TAP_OK(tdx_emu_pamt_required(G, 0, 16) == 4 * M &&
	       tdx_emu_pamt_required(G, 1, 16) == 8192 &&
	       tdx_emu_pamt_required(G, 2, 16) == K4 &&
	       tdx_emu_pamt_required(64 * G, 2, 16) == K4,
	       "PAMT sizes: 4 MiB, 8 KiB, 16 B per GiB, 4K rounded");
}

int main(void)
{
	test_good();
	test_rule1();
	test_rule2();
	test_rule3();
	test_rule4();
	test_rule5();
	test_rule6();
	test_rule7();
	test_rule8();
	test_rule9();
	test_order();
	test_cmrs();
	return tap_done();
}
