/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tdxctl subcommands; each returns an exit code (tdx_util.h).
 */
#ifndef TDXCTL_CMDS_H
#define TDXCTL_CMDS_H

int cmd_status(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_online(int argc, char **argv);
int cmd_lsmem(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_udev_table(int argc, char **argv);
int cmd_apply(int argc, char **argv);

#endif /* TDXCTL_CMDS_H */
