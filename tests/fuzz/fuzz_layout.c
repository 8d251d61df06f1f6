// SPDX-License-Identifier: GPL-2.0
/*
 * The TDMR layout engine (lib/tdx_layout.c), driven as tdx_sys and
 * tdxctl plan drive it: CMRs (ascending, 4 KiB aligned, below 2^52, at
 * most 32), RAM mostly inside them, limits, the cover mode, then build,
 * PAMT placement (the preview's, or kernel-like: anywhere in RAM, from
 * the input), PAMT reserved areas, TDX memory. All from the input bytes.
 *
 * Invariants checked on success: TDMRs ascending, disjoint, 1 GiB
 * aligned, as many as the cover's granule runs allow within max_tdmrs,
 * covering the cover; reserved areas sorted, merged, page aligned, inside
 * their TDMR, at most max_reserved_per_tdmr, exactly the CMR holes (then
 * with the PAMTs inside the TDMR); what is not reserved inside the CMRs;
 * PAMT sizes enough for every level; PAMTs 4 KiB aligned, inside RAM,
 * apart from each other and outside every TDMR's available part; TDX
 * memory inside CMRs and TDMRs, never a reserved byte or a PAMT, and all
 * of the cover but the PAMTs. On failure: the error the inputs call for
 * (checked independently: the hole count a refused TDMR needs, the range
 * not convertible), a message, and nothing changed where the API says so.
 */
#include "fuzz.h"
#include "tdx_layout.h"
#include "tdx_memory.h"

#define G	0x40000000ULL
#define PA_LIMIT (1ULL << TDX_MAX_PA_BITS)
#define CAP	512
#define MEMCAP	8192

static struct tdx_range cmr_b[CAP], ram_b[CAP], cov_b[CAP], pram_b[CAP],
	mem_b[MEMCAP], u_b[CAP], tmp_b[CAP];
static struct tdx_rangeset cmrs, ram, cover, pamt_ram, mem, u, tmp;
static struct tdx_layout lay, saved;
static struct tdx_limits lim;

static u64 unit(struct fuzz_in *in)
{
	static const u64 units[] = { 0x1000, 0x200000, 0x4000000, G,
				     0x10000000000ULL };

	return units[fuzz_take(in, 1) % 5];
}

static void gen_limits(struct fuzz_in *in)
{
	static const unsigned int sizes[] = { 16, 8, 32, 64 };
	unsigned int k, b = fuzz_take(in, 1);

	tdx_limits_default(&lim);
	lim.max_tdmrs = 1 + fuzz_take(in, 1) % TDX_MAX_TDMRS;
	lim.max_rsvd_per_tdmr = fuzz_take(in, 1) % (TDX_MAX_RSVD + 1);
	for (k = 0; k < TDX_PAMT_LEVELS; k++)
		lim.pamt_entry_size[k] = b & 0x80 ?
			1 + fuzz_take(in, 2) % 4096 : sizes[(b >> 2 * k) & 3];
	/* Now and then limits the module would never report. */
	switch (fuzz_take(in, 1)) {
	case 1:
		lim.max_tdmrs = 0;
		break;
	case 2:
		lim.max_tdmrs = TDX_MAX_TDMRS + 1;
		break;
	case 3:
		lim.max_rsvd_per_tdmr = TDX_MAX_RSVD + 1;
		break;
	case 4:
		lim.pamt_entry_size[1] = 0;
		break;
	case 5:
		lim.pamt_entry_size[2] = 4097;
		break;
	}
}

static bool limits_ok(void)
{
	unsigned int k;

	if (!lim.max_tdmrs || lim.max_tdmrs > TDX_MAX_TDMRS ||
	    lim.max_rsvd_per_tdmr > TDX_MAX_RSVD)
		return false;
	for (k = 0; k < TDX_PAMT_LEVELS; k++)
		if (!lim.pamt_entry_size[k] || lim.pamt_entry_size[k] > 4096)
			return false;
	return true;
}

/* CMRs ascending, 4 KiB aligned, below 2^52; RAM mostly inside them. */
static void gen_memory(struct fuzz_in *in)
{
	unsigned int n = 1 + fuzz_take(in, 1) % TDX_MAX_CMRS, i, k, pieces;
	u64 pos = 0, s, e, size, off, len;

	tdx_rs_init(&cmrs, cmr_b, CAP);
	tdx_rs_init(&ram, ram_b, CAP);
	for (i = 0; i < n && in->n; i++) {
		s = pos + fuzz_take(in, 2) * unit(in);
		size = (1 + fuzz_take(in, 2)) * unit(in);
		if (s >= PA_LIMIT || size > PA_LIMIT - s)
			break;
		e = s + size;
		tdx_rs_add(&cmrs, s, e);
		pos = e;
		/* RAM: none, all, or pieces (4 KiB aligned or not) */
		pieces = fuzz_take(in, 1) % 5;
		if (pieces == 4) {
			tdx_rs_add(&ram, s, e);
			continue;
		}
		for (k = 0; k < pieces; k++) {
			off = fuzz_take(in, 4) * (fuzz_take(in, 1) & 1 ? 1 :
						  0x1000) % size;
			len = fuzz_take(in, 4) * unit(in) % (size - off) + 1;
			tdx_rs_add(&ram, s + off, s + off + len);
		}
	}
	/* RAM outside every CMR, now and then */
	if (fuzz_take(in, 1) == 7) {
		s = fuzz_take(in, 8) % (PA_LIMIT + G);
		tdx_rs_add(&ram, s, s + (1 + fuzz_take(in, 2)) * unit(in));
	}
}

/* Holes of [s, e) outside the CMRs: count, and into @out if given. */
static unsigned int holes(u64 s, u64 e, struct tdx_rangeset *out)
{
	unsigned int i, n = 0;
	u64 pos = s;

	for (i = 0; i <= cmrs.nr && pos < e; i++) {
		u64 cs = i < cmrs.nr ? cmrs.r[i].start : e;
		u64 ce = i < cmrs.nr ? cmrs.r[i].end : e;

		if (ce <= pos)
			continue;
		if (cs > pos) {
			n++;
			if (out)
				tdx_rs_add(out, pos, cs < e ? cs : e);
		}
		pos = ce;
	}
	return n;
}

/* Granule runs of the cover: what build_runs starts from. */
static unsigned int granule_runs(void)
{
	unsigned int i, n = 0;
	u64 end = 0;

	for (i = 0; i < cover.nr; i++) {
		u64 s = cover.r[i].start & ~(G - 1);

		if (!n || s > end)
			n++;
		end = (cover.r[i].end + G - 1) & ~(G - 1);
	}
	return n;
}

static u64 t_end(const struct tdx_tdmr *t)
{
	return t->base + t->size;
}

static void check_built(void)
{
	const struct tdx_tdmr *t;
	struct tdx_rangeset rs;
	unsigned int i, j, k, runs = granule_runs();
	u64 need;

	FUZZ_CHECK(lay.nr >= 1 && lay.nr <= lim.max_tdmrs,
		   "%u TDMRs, max %u", lay.nr, lim.max_tdmrs);
	FUZZ_CHECK(lay.nr == (runs < lim.max_tdmrs ? runs : lim.max_tdmrs),
		   "%u TDMRs for %u granule runs (max %u)", lay.nr, runs,
		   lim.max_tdmrs);
	for (i = 0; i < lay.nr; i++) {
		t = &lay.tdmr[i];
		FUZZ_CHECK(t->size && !(t->base & (G - 1)) &&
			   !(t->size & (G - 1)) && t_end(t) <= PA_LIMIT,
			   "TDMR %u [0x%llx, +0x%llx) not 1 GiB aligned", i,
			   (unsigned long long)t->base,
			   (unsigned long long)t->size);
		FUZZ_CHECK(!i || t_end(&lay.tdmr[i - 1]) <= t->base,
			   "TDMR %u not above TDMR %u", i, i - 1);
		/* Its first and last granule hold cover memory. */
		FUZZ_CHECK(fuzz_overlaps(&cover, t->base, t->base + G) &&
			   fuzz_overlaps(&cover, t_end(t) - G, t_end(t)),
			   "TDMR %u reaches past the cover", i);
		FUZZ_CHECK(t->pamt_base == 0 && t->nid == -1,
			   "TDMR %u: PAMT base or node set by build", i);
		for (k = 0; k < TDX_PAMT_LEVELS; k++) {
			need = (t->size >> (k == 0 ? 12 : k == 1 ? 21 : 30)) *
			       lim.pamt_entry_size[k];
			FUZZ_CHECK(t->pamt_size[k] >= need &&
				   !(t->pamt_size[k] & 0xfff) &&
				   t->pamt_size[k] < need + 0x1000,
				   "TDMR %u level %u: PAMT %llu for %llu", i, k,
				   (unsigned long long)t->pamt_size[k],
				   (unsigned long long)need);
		}
		/* Reserved areas: exactly the CMR holes. */
		tdx_rs_init(&u, u_b, CAP);
		holes(t->base, t_end(t), &u);
		rs.r = (struct tdx_range *)t->rsvd;
		rs.nr = t->nr_rsvd;
		rs.cap = TDX_MAX_RSVD;
		FUZZ_CHECK(t->nr_rsvd <= lim.max_rsvd_per_tdmr &&
			   fuzz_rs_equal(&rs, &u),
			   "TDMR %u: %u reserved areas, %u CMR holes", i,
			   t->nr_rsvd, u.nr);
	}
	for (i = 0; i < cover.nr; i++) {
		for (j = 0; j < lay.nr; j++)
			if (lay.tdmr[j].base <= cover.r[i].start &&
			    cover.r[i].end <= t_end(&lay.tdmr[j]))
				break;
		FUZZ_CHECK(j < lay.nr, "cover [0x%llx, 0x%llx) in no TDMR",
			   (unsigned long long)cover.r[i].start,
			   (unsigned long long)cover.r[i].end);
	}
}

/* "TDMR [A, B): reserved areas exhausted (N needed, M allowed)" */
static bool exhausted(const struct tdx_layout_error *e, unsigned long long *a,
		      unsigned long long *b, unsigned int *need,
		      unsigned int *allowed)
{
	return sscanf(e->msg,
		      "TDMR [0x%llx, 0x%llx): reserved areas exhausted (%u needed, %u allowed)",
		      a, b, need, allowed) == 4;
}

/* Why build failed must follow from the inputs. */
static void check_build_error(int ret, const struct tdx_layout_error *e)
{
	unsigned long long a, b;
	unsigned int need, allowed, i;
	bool beyond = false, outside = false;

	FUZZ_CHECK(e->err == ret && e->msg[0] && lay.nr == 0,
		   "build %d: err %d, msg \"%s\", %u TDMRs", ret, e->err,
		   e->msg, lay.nr);
	for (i = 0; i < cover.nr; i++) {
		beyond |= cover.r[i].end > PA_LIMIT;
		outside |= !fuzz_covered(&cmrs, cover.r[i].start,
					 cover.r[i].end) &&
			   holes(cover.r[i].start, cover.r[i].end, NULL);
	}
	if (!limits_ok() || !cover.nr || beyond || outside) {
		FUZZ_CHECK(ret == -EINVAL, "invalid input, build %d: %s", ret,
			   e->msg);
		return;
	}
	FUZZ_CHECK(ret == -ENOSPC && exhausted(e, &a, &b, &need, &allowed),
		   "valid input, build %d: %s", ret, e->msg);
	FUZZ_CHECK(!(a & (G - 1)) && !(b & (G - 1)) && a < b &&
		   allowed == lim.max_rsvd_per_tdmr && need > allowed &&
		   holes(a, b, NULL) == need,
		   "refused TDMR [0x%llx, 0x%llx) has %u holes, message: %s",
		   a, b, holes(a, b, NULL), e->msg);
}

static u64 pamt_end(const struct tdx_tdmr *t)
{
	return t->pamt_base + tdx_tdmr_pamt_bytes(t);
}

static void check_placed(const struct tdx_rangeset *where)
{
	unsigned int i, j;

	for (i = 0; i < lay.nr; i++) {
		const struct tdx_tdmr *t = &lay.tdmr[i];

		FUZZ_CHECK(t->pamt_base && !(t->pamt_base & 0xfff) &&
			   fuzz_covered(where, t->pamt_base, pamt_end(t)),
			   "PAMT %u [0x%llx, 0x%llx) not in RAM", i,
			   (unsigned long long)t->pamt_base,
			   (unsigned long long)pamt_end(t));
		for (j = 0; j < i; j++)
			FUZZ_CHECK(pamt_end(t) <= lay.tdmr[j].pamt_base ||
				   pamt_end(&lay.tdmr[j]) <= t->pamt_base,
				   "PAMTs %u and %u overlap", j, i);
	}
}

/* The reserved areas @t must end up with: CMR holes and PAMTs inside. */
static void want_rsvd(const struct tdx_tdmr *t)
{
	unsigned int j;
	u64 s, e;

	tdx_rs_init(&u, u_b, CAP);
	holes(t->base, t_end(t), &u);
	for (j = 0; j < lay.nr; j++) {
		s = lay.tdmr[j].pamt_base > t->base ? lay.tdmr[j].pamt_base :
						      t->base;
		e = pamt_end(&lay.tdmr[j]) < t_end(t) ?
			pamt_end(&lay.tdmr[j]) : t_end(t);
		if (s < e)
			tdx_rs_add(&u, s, e);
	}
}

static void check_pamts_reserved(void)
{
	struct tdx_rangeset rs;
	unsigned int i;

	for (i = 0; i < lay.nr; i++) {
		const struct tdx_tdmr *t = &lay.tdmr[i];

		want_rsvd(t);
		rs.r = (struct tdx_range *)t->rsvd;
		rs.nr = t->nr_rsvd;
		rs.cap = TDX_MAX_RSVD;
		FUZZ_CHECK(t->nr_rsvd <= lim.max_rsvd_per_tdmr &&
			   fuzz_rs_merged(&rs) && fuzz_rs_equal(&rs, &u),
			   "TDMR %u: reserved areas are not its holes and PAMTs (%u, want %u)",
			   i, t->nr_rsvd, u.nr);
	}
}

static void check_add_error(int ret, const struct tdx_layout_error *e)
{
	unsigned long long a, b;
	unsigned int need, allowed, i;

	FUZZ_CHECK(e->err == ret && e->msg[0], "add_pamts %d: \"%s\"", ret,
		   e->msg);
	FUZZ_CHECK(!memcmp(&lay, &saved, sizeof(lay)),
		   "failed add_pamts changed the layout");
	if (ret == -EINVAL) {
		for (i = 0; i < lay.nr; i++)
			if (!lay.tdmr[i].pamt_base ||
			    (lay.tdmr[i].pamt_base & 0xfff))
				return;
		FUZZ_CHECK(!limits_ok(), "-EINVAL with placed PAMTs: %s",
			   e->msg);
		return;
	}
	FUZZ_CHECK(ret == -ENOSPC && exhausted(e, &a, &b, &need, &allowed),
		   "add_pamts %d: %s", ret, e->msg);
	for (i = 0; i < lay.nr; i++)
		if (lay.tdmr[i].base == a && t_end(&lay.tdmr[i]) == b)
			break;
	FUZZ_CHECK(i < lay.nr, "no TDMR [0x%llx, 0x%llx)", a, b);
	want_rsvd(&lay.tdmr[i]);
	FUZZ_CHECK(u.nr == need && need > allowed &&
		   allowed == lim.max_rsvd_per_tdmr,
		   "TDMR %u needs %u areas, message: %s", i, u.nr, e->msg);
}

static void check_tdx_memory(void)
{
	unsigned int i, j;
	int ret;

	tdx_rs_init(&mem, mem_b, MEMCAP);
	ret = tdx_layout_tdx_memory(&lay, &cmrs, &mem);
	FUZZ_CHECK(!ret, "tdx_memory: %d", ret);
	FUZZ_CHECK(fuzz_rs_merged(&mem), "TDX memory not merged");
	for (i = 0; i < mem.nr; i++) {
		u64 s = mem.r[i].start, e = mem.r[i].end;

		FUZZ_CHECK(fuzz_covered(&cmrs, s, e),
			   "TDX memory [0x%llx, 0x%llx) outside CMRs",
			   (unsigned long long)s, (unsigned long long)e);
		for (j = 0; j < lay.nr; j++) {
			const struct tdx_tdmr *t = &lay.tdmr[j];
			unsigned int k;

			FUZZ_CHECK(e <= t->pamt_base || pamt_end(t) <= s,
				   "TDX memory over PAMT %u", j);
			for (k = 0; k < t->nr_rsvd; k++)
				FUZZ_CHECK(e <= t->rsvd[k].start ||
					   t->rsvd[k].end <= s,
					   "TDX memory over a reserved area");
		}
		for (j = 0; j < lay.nr; j++)
			if (lay.tdmr[j].base <= s && e <= t_end(&lay.tdmr[j]))
				break;
		FUZZ_CHECK(j < lay.nr, "TDX memory outside the TDMRs");
	}
	/* The cover, less the PAMTs, is TDX memory (tdx_memory_clip). */
	tdx_rs_init(&tmp, tmp_b, CAP);
	tdx_rs_copy(&tmp, &cover);
	for (j = 0; j < lay.nr; j++)
		if (tdx_rs_remove(&tmp, lay.tdmr[j].pamt_base,
				  pamt_end(&lay.tdmr[j])))
			return;	/* no room for the split: skip */
	for (i = 0; i < tmp.nr; i++) {
		u64 s = tmp.r[i].start, e = tmp.r[i].end;

		if (!tdx_memory_clip(&s, &e))
			continue;
		FUZZ_CHECK(fuzz_covered(&mem, s, e),
			   "cover [0x%llx, 0x%llx) is not TDX memory",
			   (unsigned long long)s, (unsigned long long)e);
	}
}

static void check_info(void)
{
	struct tdx_tdmr_info info;
	unsigned int i, k;

	for (i = 0; i <= lay.nr && i < TDX_MAX_TDMRS; i++) {
		const struct tdx_tdmr *t = &lay.tdmr[i];

		tdx_layout_to_info(&lay, i, &info);
		if (i == lay.nr) {
			FUZZ_CHECK(!info.base && !info.size && !info.pamt_4k_base,
				   "info past the last TDMR not zeroed");
			break;
		}
		FUZZ_CHECK(info.base == t->base && info.size == t->size &&
			   info.pamt_4k_base == t->pamt_base &&
			   info.pamt_2m_base == t->pamt_base + t->pamt_size[0] &&
			   info.pamt_1g_base == info.pamt_2m_base + t->pamt_size[1] &&
			   info.pamt_1g_base + info.pamt_1g_size == pamt_end(t),
			   "TDMR_INFO %u differs from the TDMR", i);
		for (k = 0; k < t->nr_rsvd; k++)
			FUZZ_CHECK(info.rsvd[k].offset == t->rsvd[k].start - t->base &&
				   info.rsvd[k].size ==
				   t->rsvd[k].end - t->rsvd[k].start,
				   "TDMR_INFO %u reserved area %u", i, k);
	}
}

/* Kernel-like: each PAMT where the input says, in RAM, apart. */
static bool place_like_kernel(struct fuzz_in *in)
{
	unsigned int i, j, r;
	u64 base, size, s, e;

	for (i = 0; i < lay.nr; i++)
		lay.tdmr[i].pamt_base = 0;
	for (i = 0; i < lay.nr; i++) {
		if (!pamt_ram.nr)
			return false;
		size = tdx_tdmr_pamt_bytes(&lay.tdmr[i]);
		r = fuzz_take(in, 1) % pamt_ram.nr;
		s = (pamt_ram.r[r].start + 0xfff) & ~0xfffULL;
		e = pamt_ram.r[r].end & ~0xfffULL;
		if (s >= e || e - s < size)
			return false;
		base = s + (fuzz_take(in, 4) << 12) % (e - s - size + 1);
		base &= ~0xfffULL;
		for (j = 0; j < i; j++)
			if (base < pamt_end(&lay.tdmr[j]) &&
			    lay.tdmr[j].pamt_base < base + size)
				return false;
		lay.tdmr[i].pamt_base = base;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct tdx_layout_error e;
	unsigned int mode = fuzz_take(&in, 1), i;
	int ret;

	gen_limits(&in);
	gen_memory(&in);
	tdx_rs_init(&pamt_ram, pram_b, CAP);
	tdx_rs_init(&cover, cov_b, CAP);
	if (tdx_rs_intersect(&ram, &cmrs, &pamt_ram))
		return 0;
	/* cover=cmrs, cover=present (RAM in CMRs), or raw RAM (may fail) */
	switch (mode % 3) {
	case 0:
		tdx_rs_copy(&cover, &cmrs);
		break;
	case 1:
		tdx_rs_copy(&cover, &pamt_ram);
		break;
	default:
		tdx_rs_copy(&cover, &ram);
		break;
	}

	memset(&lay, 0xa5, sizeof(lay));
	ret = tdx_layout_build(&lay, &cover, &cmrs, &lim, &e);
	if (ret) {
		check_build_error(ret, &e);
		return 0;
	}
	FUZZ_CHECK(limits_ok() && cover.nr, "build accepted invalid input");
	check_built();

	if (mode & 4) {
		if (!place_like_kernel(&in))
			return 0;
		/* Now and then a PAMT unplaced or misaligned: -EINVAL */
		if ((mode & 0x18) == 0x18) {
			i = fuzz_take(&in, 1) % lay.nr;
			lay.tdmr[i].pamt_base = fuzz_take(&in, 1) & 1 ? 0 :
				lay.tdmr[i].pamt_base | 0x800;
		}
	} else {
		ret = tdx_layout_place_pamts(&lay, &pamt_ram, &e);
		if (ret) {
			FUZZ_CHECK(ret == -ENOMEM && e.err == ret &&
				   strstr(e.msg, "no room for its PAMT"),
				   "place %d: %s", ret, e.msg);
			for (i = 0; i < lay.nr; i++)
				FUZZ_CHECK(!lay.tdmr[i].pamt_base,
					   "failed placement left PAMT %u", i);
			return 0;
		}
		check_placed(&pamt_ram);
	}

	memcpy(&saved, &lay, sizeof(lay));
	ret = tdx_layout_add_pamts(&lay, &lim, &e);
	if (ret) {
		check_add_error(ret, &e);
		return 0;
	}
	check_placed(&pamt_ram);
	check_pamts_reserved();
	check_tdx_memory();
	check_info();
	return 0;
}
