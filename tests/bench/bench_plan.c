// SPDX-License-Identifier: GPL-2.0
/*
 * tdxctl plan --memmap on generated maps of growing length: time per
 * line stays flat when the preview is near-linear (it grew with the
 * length while node lookup and range-set insertion were quadratic).
 * Usage: bench_plan [MAX_LINES]  (default 400000)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tdxctl_cmds.h"
#include "tdx_range.h"

#define G	0x40000000ULL
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Writes line @i of @n to @f. */
typedef void (*line_fn)(FILE *f, unsigned int i, unsigned int n);

static char path[] = "/tmp/bench-plan.XXXXXX";

static u64 now_ns(void)
{
	struct timespec ts;

	/* CPU time: the machine may be shared, wall time is noisy. */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Usable e820 lines of 16 KiB, 16 KiB apart (every gap a CMR hole). */
static void e820(FILE *f, unsigned int i, unsigned int n)
{
	u64 s = 0x100000 + (u64)i * 0x8000;

	(void)n;
	fprintf(f, "e820 0x%llx-0x%llx usable\n", (unsigned long long)s,
		(unsigned long long)s + 0x3fff);
}

/* The same lines from the last to the first. */
static void e820_reversed(FILE *f, unsigned int i, unsigned int n)
{
	e820(f, n - 1 - i, n);
}

/* Node lines alternating between nodes 0 and 1 in 64 regions: 64 TDMRs. */
static void nodes(FILE *f, unsigned int i, unsigned int n)
{
	unsigned int per = n / 64, reg = i / per, k = i % per;
	u64 step = (16 * G / per) & ~0xfffULL;
	u64 s = (u64)(reg + 1) * 32 * G + k * step;

	fprintf(f, "node %u 0x%llx-0x%llx\n", k % 2, (unsigned long long)s,
		(unsigned long long)(s + step - 1));
}

/* Best of three runs of plan on @n lines from @line, in CPU ms. */
static double plan_ms(line_fn line, unsigned int n)
{
	char *argv[] = { "plan", "--memmap", path, NULL };
	double best = 0, ms;
	int so, se, null, k;
	unsigned int i;
	FILE *f;
	u64 t0;

	f = fopen(path, "w");
	if (!f)
		exit(2);
	for (i = 0; i < n; i++)
		line(f, i, n);
	fclose(f);
	null = open("/dev/null", O_WRONLY);
	for (k = 0; k < 3; k++) {
		fflush(stdout);
		so = dup(1);
		se = dup(2);
		dup2(null, 1);
		dup2(null, 2);
		t0 = now_ns();
		cmd_plan(3, argv);
		fflush(stdout);
		fflush(stderr);
		ms = (now_ns() - t0) / 1e6;
		dup2(so, 1);
		dup2(se, 2);
		close(so);
		close(se);
		if (!k || ms < best)
			best = ms;
	}
	close(null);
	return best;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		line_fn line;
	} kinds[] = {
		{ "usable e820 lines", e820 },
		{ "usable e820 lines, reversed", e820_reversed },
		{ "node lines, 64 TDMRs", nodes },
	};
	unsigned int max = argc > 1 ? atoi(argv[1]) : 400000, n, k;
	double ms;
	int fd = mkstemp(path);

	if (fd < 0)
		return 2;
	close(fd);
	printf("# tdxctl plan --memmap            lines     cpu ms   ns/line\n");
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		for (n = 25000; n <= max; n *= 2) {
			ms = plan_ms(kinds[k].line, n / 64 * 64);
			printf("%-30s %9u %10.1f %9.0f\n", kinds[k].name,
			       n / 64 * 64, ms, ms * 1e6 / (n / 64 * 64));
			fflush(stdout);
		}
	}
	unlink(path);
	return 0;
}
