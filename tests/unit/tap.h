/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP output for host unit tests. Each test program prints
 * "ok N - name" / "not ok N - name" lines and a final plan; the Makefile
 * counts them. Exit status is non-zero when any check failed.
 */
#ifndef TDX_TAP_H
#define TDX_TAP_H

#include <stdio.h>
#include <stdarg.h>

static int tap_n, tap_failed;

static inline int tap_check(int cond, const char *file, int line,
			    const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return cond;
}

#define TAP_OK(cond, ...) tap_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define TAP_EQ_U64(a, b, ...) do {					\
	unsigned long long _a = (a), _b = (b);				\
	if (!TAP_OK(_a == _b, __VA_ARGS__))				\
		printf("#   got 0x%llx, want 0x%llx\n", _a, _b);	\
} while (0)
#define TAP_EQ_STR(a, b, ...) do {					\
	const char *_a = (a), *_b = (b);				\
	if (!TAP_OK(_a && _b && !strcmp(_a, _b), __VA_ARGS__))		\
		printf("#   got \"%s\", want \"%s\"\n",			\
		       _a ? _a : "(null)", _b ? _b : "(null)");		\
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* TDX_TAP_H */
