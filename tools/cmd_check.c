// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl check: the onlining decision for one block or range, for people
 * and for udev's IMPORT{program}.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdxctl_cmds.h"
#include "tdx_decide.h"
#include "tdx_memblock.h"
#include "tdx_udev_table.h"
#include "tdx_util.h"

/*
 * udev's IMPORT takes KEY="VALUE" without escapes: keep VALUE plain, and
 * the same as the decision table would set it.
 */
static void print_udev_value(const char *key, const char *val)
{
	const char *p;

	printf("%s=\"", key);
	for (p = val; *p; p++)
		putchar(tdx_udev_char(*p));
	puts("\"");
}

/*
 * The parts of /proc/iomem a block's decision needs: none for an offline
 * block, which the kernel holds only whole (it adds memory in whole blocks
 * and refuses to offline one with holes), so it is judged whole anyway.
 */
static unsigned int ctx_flags(bool block, unsigned long id, u64 start,
			      u64 end)
{
	struct tdx_memblock mb;

	if (!block || tdx_memblock_read(id, end - start, 0, &mb) ||
	    strcmp(mb.state, "offline"))
		return 0;
	return TDX_CTX_NO_RAM;
}

/* A block (decided by its RAM parts) or a range (decided whole). */
static int parse_target(const char *arg, u64 *start, u64 *end, bool *block,
			unsigned long *id)
{
	u64 bs;
	int ret;

	*block = !strchr(arg, '-');
	if (!*block) {
		if (tdx_parse_range(arg, start, end)) {
			tdxctl_err("\"%s\" is not a 0xSTART-0xEND range", arg);
			return -1;
		}
		return 0;
	}
	if (tdx_memblock_parse_name(arg, id)) {
		tdxctl_err("\"%s\" is not a memory block (N, memoryN) or range (0xSTART-0xEND)",
			   arg);
		return -1;
	}
	ret = tdx_memblock_size(&bs);
	if (ret)
		return ret;
	if (tdx_memblock_range(*id, bs, start, end)) {
		tdxctl_err("memory block %lu is beyond the address space", *id);
		return -1;
	}
	return 0;
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "udev", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tdx_verdict v;
	struct tdx_ctx *ctx;
	bool udev = false, block;
	unsigned long id = 0;
	u64 start, end;
	int c, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, "uh", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			udev = true;
			break;
		case 'h':
			puts("usage: tdxctl check BLOCK|memoryN|0xSTART-0xEND [--udev]");
			return TDXCTL_EXIT_OK;
		default:
			return TDXCTL_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		tdxctl_err("check: expected one block or range");
		return TDXCTL_EXIT_USAGE;
	}
	if (parse_target(argv[optind], &start, &end, &block, &id))
		return TDXCTL_EXIT_USAGE;
	ctx = tdx_ctx_new_flags(ctx_flags(block, id, start, end), &ret);
	if (!ctx) {
		/* A table for a configuration now broken must go too */
		if (udev)
			tdx_udev_table_update(false, NULL);
		return ret;
	}
	if (block)
		tdx_ctx_decide_block(ctx, start, end, &v);
	else
		tdx_ctx_decide(ctx, start, end, &v);
	tdx_ctx_free(ctx);

	if (udev) {
		printf("TDX_DECISION=%s\n", tdx_decision_name(v.decision));
		printf("TDX_ONLINE_TYPE=%s\n", v.online_type);
		print_udev_value("TDX_REASON", v.reason);
		/* What the decision table leaves to us: a refusal names it */
		if (v.decision == TDX_DECISION_REFUSE)
			printf("TDX_RANGE=0x%llx-0x%llx\n",
			       (unsigned long long)start,
			       (unsigned long long)end - 1);
		if (fflush(stdout))
			return TDXCTL_EXIT_FAIL;
		/* udev asked us: its table was stale, missing, or says refuse */
		tdx_udev_table_update(false, NULL);
		return TDXCTL_EXIT_OK;
	}
	printf("0x%llx-0x%llx: %s: %s", (unsigned long long)start,
	       (unsigned long long)end - 1, tdx_decision_name(v.decision),
	       v.reason);
	if (v.decision == TDX_DECISION_ONLINE)
		printf(" (as %s)", v.online_type);
	putchar('\n');
	switch (v.decision) {
	case TDX_DECISION_ONLINE:
		return TDXCTL_EXIT_OK;
	case TDX_DECISION_REFUSE:
		return TDXCTL_EXIT_FAIL;
	case TDX_DECISION_WAIT:
		return TDXCTL_EXIT_WAIT;
	default:
		return TDXCTL_EXIT_NOTDX;
	}
}
