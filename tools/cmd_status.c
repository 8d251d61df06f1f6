// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl status: everything /sys/firmware/tdx says, in one place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdxctl_cmds.h"
#include "tdx_decide.h"
#include "tdx_json.h"
#include "tdx_lifecycle.h"
#include "tdx_memblock.h"
#include "tdx_sysfs.h"
#include "tdx_util.h"

#define NR_DECISIONS	(TDX_DECISION_WAIT + 1)

struct status {
	struct tdx_ctx *ctx;
	char provider[32], version[32], build_date[32], build_num[32];
	char attributes[32], vendor_id[32], keyids[32], global_keyid[32];
	char max_tdmrs[16], max_rsvd[16], pamt_entry[16], cpus[32];
	char pamt_kb[32], progress[64];
	struct tdx_lifecycle life;
	char *error;			/* may be long: names ranges */
	struct tdx_rangeset nonconv;
	struct tdx_range nonconv_buf[256];
	struct tdx_tdmr_line tdmr[TDX_MAX_TDMRS];
	unsigned int nr_tdmrs;
	u64 ram, online, offline, pamt;
	unsigned int blocks[2];			/* online, offline */
	unsigned int decisions[NR_DECISIONS];	/* for offline blocks */
};

/* Optional attributes read as empty when absent (e.g. unsupported state). */
static void opt_attr(const char *name, char *buf, size_t len)
{
	char rel[64];

	snprintf(rel, sizeof(rel), TDX_FW_DIR "/%s", name);
	if (tdx_sysfs_read(rel, buf, len) < 0)
		buf[0] = '\0';
}

static int read_tdmrs(struct status *s)
{
	char *text, *line, *save = NULL;
	int ret;

	ret = tdx_sysfs_read_alloc(TDX_FW_DIR "/tdmrs", &text);
	if (ret == -ENOENT)
		return 0;
	if (ret) {
		tdxctl_err("cannot read %s/%s/tdmrs: %s", tdx_sysfs_root(),
			   TDX_FW_DIR, strerror(-ret));
		return ret;
	}
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (s->nr_tdmrs == TDX_MAX_TDMRS ||
		    tdx_parse_tdmr_line(line, &s->tdmr[s->nr_tdmrs])) {
			tdxctl_err("%s/%s/tdmrs: bad line \"%s\"",
				   tdx_sysfs_root(), TDX_FW_DIR, line);
			free(text);
			return -EINVAL;
		}
		s->nr_tdmrs++;
	}
	free(text);
	return 0;
}

static int read_blocks(struct status *s)
{
	struct tdx_memblocks l;
	struct tdx_verdict v;
	size_t i;

	if (tdx_memblock_list(0, &l))
		return -EIO;
	for (i = 0; i < l.nr; i++) {
		if (tdx_memblock_online(&l.b[i])) {
			s->blocks[0]++;
			s->online += l.block_size;
			continue;
		}
		s->blocks[1]++;
		s->offline += l.block_size;
		tdx_ctx_decide_block(s->ctx, l.b[i].start, l.b[i].end, &v);
		s->decisions[v.decision]++;
	}
	tdx_memblock_list_free(&l);
	return 0;
}

static int status_read(struct status *s)
{
	u64 kb;
	int ret;

	tdx_rs_init(&s->nonconv, s->nonconv_buf, 256);
	opt_attr("provider", s->provider, sizeof(s->provider));
	opt_attr("version", s->version, sizeof(s->version));
	opt_attr("build_date", s->build_date, sizeof(s->build_date));
	opt_attr("build_num", s->build_num, sizeof(s->build_num));
	opt_attr("attributes", s->attributes, sizeof(s->attributes));
	opt_attr("vendor_id", s->vendor_id, sizeof(s->vendor_id));
	opt_attr("keyids", s->keyids, sizeof(s->keyids));
	opt_attr("global_keyid", s->global_keyid, sizeof(s->global_keyid));
	opt_attr("max_tdmrs", s->max_tdmrs, sizeof(s->max_tdmrs));
	opt_attr("max_reserved_per_tdmr", s->max_rsvd, sizeof(s->max_rsvd));
	opt_attr("pamt_entry_size", s->pamt_entry, sizeof(s->pamt_entry));
	opt_attr("cpus", s->cpus, sizeof(s->cpus));
	opt_attr("pamt_kb", s->pamt_kb, sizeof(s->pamt_kb));
	opt_attr("progress", s->progress, sizeof(s->progress));
	if (!tdx_parse_u64(s->pamt_kb, &kb))
		s->pamt = kb << 10;
	tdx_lifecycle_read(&s->life);
	ret = tdx_sysfs_read_error(&s->error);
	if (ret) {
		tdxctl_err("cannot read %s/%s/error: %s%s", tdx_sysfs_root(),
			   TDX_FW_DIR, strerror(-ret),
			   ret == -EACCES ? " (run as root)" : "");
		return ret;
	}
	if (s->ctx->state != TDX_STATE_UNSUPPORTED &&
	    tdx_sysfs_exists(TDX_FW_DIR "/nonconvertible_online")) {
		ret = tdx_sysfs_read_ranges("nonconvertible_online",
					    &s->nonconv);
		if (ret)
			return ret;
	}
	ret = read_tdmrs(s);
	if (ret)
		return ret;
	return read_blocks(s);
}

static double share(u64 part, u64 whole)
{
	return whole ? 100.0 * part / whole : 0.0;
}

static void print_rs(const char *title, const struct tdx_rangeset *rs)
{
	char sz[32];
	unsigned int i;

	tdx_fmt_size(tdx_rs_bytes(rs), sz, sizeof(sz));
	if (!rs->nr) {
		printf("%-16s none\n", title);
		return;
	}
	printf("%-16s %s in %u range(s)\n", title, sz, rs->nr);
	for (i = 0; i < rs->nr; i++) {
		tdx_fmt_size(rs->r[i].end - rs->r[i].start, sz, sizeof(sz));
		printf("  0x%016llx-0x%016llx %10s\n",
		       (unsigned long long)rs->r[i].start,
		       (unsigned long long)rs->r[i].end - 1, sz);
	}
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static const char *yes_no(int v)
{
	return v < 0 ? "unknown" : v ? "yes" : "no";
}

/* What tdx_sys enforces, and whether tdxsys.conf wants otherwise. */
static void print_before_init(const struct tdx_ctx *c)
{
	printf("%-16s %s", "Before init:",
	       tdx_before_init_name(c->before_init));
	if (c->cfg.before_init_set && c->cfg.before_init != c->before_init)
		printf(" (tdxsys.conf says %s: not applied yet, run tdxctl apply)",
		       tdx_before_init_name(c->cfg.before_init));
	putchar('\n');
}

static void print_lifecycle(const struct status *s)
{
	const struct tdx_lifecycle *l = &s->life;
	enum tdx_state st = s->ctx->state;

	printf("%-16s %s\n", "Features0:", or_dash(l->features0));
	printf("%-16s %s\n", "PW erratum:", yes_no(l->erratum));
	printf("%-16s %s; kexec_load disabled: %s\n", "Kexec:",
	       tdx_kexec_text(l), yes_no(l->kexec_disabled));
	printf("%-16s %s; crash kernel loaded: %s\n", "Kdump:",
	       tdx_kdump_text(l, st), yes_no(l->crash_loaded));
	printf("%-16s %s\n", "Suspend:", tdx_suspend_text(l));
}

static void print_status(const struct status *s)
{
	char sz[32], ram[32];
	unsigned int i;
	u64 done, total;

	printf("%-16s %s\n", "State:", tdx_state_name(s->ctx->state));
	printf("%-16s %s\n", "Provider:", or_dash(s->provider));
	printf("%-16s %s\n", "Error:", s->error && *s->error ? s->error :
	       "none");
	printf("%-16s %s build %s (%s), attributes %s, vendor %s\n",
	       "Module:", or_dash(s->version), or_dash(s->build_num),
	       or_dash(s->build_date), or_dash(s->attributes),
	       or_dash(s->vendor_id));
	printf("%-16s %s (global %s)\n", "KeyIDs:", or_dash(s->keyids),
	       or_dash(s->global_keyid));
	printf("%-16s %s TDMRs, %s reserved areas per TDMR, PAMT entry %s bytes\n",
	       "Limits:", or_dash(s->max_tdmrs), or_dash(s->max_rsvd),
	       or_dash(s->pamt_entry));
	printf("%-16s %s initialized\n", "CPUs:", or_dash(s->cpus));
	print_before_init(s->ctx);
	print_lifecycle(s);
	if (!tdx_parse_progress(s->progress, &done, &total) && total)
		printf("%-16s %.1f%% (%llu of %llu bytes)\n", "Progress:",
		       share(done, total), (unsigned long long)done,
		       (unsigned long long)total);
	print_rs("CMRs:", &s->ctx->cmrs);
	print_rs("TDX memory:", &s->ctx->tdx_mem);
	print_rs("Not convertible:", &s->nonconv);
	printf("%-16s %u\n", "TDMRs:", s->nr_tdmrs);
	for (i = 0; i < s->nr_tdmrs; i++) {
		tdx_fmt_size(s->tdmr[i].pamt, sz, sizeof(sz));
		printf("  0x%016llx-0x%016llx PAMT %s, %u reserved\n",
		       (unsigned long long)s->tdmr[i].start,
		       (unsigned long long)s->tdmr[i].end - 1, sz,
		       s->tdmr[i].nr_rsvd);
	}
	tdx_fmt_size(s->pamt, sz, sizeof(sz));
	tdx_fmt_size(s->online, ram, sizeof(ram));
	printf("%-16s %s (%.2f%% of %s online RAM)\n", "PAMT:", sz,
	       share(s->pamt, s->online), ram);
	printf("%-16s %u online, %u offline", "Memory blocks:", s->blocks[0],
	       s->blocks[1]);
	printf(" (offline: %u online-able, %u refused, %u waiting, %u no opinion)\n",
	       s->decisions[TDX_DECISION_ONLINE],
	       s->decisions[TDX_DECISION_REFUSE],
	       s->decisions[TDX_DECISION_WAIT],
	       s->decisions[TDX_DECISION_NONE]);
}

static struct json_object *json_str(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

static struct json_object *json_flag(int v)
{
	return v < 0 ? NULL : json_object_new_boolean(v);
}

static struct json_object *json_lifecycle(const struct status *s)
{
	const struct tdx_lifecycle *l = &s->life;
	enum tdx_state st = s->ctx->state;
	struct json_object *o = json_object_new_object(), *t;

	json_object_object_add(o, "partial_write_erratum",
			       json_flag(l->erratum));
	t = json_object_new_object();
	json_object_object_add(t, "safety", json_str(l->kexec));
	json_object_object_add(t, "why", json_str(tdx_kexec_text(l)));
	json_object_object_add(t, "load_disabled",
			       json_flag(l->kexec_disabled));
	json_object_object_add(o, "kexec", t);
	t = json_object_new_object();
	json_object_object_add(t, "safety", json_str(l->kdump));
	json_object_object_add(t, "why", json_str(tdx_kdump_text(l, st)));
	json_object_object_add(t, "crash_kernel_loaded",
			       json_flag(l->crash_loaded));
	json_object_object_add(o, "kdump", t);
	t = json_object_new_object();
	json_object_object_add(t, "s3_hibernation", json_str(l->suspend));
	json_object_object_add(t, "why", json_str(tdx_suspend_text(l)));
	json_object_object_add(o, "suspend", t);
	return o;
}

static struct json_object *json_status(const struct status *s)
{
	struct json_object *o = json_object_new_object(), *a, *t, *m, *d;
	unsigned int i;
	u64 done, total;

	json_object_object_add(o, "loaded", json_object_new_boolean(1));
	json_object_object_add(o, "state",
			       json_str(tdx_state_name(s->ctx->state)));
	json_object_object_add(o, "provider", json_str(s->provider));
	json_object_object_add(o, "error", json_str(s->error));
	json_object_object_add(o, "version", json_str(s->version));
	json_object_object_add(o, "build_date", json_str(s->build_date));
	json_object_object_add(o, "build_num", json_str(s->build_num));
	json_object_object_add(o, "attributes", json_str(s->attributes));
	json_object_object_add(o, "vendor_id", json_str(s->vendor_id));
	json_object_object_add(o, "keyids", json_str(s->keyids));
	json_object_object_add(o, "global_keyid", json_str(s->global_keyid));
	json_object_object_add(o, "max_tdmrs", json_str(s->max_tdmrs));
	json_object_object_add(o, "max_reserved_per_tdmr",
			       json_str(s->max_rsvd));
	json_object_object_add(o, "pamt_entry_size", json_str(s->pamt_entry));
	json_object_object_add(o, "cpus", json_str(s->cpus));
	json_object_object_add(o, "features0", json_str(s->life.features0));
	json_object_object_add(o, "lifecycle", json_lifecycle(s));
	t = json_object_new_object();
	json_object_object_add(t, "kernel",
			       json_str(tdx_before_init_name(s->ctx->before_init)));
	json_object_object_add(t, "config", s->ctx->cfg.before_init_set ?
			       json_str(tdx_before_init_name(s->ctx->cfg.before_init)) :
			       NULL);
	json_object_object_add(o, "before_init", t);
	if (!tdx_parse_progress(s->progress, &done, &total)) {
		t = json_object_new_object();
		json_object_object_add(t, "done", json_object_new_int64(done));
		json_object_object_add(t, "total",
				       json_object_new_int64(total));
		json_object_object_add(o, "progress", t);
	}
	json_object_object_add(o, "cmrs", tdx_json_ranges(&s->ctx->cmrs));
	json_object_object_add(o, "tdx_memory",
			       tdx_json_ranges(&s->ctx->tdx_mem));
	json_object_object_add(o, "nonconvertible_online",
			       tdx_json_ranges(&s->nonconv));
	a = json_object_new_array();
	for (i = 0; i < s->nr_tdmrs; i++) {
		t = tdx_json_range(s->tdmr[i].start, s->tdmr[i].end);
		json_object_object_add(t, "pamt",
				       json_object_new_int64(s->tdmr[i].pamt));
		json_object_object_add(t, "reserved",
				       json_object_new_int(s->tdmr[i].nr_rsvd));
		json_object_array_add(a, t);
	}
	json_object_object_add(o, "tdmrs", a);
	json_object_object_add(o, "pamt_bytes", json_object_new_int64(s->pamt));
	json_object_object_add(o, "online_ram_bytes",
			       json_object_new_int64(s->online));
	json_object_object_add(o, "pamt_percent_of_ram",
			       json_object_new_double(share(s->pamt,
							    s->online)));
	m = json_object_new_object();
	json_object_object_add(m, "online", json_object_new_int(s->blocks[0]));
	json_object_object_add(m, "offline",
			       json_object_new_int(s->blocks[1]));
	d = json_object_new_object();
	for (i = 0; i < NR_DECISIONS; i++)
		json_object_object_add(d, tdx_decision_name(i),
				       json_object_new_int(s->decisions[i]));
	json_object_object_add(m, "offline_decisions", d);
	json_object_object_add(o, "memory_blocks", m);
	return o;
}

int cmd_status(int argc, char **argv)
{
	struct status *s;
	bool json = false;
	int ret, code;

	code = tdx_json_opts(argc, argv, "tdxctl status [--json]", &json);
	if (code >= 0)
		return code;
	s = calloc(1, sizeof(*s));
	if (!s) {
		tdxctl_err("out of memory");
		return TDXCTL_EXIT_FAIL;
	}
	s->ctx = tdx_ctx_new(&code);
	if (!s->ctx)
		goto out;
	if (!s->ctx->loaded) {
		if (json)
			tdx_json_print(json_tokener_parse("{\"loaded\": false, \"state\": null}"));
		tdx_err_not_loaded();
		code = TDXCTL_EXIT_NOTDX;
		goto out;
	}
	ret = status_read(s);
	if (ret) {
		code = TDXCTL_EXIT_FAIL;
		goto out;
	}
	if (json)
		ret = tdx_json_print(json_status(s));
	else
		print_status(s);
	code = ret ? TDXCTL_EXIT_FAIL : TDXCTL_EXIT_OK;
	if (!ret && s->ctx->state == TDX_STATE_UNSUPPORTED)
		code = TDXCTL_EXIT_NOTDX;
out:
	tdx_ctx_free(s->ctx);
	free(s->error);
	free(s);
	return code;
}
