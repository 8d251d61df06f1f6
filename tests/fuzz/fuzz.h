/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the libFuzzer harnesses: a property check that aborts with
 * its reason (libFuzzer then saves the input as a crash), reading
 * structured values from the input, and checks on range sets written
 * without lib/'s helpers so they do not test lib/ with itself.
 */
#ifndef TDX_FUZZ_H
#define TDX_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdx_range.h"

#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "\n%s:%d: property violated: %s\n  ",	\
			__FILE__, __LINE__, #cond);			\
		fprintf(stderr, __VA_ARGS__);				\
		fprintf(stderr, "\n");					\
		abort();						\
	}								\
} while (0)

/* Input consumed front to back; zeros once exhausted. */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline u64 fuzz_take(struct fuzz_in *in, unsigned int bytes)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < bytes && in->n; i++, in->p++, in->n--)
		v |= (u64)in->p[0] << (8 * i);
	return v;
}

/* The rest of the input as a NUL-terminated heap string (NULs kept). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Sorted, every range non-empty, neighbours neither touch nor overlap. */
static inline int fuzz_rs_merged(const struct tdx_rangeset *rs)
{
	unsigned int i;

	if (rs->nr > rs->cap)
		return 0;
	for (i = 0; i < rs->nr; i++) {
		if (rs->r[i].start >= rs->r[i].end)
			return 0;
		if (i && rs->r[i - 1].end >= rs->r[i].start)
			return 0;
	}
	return 1;
}

static inline int fuzz_rs_equal(const struct tdx_rangeset *a,
				const struct tdx_rangeset *b)
{
	return a->nr == b->nr &&
	       !memcmp(a->r, b->r, a->nr * sizeof(a->r[0]));
}

/* [s, e) inside @rs, by a linear walk of a merged set. */
static inline int fuzz_covered(const struct tdx_rangeset *rs, u64 s, u64 e)
{
	unsigned int i;

	if (s >= e)
		return 1;
	for (i = 0; i < rs->nr; i++)
		if (rs->r[i].start <= s && e <= rs->r[i].end)
			return 1;
	return 0;
}

/* [s, e) shares a byte with @rs. */
static inline int fuzz_overlaps(const struct tdx_rangeset *rs, u64 s, u64 e)
{
	unsigned int i;

	for (i = 0; i < rs->nr; i++)
		if (rs->r[i].start < e && s < rs->r[i].end)
			return 1;
	return 0;
}

#endif /* TDX_FUZZ_H */
