// SPDX-License-Identifier: GPL-2.0
/*
 * udev's decision table: the block-name globs match exactly their range;
 * for every block the table decides, it says what "tdxctl check --udev"
 * says, and it leaves exactly the refusals to tdxctl; its guards name the
 * generation and the configuration it was built from; it is rewritten
 * only when they change, and removed when udev could not check them.
 */
#include <fnmatch.h>
#include <sys/stat.h>

#include "tap.h"
#include "tools_run.h"
#include "tdx_config.h"
#include "tdx_udev_table.h"
#include "tdx_util.h"

/* Does one of the '|'-separated patterns match @name? */
static bool globs_match(const char *globs, const char *name)
{
	char buf[8192], *p, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", globs);
	for (p = strtok_r(buf, "|", &save); p; p = strtok_r(NULL, "|", &save))
		if (!fnmatch(p, name, 0))
			return true;
	return false;
}

static bool globs_agree(unsigned long lo, unsigned long hi,
			unsigned long upto)
{
	char globs[8192], name[40];
	unsigned long n;
	bool in;

	if (tdx_block_globs(lo, hi, globs, sizeof(globs)))
		return false;
	for (n = 0; n <= upto; n++) {
		snprintf(name, sizeof(name), "memory%lu", n);
		in = n >= lo && n <= hi;
		if (globs_match(globs, name) != in) {
			printf("#   [%lu, %lu] %s: memory%lu\n", lo, hi, globs,
			       n);
			return false;
		}
	}
	return true;
}

static void globs(void)
{
	static const unsigned long cases[][2] = {
		{ 0, 0 }, { 0, 9 }, { 0, 10 }, { 5, 5 }, { 9, 10 },
		{ 32, 99 }, { 32, 287 }, { 1, 15 }, { 100, 199 },
		{ 101, 198 }, { 99, 1000 }, { 1234, 5678 }, { 0, 12000 },
		{ 990, 1009 }, { 10, 19 }, { 11, 11 },
	};
	char buf[8192], name[40];
	unsigned int i, bad = 0, seed = 1;
	unsigned long lo, hi;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		bad += !globs_agree(cases[i][0], cases[i][1], 13000);
	TAP_OK(!bad, "globs match exactly [lo, hi] (%u bad)", bad);
	for (i = 0, bad = 0; i < 300; i++) {
		seed = seed * 1103515245 + 12345;
		lo = (seed >> 8) % 3000;
		seed = seed * 1103515245 + 12345;
		hi = lo + (seed >> 8) % 3000;
		bad += !globs_agree(lo, hi, 7000);
	}
	TAP_OK(!bad, "300 random ranges below 6000 (%u bad)", bad);
	bad = !globs_agree(0, ULONG_MAX, 12000) +
	      !globs_agree(7, ULONG_MAX, 12000) +
	      !globs_agree(288, ULONG_MAX, 12000);
	TAP_OK(!bad, "open ranges match every block from lo on");
	tdx_block_globs(288, ULONG_MAX, buf, sizeof(buf));
	snprintf(name, sizeof(name), "memory%lu", ULONG_MAX - 1);
	TAP_OK(globs_match(buf, name) && !globs_match(buf, "memory287"),
	       "open range reaches the largest block number");
	TAP_OK(tdx_block_globs(5, 4, buf, sizeof(buf)) == -EINVAL,
	       "lo > hi: -EINVAL");
	TAP_OK(tdx_block_globs(1, 12345678, buf, 20) == -ENOSPC,
	       "too small a buffer: -ENOSPC");
}

static void import_value(void)
{
	char v[32];

	TAP_OK(!tdx_config_import_value("# zone = normal\n", "zone", v,
					sizeof(v)) && !*v,
	       "comment: not set");
	TAP_OK(!tdx_config_import_value("zone = normal\n\tzone=auto \n",
					"zone", v, sizeof(v)) &&
	       !strcmp(v, "auto"), "last line wins, spaces stripped");
	TAP_OK(!tdx_config_import_value("zones = normal\n", "zone", v,
					sizeof(v)) && !*v, "other key");
	TAP_OK(tdx_config_import_value("zone = \"normal\"\n", "zone", v,
				       sizeof(v)) == -EINVAL,
	       "quoted: udev would unquote it, tdxctl would not");
	TAP_OK(tdx_config_import_value("zone = normal # why\n", "zone", v,
				       sizeof(v)) == -EINVAL,
	       "comment after the value: udev would keep it");
	TAP_OK(!tdx_config_import_value("zone = normal # why\nzone = auto\n",
					"zone", v, sizeof(v)) &&
	       !strcmp(v, "auto"), "only the last line counts");
	TAP_OK(!tdx_config_import_value("online_before_init = no", "zone",
					v, sizeof(v)) && !*v &&
	       !tdx_config_import_value("online_before_init = no",
					"online_before_init", v, sizeof(v)) &&
	       !strcmp(v, "no"), "no trailing newline");
}

#define IOMEM \
	"00000000-00000fff : Reserved\n" \
	"00001000-0009fbff : System RAM\n" \
	"000f0000-000fffff : Reserved\n" \
	"00100000-7ffdffff : System RAM\n" \
	"7ffe0000-7fffffff : Reserved\n" \
	"100000000-10fffffff : System RAM\n"

static char table_path[PATH_MAX], conf_path[PATH_MAX];

static void setup(void)
{
	char proc[PATH_MAX], rel[80];
	int i;

	fake_init();
	snprintf(proc, sizeof(proc), "%s/proc", fake_root);
	setenv("TDXCTL_PROC", proc, 1);
	fake_write("proc/iomem", IOMEM);
	snprintf(table_path, sizeof(table_path), "%s/run/79-table.rules",
		 fake_root);
	setenv("TDXCTL_UDEV_TABLE", table_path, 1);
	snprintf(conf_path, sizeof(conf_path), "%s/tdxsys.conf", fake_root);
	setenv("TDXCTL_CONFIG", conf_path, 1);
	fake_write("devices/system/memory/block_size_bytes", "8000000\n");
	/* Boot RAM online; the DIMM at 4 GiB offline. */
	for (i = 0; i < 36; i++) {
		snprintf(rel, sizeof(rel), "devices/system/memory/memory%d/state",
			 i < 16 ? i : i + 16);
		fake_write(rel, i < 16 ? "online\n" : "offline\n");
	}
}

static void set_tdx(const char *state, const char *cmrs, const char *mem,
		    unsigned long gen)
{
	fake_write("firmware/tdx/state", "%s\n", state);
	fake_write("firmware/tdx/cmrs", "%s", cmrs);
	fake_write("firmware/tdx/tdx_memory", "%s", mem);
	fake_write("class/tdx/tdx/generation", "%lu\n", gen);
}

/* The properties the table sets for @name, "" when it leaves it to tdxctl. */
static void table_lookup(const char *table, const char *name, char *out,
			 size_t len)
{
	const char *line, *nl, *p, *q;
	char globs[8192], key[64];
	size_t n, o = 0;

	out[0] = '\0';
	for (line = table; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (strncmp(line, "KERNEL==\"", 9))
			continue;
		p = line + 9;
		q = strchr(p, '"');
		n = q - p;
		snprintf(globs, sizeof(globs), "%.*s", (int)n, p);
		if (!globs_match(globs, name))
			continue;
		/* ENV{KEY}="VALUE" -> KEY=VALUE lines, sorted as tdxctl prints */
		for (p = q; (p = strstr(p, "ENV{")) && (!nl || p < nl); p = q) {
			q = strchr(p, '}');
			snprintf(key, sizeof(key), "%.*s", (int)(q - p - 4),
				 p + 4);
			p = q + 3;
			q = strchr(p, '"');
			o += snprintf(out + o, len - o, "%s=%.*s\n", key,
				      (int)(q - p), p);
		}
		return;
	}
}

/* check --udev's output as the same KEY=VALUE lines, quotes removed. */
static void check_props(const char *out, char *props, size_t len)
{
	const char *keys[] = { "TDX_DECISION=", "TDX_REASON=",
			       "TDX_ONLINE_TYPE=" };
	char line[256];
	const char *p, *nl;
	size_t o = 0, i, n;

	props[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		p = strstr(out, keys[i]);
		if (!p)
			continue;
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		/* TDX_REASON="..." */
		if (strchr(line, '"')) {
			memmove(strchr(line, '"'), strchr(line, '"') + 1,
				strlen(strchr(line, '"')));
			line[strlen(line) - 1] = '\0';
		}
		o += snprintf(props + o, len - o, "%s\n", line);
	}
}

/*
 * Every block below @upto: the table's verdict equals check --udev's, and
 * a block the table leaves alone is one tdxctl refuses.
 */
static int compare_all(const char *what, unsigned long upto)
{
	char *table = NULL, name[32], arg[32], want[1024], got[1024];
	unsigned long n, bad = 0, decided = 0;
	struct run r;

	if (tdx_read_file(table_path, &table)) {
		TAP_OK(0, "%s: table written", what);
		return -1;
	}
	for (n = 0; n < upto; n++) {
		snprintf(name, sizeof(name), "memory%lu", n);
		snprintf(arg, sizeof(arg), "%lu", n);
		run_cmd(&r, cmd_check, "check", "--udev", arg, NULL);
		check_props(r.out, want, sizeof(want));
		table_lookup(table, name, got, sizeof(got));
		if (!*got) {
			if (!strstr(r.out, "TDX_DECISION=refuse\n") ||
			    !strstr(r.out, "TDX_RANGE=")) {
				bad++;
				printf("#   %s: table leaves it, tdxctl: %s\n",
				       name, r.out);
			}
			continue;
		}
		decided++;
		/* the table sets DECISION, REASON, ONLINE_TYPE in this order */
		if (strcmp(want, got) || strstr(r.out, "TDX_RANGE=")) {
			bad++;
			printf("#   %s: table\n%s#   tdxctl\n%s", name, got, want);
		}
	}
	free(table);
	TAP_OK(!bad, "%s: table == check --udev for blocks 0-%lu (%lu decided by the table, %lu bad)",
	       what, upto - 1, decided, bad);
	return decided;
}

/* tdx_udev_table_update(); @why is valid after the call. */
static int update(bool force, const char **why)
{
	*why = "";
	return tdx_udev_table_update(force, why);
}

/*
 * The table keys on tdx_sys's before_init: the kernel's value, not
 * tdxsys.conf's, decides; a change rebuilds it, a bad value means none.
 */
static void before_init_key(void)
{
	const char *why = "";
	char *text = NULL, got[512];
	int d_cmrs, d_any;

	fake_write("module/tdx_sys/parameters/before_init", "cmrs\n");
	TAP_OK(!update(false, &why) && !strcmp(why, "written"),
	       "before_init parameter appears: rewritten (%s)", why);
	d_cmrs = compare_all("before_init=cmrs", 48);
	fake_write("tdxsys.conf", "zone = movable\nbefore_init = any\n");
	TAP_OK(!update(false, &why) && !strcmp(why, "up to date"),
	       "before_init = any in tdxsys.conf alone: up to date (%s)", why);
	fake_write("module/tdx_sys/parameters/before_init", "any\n");
	TAP_OK(!update(false, &why) && !strcmp(why, "written"),
	       "tdx_sys's before_init changed: rewritten (%s)", why);
	tdx_read_file(table_path, &text);
	TAP_OK(text && strstr(text, "ATTR{[tdx/tdx]generation}==\"7\", ATTR{[module/tdx_sys]parameters/before_init}==\"any\", GOTO") &&
	       strstr(text, "before_init=any config="),
	       "guard and key name before_init=any");
	table_lookup(text, "memory20", got, sizeof(got));
	TAP_OK(strstr(got, "TDX_DECISION=online") &&
	       strstr(got, "before_init=any"),
	       "memory20, outside the CMRs: online by the table (%s)", got);
	free(text);
	text = NULL;
	d_any = compare_all("before_init=any", 48);
	TAP_OK(d_any > d_cmrs, "any: the table decides more blocks (%d > %d)",
	       d_any, d_cmrs);
	fake_write("module/tdx_sys/parameters/before_init", "sometimes\n");
	TAP_OK(!update(false, &why) && strstr(why, "no table") &&
	       access(table_path, F_OK),
	       "bad before_init value: table removed (%s)", why);
	fake_write("module/tdx_sys/parameters/before_init", "cmrs\n");
	fake_write("tdxsys.conf", "zone = movable\n");
	TAP_OK(!update(false, &why) && !strcmp(why, "written"),
	       "before_init back to cmrs: written (%s)", why);
}

static void table(void)
{
	char *text = NULL, gen[PATH_MAX];
	struct stat st0, st1;
	const char *why = "";
	int ret;

	setup();
	fake_write("tdxsys.conf", "zone = movable\n");
	ret = update(false, &why);
	TAP_OK(!ret && !strcmp(why, "written"), "not loaded: written (%s)",
	       why);
	tdx_read_file(table_path, &text);
	TAP_OK(text && strstr(text, "TEST!=\"/sys/firmware/tdx\"") &&
	       strstr(text, "KERNEL==\"memory[0-9]|memory[1-9][0-9]*\", ENV{TDX_DECISION}=\"none\""),
	       "not loaded: one rule for every block, guarded by the absence of tdx_sys");
	free(text);
	compare_all("not loaded", 40);

	set_tdx("uninitialized", "0x100000-0x7fffffff\n0x100000000-0x13fffffff\n",
		"", 7);
	TAP_OK(!update(false, &why) && !strcmp(why, "written"),
	       "uninitialized: written");
	tdx_read_file(table_path, &text);
	TAP_OK(text && strstr(text, "ATTR{[tdx/tdx]generation}==\"7\", GOTO") &&
	       strstr(text, "ENV{zone}==\"movable\", ENV{online_before_init}==\"\""),
	       "guards: generation 7, zone movable, online_before_init unset");
	TAP_OK(text && !strstr(text, "[module/tdx_sys]"),
	       "tdx_sys without before_init: no guard on it");
	free(text);
	text = NULL;
	TAP_OK(compare_all("uninitialized", 48) > 0,
	       "uninitialized: the table decides some blocks");
	before_init_key();
	stat(table_path, &st0);
	TAP_OK(!update(false, &why) &&
	       !strcmp(why, "up to date"), "same key: up to date");
	TAP_OK(!update(true, &why) &&
	       !strcmp(why, "up to date"), "forced, same text: up to date");
	stat(table_path, &st1);
	TAP_OK(st0.st_ino == st1.st_ino, "file not replaced");

	fake_write("tdxsys.conf", "zone = normal\nonline_before_init = no\n");
	TAP_OK(!update(false, &why) && !strcmp(why, "written"),
	       "configuration changed: rewritten");
	compare_all("uninitialized, normal, not before init", 48);

	set_tdx("initializing", "0x100000-0x7fffffff\n0x100000000-0x13fffffff\n",
		"", 8);
	update(false, &why);
	compare_all("initializing", 48);

	fake_write("tdxsys.conf", "zone = auto\n");
	set_tdx("initialized", "0x100000-0x7fffffff\n0x100000000-0x13fffffff\n",
		"0x100000-0x5fffffff\n0x62000000-0x7ffdffff\n0x100000000-0x10fffffff\n",
		9);
	TAP_OK(!update(false, &why) && !strcmp(why, "written"),
	       "generation changed: rewritten");
	compare_all("initialized", 48);
	set_tdx("failed", "0x100000-0x7fffffff\n", "", 10);
	update(false, &why);
	compare_all("failed", 40);

	/* What udev would read differently: no table at all */
	fake_write("tdxsys.conf", "zone = auto # the kernel's choice\n");
	ret = update(false, &why);
	TAP_OK(!ret && strstr(why, "no table") && access(table_path, F_OK),
	       "comment after a value: table removed (%s)", why);
	fake_write("tdxsys.conf", "zone = movable\n");
	update(false, &why);
	fake_write("tdxsys.conf", "zone = bogus\n");
	TAP_OK(update(false, &why) && access(table_path, F_OK),
	       "malformed tdxsys.conf: error, table removed");
	fake_write("tdxsys.conf", "zone = movable\n");
	update(false, &why);
	snprintf(gen, sizeof(gen), "%s/class/tdx/tdx/generation", fake_root);
	unlink(gen);
	ret = update(false, &why);
	TAP_OK(!ret && access(table_path, F_OK),
	       "no generation attribute: table removed (%s)", why);
	fake_cleanup();
}

int main(void)
{
	globs();
	import_value();
	table();
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
