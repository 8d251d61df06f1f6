// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl against a fake sysfs and /proc (TDXCTL_SYSFS, TDXCTL_PROC):
 * before_init taken from tdx_sys (check), tdxctl apply, the lifecycle
 * lines of tdxctl status, and tdxctl init's kdump and unsafe_kexec
 * policies, with bad input changing nothing.
 */
#include <json-c/json.h>

#include "tap.h"
#include "tools_run.h"
#include "tdx_util.h"

#define CMRS "0x100000-0x7fffffff\n0x100000000-0x13fffffff\n"
#define PARAM "module/tdx_sys/parameters/before_init"

static char conf[] = "/tmp/tdxctl-lifecycle-conf.XXXXXX";
static char proc[] = "/tmp/tdxctl-lifecycle-proc.XXXXXX";

static void set_conf(const char *text)
{
	FILE *f = fopen(conf, "w");

	if (!f) {
		perror(conf);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static void fake_unlink(const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", fake_root, rel);
	unlink(path);
}

static void set_proc_kexec(const char *val)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/kernel/kexec_load_disabled",
		 proc);
	if (!val) {
		unlink(path);
		return;
	}
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(val, f);
	fclose(f);
}

static void proc_kexec(char *buf, size_t len)
{
	char path[PATH_MAX];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/kernel/kexec_load_disabled",
		 proc);
	f = fopen(path, "r");
	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

static void make_blocks(void)
{
	char rel[128];
	int i;

	fake_write("devices/system/memory/block_size_bytes", "8000000\n");
	for (i = 0; i < 24; i++) {
		snprintf(rel, sizeof(rel), "devices/system/memory/memory%d/state",
			 i);
		fake_write(rel, i < 16 ? "online\n" : "offline\n");
	}
}

/* An erratum CPU unless said otherwise; kexec, kdump as the kernel says. */
static void make_tdx(const char *state, const char *kexec, const char *kdump,
		     const char *suspend)
{
	fake_write("firmware/tdx/state", "%s\n", state);
	fake_write("firmware/tdx/cmrs", CMRS);
	fake_write("firmware/tdx/tdx_memory", "");
	fake_write("firmware/tdx/nonconvertible_online", "");
	fake_write("firmware/tdx/error", "");
	fake_write("firmware/tdx/tdmrs", "");
	fake_write("firmware/tdx/features0", "0xf0ebf\n");
	fake_write("firmware/tdx/partial_write_erratum", "1\n");
	fake_write("firmware/tdx/kexec", "%s\n", kexec);
	fake_write("firmware/tdx/kdump", "%s\n", kdump);
	fake_write("firmware/tdx/suspend", "%s\n", suspend);
	fake_write("kernel/kexec_crash_loaded", "0\n");
}

static void before_init(void)
{
	struct run r;

	make_tdx("uninitialized", "safe", "safe", "allowed");
	run_cmd(&r, cmd_check, "check", "memory20", "--udev", NULL);
	TAP_OK(r.rc == 0 && strstr(r.out, "TDX_DECISION=refuse\n"),
	       "no before_init parameter: cmrs, outside the CMRs refused");
	fake_write(PARAM, "any\n");
	run_cmd(&r, cmd_check, "check", "memory20", "--udev", NULL);
	TAP_OK(r.rc == 0 && strstr(r.out, "TDX_DECISION=online\n") &&
	       strstr(r.out, "before_init=any") && !strstr(r.out, "TDX_RANGE"),
	       "tdx_sys before_init=any: outside the CMRs online, says why");
	run_cmd(&r, cmd_check, "check", "0xa0000000-0xa7ffffff", NULL);
	TAP_EQ_U64(r.rc, 0, "range outside the CMRs with any: exit 0");
	set_conf("before_init = cmrs\n");
	run_cmd(&r, cmd_check, "check", "memory20", "--udev", NULL);
	TAP_OK(strstr(r.out, "TDX_DECISION=online\n") != NULL,
	       "tdxsys.conf's cmrs not applied: the kernel's any decides");
	fake_write(PARAM, "cmrs\n");
	set_conf("before_init = any\n");
	run_cmd(&r, cmd_check, "check", "memory20", NULL);
	TAP_OK(r.rc == 1 && strstr(r.out, "refuse: outside convertible"),
	       "kernel cmrs, tdxsys.conf any: refused, as the kernel will");
	fake_write(PARAM, "sometimes\n");
	run_cmd(&r, cmd_check, "check", "memory20", "--udev", NULL);
	TAP_OK(r.rc != 0 && strstr(r.err, "sometimes") && !*r.out,
	       "unknown kernel value: error naming it, no decision (%s)",
	       r.err);
	make_tdx("initialized", "safe", "safe", "refused");
	fake_write("firmware/tdx/tdx_memory", "0x100000-0x7fffffff\n");
	fake_write(PARAM, "any\n");
	run_cmd(&r, cmd_check, "check", "memory20", NULL);
	TAP_EQ_U64(r.rc, 1, "initialized: any no longer matters, refused");
	set_conf("");
}

static void apply(void)
{
	char val[64];
	struct run r;

	make_tdx("uninitialized", "safe", "safe", "allowed");
	fake_write(PARAM, "cmrs\n");
	set_conf("before_init = any\n");
	run_cmd(&r, cmd_apply, "apply", NULL);
	fake_read(PARAM, val, sizeof(val));
	TAP_OK(r.rc == 0 && !strcmp(val, "any") &&
	       strstr(r.out, "before_init: any (written)"),
	       "apply writes any to tdx_sys (%s)", val);
	run_cmd(&r, cmd_check, "check", "memory20", NULL);
	TAP_EQ_U64(r.rc, 0, "then check predicts online");
	run_cmd(&r, cmd_apply, "apply", NULL);
	TAP_OK(r.rc == 0 && strstr(r.out, "already set"), "again: already set");
	set_conf("zone = normal\n");
	run_cmd(&r, cmd_apply, "apply", NULL);
	fake_read(PARAM, val, sizeof(val));
	TAP_OK(r.rc == 0 && !strcmp(val, "any") &&
	       strstr(r.out, "not set in tdxsys.conf"),
	       "not set in tdxsys.conf: tdx_sys keeps its value");
	set_conf("before_init = cmrs\nbefore_init = never\n");
	run_cmd(&r, cmd_apply, "apply", NULL);
	fake_read(PARAM, val, sizeof(val));
	TAP_OK(r.rc == 2 && strstr(r.err, ":2: ") && strstr(r.err, "never") &&
	       !strcmp(val, "any"),
	       "bad value: exit 2, file:line, parameter unchanged (%s)", r.err);
	run_cmd(&r, cmd_apply, "apply", "extra", NULL);
	TAP_EQ_U64(r.rc, 2, "operand: exit 2");
	set_conf("before_init = cmrs\n");
	run_cmd(&r, cmd_apply, "apply", NULL);
	fake_read(PARAM, val, sizeof(val));
	TAP_OK(r.rc == 0 && !strcmp(val, "cmrs"), "back to cmrs");
	fake_unlink(PARAM);
	fake_write("module/tdx_sys/parameters/tdmr_cover", "present\n");
	set_conf("before_init = any\n");
	run_cmd(&r, cmd_apply, "apply", NULL);
	TAP_OK(r.rc == 3 && strstr(r.err, "no before_init parameter"),
	       "tdx_sys without the parameter: any not applied, exit 3 (%s)",
	       r.err);
	set_conf("before_init = cmrs\n");
	run_cmd(&r, cmd_apply, "apply", NULL);
	TAP_EQ_U64(r.rc, 0, "... cmrs is what it enforces: exit 0");
	fake_write(PARAM, "cmrs\n");
	set_conf("");
}

static json_object *jget(json_object *o, const char *path)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && o;
	     tok = strtok_r(NULL, ".", &save))
		o = json_object_object_get(o, tok);
	return o;
}

static const char *jstr(json_object *o, const char *path)
{
	o = jget(o, path);
	return o ? json_object_get_string(o) : "(null)";
}

static void status(void)
{
	json_object *j;
	struct run r;

	make_tdx("initialized", "unsafe", "unsafe", "refused");
	fake_write("firmware/tdx/tdx_memory", "0x100000-0x7fffffff\n");
	fake_write("kernel/kexec_crash_loaded", "1\n");
	set_proc_kexec("0\n");
	set_conf("before_init = any\n");
	run_cmd(&r, cmd_status, "status", NULL);
	TAP_OK(r.rc == 0 && strstr(r.out, "Kexec:") &&
	       strstr(r.out, "unsafe: partial-write erratum CPU without MOVDIR64B") &&
	       strstr(r.out, "kexec_load disabled: no"),
	       "status: kexec unsafe, why, not disabled");
	TAP_OK(strstr(r.out, "Kdump:") && strstr(r.out, "and the dump is lost") &&
	       strstr(r.out, "crash kernel loaded: yes"),
	       "status: kdump unsafe, what is lost, crash kernel loaded");
	TAP_OK(strstr(r.out, "Suspend:         S3 and hibernation refused") &&
	       strstr(r.out, "s2idle allowed"), "status: S3/hibernation refused");
	TAP_OK(strstr(r.out, "Features0:       0xf0ebf\n") &&
	       strstr(r.out, "PW erratum:      yes\n"),
	       "status: features0 and erratum");
	TAP_OK(strstr(r.out, "Before init:     cmrs (tdxsys.conf says any: not applied yet") != NULL,
	       "status: kernel's before_init, tdxsys.conf's pending");

	run_cmd(&r, cmd_status, "status", "--json", NULL);
	j = json_tokener_parse(r.out);
	if (!TAP_OK(r.rc == 0 && j, "status --json valid"))
		return;
	TAP_EQ_STR(jstr(j, "lifecycle.kexec.safety"), "unsafe", "json kexec");
	TAP_EQ_STR(jstr(j, "lifecycle.kexec.load_disabled"), "false",
		   "json kexec load_disabled");
	TAP_EQ_STR(jstr(j, "lifecycle.kdump.safety"), "unsafe", "json kdump");
	TAP_EQ_STR(jstr(j, "lifecycle.kdump.crash_kernel_loaded"), "true",
		   "json crash kernel loaded");
	TAP_EQ_STR(jstr(j, "lifecycle.suspend.s3_hibernation"), "refused",
		   "json suspend");
	TAP_EQ_STR(jstr(j, "lifecycle.partial_write_erratum"), "true",
		   "json erratum");
	TAP_EQ_STR(jstr(j, "features0"), "0xf0ebf", "json features0");
	TAP_EQ_STR(jstr(j, "before_init.kernel"), "cmrs", "json before_init kernel");
	TAP_EQ_STR(jstr(j, "before_init.config"), "any", "json before_init config");
	json_object_put(j);

	/* Before initialization, no erratum, nothing from tdx_sys's lifecycle */
	make_tdx("uninitialized", "safe", "safe", "allowed");
	fake_write("firmware/tdx/partial_write_erratum", "0\n");
	set_conf("");
	run_cmd(&r, cmd_status, "status", NULL);
	TAP_OK(strstr(r.out, "safe: every CPU's caches are flushed after the last SEAMCALL") &&
	       strstr(r.out, "allowed: TDH.SYS.INIT has not run") &&
	       strstr(r.out, "crash kernel loaded: no") &&
	       strstr(r.out, "Before init:     cmrs\n"),
	       "status before init, no erratum");
	fake_unlink("firmware/tdx/kexec");
	run_cmd(&r, cmd_status, "status", "--json", NULL);
	j = json_tokener_parse(r.out);
	TAP_OK(j && !jget(j, "before_init.config"),
	       "json: before_init not in tdxsys.conf is null");
	json_object_put(j);
}

static void kexec_policy(void)
{
	char val[32], st[64];
	struct run r;

	make_tdx("initialized", "unsafe", "unsafe", "refused");
	set_proc_kexec("0\n");
	run_cmd(&r, cmd_init, "init", NULL);
	proc_kexec(val, sizeof(val));
	TAP_OK(r.rc == 0 && !strcmp(val, "1\n") &&
	       strstr(r.out, "kexec disabled (kernel.kexec_load_disabled = 1)") &&
	       strstr(r.out, "no MOVDIR64B"),
	       "kexec unsafe: init sets kexec_load_disabled = 1, says why");
	run_cmd(&r, cmd_init, "init", NULL);
	TAP_OK(r.rc == 0 && strstr(r.out, "already disabled"),
	       "again: already disabled");
	set_proc_kexec("0\n");
	set_conf("unsafe_kexec = allow\n");
	run_cmd(&r, cmd_init, "init", NULL);
	proc_kexec(val, sizeof(val));
	TAP_OK(r.rc == 0 && !strcmp(val, "0\n") &&
	       strstr(r.err, "warning: kexec left enabled") &&
	       strstr(r.err, "unsafe_kexec = allow"),
	       "unsafe_kexec = allow: left enabled, warned");
	set_conf("unsafe_kexec = never\n");
	run_cmd(&r, cmd_init, "init", NULL);
	proc_kexec(val, sizeof(val));
	TAP_OK(r.rc == 2 && !strcmp(val, "0\n") && strstr(r.err, "never"),
	       "bad unsafe_kexec: exit 2, nothing changed (%s)", r.err);
	set_conf("");
	make_tdx("initialized", "safe", "unsafe", "refused");
	run_cmd(&r, cmd_init, "init", NULL);
	proc_kexec(val, sizeof(val));
	TAP_OK(r.rc == 0 && !strcmp(val, "0\n") && !strstr(r.out, "kexec"),
	       "kexec safe: left alone");
	make_tdx("initialized", "unsafe", "unsafe", "refused");
	set_proc_kexec(NULL);
	run_cmd(&r, cmd_init, "init", NULL);
	TAP_OK(r.rc == 0 && strstr(r.out, "cannot load one"),
	       "kernel without kexec: nothing to disable");

	/* Before initialization: the kdump policy */
	set_proc_kexec("0\n");
	make_tdx("uninitialized", "safe", "safe", "allowed");
	fake_write("kernel/kexec_crash_loaded", "1\n");
	set_conf("kdump = refuse\n");
	run_cmd(&r, cmd_init, "init", NULL);
	fake_read("firmware/tdx/state", st, sizeof(st));
	TAP_OK(r.rc == 1 && strstr(r.err, "refusing to initialize TDX") &&
	       strstr(r.err, "kexec -p -u") && !strcmp(st, "uninitialized\n"),
	       "kdump = refuse, crash kernel loaded, erratum: refused, not started");
	set_conf("kdump = bogus\n");
	run_cmd(&r, cmd_init, "init", NULL);
	fake_read("firmware/tdx/state", st, sizeof(st));
	TAP_OK(r.rc == 2 && !strcmp(st, "uninitialized\n"),
	       "bad kdump value: exit 2, not started");
	fake_write("firmware/tdx/partial_write_erratum", "0\n");
	set_conf("kdump = refuse\n");
	run_cmd(&r, cmd_init, "init", "--timeout", "1", NULL);
	fake_read("firmware/tdx/state", st, sizeof(st));
	TAP_OK(!strstr(r.err, "refusing") && !strcmp(st, "initialize"),
	       "no erratum: kdump = refuse does not stop it (started: %s)", st);
	make_tdx("uninitialized", "safe", "safe", "allowed");
	fake_write("kernel/kexec_crash_loaded", "1\n");
	set_conf("");
	run_cmd(&r, cmd_init, "init", "--timeout", "1", NULL);
	fake_read("firmware/tdx/state", st, sizeof(st));
	TAP_OK(strstr(r.err, "warning: a crash kernel is loaded") &&
	       strstr(r.err, "kdump = warn") && !strcmp(st, "initialize"),
	       "default kdump = warn: warned, initialization started");
	make_tdx("uninitialized", "safe", "safe", "allowed");
	set_conf("kdump = refuse\n");
	run_cmd(&r, cmd_init, "init", "--timeout", "1", NULL);
	fake_read("firmware/tdx/state", st, sizeof(st));
	TAP_OK(!strstr(r.err, "crash kernel") && !strcmp(st, "initialize"),
	       "no crash kernel loaded: started without a word");
	set_conf("");
}

int main(void)
{
	int fd = mkstemp(conf);
	char dir[PATH_MAX + 16];

	if (fd < 0 || !mkdtemp(proc)) {
		perror("mkstemp");
		return 2;
	}
	close(fd);
	snprintf(dir, sizeof(dir), "%s/sys", proc);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/sys/kernel", proc);
	mkdir(dir, 0755);
	setenv("TDXCTL_CONFIG", conf, 1);
	setenv("TDXCTL_PROC", proc, 1);
	fake_init();
	make_blocks();
	before_init();
	apply();
	status();
	kexec_policy();
	fake_cleanup();
	unlink(conf);
	snprintf(dir, sizeof(dir), "rm -rf '%s'", proc);
	if (system(dir))
		fprintf(stderr, "cannot remove %s\n", proc);
	return tap_done();
}
