// SPDX-License-Identifier: GPL-2.0
/*
 * tdxsys.conf parsing and loading.
 */
#include "tap.h"
#include "tools_run.h"
#include "tdx_config.h"
#include "tdx_util.h"

static void parse(void)
{
	struct tdxsys_config c;
	char err[512] = "";

	tdx_config_default(&c);
	TAP_OK(c.zone == TDX_ZONE_MOVABLE && c.online_before_init,
	       "defaults: movable, online before init");
	TAP_OK(!tdx_config_parse("# comment\n\n  zone = normal  # why\nonline_before_init=no\n",
				 "c", &c, err, sizeof(err)), "valid file");
	TAP_OK(c.zone == TDX_ZONE_NORMAL && !c.online_before_init,
	       "values applied");
	TAP_EQ_STR(tdx_zone_online_type(c.zone), "online_kernel",
		   "normal -> online_kernel");
	TAP_OK(!tdx_config_parse("zone = auto", "c", &c, err, sizeof(err)) &&
	       !strcmp(tdx_zone_online_type(c.zone), "online"),
	       "auto -> online, no trailing newline");
	TAP_OK(!tdx_config_parse("online_before_init = true\n", "c", &c, err,
				 sizeof(err)) && c.online_before_init,
	       "true accepted");

	tdx_config_default(&c);
	TAP_OK(tdx_config_parse("zone = movable\nzone = dma\n", "/etc/x.conf",
				&c, err, sizeof(err)) &&
	       !strncmp(err, "/etc/x.conf:2: ", 15) && strstr(err, "dma"),
	       "bad zone names file:line: %s", err);
	TAP_OK(c.zone == TDX_ZONE_MOVABLE, "config unchanged after error");
	TAP_OK(tdx_config_parse("\n\nfoo = 1\n", "f", &c, err, sizeof(err)) &&
	       !strncmp(err, "f:3: ", 5) && strstr(err, "unknown setting"),
	       "unknown key: %s", err);
	TAP_OK(tdx_config_parse("zone\n", "f", &c, err, sizeof(err)) &&
	       strstr(err, "f:1: ") && strstr(err, "key = value"),
	       "missing '=': %s", err);
	TAP_OK(tdx_config_parse("zone =\n", "f", &c, err, sizeof(err)) &&
	       strstr(err, "no value"), "empty value: %s", err);
	TAP_OK(tdx_config_parse("online_before_init = maybe\n", "f", &c, err,
				sizeof(err)) && strstr(err, "yes or no"),
	       "bad bool: %s", err);
}

static void load(void)
{
	char path[] = "/tmp/tdxctl-conf.XXXXXX";
	struct tdxsys_config c;
	struct run r;
	FILE *f;
	int fd;

	setenv("TDXCTL_CONFIG", "/nonexistent/tdxsys.conf", 1);
	c.zone = TDX_ZONE_AUTO;
	TAP_OK(!tdx_config_load(&c) && c.zone == TDX_ZONE_MOVABLE,
	       "missing file: defaults");
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fputs("zone = normal\nonline_before_init = perhaps\n", f);
	fclose(f);
	setenv("TDXCTL_CONFIG", path, 1);
	TAP_OK(tdx_config_load(&c) == -EINVAL, "malformed file fails");
	/* Through a command: one message, exit status 2. */
	fake_init();
	fake_write("firmware/tdx/state", "uninitialized\n");
	fake_write("firmware/tdx/cmrs", "0x0-0xfffffff\n");
	run_cmd(&r, cmd_check, "check", "0x0-0xfff", "--udev", NULL);
	r.err[strcspn(r.err, "\n")] = '\0';
	TAP_OK(r.rc == 2 && strstr(r.err, ":2: ") && !r.out[0],
	       "check with malformed config: exit 2, file:line on stderr (%s)",
	       r.err);
	fake_cleanup();
	unlink(path);
}

int main(void)
{
	parse();
	load();
	return tap_done();
}
