// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/iomem text (tools/tdx_iomem.c). Properties: the parser agrees
 * with an independent reading of the kernel's format ("%0*llx-%0*llx :
 * name", bare hex, any indentation) on accept/reject and on the RAM
 * found; a failure leaves the set empty; the RAM printed back as iomem
 * parses to the same set; tdx_ram_next() walks exactly the RAM inside a
 * window.
 */
#include "fuzz.h"
#include "tdx_iomem.h"
#include "tdx_memory.h"

#define CAP 4096

static struct tdx_range buf[CAP], ref_buf[CAP], buf2[CAP];

/* Bare hex digits of [*p, stop); overflow is malformed. */
static int ref_hex(const char **p, char stop, u64 *v)
{
	unsigned int sig = 0, n = 0;
	const char *s = *p;

	*v = 0;
	for (; *s && *s != stop; s++, n++) {
		char c = *s;
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return -1;
		if (sig || d)
			sig++;
		if (sig > 16)
			return -1;
		*v = *v * 16 + d;
	}
	if (!n || *s != stop)
		return -1;
	*p = s + 1;
	return 0;
}

/* The expected result of tdx_iomem_parse(), RAM into @rs. */
static int ref_parse(const char *text, struct tdx_rangeset *rs)
{
	const char *p = text, *nl, *q;
	char line[256];
	size_t n;
	u64 s, e;

	tdx_rs_clear(rs);
	for (; *p; p = nl ? nl + 1 : p + n) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (!n)
			continue;
		if (n >= sizeof(line))
			return -EINVAL;
		memcpy(line, p, n);
		line[n] = '\0';
		q = line;
		while (*q == ' ')
			q++;
		if (ref_hex(&q, '-', &s) || ref_hex(&q, ' ', &e) ||
		    q[0] != ':' || q[1] != ' ' || e < s)
			return -EINVAL;
		if (strcmp(q + 2, "System RAM"))
			continue;
		if (!s && !e)
			return -EPERM;
		if (e == ~0ULL)
			return -EINVAL;
		if (tdx_memory_add(rs, s, e + 1))
			return -ENOSPC;
		if (!nl)
			break;
	}
	return 0;
}

static void walk(const struct tdx_rangeset *rs, u64 lo, u64 hi)
{
	u64 pos = lo, s, e, last = lo;
	unsigned int i, parts = 0, want = 0;

	while (tdx_ram_next(rs, &pos, hi, &s, &e)) {
		FUZZ_CHECK(s >= last && s < e && e <= hi && pos == e &&
			   fuzz_covered(rs, s, e),
			   "part [0x%llx, 0x%llx) of [0x%llx, 0x%llx)",
			   (unsigned long long)s, (unsigned long long)e,
			   (unsigned long long)lo, (unsigned long long)hi);
		FUZZ_CHECK(++parts <= rs->nr, "more parts than ranges");
		last = e;
	}
	for (i = 0; i < rs->nr; i++)
		want += lo < hi && rs->r[i].start < hi && lo < rs->r[i].end;
	FUZZ_CHECK(parts == want, "%u parts, %u ranges meet the window",
		   parts, want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tdx_rangeset rs, ref, rs2;
	char *text = fuzz_str(data, size), *out, *o;
	unsigned int i;
	int ret, want;

	tdx_rs_init(&rs, buf, CAP);
	tdx_rs_init(&ref, ref_buf, CAP);
	tdx_rs_init(&rs2, buf2, CAP);
	tdx_rs_add(&rs, 0x100000, 0x200000);	/* must not survive */
	ret = tdx_iomem_parse(text, &rs);
	want = ref_parse(text, &ref);
	FUZZ_CHECK(ret == want, "returned %d, expected %d", ret, want);
	if (ret) {
		FUZZ_CHECK(rs.nr == 0, "failed parse left %u ranges", rs.nr);
		free(text);
		return 0;
	}
	FUZZ_CHECK(fuzz_rs_equal(&rs, &ref), "RAM differs from the oracle");
	FUZZ_CHECK(fuzz_rs_merged(&rs), "RAM not sorted and merged");
	for (i = 0; i < rs.nr; i++)
		FUZZ_CHECK(rs.r[i].start >= TDX_MEMORY_FLOOR &&
			   !((rs.r[i].start | rs.r[i].end) & 0xfff),
			   "RAM [0x%llx, 0x%llx) not whole pages above 1 MiB",
			   (unsigned long long)rs.r[i].start,
			   (unsigned long long)rs.r[i].end);

	/* Printed as the kernel would, it parses to the same set. */
	out = malloc((size_t)rs.nr * 64 + 1);
	if (!out)
		abort();
	o = out;
	*o = '\0';
	for (i = 0; i < rs.nr; i++)
		o += sprintf(o, "%016llx-%016llx : System RAM\n",
			     (unsigned long long)rs.r[i].start,
			     (unsigned long long)rs.r[i].end - 1);
	FUZZ_CHECK(!tdx_iomem_parse(out, &rs2) && fuzz_rs_equal(&rs, &rs2),
		   "printed RAM parses differently");
	free(out);

	walk(&rs, 0, ~0ULL);
	if (size >= 16) {
		u64 a, b;

		memcpy(&a, data, 8);
		memcpy(&b, data + 8, 8);
		walk(&rs, a < b ? a : b, a < b ? b : a);
	}
	free(text);
	return 0;
}
