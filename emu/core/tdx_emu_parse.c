// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers and printers for tdx_emu's configfs attributes. No libc or
 * kernel string-to-number helpers, so the same code runs in both worlds.
 */
#include "tdx_emu_parse.h"

struct cursor {
	const char *p;
	const char *end;
};

static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ',' || c == '\r';
}

static void skip_seps(struct cursor *c)
{
	while (c->p < c->end && is_sep(*c->p))
		c->p++;
}

static bool at_end(struct cursor *c)
{
	skip_seps(c);
	return c->p >= c->end;
}

static int digit(char ch, unsigned int base)
{
	int d;

	if (ch >= '0' && ch <= '9')
		d = ch - '0';
	else if (ch >= 'a' && ch <= 'f')
		d = ch - 'a' + 10;
	else if (ch >= 'A' && ch <= 'F')
		d = ch - 'A' + 10;
	else
		return -1;
	return d < (int)base ? d : -1;
}

/* A number at the cursor: decimal or 0x-hex, no sign, overflow refused. */
static int num(struct cursor *c, u64 *out)
{
	unsigned int base = 10;
	u64 v = 0;
	int d, n = 0;

	if (c->end - c->p > 2 && c->p[0] == '0' &&
	    (c->p[1] == 'x' || c->p[1] == 'X')) {
		base = 16;
		c->p += 2;
	}
	while (c->p < c->end && (d = digit(*c->p, base)) >= 0) {
		if (v > (~0ULL - d) / base)
			return -EINVAL;
		v = v * base + d;
		c->p++;
		n++;
	}
	if (!n)
		return -EINVAL;
	*out = v;
	return 0;
}

static bool eat(struct cursor *c, char ch)
{
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

/* "key=" at the cursor; true (and consumed) if it matches. */
static bool eat_key(struct cursor *c, const char *key)
{
	size_t n = strlen(key);

	if ((size_t)(c->end - c->p) > n && !memcmp(c->p, key, n) &&
	    c->p[n] == '=') {
		c->p += n + 1;
		return true;
	}
	return false;
}

/* The current token ends here (separator or end of input). */
static bool token_end(struct cursor *c)
{
	return c->p >= c->end || is_sep(*c->p);
}

int tdx_emu_parse_u64(const char *buf, size_t len, u64 min, u64 max, u64 *out)
{
	struct cursor c = { buf, buf + len };
	u64 v;

	skip_seps(&c);
	if (num(&c, &v) || !at_end(&c) || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int tdx_emu_parse_cmrs(const char *buf, size_t len,
		       struct tdx_cmr_info *cmrs, unsigned int *nr)
{
	struct tdx_cmr_info tmp[TDX_MAX_CMRS];
	struct cursor c = { buf, buf + len };
	unsigned int n = 0;
	u64 s, e;

	while (!at_end(&c)) {
		if (n == TDX_MAX_CMRS)
			return -EINVAL;
		if (num(&c, &s) || !eat(&c, '-') || num(&c, &e) ||
		    !token_end(&c) || s > e || e - s == ~0ULL)
			return -EINVAL;
		tmp[n].base = s;
		tmp[n].size = e - s + 1;
		n++;
	}
	if (!n)
		return -EINVAL;
	memcpy(cmrs, tmp, n * sizeof(tmp[0]));
	*nr = n;
	return 0;
}

int tdx_emu_format_cmrs(const struct tdx_cmr_info *cmrs, unsigned int nr,
			char *out, size_t len)
{
	unsigned int k;
	size_t n = 0;

	if (len)
		out[0] = '\0';
	for (k = 0; k < nr; k++) {
		if (!cmrs[k].size)
			continue;
		n += snprintf(out + (n < len ? n : len), n < len ? len - n : 0,
			      "0x%llx-0x%llx\n",
			      (unsigned long long)cmrs[k].base,
			      (unsigned long long)(cmrs[k].base +
						   cmrs[k].size - 1));
	}
	return (int)n;
}

/*
 * One "A[-B]:P" item at the cursor, or 0 at the end of input, or -EINVAL.
 * APIC ids up to 0xfffffffe (0xffffffff is the broadcast id).
 */
static int lp_item(struct cursor *c, u64 *a, u64 *b, u64 *p)
{
	if (at_end(c))
		return 0;
	if (num(c, a))
		return -EINVAL;
	*b = *a;
	if (eat(c, '-') && num(c, b))
		return -EINVAL;
	if (!eat(c, ':') || num(c, p) || !token_end(c))
		return -EINVAL;
	if (*a > *b || *b >= 0xffffffffULL || *p > 0xffffffffULL)
		return -EINVAL;
	return 1;
}

/* Does [a, b] meet an item before @upto? */
static bool lp_seen(const char *buf, const char *upto, u64 a, u64 b)
{
	struct cursor c = { buf, upto };
	u64 x, y, p;

	while (lp_item(&c, &x, &y, &p) > 0)
		if (x <= b && a <= y)
			return true;
	return false;
}

int tdx_emu_parse_lps(const char *buf, size_t len, struct tdx_emu_lp *lps,
		      unsigned int *nr)
{
	struct cursor c = { buf, buf + len };
	unsigned int i, j, n = 0;
	const char *item;
	u64 a, b, p, v;
	int ret;

	/* Validate everything first: @lps is written only on success. */
	for (;;) {
		skip_seps(&c);
		item = c.p;
		ret = lp_item(&c, &a, &b, &p);
		if (ret <= 0)
			break;
		if (b - a + 1 > TDX_EMU_MAX_LPS - n || lp_seen(buf, item, a, b))
			return -EINVAL;
		n += b - a + 1;
	}
	if (ret < 0 || !n)
		return -EINVAL;
	c.p = buf;
	for (i = 0; lp_item(&c, &a, &b, &p) > 0;) {
		for (v = a; v <= b; v++, i++) {
			/* insertion sort by APIC id */
			for (j = i; j && lps[j - 1].apic_id > v; j--)
				lps[j] = lps[j - 1];
			lps[j].apic_id = (u32)v;
			lps[j].pkg = (u32)p;
		}
	}
	*nr = n;
	return 0;
}

int tdx_emu_format_lps(const struct tdx_emu_lp *lps, unsigned int nr,
		       char *out, size_t len)
{
	unsigned int i = 0, j;
	size_t n = 0;

	if (len)
		out[0] = '\0';
	while (i < nr) {
		j = i;
		while (j + 1 < nr && lps[j + 1].pkg == lps[i].pkg &&
		       lps[j + 1].apic_id == lps[j].apic_id + 1)
			j++;
		if (j == i)
			n += snprintf(out + (n < len ? n : len),
				      n < len ? len - n : 0, "%s%u:%u",
				      n ? " " : "", lps[i].apic_id, lps[i].pkg);
		else
			n += snprintf(out + (n < len ? n : len),
				      n < len ? len - n : 0, "%s%u-%u:%u",
				      n ? " " : "", lps[i].apic_id,
				      lps[j].apic_id, lps[i].pkg);
		i = j + 1;
	}
	n += snprintf(out + (n < len ? n : len), n < len ? len - n : 0, "\n");
	return (int)n;
}

int tdx_emu_parse_keyids(const char *buf, size_t len, u32 *mktme, u32 *tdx)
{
	struct cursor c = { buf, buf + len };
	u64 m = *mktme, t = *tdx, v;
	bool any = false;

	while (!at_end(&c)) {
		u64 *dst;

		if (eat_key(&c, "mktme"))
			dst = &m;
		else if (eat_key(&c, "tdx"))
			dst = &t;
		else
			return -EINVAL;
		if (num(&c, &v) || !token_end(&c) || v > 0x7fff)
			return -EINVAL;
		*dst = v;
		any = true;
	}
	/* MK_TME_KEYID_BITS is at most 15: KeyIDs 0..32767 */
	if (!any || m + t > 0x7fff)
		return -EINVAL;
	*mktme = (u32)m;
	*tdx = (u32)t;
	return 0;
}

int tdx_emu_parse_version(const char *buf, size_t len, u16 *major,
			  u16 *minor, u16 *update)
{
	struct cursor c = { buf, buf + len };
	u64 a, b, u = 0;

	skip_seps(&c);
	if (num(&c, &a) || !eat(&c, '.') || num(&c, &b))
		return -EINVAL;
	if (eat(&c, '.') && num(&c, &u))
		return -EINVAL;
	if (!at_end(&c) || a > 0xffff || b > 0xffff || u > 0xffff)
		return -EINVAL;
	*major = (u16)a;
	*minor = (u16)b;
	*update = (u16)u;
	return 0;
}

int tdx_emu_parse_fault(const char *buf, size_t len, bool *clear, u16 *leaf,
			u64 *status, u32 *nth)
{
	struct cursor c = { buf, buf + len };
	u64 l = ~0ULL, s = 0, n = 1;
	bool have_s = false;

	skip_seps(&c);
	if ((size_t)(c.end - c.p) >= 5 && !memcmp(c.p, "clear", 5)) {
		c.p += 5;
		if (!at_end(&c))
			return -EINVAL;
		*clear = true;
		return 0;
	}
	while (!at_end(&c)) {
		if (eat_key(&c, "leaf")) {
			if (num(&c, &l))
				return -EINVAL;
		} else if (eat_key(&c, "status")) {
			if (num(&c, &s))
				return -EINVAL;
			have_s = true;
		} else if (eat_key(&c, "nth")) {
			if (num(&c, &n) || n > 0xffffffffULL)
				return -EINVAL;
		} else {
			return -EINVAL;
		}
		if (!token_end(&c))
			return -EINVAL;
	}
	if (l > TDX_EMU_MAX_LEAF || !have_s)
		return -EINVAL;
	*clear = false;
	*leaf = (u16)l;
	*status = s;
	*nth = (u32)n;
	return 0;
}

static const char * const transient_names[TDX_EMU_NR_TRANSIENTS] = {
	[TDX_EMU_TR_RND_NO_ENTROPY] = "rnd_no_entropy",
	[TDX_EMU_TR_KEY_GEN_FAILED] = "key_generation_failed",
	[TDX_EMU_TR_KEY_BUSY] = "key_busy",
	[TDX_EMU_TR_SYS_BUSY] = "sys_busy",
	[TDX_EMU_TR_TDMR_BUSY] = "tdmr_busy",
};

const char *tdx_emu_transient_name(unsigned int t)
{
	return t < TDX_EMU_NR_TRANSIENTS ? transient_names[t] : NULL;
}

int tdx_emu_parse_transients(const char *buf, size_t len,
			     struct tdx_emu_transients *t)
{
	struct tdx_emu_transients tmp = *t;
	struct cursor c = { buf, buf + len };
	bool any = false;
	unsigned int i;
	u64 v;

	while (!at_end(&c)) {
		if ((size_t)(c.end - c.p) >= 3 && !memcmp(c.p, "off", 3)) {
			c.p += 3;
			if (!token_end(&c))
				return -EINVAL;
			memset(tmp.rate, 0, sizeof(tmp.rate));
			any = true;
			continue;
		}
		if (eat_key(&c, "seed")) {
			if (num(&c, &tmp.seed) || !token_end(&c))
				return -EINVAL;
			any = true;
			continue;
		}
		for (i = 0; i < TDX_EMU_NR_TRANSIENTS; i++)
			if (eat_key(&c, transient_names[i]))
				break;
		if (i == TDX_EMU_NR_TRANSIENTS || num(&c, &v) ||
		    !token_end(&c) || v > TDX_EMU_RATE_MAX)
			return -EINVAL;
		tmp.rate[i] = (u16)v;
		any = true;
	}
	if (!any)
		return -EINVAL;
	*t = tmp;
	return 0;
}

int tdx_emu_format_transients(const struct tdx_emu_transients *t, char *out,
			      size_t len)
{
	unsigned int i;
	size_t n = 0;

	if (len)
		out[0] = '\0';
	for (i = 0; i < TDX_EMU_NR_TRANSIENTS; i++)
		n += snprintf(out + (n < len ? n : len), n < len ? len - n : 0,
			      "%s=%u ", transient_names[i], t->rate[i]);
	n += snprintf(out + (n < len ? n : len), n < len ? len - n : 0,
		      "seed=%llu\n", (unsigned long long)t->seed);
	return (int)n;
}
