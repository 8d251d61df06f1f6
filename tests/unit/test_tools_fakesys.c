// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl check, online, lsmem, status, init and plan against a fake sysfs
 * tree (TDXCTL_SYSFS) in a temp dir: 24 blocks of 128 MiB, blocks 0-15
 * online, CMRs [1 MiB, 2 GiB) and [4 GiB, 5 GiB) unless a test says
 * otherwise.
 */
#include <json-c/json.h>
#include <sys/wait.h>
#include <time.h>

#include "tap.h"
#include "tools_run.h"
#include "tdx_util.h"

#define NR_BLOCKS 24

static void make_blocks(void)
{
	char rel[128];
	int i;

	fake_write("devices/system/memory/block_size_bytes", "8000000\n");
	for (i = 0; i < NR_BLOCKS; i++) {
		snprintf(rel, sizeof(rel), "devices/system/memory/memory%d/state",
			 i);
		fake_write(rel, i < 16 ? "online\n" : "offline\n");
		snprintf(rel, sizeof(rel),
			 "devices/system/memory/memory%d/valid_zones", i);
		fake_write(rel, i < 16 ? "Normal\n" : "Normal Movable\n");
		snprintf(rel, sizeof(rel),
			 "devices/system/memory/memory%d/removable", i);
		fake_write(rel, "1\n");
		snprintf(rel, sizeof(rel), "devices/system/memory/memory%d/node0",
			 i);
		fake_mkdir(rel);
	}
}

static void make_tdx(const char *state, const char *cmrs, const char *mem)
{
	fake_write("firmware/tdx/state", "%s\n", state);
	fake_write("firmware/tdx/cmrs", "%s", cmrs);
	fake_write("firmware/tdx/tdx_memory", "%s", mem);
	fake_write("firmware/tdx/nonconvertible_online", "");
	fake_write("firmware/tdx/error", "");
	fake_write("firmware/tdx/provider", "emulated\n");
	fake_write("firmware/tdx/version", "1.5.6\n");
	fake_write("firmware/tdx/progress", "0 0\n");
	fake_write("firmware/tdx/pamt_kb", "0\n");
	fake_write("firmware/tdx/max_tdmrs", "64\n");
	fake_write("firmware/tdx/max_reserved_per_tdmr", "16\n");
	fake_write("firmware/tdx/pamt_entry_size", "16\n");
	fake_write("firmware/tdx/tdmrs", "");
}

#define CMRS "0x100000-0x7fffffff\n0x100000000-0x13fffffff\n"

static void not_loaded(void)
{
	struct run r;

	run_cmd(&r, cmd_check, "check", "memory20", "--udev", NULL);
	TAP_OK(r.rc == 0 && strstr(r.out, "TDX_DECISION=none\n") &&
	       strstr(r.out, "TDX_REASON=\"tdx_sys not loaded\"\n") &&
	       !strstr(r.out, "TDX_RANGE="),
	       "not loaded: check --udev says none (no range), exit 0");
	run_cmd(&r, cmd_check, "check", "memory20", NULL);
	TAP_EQ_U64(r.rc, 3, "not loaded: check exits 3");
	run_cmd(&r, cmd_status, "status", NULL);
	TAP_OK(r.rc == 3 && strstr(r.err, "not loaded"),
	       "not loaded: status exits 3 and says so");
	run_cmd(&r, cmd_init, "init", NULL);
	TAP_OK(r.rc == 3 && strstr(r.err, "not loaded"),
	       "not loaded: init exits 3 and says so");
	run_cmd(&r, cmd_plan, "plan", NULL);
	TAP_EQ_U64(r.rc, 3, "not loaded: live plan exits 3");
	run_cmd(&r, cmd_online, "online", "--pending", NULL);
	TAP_OK(r.rc == 0 && strstr(r.out, "onlined 0 block(s), 8 left"),
	       "not loaded: online --pending onlines nothing");
}

static void before_init(void)
{
	struct run r;
	char st[64];

	make_tdx("uninitialized", CMRS, "");
	run_cmd(&r, cmd_check, "check", "memory32", "--udev", NULL);
	TAP_OK(r.rc == 0 && strstr(r.out, "TDX_DECISION=online\n") &&
	       strstr(r.out, "TDX_ONLINE_TYPE=online_movable\n") &&
	       !strstr(r.out, "TDX_RANGE="),
	       "memory32 inside a CMR: online (movable), no range");
	run_cmd(&r, cmd_check, "check", "20", "--udev", NULL);
	TAP_OK(r.rc == 0 && strstr(r.out, "TDX_DECISION=refuse\n") &&
	       strstr(r.out, "TDX_REASON=\"outside convertible memory (CMRs)\"\n") &&
	       strstr(r.out, "TDX_RANGE=0xa0000000-0xa7ffffff\n"),
	       "block 20 outside CMRs: refuse with reason and range");
	run_cmd(&r, cmd_check, "check", "20", NULL);
	TAP_OK(r.rc == 1 && strstr(r.out, "refuse: outside convertible"),
	       "check without --udev: exit 1 for refuse");
	run_cmd(&r, cmd_check, "check", "0x100000000-0x1000fffff", NULL);
	TAP_EQ_U64(r.rc, 0, "range inside CMR: exit 0");
	run_cmd(&r, cmd_check, "check", "0x13ff00000-0x140000fff", NULL);
	TAP_EQ_U64(r.rc, 1, "range straddling the CMR end: refused");
	run_cmd(&r, cmd_check, "check", "memoryX", NULL);
	TAP_OK(r.rc == 2 && strstr(r.err, "memoryX"), "bad target: exit 2");
	run_cmd(&r, cmd_check, "check", NULL);
	TAP_EQ_U64(r.rc, 2, "no target: exit 2");
	run_cmd(&r, cmd_check, "check", "5", "--bogus", NULL);
	TAP_EQ_U64(r.rc, 2, "unknown option: exit 2");

	/* Blocks 16-23 are outside the CMRs: nothing to online. */
	run_cmd(&r, cmd_online, "online", "--pending", NULL);
	TAP_OK(r.rc == 0 && strstr(r.out, "onlined 0 block(s), 8 left") &&
	       strstr(r.out, "memory16 [0x80000000-0x87ffffff]: not onlined (refuse)"),
	       "online --pending refuses non-convertible blocks, lists them");
	fake_read("devices/system/memory/memory16/state", st, sizeof(st));
	TAP_EQ_STR(st, "offline\n", "refused block left offline");
	run_cmd(&r, cmd_online, "online", "17", NULL);
	TAP_EQ_U64(r.rc, 1, "online of a refused block exits 1");
	run_cmd(&r, cmd_online, "online", "3", NULL);
	TAP_OK(r.rc == 0 && strstr(r.out, "already online"),
	       "online of an online block: already online, exit 0");
	run_cmd(&r, cmd_online, "online", NULL);
	TAP_EQ_U64(r.rc, 2, "online without blocks or --pending: exit 2");
	run_cmd(&r, cmd_online, "online", "--pending", "--zone", "dma", NULL);
	TAP_EQ_U64(r.rc, 2, "bad --zone: exit 2");

	/* Convertible memory 16-23 now: onlined into the zone asked. */
	make_tdx("uninitialized", "0x100000-0xbfffffff\n", "");
	run_cmd(&r, cmd_online, "online", "--pending", "--zone", "normal",
		NULL);
	fake_read("devices/system/memory/memory16/state", st, sizeof(st));
	TAP_OK(r.rc == 0 && strstr(r.out, "onlined 8 block(s)") &&
	       !strcmp(st, "online_kernel"),
	       "online --pending --zone normal writes online_kernel (%s)", st);
}

static void config_effects(void)
{
	char path[] = "/tmp/tdxctl-conf.XXXXXX";
	struct run r;
	FILE *f;

	f = fdopen(mkstemp(path), "w");
	fputs("zone = normal\nonline_before_init = no\n", f);
	fclose(f);
	setenv("TDXCTL_CONFIG", path, 1);
	make_tdx("uninitialized", CMRS, "");
	run_cmd(&r, cmd_check, "check", "memory32", "--udev", NULL);
	TAP_OK(strstr(r.out, "TDX_DECISION=wait\n") &&
	       strstr(r.out, "TDX_ONLINE_TYPE=online_kernel\n") &&
	       strstr(r.out, "online_before_init = no"),
	       "online_before_init = no: convertible memory waits");
	run_cmd(&r, cmd_check, "check", "memory32", NULL);
	TAP_EQ_U64(r.rc, 4, "check exits 4 for wait");
	make_tdx("initialized", CMRS, "0x100000000-0x13fffffff\n");
	run_cmd(&r, cmd_check, "check", "memory32", "--udev", NULL);
	TAP_OK(strstr(r.out, "TDX_DECISION=online\n") != NULL,
	       "after init the same block is online");
	setenv("TDXCTL_CONFIG", "/nonexistent", 1);
	unlink(path);
}

static void states(void)
{
	struct run r;

	make_tdx("initializing", CMRS, "");
	run_cmd(&r, cmd_check, "check", "memory32", "--udev", NULL);
	TAP_OK(strstr(r.out, "TDX_DECISION=wait\n") != NULL,
	       "initializing: wait");
	make_tdx("initialized", CMRS, "0x0-0x7fffffff\n");
	run_cmd(&r, cmd_check, "check", "memory32", "--udev", NULL);
	TAP_OK(strstr(r.out, "TDX_DECISION=refuse\n") &&
	       strstr(r.out, "tdmr_cover=present"),
	       "initialized: convertible but not TDX memory refused, says why");
	run_cmd(&r, cmd_check, "check", "memory20", "--udev", NULL);
	TAP_OK(strstr(r.out, "TDX_DECISION=refuse\n") &&
	       strstr(r.out, "outside convertible"),
	       "initialized: non-convertible refused");
	run_cmd(&r, cmd_check, "check", "memory3", "--udev", NULL);
	TAP_OK(strstr(r.out, "TDX_DECISION=online\n") != NULL,
	       "initialized: TDX memory online");
	make_tdx("failed", CMRS, "");
	run_cmd(&r, cmd_check, "check", "memory20", "--udev", NULL);
	TAP_OK(strstr(r.out, "TDX_DECISION=none\n") != NULL, "failed: none");
	make_tdx("bogus", CMRS, "");
	run_cmd(&r, cmd_check, "check", "memory20", "--udev", NULL);
	TAP_OK(r.rc != 0 && strstr(r.err, "bogus"),
	       "unknown state: error, non-zero");
	make_tdx("uninitialized", "0x100000-0x7fffffff\ngarbage\n", "");
	run_cmd(&r, cmd_check, "check", "memory20", "--udev", NULL);
	TAP_OK(r.rc != 0 && strstr(r.err, "cmrs: line 2"),
	       "malformed cmrs file: error naming the line (%s)", r.err);
}

static json_object *parse_json(const char *s)
{
	return json_tokener_parse(s);
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
		json_object_get_string(v) : NULL;
}

static void lsmem(void)
{
	json_object *j, *mem, *row;
	struct run r;
	char buf[16];

	make_blocks();
	make_tdx("uninitialized", CMRS, "");
	run_cmd(&r, cmd_lsmem, "lsmem", "--json", NULL);
	j = parse_json(r.out);
	if (!TAP_OK(r.rc == 0 && j, "lsmem --json is valid JSON"))
		return;
	json_object_object_get_ex(j, "memory", &mem);
	TAP_EQ_U64(json_object_array_length(mem), 3,
		   "rows merged: block 0 (partial CMR), 1-15, 16-23");
	row = json_object_array_get_idx(mem, 1);
	TAP_EQ_STR(jstr(row, "block"), "1-15", "row 1 blocks");
	TAP_EQ_STR(jstr(row, "in_cmr"), "yes", "row 1 in CMR");
	TAP_EQ_STR(jstr(row, "decision"), "online", "row 1 decision");
	row = json_object_array_get_idx(mem, 0);
	TAP_EQ_STR(jstr(row, "in_cmr"), "partial", "block 0 partly in CMR");
	row = json_object_array_get_idx(mem, 2);
	TAP_EQ_STR(jstr(row, "state"), "offline", "row 2 offline");
	TAP_EQ_STR(jstr(row, "decision"), "refuse", "row 2 refused");
	TAP_EQ_STR(jstr(row, "zones"), "Normal Movable", "row 2 zones");
	TAP_EQ_U64(json_object_get_int64(json_object_object_get(j, "total_offline")),
		   8ULL << 27, "1 GiB offline");
	json_object_put(j);

	/* A different state in the middle splits the row. */
	fake_write("devices/system/memory/memory8/state", "offline\n");
	run_cmd(&r, cmd_lsmem, "lsmem", NULL);
	TAP_OK(r.rc == 0 && strstr(r.out, " 1-7 ") && strstr(r.out, " 8 ") &&
	       strstr(r.out, " 9-15 ") && strstr(r.out, "IN-CMR"),
	       "lsmem table splits at a differing block");
	snprintf(buf, sizeof(buf), "online\n");
	fake_write("devices/system/memory/memory8/state", "%s", buf);
}

static void status(void)
{
	json_object *j, *v;
	struct run r;

	make_tdx("initialized", CMRS, "0x100000-0x7fffffff\n");
	fake_write("firmware/tdx/tdmrs",
		   "0x0-0x7fffffff pamt=8392704 reserved=2\n");
	fake_write("firmware/tdx/pamt_kb", "8196\n");
	run_cmd(&r, cmd_status, "status", "--json", NULL);
	j = parse_json(r.out);
	if (!TAP_OK(r.rc == 0 && j, "status --json is valid JSON"))
		return;
	TAP_EQ_STR(jstr(j, "state"), "initialized", "status state");
	json_object_object_get_ex(j, "tdmrs", &v);
	TAP_EQ_U64(json_object_array_length(v), 1, "one TDMR");
	TAP_EQ_STR(jstr(json_object_array_get_idx(v, 0), "end"), "0x7fffffff",
		   "TDMR end inclusive");
	TAP_EQ_U64(json_object_get_int64(json_object_object_get(j, "pamt_bytes")),
		   8196ULL << 10, "pamt bytes from pamt_kb");
	v = json_object_object_get(json_object_object_get(j, "memory_blocks"),
				   "offline_decisions");
	TAP_EQ_U64(json_object_get_int(json_object_object_get(v, "refuse")), 8,
		   "8 offline blocks refused");
	json_object_put(j);
	fake_write("firmware/tdx/error", "TDH.SYS.CONFIG failed: TDX_INVALID_PAMT\n");
	run_cmd(&r, cmd_status, "status", NULL);
	TAP_OK(r.rc == 0 && strstr(r.out, "TDX_INVALID_PAMT") &&
	       strstr(r.out, "PAMT:") && strstr(r.out, "8 MiB"),
	       "status text shows error and PAMT");
	fake_write("firmware/tdx/error", "");
}

/*
 * Boot blocks with firmware holes, as in a QEMU guest: block 0 holds the
 * non-RAM first page and 0x9fc00-0xfffff, block 15 ends in reserved
 * 0x7ffe0000-0x7fffffff; blocks 16-23 are hot-added RAM. The emulator's
 * default CMRs are exactly the System RAM.
 */
#define IOMEM \
	"00000000-00000fff : Reserved\n" \
	"00001000-0009fbff : System RAM\n" \
	"0009fc00-0009ffff : Reserved\n" \
	"000f0000-000fffff : Reserved\n" \
	"  000f0000-000fffff : System ROM\n" \
	"00100000-7ffdffff : System RAM\n" \
	"  01000000-01ffffff : Kernel code\n" \
	"7ffe0000-7fffffff : Reserved\n" \
	"80000000-bfffffff : System RAM\n"
#define RAM_CMRS "0x1000-0x9efff\n0x100000-0x7ffdffff\n"

/* lsmem --json row @i's @key. */
static const char *lsmem_row(const char *json, int i, const char *key)
{
	static char buf[64];
	json_object *j = json_tokener_parse(json), *mem;

	buf[0] = '\0';
	if (j && json_object_object_get_ex(j, "memory", &mem) &&
	    i < (int)json_object_array_length(mem))
		snprintf(buf, sizeof(buf), "%s",
			 jstr(json_object_array_get_idx(mem, i), key) ?: "");
	json_object_put(j);
	return buf;
}

static void ram_parts(void)
{
	char proc[300];
	json_object *j, *mem;
	struct run r;
	int rows = -1;

	make_blocks();
	snprintf(proc, sizeof(proc), "%s/proc", fake_root);
	setenv("TDXCTL_PROC", proc, 1);
	fake_write("proc/iomem", IOMEM);
	make_tdx("uninitialized", RAM_CMRS, "");

	run_cmd(&r, cmd_lsmem, "lsmem", "--json", NULL);
	j = json_tokener_parse(r.out);
	if (j && json_object_object_get_ex(j, "memory", &mem))
		rows = json_object_array_length(mem);
	json_object_put(j);
	TAP_EQ_U64(rows, 2, "holes ignored: blocks 0-15 one row, 16-23 another");
	TAP_EQ_STR(lsmem_row(r.out, 0, "block"), "0-15", "row 0 is 0-15");
	TAP_EQ_STR(lsmem_row(r.out, 0, "in_cmr"), "yes",
		   "blocks with holes: RAM parts in CMRs");
	TAP_EQ_STR(lsmem_row(r.out, 0, "decision"), "online",
		   "blocks with holes: online");
	TAP_EQ_STR(lsmem_row(r.out, 1, "decision"), "refuse",
		   "hot-added blocks outside CMRs: still refused");
	run_cmd(&r, cmd_check, "check", "memory0", "--udev", NULL);
	TAP_OK(strstr(r.out, "TDX_DECISION=online\n") &&
	       !strstr(r.out, "TDX_RANGE="),
	       "check memory0: online by its RAM parts");
	run_cmd(&r, cmd_check, "check", "0x0-0x7ffffff", NULL);
	TAP_EQ_U64(r.rc, 1, "check of the same explicit range: judged whole");

	/* Offline boot block with holes counts as online-able in status. */
	fake_write("devices/system/memory/memory15/state", "offline\n");
	run_cmd(&r, cmd_status, "status", "--json", NULL);
	j = json_tokener_parse(r.out);
	mem = json_object_object_get(json_object_object_get(j,
				     "memory_blocks"), "offline_decisions");
	TAP_OK(json_object_get_int(json_object_object_get(mem, "online")) == 1 &&
	       json_object_get_int(json_object_object_get(mem, "refuse")) == 8,
	       "status: block 15 online-able, 16-23 refused");
	json_object_put(j);
	fake_write("devices/system/memory/memory15/state", "online\n");

	/* A RAM part outside the CMRs still refuses the block. */
	make_tdx("uninitialized", "0x1000-0x9efff\n0x100000-0x7fefffff\n", "");
	run_cmd(&r, cmd_lsmem, "lsmem", "--json", NULL);
	TAP_EQ_STR(lsmem_row(r.out, 1, "block"), "15", "block 15 apart");
	TAP_EQ_STR(lsmem_row(r.out, 1, "in_cmr"), "partial",
		   "block 15's RAM partly in CMRs");
	TAP_EQ_STR(lsmem_row(r.out, 1, "decision"), "refuse",
		   "block 15 refused");
	run_cmd(&r, cmd_check, "check", "15", NULL);
	TAP_OK(r.rc == 1 && strstr(r.out, "outside convertible memory"),
	       "check 15: refused, outside CMRs");
	run_cmd(&r, cmd_check, "check", "15", "--udev", NULL);
	TAP_OK(strstr(r.out, "TDX_DECISION=refuse\n") &&
	       strstr(r.out, "TDX_RANGE=0x78000000-0x7fffffff\n"),
	       "check 15 --udev: the range refused is the whole block");
	/* Real CMRs start at 1 MiB: the low RAM is not TDX memory. */
	make_tdx("uninitialized", "0x100000-0x7ffdffff\n", "");
	run_cmd(&r, cmd_check, "check", "0", NULL);
	TAP_EQ_U64(r.rc, 0, "block 0 with CMRs from 1 MiB: online");
	make_tdx("uninitialized", "0x200000-0x7ffdffff\n", "");
	run_cmd(&r, cmd_check, "check", "0", NULL);
	TAP_EQ_U64(r.rc, 1, "block 0 with RAM above 1 MiB outside CMRs: refused");

	/* After initialization: IN-TDX of the RAM parts. */
	make_tdx("initialized", RAM_CMRS, RAM_CMRS);
	run_cmd(&r, cmd_lsmem, "lsmem", "--json", NULL);
	TAP_OK(!strcmp(lsmem_row(r.out, 0, "block"), "0-15") &&
	       !strcmp(lsmem_row(r.out, 0, "in_tdx"), "yes") &&
	       !strcmp(lsmem_row(r.out, 0, "decision"), "online"),
	       "initialized: blocks 0-15 in TDX memory, online");
	make_tdx("initialized", RAM_CMRS, "0x100000-0x7ffdffff\n");
	run_cmd(&r, cmd_check, "check", "0", NULL);
	TAP_EQ_U64(r.rc, 0,
		   "initialized: TDX memory from 1 MiB covers block 0");
	make_tdx("initialized", RAM_CMRS, "0x200000-0x7ffdffff\n");
	run_cmd(&r, cmd_check, "check", "0", NULL);
	TAP_OK(r.rc == 1 && strstr(r.out, "convertible but not TDX memory"),
	       "initialized: RAM above 1 MiB not TDX memory refuses block 0");
	make_tdx("initializing", RAM_CMRS, "");
	run_cmd(&r, cmd_check, "check", "0", NULL);
	TAP_EQ_U64(r.rc, 4, "initializing: block 0 waits");

	/* Addresses hidden (not root) or no iomem: whole blocks again. */
	make_tdx("uninitialized", RAM_CMRS, "");
	fake_write("proc/iomem", "00000000-00000000 : System RAM\n");
	run_cmd(&r, cmd_lsmem, "lsmem", "--json", NULL);
	TAP_OK(!strcmp(lsmem_row(r.out, 0, "in_cmr"), "partial") &&
	       !strcmp(lsmem_row(r.out, 0, "decision"), "refuse"),
	       "zeroed iomem: block 0 judged whole, partial and refused");
	fake_write("proc/iomem", "garbage\n");
	run_cmd(&r, cmd_check, "check", "0", NULL);
	TAP_EQ_U64(r.rc, 1, "malformed iomem: block 0 judged whole");
	setenv("TDXCTL_PROC", "/nonexistent", 1);
	run_cmd(&r, cmd_check, "check", "0", NULL);
	TAP_OK(r.rc == 1 && !*r.err,
	       "no iomem: block 0 judged whole, no error printed");
	unsetenv("TDXCTL_PROC");
}

/* A child plays the kernel: initialization finishes after a while. */
static void init(void)
{
	struct timespec t0, t1;
	struct run r;
	pid_t pid;
	double s;

	make_tdx("initialized", CMRS, "");
	run_cmd(&r, cmd_init, "init", NULL);
	TAP_OK(r.rc == 0 && strstr(r.out, "already initialized"),
	       "init when initialized: exit 0");
	make_tdx("failed", CMRS, "");
	fake_write("firmware/tdx/error", "TDH.SYS.KEY.CONFIG failed: boom\n");
	run_cmd(&r, cmd_init, "init", NULL);
	TAP_OK(r.rc == 1 && strstr(r.err, "boom"),
	       "init when failed: exit 1 with the decoded error");
	make_tdx("unsupported", "", "");
	run_cmd(&r, cmd_init, "init", NULL);
	TAP_EQ_U64(r.rc, 3, "init when unsupported: exit 3");

	make_tdx("initializing", CMRS, "");
	fake_write("firmware/tdx/progress", "0 1073741824\n");
	pid = fork();
	if (pid == 0) {
		usleep(300000);
		fake_write("firmware/tdx/progress", "536870912 1073741824\n");
		usleep(300000);
		fake_write("firmware/tdx/progress", "1073741824 1073741824\n");
		fake_write("firmware/tdx/state", "initialized\n");
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_cmd(&r, cmd_init, "init", "--timeout", "10", NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	waitpid(pid, NULL, 0);
	s = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	TAP_OK(r.rc == 0 && strstr(r.out, "progress: 50%") &&
	       strstr(r.out, "progress: 100%") &&
	       strstr(r.out, "TDX initialized"),
	       "init waits for a running initialization, shows progress");
	TAP_OK(s < 2.0, "init returned %.2f s after start (< 2 s)", s);

	make_tdx("initializing", CMRS, "");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_cmd(&r, cmd_init, "init", "--timeout", "1", NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	TAP_OK(r.rc == 1 && strstr(r.err, "timed out"),
	       "init times out with a message");
	TAP_OK(s >= 1.0 && s < 2.0, "after %.2f s", s);

	/* Kernel side flips back to uninitialized with an error: retryable. */
	make_tdx("initializing", CMRS, "");
	pid = fork();
	if (pid == 0) {
		usleep(200000);
		fake_write("firmware/tdx/error", "CPU 1 is offline\n");
		fake_write("firmware/tdx/state", "uninitialized\n");
		_exit(0);
	}
	run_cmd(&r, cmd_init, "init", "--timeout", "10", NULL);
	waitpid(pid, NULL, 0);
	TAP_OK(r.rc == 1 && strstr(r.err, "CPU 1 is offline") &&
	       strstr(r.err, "retryable"),
	       "retryable failure reported with the error (%s)", r.err);
	run_cmd(&r, cmd_init, "init", "--timeout", "0", NULL);
	TAP_EQ_U64(r.rc, 2, "--timeout 0 rejected");
}

static void plan(void)
{
	json_object *j;
	struct run r;

	make_tdx("uninitialized", CMRS, "");
	run_cmd(&r, cmd_plan, "plan", "--json", NULL);
	j = parse_json(r.out);
	TAP_OK(r.rc == 0 && j, "live plan --json valid (%s)", r.err);
	if (j) {
		TAP_EQ_U64(json_object_array_length(json_object_object_get(j, "tdmrs")),
			   1, "cover=present: one TDMR for boot memory");
		json_object_put(j);
	}
	fake_write("module/tdx_sys/parameters/tdmr_cover", "cmrs\n");
	run_cmd(&r, cmd_plan, "plan", "--json", NULL);
	j = parse_json(r.out);
	if (j) {
		TAP_EQ_U64(json_object_array_length(json_object_object_get(j, "tdmrs")),
			   2, "tdmr_cover=cmrs from the module parameter: two TDMRs");
		json_object_put(j);
	}
	fake_write("module/tdx_sys/parameters/tdmr_cover", "present\n");
	fake_write("firmware/tdx/nonconvertible_online", "0x80000000-0x87ffffff\n");
	run_cmd(&r, cmd_plan, "plan", NULL);
	TAP_OK(r.rc == 1 && strstr(r.err, "outside the CMRs"),
	       "online memory outside CMRs: plan fails and says why");
	fake_write("firmware/tdx/nonconvertible_online", "");
	run_cmd(&r, cmd_plan, "plan", "--cover", "all", NULL);
	TAP_EQ_U64(r.rc, 2, "bad --cover: exit 2");
}

int main(void)
{
	setenv("TDXCTL_CONFIG", "/nonexistent", 1);
	fake_init();
	make_blocks();
	not_loaded();
	before_init();
	make_blocks();
	config_effects();
	states();
	lsmem();
	status();
	ram_parts();
	init();
	plan();
	fake_cleanup();
	return tap_done();
}
