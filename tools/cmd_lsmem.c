// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl lsmem: memory blocks like util-linux lsmem, plus what TDX thinks
 * of each: inside CMRs, inside TDX memory, and the onlining decision.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdxctl_cmds.h"
#include "tdx_decide.h"
#include "tdx_json.h"
#include "tdx_memblock.h"
#include "tdx_util.h"

struct lsmem_row {
	unsigned long first, last;	/* block ids */
	u64 start, end;
	const struct tdx_memblock *mb;	/* the first block */
	const char *in_cmr, *in_tdx;
	struct tdx_verdict v;
};

static void classify(const struct tdx_ctx *ctx, const struct tdx_memblock *mb,
		     struct lsmem_row *r)
{
	r->first = mb->id;
	r->last = mb->id;
	r->start = mb->start;
	r->end = mb->end;
	r->mb = mb;
	r->in_cmr = ctx->loaded && ctx->state != TDX_STATE_UNSUPPORTED ?
		tdx_block_coverage(ctx, &ctx->cmrs, mb->start, mb->end) : "-";
	r->in_tdx = ctx->state == TDX_STATE_INITIALIZED ?
		tdx_block_coverage(ctx, &ctx->tdx_mem, mb->start, mb->end) :
		"-";
	tdx_ctx_decide_block(ctx, mb->start, mb->end, &r->v);
}

/* Blocks merge like lsmem's: contiguous and alike in every column. */
static bool same_row(const struct lsmem_row *a, const struct lsmem_row *b)
{
	return a->last + 1 == b->first && a->end == b->start &&
		!strcmp(a->mb->state, b->mb->state) &&
		!strcmp(a->mb->zones, b->mb->zones) &&
		a->mb->node == b->mb->node &&
		a->mb->removable == b->mb->removable &&
		a->in_cmr == b->in_cmr && a->in_tdx == b->in_tdx &&
		a->v.decision == b->v.decision && a->v.reason == b->v.reason;
}

static void fmt_blocks(const struct lsmem_row *r, char *buf, size_t len)
{
	if (r->first == r->last)
		snprintf(buf, len, "%lu", r->first);
	else
		snprintf(buf, len, "%lu-%lu", r->first, r->last);
}

static void print_row(const struct lsmem_row *r)
{
	char size[32], blocks[48], node[16];

	tdx_fmt_size(r->end - r->start, size, sizeof(size));
	fmt_blocks(r, blocks, sizeof(blocks));
	if (r->mb->node >= 0)
		snprintf(node, sizeof(node), "%d", r->mb->node);
	else
		snprintf(node, sizeof(node), "-");
	printf("0x%016llx-0x%016llx %10s %-8s %-11s %4s %-16s %-7s %-7s %s\n",
	       (unsigned long long)r->start, (unsigned long long)r->end - 1,
	       size, r->mb->state, blocks, node,
	       r->mb->zones[0] ? r->mb->zones : "-", r->in_cmr, r->in_tdx,
	       tdx_decision_name(r->v.decision));
}

static struct json_object *json_row(const struct lsmem_row *r)
{
	struct json_object *o = json_object_new_object();
	char blocks[48];

	fmt_blocks(r, blocks, sizeof(blocks));
	json_object_object_add(o, "range",
			       tdx_json_range(r->start, r->end));
	json_object_object_add(o, "size",
			       json_object_new_int64(r->end - r->start));
	json_object_object_add(o, "state",
			       json_object_new_string(r->mb->state));
	json_object_object_add(o, "removable",
			       json_object_new_boolean(r->mb->removable));
	json_object_object_add(o, "block", json_object_new_string(blocks));
	json_object_object_add(o, "node", r->mb->node >= 0 ?
			       json_object_new_int(r->mb->node) : NULL);
	json_object_object_add(o, "zones",
			       json_object_new_string(r->mb->zones));
	json_object_object_add(o, "in_cmr", json_object_new_string(r->in_cmr));
	json_object_object_add(o, "in_tdx", json_object_new_string(r->in_tdx));
	json_object_object_add(o, "decision",
			       json_object_new_string(tdx_decision_name(r->v.decision)));
	json_object_object_add(o, "reason", json_object_new_string(r->v.reason));
	return o;
}

int cmd_lsmem(int argc, char **argv)
{
	struct json_object *root = NULL, *arr = NULL;
	u64 online = 0, offline = 0;
	struct lsmem_row cur, next;
	struct tdx_memblocks l;
	struct tdx_ctx *ctx;
	char s1[32], s2[32], s3[32];
	bool json = false;
	size_t i;
	int ret;

	ret = tdx_json_opts(argc, argv, "tdxctl lsmem [--json]", &json);
	if (ret >= 0)
		return ret;
	ctx = tdx_ctx_new(&ret);
	if (!ctx)
		return ret;
	if (tdx_memblock_list(TDX_MB_DETAILS, &l)) {
		tdx_ctx_free(ctx);
		return TDXCTL_EXIT_FAIL;
	}
	if (json) {
		root = json_object_new_object();
		arr = json_object_new_array();
	} else {
		printf("%-37s %10s %-8s %-11s %4s %-16s %-7s %-7s %s\n",
		       "RANGE", "SIZE", "STATE", "BLOCK", "NODE", "ZONES",
		       "IN-CMR", "IN-TDX", "DECISION");
	}
	for (i = 0; i < l.nr; i++) {
		if (tdx_memblock_online(&l.b[i]))
			online += l.block_size;
		else
			offline += l.block_size;
		classify(ctx, &l.b[i], i ? &next : &cur);
		if (!i)
			continue;
		if (same_row(&cur, &next)) {
			cur.last = next.last;
			cur.end = next.end;
			continue;
		}
		if (json)
			json_object_array_add(arr, json_row(&cur));
		else
			print_row(&cur);
		cur = next;
	}
	if (l.nr) {
		if (json)
			json_object_array_add(arr, json_row(&cur));
		else
			print_row(&cur);
	}
	if (json) {
		json_object_object_add(root, "memory", arr);
		json_object_object_add(root, "block_size",
				       json_object_new_int64(l.block_size));
		json_object_object_add(root, "total_online",
				       json_object_new_int64(online));
		json_object_object_add(root, "total_offline",
				       json_object_new_int64(offline));
		json_object_object_add(root, "tdx_state",
				       json_object_new_string(ctx->loaded ?
				       tdx_state_name(ctx->state) : "not loaded"));
		ret = tdx_json_print(root);
	} else {
		tdx_fmt_size(l.block_size, s1, sizeof(s1));
		tdx_fmt_size(online, s2, sizeof(s2));
		tdx_fmt_size(offline, s3, sizeof(s3));
		printf("\nMemory block size:    %s\n", s1);
		printf("Total online memory:  %s\n", s2);
		printf("Total offline memory: %s\n", s3);
		printf("TDX state:            %s\n", ctx->loaded ?
		       tdx_state_name(ctx->state) : "tdx_sys not loaded");
	}
	tdx_memblock_list_free(&l);
	tdx_ctx_free(ctx);
	return ret ? TDXCTL_EXIT_FAIL : TDXCTL_EXIT_OK;
}
