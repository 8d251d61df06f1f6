/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the tdxctl unit tests: run a subcommand in-process with its
 * stdout and stderr captured, build a fake sysfs tree in a temp dir, find
 * the memory-map data.
 */
#ifndef TDX_TOOLS_RUN_H
#define TDX_TOOLS_RUN_H

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tdxctl_cmds.h"

struct run {
	int rc;
	char out[65536];
	char err[8192];
};

static inline void slurp(FILE *f, char *buf, size_t len)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* fn(argv...) with NULL-terminated args; argv[0] is the command name. */
static inline int run_cmd(struct run *r, int (*fn)(int, char **), ...)
{
	char *argv[32];
	int argc = 0, so, se;
	FILE *fo = tmpfile(), *fe = tmpfile();
	va_list ap;

	va_start(ap, fn);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	dup2(fileno(fo), 1);
	dup2(fileno(fe), 2);
	r->rc = fn(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	slurp(fo, r->out, sizeof(r->out));
	slurp(fe, r->err, sizeof(r->err));
	/* One-line messages print cleanly inside TAP descriptions. */
	if (*r->err && r->err[strlen(r->err) - 1] == '\n')
		r->err[strlen(r->err) - 1] = '\0';
	return r->rc;
}

static char fake_root[256];

/* Write @content to fake_root/@rel, creating directories. */
static inline void fake_write(const char *rel, const char *fmt, ...)
{
	char path[PATH_MAX], tmp[PATH_MAX + 16], *p;
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fake_root, rel);
	for (p = path + strlen(fake_root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	/* Write then rename: readers see old or new, like sysfs. */
	snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid());
	f = fopen(tmp, "w");
	if (!f) {
		perror(tmp);
		exit(2);
	}
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	rename(tmp, path);
}

static inline void fake_mkdir(const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", fake_root, rel);
	mkdir(path, 0755);
}

static inline void fake_read(const char *rel, char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", fake_root, rel);
	f = fopen(path, "r");
	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

static inline void fake_init(void)
{
	snprintf(fake_root, sizeof(fake_root), "/tmp/tdxctl-test.XXXXXX");
	if (!mkdtemp(fake_root)) {
		perror("mkdtemp");
		exit(2);
	}
	setenv("TDXCTL_SYSFS", fake_root, 1);
}

static inline void fake_cleanup(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fake_root);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", fake_root);
}

/* tests/data/memmaps, found from this executable (tests/unit/test_*). */
static inline void memmap_dir(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		n = 0;
	exe[n] = '\0';
	snprintf(buf, len, "%s/../data/memmaps", dirname(exe));
}

#endif /* TDX_TOOLS_RUN_H */
