// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl online: online the memory blocks the decision allows.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdxctl_cmds.h"
#include "tdx_decide.h"
#include "tdx_memblock.h"
#include "tdx_udev_table.h"
#include "tdx_util.h"

struct online_stats {
	unsigned int onlined;
	unsigned int already;
	unsigned int refused;	/* refuse, wait or none */
	unsigned int failed;	/* write errors */
};

static void online_one(const struct tdx_ctx *ctx, struct tdx_memblock *mb,
		       const char *type, bool quiet_skip,
		       struct online_stats *st)
{
	struct tdx_verdict v;
	bool raced;
	int ret;

	if (tdx_memblock_online(mb)) {
		st->already++;
		if (!quiet_skip)
			printf("memory%lu: already online\n", mb->id);
		return;
	}
	tdx_ctx_decide_block(ctx, mb->start, mb->end, &v);
	if (v.decision != TDX_DECISION_ONLINE) {
		st->refused++;
		printf("memory%lu [0x%llx-0x%llx]: not onlined (%s): %s\n",
		       mb->id, (unsigned long long)mb->start,
		       (unsigned long long)mb->end - 1,
		       tdx_decision_name(v.decision), v.reason);
		return;
	}
	ret = tdx_memblock_set_online(mb, type, &raced);
	if (!ret) {
		st->onlined++;
		printf("memory%lu: %s as %s\n", mb->id,
		       raced ? "onlined concurrently by another agent" :
		       "onlined", type);
		return;
	}
	st->failed++;
	if (ret == -EPERM)
		tdxctl_err("memory%lu [0x%llx-0x%llx]: the kernel refused %s (see dmesg)",
			   mb->id, (unsigned long long)mb->start,
			   (unsigned long long)mb->end - 1, type);
	else
		tdxctl_err("memory%lu: writing %s to state failed: %s",
			   mb->id, type, strerror(-ret));
}

static int online_pending(const struct tdx_ctx *ctx, const char *type,
			  struct online_stats *st)
{
	struct tdx_memblocks l;
	size_t i;

	if (tdx_memblock_list(0, &l))
		return -EIO;
	for (i = 0; i < l.nr; i++)
		if (!tdx_memblock_online(&l.b[i]))
			online_one(ctx, &l.b[i], type, true, st);
	tdx_memblock_list_free(&l);
	return 0;
}

static int online_listed(const struct tdx_ctx *ctx, const char *type,
			 char **names, int nr, struct online_stats *st)
{
	struct tdx_memblock mb;
	unsigned long id;
	int i, ret;
	u64 bs;

	for (i = 0; i < nr; i++) {
		if (tdx_memblock_parse_name(names[i], &id)) {
			tdxctl_err("\"%s\" is not a memory block (N or memoryN)",
				   names[i]);
			return -EINVAL;
		}
	}
	ret = tdx_memblock_size(&bs);
	if (ret)
		return ret;
	for (i = 0; i < nr; i++) {
		tdx_memblock_parse_name(names[i], &id);
		ret = tdx_memblock_read(id, bs, 0, &mb);
		if (ret) {
			tdxctl_err("memory%lu: %s", id,
				   ret == -ENOENT ? "no such memory block" :
				   strerror(-ret));
			st->failed++;
			continue;
		}
		online_one(ctx, &mb, type, false, st);
	}
	return 0;
}

int cmd_online(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pending", no_argument, NULL, 'p' },
		{ "zone", required_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct online_stats st = { 0 };
	const char *zone = NULL, *type;
	struct tdx_ctx *ctx;
	bool pending = false, have_blocks;
	enum tdx_zone z = TDX_ZONE_MOVABLE;
	int c, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, "pz:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			pending = true;
			break;
		case 'z':
			zone = optarg;
			break;
		case 'h':
			puts("usage: tdxctl online [--pending | BLOCK...]\n"
			     "                     [--zone movable|normal|auto]");
			return TDXCTL_EXIT_OK;
		default:
			return TDXCTL_EXIT_USAGE;
		}
	}
	have_blocks = optind < argc;
	if (pending == have_blocks) {
		tdxctl_err("online: give either --pending or memory blocks");
		return TDXCTL_EXIT_USAGE;
	}
	if (zone && tdx_zone_parse(zone, &z)) {
		tdxctl_err("online: --zone must be movable, normal or auto");
		return TDXCTL_EXIT_USAGE;
	}
	ctx = tdx_ctx_new(&ret);
	/*
	 * Run on every TDX state change (and by hand after editing
	 * tdxsys.conf): udev's decision table follows.
	 */
	if (pending)
		tdx_udev_table_update(false, NULL);
	if (!ctx)
		return ret;
	type = tdx_zone_online_type(zone ? z : ctx->cfg.zone);
	if (pending)
		ret = online_pending(ctx, type, &st);
	else
		ret = online_listed(ctx, type, argv + optind, argc - optind,
				    &st);
	tdx_ctx_free(ctx);
	if (ret)
		return ret == -EINVAL ? TDXCTL_EXIT_USAGE : TDXCTL_EXIT_FAIL;
	if (pending)
		printf("onlined %u block(s), %u left offline by the policy, %u failed\n",
		       st.onlined, st.refused, st.failed);
	/* Pending blocks the policy keeps offline are the expected case. */
	if (st.failed || (!pending && st.refused))
		return TDXCTL_EXIT_FAIL;
	return TDXCTL_EXIT_OK;
}
