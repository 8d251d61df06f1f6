// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl udev-table: write (or print) udev's decision table for the
 * current TDX state and configuration.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "tdxctl_cmds.h"
#include "tdx_udev_table.h"
#include "tdx_util.h"

int cmd_udev_table(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "print", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tdxsys_config cfg;
	const char *why, *path;
	bool print = false;
	int c, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, "ph", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			print = true;
			break;
		case 'h':
			puts("usage: tdxctl udev-table [--print]");
			return TDXCTL_EXIT_OK;
		default:
			return TDXCTL_EXIT_USAGE;
		}
	}
	if (tdx_no_operands(argc, argv))
		return TDXCTL_EXIT_USAGE;
	if (print)
		ret = tdx_udev_table_print();
	else
		ret = tdx_udev_table_update(true, &why);
	/* A broken tdxsys.conf is reported by loading it */
	if (ret && tdx_config_load(&cfg))
		return ret == -EINVAL ? TDXCTL_EXIT_USAGE : TDXCTL_EXIT_FAIL;
	if (print || ret)
		return ret ? TDXCTL_EXIT_FAIL : TDXCTL_EXIT_OK;
	path = tdx_udev_table_path();
	printf("%s: %s\n", path ? path : "udev-table", why);
	return TDXCTL_EXIT_OK;
}
