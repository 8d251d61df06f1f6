// SPDX-License-Identifier: GPL-2.0
/*
 * tdx_emu's configfs attribute parsers (emu/core/tdx_emu_parse.c), called
 * as a configfs store calls them: (buf, len), here with buf in a heap
 * block of exactly len bytes and no NUL, so a read past it is caught.
 * The first input byte picks the attribute. Properties: each parser
 * accepts exactly the documented format (an independent tokenizer
 * decides) with the same values, leaves its outputs untouched on
 * failure, and what it accepted, printed as the attribute shows it,
 * parses back the same; the printers never write past a short buffer.
 */
#include "fuzz.h"
#include "tdx_emu_parse.h"

#define CANARY	0x5a5a5a5a5a5a5a5aULL
#define MAXTOK	8192	/* more than any input has */

/* Separators of every attribute: blanks, newline, comma. */
static int is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ',' || c == '\r';
}

struct tok {
	const char *p;
	size_t n;
};

/* Split at separators; the count. */
static int split(const char *buf, size_t len, struct tok *t)
{
	size_t i = 0, s;
	int n = 0;

	while (i < len) {
		while (i < len && is_sep(buf[i]))
			i++;
		if (i == len)
			break;
		s = i;
		while (i < len && !is_sep(buf[i]))
			i++;
		t[n].p = buf + s;
		t[n].n = i - s;
		n++;
	}
	return n;
}

/*
 * A number at the start of @t: decimal, or 0x/0X and hex digits; how
 * many characters it took (0 if none), its value; -1 on overflow.
 */
static int number(struct tok t, u64 *v)
{
	unsigned __int128 x = 0;
	unsigned int base = 10, d;
	size_t i = 0, start;

	if (t.n > 2 && t.p[0] == '0' && (t.p[1] == 'x' || t.p[1] == 'X')) {
		base = 16;
		i = 2;
	}
	start = i;
	for (; i < t.n; i++) {
		char c = t.p[i];

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		x = x * base + d;
		if (x > ~0ULL)
			return -1;
	}
	if (i == start)
		return 0;
	*v = (u64)x;
	return (int)i;
}

/* The whole token is one number. */
static int whole_number(struct tok t, u64 *v)
{
	int k = number(t, v);

	return k > 0 && (size_t)k == t.n ? 0 : -1;
}

/* "key=NUMBER" */
static int keyed(struct tok t, const char *key, u64 *v)
{
	size_t n = strlen(key);
	struct tok rest;

	if (t.n <= n || memcmp(t.p, key, n) || t.p[n] != '=')
		return -1;
	rest.p = t.p + n + 1;
	rest.n = t.n - n - 1;
	return whole_number(rest, v);
}

/* "A<sep>B" with numbers A and B around one character @sep. */
static int pair(struct tok t, char sep, u64 *a, u64 *b)
{
	int k = number(t, a);
	struct tok rest;

	if (k <= 0 || (size_t)k >= t.n || t.p[k] != sep)
		return -1;
	rest.p = t.p + k + 1;
	rest.n = t.n - k - 1;
	return whole_number(rest, b);
}

static void u64_attr(struct fuzz_in *in, const char *buf, size_t len)
{
	u64 min = fuzz_take(in, 1) % 3 ? 0 : fuzz_take(in, 8);
	u64 max = fuzz_take(in, 1) % 3 ? ~0ULL : fuzz_take(in, 8), v = CANARY;
	u64 r, v2;
	static struct tok t[MAXTOK];
	char out[32];
	int ret = tdx_emu_parse_u64(buf, len, min, max, &v);
	int want = split(buf, len, t) == 1 && !whole_number(t[0], &r) &&
		   r >= min && r <= max;

	FUZZ_CHECK((ret == 0) == (want != 0), "u64 [%llu, %llu]: returned %d",
		   (unsigned long long)min, (unsigned long long)max, ret);
	if (ret) {
		FUZZ_CHECK(ret == -EINVAL && v == CANARY, "failure: %d", ret);
		return;
	}
	FUZZ_CHECK(v == r, "read 0x%llx, expected 0x%llx",
		   (unsigned long long)v, (unsigned long long)r);
	snprintf(out, sizeof(out), "0x%llx\n", (unsigned long long)v);
	FUZZ_CHECK(!tdx_emu_parse_u64(out, strlen(out), min, max, &v2) &&
		   v2 == v, "%s does not parse back", out);
}

/* A printer's output into @len bytes equals the start of the whole. */
static void short_buffer(const char *whole, int n, size_t len,
			 int (*print)(const void *, unsigned int, char *,
				      size_t), const void *what,
			 unsigned int nr)
{
	char *b = malloc(len ? len : 1);

	if (!b)
		abort();
	FUZZ_CHECK(print(what, nr, b, len) == n, "length differs");
	if (len)
		FUZZ_CHECK(strlen(b) < len && !strncmp(b, whole, len - 1),
			   "truncated output wrong");
	free(b);
}

static int print_cmrs(const void *c, unsigned int nr, char *out, size_t len)
{
	return tdx_emu_format_cmrs(c, nr, out, len);
}

static int print_lps(const void *l, unsigned int nr, char *out, size_t len)
{
	return tdx_emu_format_lps(l, nr, out, len);
}

static void cmrs_attr(struct fuzz_in *in, const char *buf, size_t len)
{
	static struct tdx_cmr_info c[TDX_MAX_CMRS], ref[TDX_MAX_CMRS],
		c2[TDX_MAX_CMRS], canary[TDX_MAX_CMRS];
	static char out[TDX_MAX_CMRS * 40 + 1];
	static struct tok t[MAXTOK];
	unsigned int nr = 99, nr2, i;
	int n = split(buf, len, t), ret, want = n >= 1 && n <= TDX_MAX_CMRS;
	u64 s, e;

	memset(c, 0x5a, sizeof(c));
	memcpy(canary, c, sizeof(c));
	for (i = 0; want && i < (unsigned int)n; i++) {
		if (pair(t[i], '-', &s, &e) || s > e || e - s == ~0ULL) {
			want = 0;
			break;
		}
		ref[i].base = s;
		ref[i].size = e - s + 1;
	}
	ret = tdx_emu_parse_cmrs(buf, len, c, &nr);
	FUZZ_CHECK((ret == 0) == (want != 0), "cmrs: returned %d, format says %s", ret,
		   want ? "valid" : "malformed");
	if (ret) {
		FUZZ_CHECK(ret == -EINVAL && nr == 99 &&
			   !memcmp(c, canary, sizeof(c)), "failure wrote output");
		return;
	}
	FUZZ_CHECK(nr == (unsigned int)n &&
		   !memcmp(c, ref, nr * sizeof(c[0])), "cmrs read wrong");
	n = tdx_emu_format_cmrs(c, nr, out, sizeof(out));
	FUZZ_CHECK(n > 0 && (size_t)n < sizeof(out), "format: %d", n);
	FUZZ_CHECK(!tdx_emu_parse_cmrs(out, n, c2, &nr2) && nr2 == nr &&
		   !memcmp(c2, c, nr * sizeof(c[0])),
		   "shown cmrs parse differently:\n%s", out);
	short_buffer(out, n, fuzz_take(in, 2) % (n + 2), print_cmrs, c, nr);
}

static int lp_cmp(const void *x, const void *y)
{
	const struct tdx_emu_lp *a = x, *b = y;

	return a->apic_id < b->apic_id ? -1 : a->apic_id > b->apic_id;
}

/* The platform's CPUs: "A[-B]:P", x2APIC ids up to 0xfffffffe, sorted. */
static void cpus_attr(struct fuzz_in *in, const char *buf, size_t len)
{
	static struct tdx_emu_lp l[TDX_EMU_MAX_LPS], ref[TDX_EMU_MAX_LPS],
		l2[TDX_EMU_MAX_LPS], canary[TDX_EMU_MAX_LPS];
	static char out[TDX_EMU_MAX_LPS * 24 + 2];
	static struct tok t[MAXTOK];
	int n = split(buf, len, t), ret, want = n >= 1, k, m;
	unsigned int i, nr = 99, nr2, cnt = 0;
	u64 a, b, p, j;

	memset(l, 0x5a, sizeof(l));
	memcpy(canary, l, sizeof(l));
	for (i = 0; want && i < (unsigned int)n; i++) {
		k = number(t[i], &a);
		b = a;
		if (k > 0 && (size_t)k < t[i].n && t[i].p[k] == '-') {
			struct tok r = { t[i].p + k + 1, t[i].n - k - 1 };

			m = number(r, &b);
			k = m > 0 ? k + 1 + m : -1;
		}
		if (k <= 0 || (size_t)k >= t[i].n || t[i].p[k] != ':') {
			want = 0;
			break;
		}
		{
			struct tok r = { t[i].p + k + 1, t[i].n - k - 1 };

			if (whole_number(r, &p) || a > b || b > 0xfffffffeULL ||
			    p > 0xffffffffULL ||
			    b - a + 1 > TDX_EMU_MAX_LPS - cnt) {
				want = 0;
				break;
			}
		}
		for (j = a; j <= b; j++) {
			ref[cnt].apic_id = (u32)j;
			ref[cnt].pkg = (u32)p;
			cnt++;
		}
	}
	if (want) {
		qsort(ref, cnt, sizeof(ref[0]), lp_cmp);
		for (i = 1; i < cnt && want; i++)
			if (ref[i].apic_id == ref[i - 1].apic_id)
				want = 0;
	}
	ret = tdx_emu_parse_lps(buf, len, l, &nr);
	FUZZ_CHECK((ret == 0) == (want != 0), "cpus: returned %d, format says %s",
		   ret, want ? "valid" : "malformed");
	if (ret) {
		FUZZ_CHECK(ret == -EINVAL && nr == 99 &&
			   !memcmp(l, canary, sizeof(l)), "failure wrote output");
		return;
	}
	FUZZ_CHECK(nr == cnt && !memcmp(l, ref, nr * sizeof(l[0])),
		   "cpus read wrong");
	n = tdx_emu_format_lps(l, nr, out, sizeof(out));
	FUZZ_CHECK(n > 0 && (size_t)n < sizeof(out), "format: %d", n);
	FUZZ_CHECK(!tdx_emu_parse_lps(out, n, l2, &nr2) && nr2 == nr &&
		   !memcmp(l2, l, nr * sizeof(l[0])),
		   "shown cpus parse differently:\n%s", out);
	short_buffer(out, n, fuzz_take(in, 2) % (n + 2), print_lps, l, nr);
}

static void keyids_attr(struct fuzz_in *in, const char *buf, size_t len)
{
	u32 m0 = fuzz_take(in, 2) & 0x3fff, t0 = fuzz_take(in, 2) & 0x3fff;
	u32 m = m0, t = t0, m2 = 0, t2 = 0;
	static struct tok tk[MAXTOK];
	int n = split(buf, len, tk), ret, want = n >= 1, i;
	u64 rm = m0, rt = t0, v;
	char out[48];

	for (i = 0; want && i < n; i++) {
		if (!keyed(tk[i], "mktme", &v) && v <= 0x7fff)
			rm = v;
		else if (!keyed(tk[i], "tdx", &v) && v <= 0x7fff)
			rt = v;
		else
			want = 0;
	}
	want = want && rm + rt <= 0x7fff;
	ret = tdx_emu_parse_keyids(buf, len, &m, &t);
	FUZZ_CHECK((ret == 0) == (want != 0), "keyids: returned %d, format says %s", ret,
		   want ? "valid" : "malformed");
	if (ret) {
		FUZZ_CHECK(m == m0 && t == t0, "failure wrote output");
		return;
	}
	FUZZ_CHECK(m == rm && t == rt, "keyids read wrong");
	snprintf(out, sizeof(out), "mktme=%u tdx=%u\n", m, t);
	FUZZ_CHECK(!tdx_emu_parse_keyids(out, strlen(out), &m2, &t2) &&
		   m2 == m && t2 == t, "%s does not parse back", out);
}

static void version_attr(const char *buf, size_t len)
{
	u16 a = 0x5a5a, b = 0x5a5a, c = 0x5a5a, a2, b2, c2;
	static struct tok t[MAXTOK];
	u64 x, y, z = 0;
	int ret, want = 0, k;
	char out[32];

	/* One token "X.Y" or "X.Y.Z", each at most 0xffff. */
	if (split(buf, len, t) == 1) {
		k = number(t[0], &x);
		if (k > 0 && (size_t)k < t[0].n && t[0].p[k] == '.') {
			struct tok r = { t[0].p + k + 1, t[0].n - k - 1 };

			want = !whole_number(r, &y) || !pair(r, '.', &y, &z);
			want = want && x <= 0xffff && y <= 0xffff &&
			       z <= 0xffff;
		}
	}
	ret = tdx_emu_parse_version(buf, len, &a, &b, &c);
	FUZZ_CHECK((ret == 0) == (want != 0), "version: returned %d, format says %s", ret,
		   want ? "valid" : "malformed");
	if (ret) {
		FUZZ_CHECK(a == 0x5a5a && b == 0x5a5a && c == 0x5a5a,
			   "failure wrote output");
		return;
	}
	FUZZ_CHECK(a == x && b == y && c == z, "version read wrong");
	snprintf(out, sizeof(out), "%u.%u.%u\n", a, b, c);
	FUZZ_CHECK(!tdx_emu_parse_version(out, strlen(out), &a2, &b2, &c2) &&
		   a2 == a && b2 == b && c2 == c, "%s does not parse back", out);
}

static void fault_attr(const char *buf, size_t len)
{
	bool clear = false, clear2;
	u16 leaf = 0x5a5a, leaf2;
	u64 status = CANARY, status2, v, rl = ~0ULL, rs = 0, rn = 1;
	u32 nth = 0x5a5a5a5a, nth2;
	static struct tok t[MAXTOK];
	int n = split(buf, len, t), ret, want = 1, have_s = 0, i;
	char out[80];

	if (n == 1 && t[0].n == 5 && !memcmp(t[0].p, "clear", 5)) {
		FUZZ_CHECK(!tdx_emu_parse_fault(buf, len, &clear, &leaf,
						&status, &nth) && clear &&
			   leaf == 0x5a5a && status == CANARY,
			   "clear not taken alone");
		return;
	}
	for (i = 0; i < n && want; i++) {
		if (!keyed(t[i], "leaf", &v))
			rl = v;
		else if (!keyed(t[i], "status", &v))
			rs = v, have_s = 1;
		else if (!keyed(t[i], "nth", &v) && v <= 0xffffffffULL)
			rn = v;
		else
			want = 0;
	}
	want = want && n >= 0 && rl <= TDX_EMU_MAX_LEAF && have_s;
	ret = tdx_emu_parse_fault(buf, len, &clear, &leaf, &status, &nth);
	FUZZ_CHECK((ret == 0) == (want != 0), "fault: returned %d, format says %s", ret,
		   want ? "valid" : "malformed");
	if (ret) {
		FUZZ_CHECK(!clear && leaf == 0x5a5a && status == CANARY &&
			   nth == 0x5a5a5a5a, "failure wrote output");
		return;
	}
	FUZZ_CHECK(!clear && leaf == rl && status == rs && nth == rn,
		   "fault read wrong");
	snprintf(out, sizeof(out), "nth=%u status=0x%llx leaf=%u\n", nth,
		 (unsigned long long)status, leaf);
	FUZZ_CHECK(!tdx_emu_parse_fault(out, strlen(out), &clear2, &leaf2,
					&status2, &nth2) && !clear2 &&
		   leaf2 == leaf && status2 == status && nth2 == nth,
		   "%s does not parse back", out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	unsigned int which = fuzz_take(&in, 1) % 6;
	size_t len = fuzz_take(&in, 1) % 4 ? in.n : in.n / 2;
	/* The attribute text, then what is left for parameters. */
	struct fuzz_in params = { in.p + len, in.n - len };
	char *buf;

	if (len >= MAXTOK)
		return 0;
	buf = malloc(len ? len : 1);
	if (!buf)
		abort();
	memcpy(buf, in.p, len);
	switch (which) {
	case 0:
		u64_attr(&params, buf, len);
		break;
	case 1:
		cmrs_attr(&params, buf, len);
		break;
	case 2:
		cpus_attr(&params, buf, len);
		break;
	case 3:
		keyids_attr(&params, buf, len);
		break;
	case 4:
		version_attr(buf, len);
		break;
	default:
		fault_attr(buf, len);
		break;
	}
	free(buf);
	return 0;
}
