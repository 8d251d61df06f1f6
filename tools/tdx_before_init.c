// SPDX-License-Identifier: GPL-2.0
/*
 * before_init between tdxsys.conf and tdx_sys's module parameter.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tdx_before_init.h"
#include "tdx_sysfs.h"
#include "tdx_util.h"

int tdx_before_init_kernel(enum tdx_before_init *b, bool *present)
{
	char buf[32];
	int ret;

	*b = TDX_BEFORE_INIT_CMRS;
	*present = false;
	ret = tdx_sysfs_read(TDX_BEFORE_INIT_PARAM, buf, sizeof(buf));
	if (ret == -ENOENT)
		return 0;
	if (ret < 0) {
		tdxctl_err("cannot read %s/%s: %s", tdx_sysfs_root(),
			   TDX_BEFORE_INIT_PARAM, strerror(-ret));
		return ret;
	}
	if (tdx_before_init_parse(buf, b)) {
		tdxctl_err("%s/%s: unknown value \"%s\"", tdx_sysfs_root(),
			   TDX_BEFORE_INIT_PARAM, buf);
		return -EINVAL;
	}
	*present = true;
	return 0;
}

int tdx_before_init_apply(const struct tdxsys_config *c, const char **what)
{
	enum tdx_before_init cur;
	bool present;
	int ret;

	if (!tdx_sysfs_exists("module/tdx_sys")) {
		*what = "tdx_sys is not loaded";
		return -ENOENT;
	}
	ret = tdx_before_init_kernel(&cur, &present);
	if (ret)
		return ret;
	if (!present) {
		*what = "this tdx_sys has no before_init parameter (it enforces cmrs)";
		return c->before_init_set && c->before_init != cur ? -ENOENT : 0;
	}
	if (!c->before_init_set) {
		*what = "not set in tdxsys.conf: tdx_sys's value kept";
		return 0;
	}
	if (cur == c->before_init) {
		*what = "already set";
		return 0;
	}
	ret = tdx_sysfs_write(TDX_BEFORE_INIT_PARAM,
			      tdx_before_init_name(c->before_init));
	if (ret) {
		tdxctl_err("cannot write %s/%s: %s%s", tdx_sysfs_root(),
			   TDX_BEFORE_INIT_PARAM, strerror(-ret),
			   ret == -EPERM || ret == -EACCES ? " (run as root)" : "");
		return ret;
	}
	*what = "written";
	return 0;
}
