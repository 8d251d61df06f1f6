// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl plan on the real memory maps: layouts that the module would
 * accept (ascending 1 GiB-aligned TDMRs, reserved areas within limits,
 * PAMT about 1/256 of TDX memory), and clear failures where the layout
 * cannot be built.
 */
#include <dirent.h>
#include <json-c/json.h>

#include "tap.h"
#include "tools_run.h"
#include "tdx_util.h"

static char dir[PATH_MAX];

static u64 hexval(json_object *o, const char *key)
{
	json_object *v;
	u64 x = ~0ULL;

	if (json_object_object_get_ex(o, key, &v))
		tdx_parse_u64(json_object_get_string(v), &x);
	return x;
}

static json_object *plan_json(const char *file, const char *cover,
			      struct run *r)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	run_cmd(r, cmd_plan, "plan", "--memmap", path, "--cover", cover,
		"--json", NULL);
	return r->rc ? NULL : json_tokener_parse(r->out);
}

/* Checks the module's TDH.SYS.CONFIG rules that the layout must meet. */
static void check_layout(const char *name, json_object *j)
{
	json_object *tdmrs = json_object_object_get(j, "tdmrs"), *t;
	u64 prev_end = 0, base, end, pamt = 0, mem;
	size_t i, n = json_object_array_length(tdmrs);
	bool ok_align = true, ok_order = true, ok_rsvd = true;
	int max_rsvd = json_object_get_int(json_object_object_get(j,
					   "max_reserved_per_tdmr"));

	for (i = 0; i < n; i++) {
		t = json_object_array_get_idx(tdmrs, i);
		base = hexval(t, "start");
		end = hexval(t, "end") + 1;
		ok_align &= !(base & (TDX_SZ_1G - 1)) && !(end & (TDX_SZ_1G - 1));
		ok_order &= base >= prev_end;
		ok_rsvd &= (int)json_object_array_length(
			json_object_object_get(t, "reserved")) <= max_rsvd;
		pamt += json_object_get_int64(json_object_object_get(t,
					      "pamt_size"));
		prev_end = end;
	}
	mem = json_object_get_int64(json_object_object_get(j,
				    "tdx_memory_bytes"));
	TAP_OK(n >= 1 && n <= 64, "%s: %zu TDMRs", name, n);
	TAP_OK(ok_align, "%s: TDMRs 1 GiB aligned", name);
	TAP_OK(ok_order, "%s: TDMRs ascending, disjoint", name);
	TAP_OK(ok_rsvd, "%s: reserved areas within %d", name, max_rsvd);
	TAP_OK(pamt * 300 > mem && pamt * 200 < mem,
	       "%s: PAMT %llu MiB ~1/256 of TDX memory %llu MiB", name,
	       (unsigned long long)pamt >> 20, (unsigned long long)mem >> 20);
	TAP_EQ_U64(pamt, json_object_get_int64(json_object_object_get(j,
					       "pamt_bytes")),
		   "%s: PAMT total is the sum", name);
}

static void every_file(void)
{
	struct dirent *de;
	json_object *j;
	struct run r;
	DIR *d = opendir(dir);
	char name[300];

	if (!TAP_OK(d, "memmap dir opens"))
		return;
	while ((de = readdir(d))) {
		if (!strstr(de->d_name, ".txt"))
			continue;
		snprintf(name, sizeof(name), "%s cover=present", de->d_name);
		j = plan_json(de->d_name, "present", &r);
		if (TAP_OK(j, "%s: plan succeeds (%s)", name, r.err)) {
			check_layout(name, j);
			json_object_put(j);
		}
		snprintf(name, sizeof(name), "%s cover=cmrs", de->d_name);
		j = plan_json(de->d_name, "cmrs", &r);
		if (TAP_OK(j, "%s: plan succeeds (%s)", name, r.err)) {
			check_layout(name, j);
			json_object_put(j);
		}
	}
	closedir(d);
}

/* The canonical/tdx#135 host: holes from CMRs, not e820, fit easily. */
static void canonical135(void)
{
	json_object *j, *t0;
	struct run r;

	j = plan_json("tdx-emr-fcp-canonical135-cmr.txt", "present", &r);
	if (!TAP_OK(j, "canonical135 CMRs: plan succeeds"))
		return;
	t0 = json_object_array_get_idx(json_object_object_get(j, "tdmrs"), 0);
	TAP_EQ_U64(hexval(t0, "start"), 0, "TDMR 0 at 0");
	TAP_EQ_U64(hexval(t0, "end"), 0x7fffffff,
		   "TDMR 0 is the failing [0x0, 0x80000000)");
	TAP_OK(json_object_array_length(json_object_object_get(t0, "reserved")) <= 3,
	       "TDMR 0 needs only %zu reserved areas (upstream needed > 16)",
	       json_object_array_length(json_object_object_get(t0, "reserved")));
	json_object_put(j);
}

/* Holes from e820 instead: the upstream bug, reported as such. */
static void e820_holes(void)
{
	char src[PATH_MAX * 2], tmp[] = "/tmp/tdxctl-mm.XXXXXX", line[512];
	FILE *in, *out;
	struct run r;

	snprintf(src, sizeof(src), "%s/tdx-emr-fcp-canonical135-e820-low.txt",
		 dir);
	in = fopen(src, "r");
	out = fdopen(mkstemp(tmp), "w");
	if (!TAP_OK(in && out, "copy of the e820 file"))
		return;
	while (fgets(line, sizeof(line), in))
		if (strncmp(line, "cmr", 3))
			fputs(line, out);
	fclose(in);
	fclose(out);
	run_cmd(&r, cmd_plan, "plan", "--memmap", tmp, NULL);
	TAP_OK(r.rc == 1 && strstr(r.err, "layout failed") &&
	       strstr(r.err, "0x0") && strstr(r.err, "reserved"),
	       "every e820 hole a CMR hole: reserved areas exhausted: %s",
	       r.err);
	TAP_OK(!strchr(r.err, '\n'), "one line of error");
	run_cmd(&r, cmd_plan, "plan", "--memmap", tmp, "--max-tdmrs", "0",
		NULL);
	TAP_EQ_U64(r.rc, 2, "--max-tdmrs 0 rejected");
	unlink(tmp);
	run_cmd(&r, cmd_plan, "plan", "--memmap", "/nonexistent.txt", NULL);
	TAP_OK(r.rc == 2 && strstr(r.err, "/nonexistent.txt"),
	       "missing memmap file: exit 2 naming it");
}

static void too_many_tdmrs(void)
{
	char tmp[] = "/tmp/tdxctl-mm.XXXXXX";
	struct run r;
	FILE *f;
	int i;

	f = fdopen(mkstemp(tmp), "w");
	/* 8 islands of 1 GiB, 1 GiB apart. */
	for (i = 0; i < 8; i++)
		fprintf(f, "cmr 0x%llx-0x%llx\n", (2ULL * i + 1) << 30,
			((2ULL * i + 2) << 30) - 1);
	fclose(f);
	run_cmd(&r, cmd_plan, "plan", "--memmap", tmp, "--max-tdmrs", "8",
		NULL);
	TAP_OK(r.rc == 0 && strstr(r.out, "TDMRs:         8 (max 8)"),
	       "8 islands, 8 TDMRs allowed: 8 TDMRs");
	run_cmd(&r, cmd_plan, "plan", "--memmap", tmp, "--max-tdmrs", "4",
		"--max-reserved", "2", NULL);
	TAP_OK(r.rc != 0 || strstr(r.out, "TDMRs:         4 (max 4)"),
	       "4 TDMRs allowed: merged or a clear error (%s)", r.err);
	unlink(tmp);
}

int main(void)
{
	memmap_dir(dir, sizeof(dir));
	every_file();
	canonical135();
	e820_holes();
	too_many_tdmrs();
	return tap_done();
}
