// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl apply: hand the settings of tdxsys.conf that tdx_sys enforces
 * (before_init) to tdx_sys. Run by the udev rule when tdx_sys loads and by
 * tdx-init.service, so the file wins over the module parameter given at
 * load whenever it sets one.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "tdxctl_cmds.h"
#include "tdx_before_init.h"
#include "tdx_udev_table.h"
#include "tdx_util.h"

int cmd_apply(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum tdx_before_init now;
	struct tdxsys_config cfg;
	const char *what = "";
	bool present;
	int c, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			puts("usage: tdxctl apply");
			return TDXCTL_EXIT_OK;
		default:
			return TDXCTL_EXIT_USAGE;
		}
	}
	if (tdx_no_operands(argc, argv))
		return TDXCTL_EXIT_USAGE;
	/* A malformed file changes nothing */
	ret = tdx_config_load(&cfg);
	if (ret)
		return ret == -EINVAL ? TDXCTL_EXIT_USAGE : TDXCTL_EXIT_FAIL;
	ret = tdx_before_init_apply(&cfg, &what);
	if (ret == -ENOENT) {
		tdxctl_err("before_init = %s from %s not applied: %s",
			   tdx_before_init_name(cfg.before_init),
			   tdx_config_path(), what);
		return TDXCTL_EXIT_NOTDX;
	}
	if (ret)
		return TDXCTL_EXIT_FAIL;
	if (tdx_before_init_kernel(&now, &present))
		return TDXCTL_EXIT_FAIL;
	printf("before_init: %s (%s)\n", tdx_before_init_name(now), what);
	/* Decisions made for the old value must go */
	tdx_udev_table_update(false, NULL);
	return TDXCTL_EXIT_OK;
}
