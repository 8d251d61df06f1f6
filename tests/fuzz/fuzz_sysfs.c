// SPDX-License-Identifier: GPL-2.0
/*
 * The sysfs values tdxctl reads: /sys/firmware/tdx range lists, tdmrs
 * lines, progress, state; memory block names and block_size_bytes; the
 * number and range parsers under them (tools/tdx_sysfs.c,
 * tools/tdx_memblock.c, tools/tdx_util.c). The first input byte picks the
 * parser, the rest is the text. Properties: each parser accepts exactly
 * the documented grammar (an independent reading of it decides), never
 * writes its output on failure, and what it accepted, printed the way
 * the kernel prints it, parses back to the same value.
 */
#include <limits.h>

#include "fuzz.h"
#include "tdx_memblock.h"
#include "tdx_policy.h"
#include "tdx_sysfs.h"
#include "tdx_util.h"

#define CANARY	0x5a5a5a5a5a5a5a5aULL

static int hexdig(char c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	       c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Digits of @s[0..n) in @base, no overflow; -1 if anything else. */
static int ref_digits(const char *s, size_t n, unsigned int base, u64 *v)
{
	unsigned __int128 x = 0;
	size_t i;
	int d;

	if (!n)
		return -1;
	for (i = 0; i < n; i++) {
		d = hexdig(s[i]);
		if (d < 0 || d >= (int)base)
			return -1;
		x = x * base + d;
		if (x > ~0ULL)
			return -1;
	}
	*v = (u64)x;
	return 0;
}

/* tdx_parse_u64's grammar: decimal, or 0x/0X and hex digits; whole string. */
static int ref_u64(const char *s, size_t n, u64 *v)
{
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return ref_digits(s + 2, n - 2, 16, v);
	return ref_digits(s, n, 10, v);
}

/* "A-B", both ref_u64, A <= B < 2^64-1; 1 = well-formed but out of range. */
static int ref_range(const char *s, u64 *start, u64 *end)
{
	const char *dash = strchr(s, '-');
	u64 a, b;

	if (!dash || dash == s || dash - s >= 64 ||
	    ref_u64(s, dash - s, &a) ||
	    ref_u64(dash + 1, strlen(dash + 1), &b))
		return -1;
	if (b < a || b == ~0ULL)
		return 1;
	*start = a;
	*end = b + 1;
	return 0;
}

static void u64_(const char *s)
{
	u64 v = CANARY, w, r;
	char out[32];
	int ret = tdx_parse_u64(s, &v), want = ref_u64(s, strlen(s), &r);

	FUZZ_CHECK(!ret == !want, "\"%s\": returned %d, grammar says %s", s,
		   ret, want ? "malformed" : "valid");
	if (ret) {
		FUZZ_CHECK(v == CANARY, "failure wrote the output");
		return;
	}
	FUZZ_CHECK(v == r, "\"%s\": 0x%llx, expected 0x%llx", s,
		   (unsigned long long)v, (unsigned long long)r);
	snprintf(out, sizeof(out), "%llu", (unsigned long long)v);
	FUZZ_CHECK(!tdx_parse_u64(out, &w) && w == v, "%s does not parse back",
		   out);
	snprintf(out, sizeof(out), "0x%llx", (unsigned long long)v);
	FUZZ_CHECK(!tdx_parse_u64(out, &w) && w == v, "%s does not parse back",
		   out);
}

static void range(const char *s)
{
	u64 a = CANARY, b = CANARY, ra, rb, a2, b2;
	char out[64];
	int ret = tdx_parse_range(s, &a, &b), want = ref_range(s, &ra, &rb);

	FUZZ_CHECK(!ret == !want, "\"%s\": returned %d, grammar says %d", s,
		   ret, want);
	if (ret) {
		FUZZ_CHECK(a == CANARY && b == CANARY,
			   "failure wrote the output");
		return;
	}
	FUZZ_CHECK(a == ra && b == rb && a < b, "\"%s\" read wrong", s);
	snprintf(out, sizeof(out), "0x%llx-0x%llx", (unsigned long long)a,
		 (unsigned long long)b - 1);
	FUZZ_CHECK(!tdx_parse_range(out, &a2, &b2) && a2 == a && b2 == b,
		   "%s does not parse back", out);
}

/* Lines of ranges; blank lines and trailing blanks allowed. */
static int ref_ranges(const char *text, struct tdx_rangeset *rs)
{
	const char *p = text, *nl;
	char line[128];
	u64 s, e;
	size_t n;

	tdx_rs_clear(rs);
	for (; *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n >= sizeof(line))
			return -1;
		memcpy(line, p, n);
		line[n] = '\0';
		while (n && strchr(" \t\r\n", line[n - 1]))
			line[--n] = '\0';
		if (!n)
			continue;
		if (ref_range(line, &s, &e) || tdx_rs_add(rs, s, e))
			return -1;
	}
	return 0;
}

static void ranges(const char *text)
{
	struct tdx_range b1[64], b2[64], b3[64];
	struct tdx_rangeset rs, ref, rs2;
	char err[256] = "", out[64 * 40], *o = out;
	unsigned int i;
	int ret, want;

	tdx_rs_init(&rs, b1, 64);
	tdx_rs_init(&ref, b2, 64);
	tdx_rs_init(&rs2, b3, 64);
	tdx_rs_add(&rs, 1, 2);
	ret = tdx_parse_ranges(text, &rs, err, sizeof(err));
	want = ref_ranges(text, &ref);
	FUZZ_CHECK(!ret == !want, "returned %d, grammar says %d", ret, want);
	if (ret) {
		FUZZ_CHECK(!strncmp(err, "line ", 5), "error \"%s\"", err);
		FUZZ_CHECK(rs.nr == 0, "failure left %u ranges", rs.nr);
		return;
	}
	FUZZ_CHECK(fuzz_rs_equal(&rs, &ref) && fuzz_rs_merged(&rs),
		   "ranges differ from the grammar's");
	*o = '\0';
	for (i = 0; i < rs.nr; i++)
		o += sprintf(o, "0x%llx-0x%llx\n",
			     (unsigned long long)rs.r[i].start,
			     (unsigned long long)rs.r[i].end - 1);
	FUZZ_CHECK(!tdx_parse_ranges(out, &rs2, err, sizeof(err)) &&
		   fuzz_rs_equal(&rs, &rs2), "printed list parses differently");
}

/* Blank-separated tokens of @s into @tok (at most @max); their count. */
static int tokens(char *s, char **tok, int max)
{
	int n = 0;
	char *t;

	for (t = strtok(s, " \t\r\n"); t; t = strtok(NULL, " \t\r\n")) {
		if (n == max)
			return max + 1;
		tok[n++] = t;
	}
	return n;
}

/* "0xS-0xE pamt=<bytes> reserved=<n>", blanks around fields. */
static int ref_tdmr(const char *line, struct tdx_tdmr_line *t)
{
	char copy[TDX_SYSFS_LINE], *tok[4];
	u64 p, r;

	if (strlen(line) >= sizeof(copy))
		return -1;
	strcpy(copy, line);
	if (tokens(copy, tok, 3) != 3 || ref_range(tok[0], &t->start, &t->end) ||
	    strncmp(tok[1], "pamt=", 5) || strncmp(tok[2], "reserved=", 9) ||
	    ref_u64(tok[1] + 5, strlen(tok[1] + 5), &p) ||
	    ref_u64(tok[2] + 9, strlen(tok[2] + 9), &r) ||
	    r > UINT_MAX)
		return -1;
	t->pamt = p;
	t->nr_rsvd = (unsigned int)r;
	return 0;
}

static int same_tdmr(const struct tdx_tdmr_line *a,
		     const struct tdx_tdmr_line *b)
{
	return a->start == b->start && a->end == b->end &&
	       a->pamt == b->pamt && a->nr_rsvd == b->nr_rsvd;
}

static void tdmr_line(const char *line)
{
	struct tdx_tdmr_line t, ref, t2;
	char out[128];
	int ret, want;

	memset(&t, 0x5a, sizeof(t));
	ret = tdx_parse_tdmr_line(line, &t);
	want = ref_tdmr(line, &ref);
	FUZZ_CHECK(!ret == !want, "\"%s\": returned %d, grammar says %s",
		   line, ret, want ? "malformed" : "valid");
	if (ret) {
		FUZZ_CHECK(t.start == CANARY && t.pamt == CANARY,
			   "failure wrote the output");
		return;
	}
	FUZZ_CHECK(same_tdmr(&t, &ref), "\"%s\" read wrong", line);
	snprintf(out, sizeof(out), "0x%llx-0x%llx pamt=%llu reserved=%u",
		 (unsigned long long)t.start, (unsigned long long)t.end - 1,
		 (unsigned long long)t.pamt, t.nr_rsvd);
	FUZZ_CHECK(!tdx_parse_tdmr_line(out, &t2) && same_tdmr(&t, &t2),
		   "%s does not parse back", out);
}

static void progress(const char *text)
{
	u64 d = CANARY, t = CANARY, rd, rt, d2, t2;
	char copy[TDX_SYSFS_LINE], *tok[2], out[64];
	int ret = tdx_parse_progress(text, &d, &t), want = -1;

	if (strlen(text) < sizeof(copy)) {
		strcpy(copy, text);
		if (tokens(copy, tok, 2) == 2 &&
		    !ref_u64(tok[0], strlen(tok[0]), &rd) &&
		    !ref_u64(tok[1], strlen(tok[1]), &rt))
			want = 0;
	}
	FUZZ_CHECK(!ret == !want, "\"%s\": returned %d, grammar says %s",
		   text, ret, want ? "malformed" : "valid");
	if (ret) {
		FUZZ_CHECK(d == CANARY && t == CANARY, "failure wrote the output");
		return;
	}
	FUZZ_CHECK(d == rd && t == rt, "\"%s\" read wrong", text);
	snprintf(out, sizeof(out), "%llu %llu\n", (unsigned long long)d,
		 (unsigned long long)t);
	FUZZ_CHECK(!tdx_parse_progress(out, &d2, &t2) && d2 == d && t2 == t,
		   "%s does not parse back", out);
}

static void block_name(const char *s)
{
	unsigned long id = 0x5a5a5a5a, id2;
	const char *digits = strncmp(s, "memory", 6) ? s : s + 6;
	char out[32];
	u64 v;
	int ret = tdx_memblock_parse_name(s, &id);
	int want = ref_digits(digits, strlen(digits), 10, &v) ||
		   (digits[0] == '0' && digits[1]) || v > ULONG_MAX;

	FUZZ_CHECK(!ret == !want, "\"%s\": returned %d, grammar says %s", s,
		   ret, want ? "malformed" : "valid");
	if (ret) {
		FUZZ_CHECK(id == 0x5a5a5a5a, "failure wrote the output");
		return;
	}
	FUZZ_CHECK(id == v, "\"%s\" read as %lu", s, id);
	snprintf(out, sizeof(out), "memory%lu", id);
	FUZZ_CHECK(!tdx_memblock_parse_name(out, &id2) && id2 == id,
		   "%s does not parse back", out);
}

static void block_size(const char *s)
{
	u64 v = CANARY, r, v2;
	char out[32];
	int ret = tdx_parse_block_size(s, &v);
	int want = ref_digits(s, strlen(s), 16, &r) || !r;

	FUZZ_CHECK(!ret == !want, "\"%s\": returned %d, grammar says %s", s,
		   ret, want ? "malformed" : "valid");
	if (ret) {
		FUZZ_CHECK(v == CANARY, "failure wrote the output");
		return;
	}
	FUZZ_CHECK(v == r, "\"%s\" read wrong", s);
	snprintf(out, sizeof(out), "%llx", (unsigned long long)v);
	FUZZ_CHECK(!tdx_parse_block_size(out, &v2) && v2 == v,
		   "%s does not parse back", out);
}

static void state(const char *s)
{
	enum tdx_state st = (enum tdx_state)77, st2;
	char out[64];
	int ret = tdx_state_parse(s, &st);

	if (ret) {
		FUZZ_CHECK(st == (enum tdx_state)77, "failure wrote the output");
		return;
	}
	FUZZ_CHECK(st < TDX_STATE_NR, "state %d", st);
	snprintf(out, sizeof(out), "%s", tdx_state_name(st));
	FUZZ_CHECK(!strcmp(s, out) || (!strncmp(s, out, strlen(out)) &&
					!strcmp(s + strlen(out), "\n")),
		   "\"%s\" taken for %s", s, out);
	strcat(out, "\n");
	FUZZ_CHECK(!tdx_state_parse(out, &st2) && st2 == st,
		   "%s does not parse back", out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (!size)
		return 0;
	s = fuzz_str(data + 1, size - 1);
	switch (data[0] % 8) {
	case 0:
		u64_(s);
		break;
	case 1:
		range(s);
		break;
	case 2:
		ranges(s);
		break;
	case 3:
		tdmr_line(s);
		break;
	case 4:
		progress(s);
		break;
	case 5:
		block_name(s);
		break;
	case 6:
		block_size(s);
		break;
	default:
		state(s);
		break;
	}
	free(s);
	return 0;
}
