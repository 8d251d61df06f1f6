// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl: TDX host initialization and memory onlining policy, user side.
 */
#include <stdio.h>
#include <string.h>

#include "tdxctl_cmds.h"
#include "tdx_util.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "status", cmd_status, "status [--json]" },
	{ "init", cmd_init, "init [--timeout SECONDS]" },
	{ "check", cmd_check, "check BLOCK|memoryN|0xSTART-0xEND [--udev]" },
	{ "online", cmd_online,
	  "online [--pending | BLOCK...] [--zone movable|normal|auto]" },
	{ "lsmem", cmd_lsmem, "lsmem [--json]" },
	{ "plan", cmd_plan,
	  "plan [--cover present|cmrs] [--memmap FILE] [--json]" },
	{ "udev-table", cmd_udev_table, "udev-table [--print]" },
	{ "apply", cmd_apply, "apply" },
};

static void usage(FILE *f)
{
	unsigned int i;

	fputs("Usage:\n", f);
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		fprintf(f, "  tdxctl %s\n", cmds[i].help);
	fputs("See tdxctl(8).\n", f);
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc < 2) {
		usage(stderr);
		return TDXCTL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return TDXCTL_EXIT_OK;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	tdxctl_err("unknown command \"%s\"", argv[1]);
	usage(stderr);
	return TDXCTL_EXIT_USAGE;
}
