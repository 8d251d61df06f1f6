// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl plan: the TDMR layout and PAMT cost initialization would produce,
 * computed by the same lib/tdx_layout.c code tdx_sys runs, from live sysfs
 * or from a memory-map file.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdxctl_cmds.h"
#include "tdx_decide.h"
#include "tdx_json.h"
#include "tdx_layout.h"
#include "tdx_iomem.h"
#include "tdx_memblock.h"
#include "tdx_memory.h"
#include "tdx_memmap.h"
#include "tdx_sysfs.h"
#include "tdx_util.h"

struct plan {
	bool cover_cmrs;
	const char *source;
	struct tdx_limits lim;
	struct tdx_rangeset ram;	/* present memory */
	struct tdx_rangeset cmrs;
	struct tdx_rangeset cover;	/* what the TDMRs must cover */
	struct tdx_rangeset pamt_ram;	/* where PAMTs may go */
	struct tdx_rangeset outside;	/* present but not convertible */
	struct tdx_rangeset tdx_mem;
	struct tdx_layout layout;
	const struct tdx_memmap *mm;
};

static int plan_alloc(struct plan *p, unsigned int cap)
{
	cap += 2 * TDX_MAX_CMRS + 2;
	if (tdx_rs_heap_init(&p->ram, cap) || tdx_rs_heap_init(&p->cmrs, cap) ||
	    tdx_rs_heap_init(&p->cover, cap) ||
	    tdx_rs_heap_init(&p->pamt_ram, cap) ||
	    tdx_rs_heap_init(&p->outside, cap) ||
	    tdx_rs_heap_init(&p->tdx_mem, TDXCTL_MAX_TDX_RANGES + cap))
		return -ENOMEM;
	return 0;
}

static void plan_free(struct plan *p)
{
	tdx_rs_heap_free(&p->ram);
	tdx_rs_heap_free(&p->cmrs);
	tdx_rs_heap_free(&p->cover);
	tdx_rs_heap_free(&p->pamt_ram);
	tdx_rs_heap_free(&p->outside);
	tdx_rs_heap_free(&p->tdx_mem);
}

static int read_limit(const char *name, unsigned int *val)
{
	char rel[64], buf[32];
	u64 v;

	snprintf(rel, sizeof(rel), TDX_FW_DIR "/%s", name);
	if (tdx_sysfs_read(rel, buf, sizeof(buf)) <= 0 ||
	    tdx_parse_u64(buf, &v) || !v || v > 0xffff)
		return -1;
	*val = (unsigned int)v;
	return 0;
}

/* Live: CMRs and limits from /sys/firmware/tdx, RAM = online blocks. */
static int plan_from_sysfs(struct plan *p, int *exit_code)
{
	struct tdx_rangeset iomem;
	struct tdx_memblocks l;
	unsigned int k, pes;
	bool have_iomem;
	enum tdx_state st;
	size_t i;
	int ret;

	*exit_code = TDXCTL_EXIT_FAIL;
	if (!tdx_sysfs_exists(TDX_FW_DIR)) {
		tdxctl_err("tdx_sys is not loaded (no %s/%s); use --memmap FILE to plan for a memory map",
			   tdx_sysfs_root(), TDX_FW_DIR);
		*exit_code = TDXCTL_EXIT_NOTDX;
		return -ENODEV;
	}
	ret = tdx_sysfs_read_state(&st);
	if (ret)
		return ret;
	if (st == TDX_STATE_UNSUPPORTED) {
		tdxctl_err("TDX is not supported on this host: no CMRs to plan with");
		*exit_code = TDXCTL_EXIT_NOTDX;
		return -ENODEV;
	}
	ret = tdx_memblock_list(0, &l);
	if (ret)
		return ret;
	/* As the kernel counts it: System RAM parts of online blocks */
	have_iomem = !tdx_iomem_load(&iomem);
	ret = plan_alloc(p, l.nr + (have_iomem ? iomem.nr : 0) + 1);
	for (i = 0; i < l.nr && !ret; i++) {
		u64 pos = l.b[i].start, s, e;

		if (!tdx_memblock_online(&l.b[i]))
			continue;
		if (!have_iomem) {
			ret = tdx_memory_add(&p->ram, l.b[i].start, l.b[i].end);
			continue;
		}
		while (!ret && tdx_ram_next(&iomem, &pos, l.b[i].end, &s, &e))
			ret = tdx_rs_add(&p->ram, s, e);
	}
	if (have_iomem)
		tdx_rs_heap_free(&iomem);
	tdx_memblock_list_free(&l);
	if (ret) {
		tdxctl_err("out of memory");
		return ret;
	}
	ret = tdx_sysfs_read_ranges("cmrs", &p->cmrs);
	if (ret)
		return ret;
	ret = tdx_sysfs_read_ranges("nonconvertible_online", &p->outside);
	if (ret)
		return ret;
	tdx_limits_default(&p->lim);
	read_limit("max_tdmrs", &p->lim.max_tdmrs);
	read_limit("max_reserved_per_tdmr", &p->lim.max_rsvd_per_tdmr);
	if (!read_limit("pamt_entry_size", &pes))
		for (k = 0; k < TDX_PAMT_LEVELS; k++)
			p->lim.pamt_entry_size[k] = pes;
	p->source = "live sysfs";
	return 0;
}

static int plan_from_memmap(struct plan *p, const struct tdx_memmap *mm)
{
	const struct tdx_rangeset *ram = tdx_memmap_ram(mm);
	const struct tdx_rangeset *cmrs = tdx_memmap_cmrs(mm);
	unsigned int i;
	int ret;

	ret = plan_alloc(p, ram->nr + cmrs->nr);
	for (i = 0; i < ram->nr && !ret; i++)
		ret = tdx_memory_add(&p->ram, ram->r[i].start, ram->r[i].end);
	if (!ret)
		ret = tdx_rs_copy(&p->cmrs, cmrs);
	/*
	 * Present memory not in CMRs. From the top CMR down, so what a
	 * removal drops is at the end of the set: nothing to move, even with
	 * one CMR per e820 line.
	 */
	if (!ret)
		ret = tdx_rs_copy(&p->outside, &p->ram);
	for (i = p->cmrs.nr; i-- > 0 && !ret;)
		ret = tdx_rs_remove(&p->outside, p->cmrs.r[i].start,
				    p->cmrs.r[i].end);
	if (ret)
		tdxctl_err("out of memory");
	p->mm = mm;
	return ret;
}

static void print_ranges(const char *title, const struct tdx_rangeset *rs)
{
	char sz[32];
	unsigned int i;

	tdx_fmt_size(tdx_rs_bytes(rs), sz, sizeof(sz));
	printf("%-15s%u range(s), %s\n", title, rs->nr, sz);
	for (i = 0; i < rs->nr; i++) {
		tdx_fmt_size(rs->r[i].end - rs->r[i].start, sz, sizeof(sz));
		printf("  0x%016llx-0x%016llx %10s\n",
		       (unsigned long long)rs->r[i].start,
		       (unsigned long long)rs->r[i].end - 1, sz);
	}
}

static void print_plan(const struct plan *p, u64 pamt)
{
	const struct tdx_layout *l = &p->layout;
	const struct tdx_tdmr *t;
	char sz[32], ps[32];
	unsigned int i, j;
	u64 ram = tdx_rs_bytes(&p->ram), mem = tdx_rs_bytes(&p->tdx_mem);

	printf("Source:        %s, cover=%s\n", p->source,
	       p->cover_cmrs ? "cmrs" : "present");
	printf("Limits:        %u TDMRs, %u reserved areas per TDMR, PAMT entry %u bytes\n",
	       p->lim.max_tdmrs, p->lim.max_rsvd_per_tdmr,
	       p->lim.pamt_entry_size[TDX_PAMT_4K]);
	print_ranges("RAM:", &p->ram);
	print_ranges("CMRs:", &p->cmrs);
	printf("TDMRs:         %u (max %u)\n", l->nr, p->lim.max_tdmrs);
	for (i = 0; i < l->nr; i++) {
		t = &l->tdmr[i];
		tdx_fmt_size(t->size, sz, sizeof(sz));
		tdx_fmt_size(tdx_tdmr_pamt_bytes(t), ps, sizeof(ps));
		printf("  TDMR %u: 0x%016llx-0x%016llx %9s", i,
		       (unsigned long long)t->base,
		       (unsigned long long)(t->base + t->size - 1), sz);
		if (t->nid >= 0)
			printf(" node %d", t->nid);
		printf(", %u/%u reserved, PAMT %s at 0x%llx\n", t->nr_rsvd,
		       p->lim.max_rsvd_per_tdmr, ps,
		       (unsigned long long)t->pamt_base);
		for (j = 0; j < t->nr_rsvd; j++) {
			tdx_fmt_size(t->rsvd[j].end - t->rsvd[j].start, sz,
				     sizeof(sz));
			printf("    reserved 0x%llx-0x%llx (%s)\n",
			       (unsigned long long)t->rsvd[j].start,
			       (unsigned long long)t->rsvd[j].end - 1, sz);
		}
	}
	tdx_fmt_size(pamt, ps, sizeof(ps));
	tdx_fmt_size(mem, sz, sizeof(sz));
	printf("TDX memory:    %s\n", sz);
	printf("PAMT:          %s (%.2f%% of TDX memory, %.2f%% of RAM)\n", ps,
	       mem ? 100.0 * pamt / mem : 0.0, ram ? 100.0 * pamt / ram : 0.0);
}

static struct json_object *json_plan(const struct plan *p, u64 pamt)
{
	struct json_object *o = json_object_new_object(), *a, *t, *r;
	const struct tdx_layout *l = &p->layout;
	const struct tdx_tdmr *td;
	unsigned int i, j;

	json_object_object_add(o, "source", json_object_new_string(p->source));
	json_object_object_add(o, "cover",
			       json_object_new_string(p->cover_cmrs ? "cmrs" :
						      "present"));
	json_object_object_add(o, "max_tdmrs",
			       json_object_new_int(p->lim.max_tdmrs));
	json_object_object_add(o, "max_reserved_per_tdmr",
			       json_object_new_int(p->lim.max_rsvd_per_tdmr));
	json_object_object_add(o, "ram", tdx_json_ranges(&p->ram));
	json_object_object_add(o, "cmrs", tdx_json_ranges(&p->cmrs));
	a = json_object_new_array();
	for (i = 0; i < l->nr; i++) {
		td = &l->tdmr[i];
		t = tdx_json_range(td->base, td->base + td->size);
		json_object_object_add(t, "node", td->nid >= 0 ?
				       json_object_new_int(td->nid) : NULL);
		json_object_object_add(t, "pamt_base",
				       tdx_json_hex(td->pamt_base));
		json_object_object_add(t, "pamt_size",
				       json_object_new_int64(tdx_tdmr_pamt_bytes(td)));
		r = json_object_new_array();
		for (j = 0; j < td->nr_rsvd; j++)
			json_object_array_add(r,
					      tdx_json_range(td->rsvd[j].start,
							     td->rsvd[j].end));
		json_object_object_add(t, "reserved", r);
		json_object_array_add(a, t);
	}
	json_object_object_add(o, "tdmrs", a);
	json_object_object_add(o, "tdx_memory", tdx_json_ranges(&p->tdx_mem));
	json_object_object_add(o, "tdx_memory_bytes",
			       json_object_new_int64(tdx_rs_bytes(&p->tdx_mem)));
	json_object_object_add(o, "not_convertible",
			       tdx_json_ranges(&p->outside));
	json_object_object_add(o, "pamt_bytes", json_object_new_int64(pamt));
	json_object_object_add(o, "ram_bytes",
			       json_object_new_int64(tdx_rs_bytes(&p->ram)));
	return o;
}

/* cover and PAMT space from RAM, CMRs and the cover mode. */
static int plan_cover(struct plan *p)
{
	int ret;

	ret = tdx_rs_intersect(&p->ram, &p->cmrs, &p->pamt_ram);
	if (ret)
		return ret;
	return tdx_rs_copy(&p->cover, p->cover_cmrs ? &p->cmrs : &p->pamt_ram);
}

static int plan_layout(struct plan *p)
{
	struct tdx_layout_error e = { 0 };
	struct tdx_tdmr *t;
	unsigned int i;
	int ret;

	ret = tdx_layout_build(&p->layout, &p->cover, &p->cmrs, &p->lim, &e);
	if (!ret)
		ret = tdx_layout_place_pamts(&p->layout, &p->pamt_ram, &e);
	if (!ret)
		ret = tdx_layout_add_pamts(&p->layout, &p->lim, &e);
	if (ret) {
		tdxctl_err("layout failed: %s",
			   e.msg[0] ? e.msg : strerror(-ret));
		return ret;
	}
	for (i = 0; p->mm && i < p->layout.nr; i++) {
		t = &p->layout.tdmr[i];
		t->nid = tdx_memmap_nid(p->mm, t->base, t->base + t->size);
	}
	ret = tdx_layout_tdx_memory(&p->layout, &p->cmrs, &p->tdx_mem);
	if (ret)
		tdxctl_err("cannot compute TDX memory: %s", strerror(-ret));
	return ret;
}

static int parse_limit(const char *opt, const char *s, unsigned int max,
		       unsigned int *val)
{
	u64 v;

	if (tdx_parse_u64(s, &v) || !v || v > max) {
		tdxctl_err("plan: %s must be 1..%u", opt, max);
		return -1;
	}
	*val = (unsigned int)v;
	return 0;
}

static int default_cover(bool *cmrs)
{
	char buf[32];

	*cmrs = false;
	if (tdx_sysfs_read("module/tdx_sys/parameters/tdmr_cover", buf,
			   sizeof(buf)) > 0)
		*cmrs = !strcmp(buf, "cmrs");
	return 0;
}

int cmd_plan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cover", required_argument, NULL, 'c' },
		{ "memmap", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'J' },
		{ "max-tdmrs", required_argument, NULL, 'T' },
		{ "max-reserved", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int max_tdmrs = 0, max_rsvd = 0;
	const char *memmap = NULL, *cover = NULL;
	char err[TDXCTL_ERRLEN + 64], src[300];
	struct tdx_memmap mm;
	bool json = false, have_mm = false;
	int c, ret, code = TDXCTL_EXIT_FAIL;
	struct plan *p;
	u64 pamt;

	optind = 0;
	while ((c = getopt_long(argc, argv, "c:m:JT:R:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			cover = optarg;
			break;
		case 'm':
			memmap = optarg;
			break;
		case 'J':
			json = true;
			break;
		case 'T':
			if (parse_limit("--max-tdmrs", optarg, TDX_MAX_TDMRS,
					&max_tdmrs))
				return TDXCTL_EXIT_USAGE;
			break;
		case 'R':
			if (parse_limit("--max-reserved", optarg, TDX_MAX_RSVD,
					&max_rsvd))
				return TDXCTL_EXIT_USAGE;
			break;
		case 'h':
			puts("usage: tdxctl plan [--cover present|cmrs] [--memmap FILE] [--json]\n"
			     "                   [--max-tdmrs N] [--max-reserved N]");
			return TDXCTL_EXIT_OK;
		default:
			return TDXCTL_EXIT_USAGE;
		}
	}
	if (tdx_no_operands(argc, argv))
		return TDXCTL_EXIT_USAGE;
	if (cover && strcmp(cover, "present") && strcmp(cover, "cmrs")) {
		tdxctl_err("plan: --cover must be present or cmrs");
		return TDXCTL_EXIT_USAGE;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		tdxctl_err("out of memory");
		return TDXCTL_EXIT_FAIL;
	}
	if (memmap) {
		ret = tdx_memmap_load(memmap, &mm, err, sizeof(err));
		if (ret) {
			tdxctl_err("%s", err);
			code = TDXCTL_EXIT_USAGE;
			goto out;
		}
		have_mm = true;
		tdx_limits_default(&p->lim);
		ret = plan_from_memmap(p, &mm);
		snprintf(src, sizeof(src), "memory map %s", memmap);
		p->source = src;
	} else {
		ret = plan_from_sysfs(p, &code);
	}
	if (ret)
		goto out;
	if (cover)
		p->cover_cmrs = !strcmp(cover, "cmrs");
	else if (!memmap)
		default_cover(&p->cover_cmrs);
	if (max_tdmrs)
		p->lim.max_tdmrs = max_tdmrs;
	if (max_rsvd)
		p->lim.max_rsvd_per_tdmr = max_rsvd;
	code = TDXCTL_EXIT_FAIL;
	ret = plan_cover(p);
	if (ret) {
		tdxctl_err("out of memory");
		goto out;
	}
	ret = plan_layout(p);
	if (ret)
		goto out;
	pamt = tdx_layout_pamt_bytes(&p->layout);
	if (json)
		ret = tdx_json_print(json_plan(p, pamt));
	else
		print_plan(p, pamt);
	if (ret)
		goto out;
	/* tdx_sys refuses to initialize while such memory is online. */
	if (p->outside.nr) {
		if (!json)
			print_ranges("Not in CMRs:", &p->outside);
		tdxctl_err("memory present outside the CMRs: initialization would fail until it is offlined");
		goto out;
	}
	code = TDXCTL_EXIT_OK;
out:
	if (have_mm)
		tdx_memmap_free(&mm);
	plan_free(p);
	free(p);
	return code;
}
