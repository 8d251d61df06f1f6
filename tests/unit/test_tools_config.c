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

/* before_init, unsafe_kexec, kdump: defaults, values, bad values. */
static void lifecycle_keys(void)
{
	struct tdxsys_config c;
	char err[512] = "";

	tdx_config_default(&c);
	TAP_OK(c.before_init == TDX_BEFORE_INIT_CMRS && !c.before_init_set &&
	       c.unsafe_kexec == TDX_KEXEC_DISABLE &&
	       c.kdump == TDX_KDUMP_WARN,
	       "defaults: before_init cmrs (unset), unsafe_kexec disable, kdump warn");
	TAP_OK(!tdx_config_parse("before_init = any\nunsafe_kexec = allow\nkdump = refuse\n",
				 "c", &c, err, sizeof(err)) &&
	       c.before_init == TDX_BEFORE_INIT_ANY && c.before_init_set &&
	       c.unsafe_kexec == TDX_KEXEC_ALLOW && c.kdump == TDX_KDUMP_REFUSE,
	       "any, allow, refuse applied; before_init marked as set");
	TAP_EQ_STR(tdx_before_init_name(c.before_init), "any", "name any");
	TAP_EQ_STR(tdx_kexec_policy_name(c.unsafe_kexec), "allow",
		   "name allow");
	TAP_EQ_STR(tdx_kdump_policy_name(c.kdump), "refuse", "name refuse");
	TAP_OK(!tdx_config_parse("before_init = cmrs\n", "c", &c, err,
				 sizeof(err)) &&
	       c.before_init == TDX_BEFORE_INIT_CMRS && c.before_init_set,
	       "before_init = cmrs: set explicitly");

	tdx_config_default(&c);
	TAP_OK(tdx_config_parse("kdump = refuse\nbefore_init = sometimes\n",
				"/etc/t.conf", &c, err, sizeof(err)) &&
	       strstr(err, "/etc/t.conf:2: ") && strstr(err, "cmrs or any") &&
	       strstr(err, "sometimes"), "bad before_init: %s", err);
	TAP_OK(c.kdump == TDX_KDUMP_WARN && !c.before_init_set,
	       "nothing applied from a file with an error");
	TAP_OK(tdx_config_parse("unsafe_kexec = yes\n", "f", &c, err,
				sizeof(err)) && strstr(err, "disable or allow"),
	       "bad unsafe_kexec: %s", err);
	TAP_OK(tdx_config_parse("kdump = ignore\n", "f", &c, err,
				sizeof(err)) && strstr(err, "warn or refuse"),
	       "bad kdump: %s", err);
	TAP_OK(tdx_config_parse("before_init = ANY\n", "f", &c, err,
				sizeof(err)) && strstr(err, "cmrs or any"),
	       "values are case-sensitive: %s", err);
	TAP_OK(c.unsafe_kexec == TDX_KEXEC_DISABLE &&
	       c.before_init == TDX_BEFORE_INIT_CMRS,
	       "still the defaults");
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

/* The file installed as /etc/tdxsys/tdxsys.conf: the built-in defaults. */
static void shipped(void)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], *text = NULL;
	struct tdxsys_config c, d;
	char err[512] = "";

	memmap_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/../../../tools/tdxsys.conf", dir);
	tdx_config_default(&d);
	c = d;
	c.zone = TDX_ZONE_AUTO;
	TAP_OK(!tdx_read_file(path, &text) &&
	       !tdx_config_parse(text, path, &c, err, sizeof(err)),
	       "shipped tdxsys.conf parses (%s)", err);
	TAP_OK(!memcmp(&c, &d, sizeof(c)),
	       "shipped tdxsys.conf: the defaults, before_init left to tdx_sys");
	free(text);
}

int main(void)
{
	parse();
	shipped();
	lifecycle_keys();
	load();
	return tap_done();
}
