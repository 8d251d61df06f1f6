// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs access and the /sys/firmware/tdx text formats.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tdx_sysfs.h"
#include "tdx_util.h"

const char *tdx_sysfs_root(void)
{
	const char *r = getenv("TDXCTL_SYSFS");

	return r && *r ? r : "/sys";
}

int tdx_sysfs_path(char *buf, size_t len, const char *fmt, ...)
{
	char rel[PATH_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(rel))
		return -ENAMETOOLONG;
	n = snprintf(buf, len, "%s/%s", tdx_sysfs_root(), rel);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

static void strip_trailing(char *s, size_t *n)
{
	while (*n && (s[*n - 1] == '\n' || s[*n - 1] == ' ' ||
		      s[*n - 1] == '\t' || s[*n - 1] == '\r'))
		s[--*n] = '\0';
}

int tdx_sysfs_read(const char *rel, char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	size_t got = 0;
	int fd, ret;

	if (!len)
		return -EINVAL;
	ret = tdx_sysfs_path(path, sizeof(path), "%s", rel);
	if (ret)
		return ret;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got < len - 1) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			close(fd);
			return ret;
		}
		if (n == 0)
			break;
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	strip_trailing(buf, &got);
	return (int)got;
}

int tdx_sysfs_read_alloc(const char *rel, char **text)
{
	char path[PATH_MAX];
	int ret;

	ret = tdx_sysfs_path(path, sizeof(path), "%s", rel);
	if (ret)
		return ret;
	return tdx_read_file(path, text);
}

int tdx_sysfs_write(const char *rel, const char *val)
{
	char path[PATH_MAX];
	size_t len = strlen(val);
	ssize_t n;
	int fd, ret;

	ret = tdx_sysfs_path(path, sizeof(path), "%s", rel);
	if (ret)
		return ret;
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	ret = n < 0 ? -errno : ((size_t)n == len ? 0 : -EIO);
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

bool tdx_sysfs_exists(const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	if (tdx_sysfs_path(path, sizeof(path), "%s", rel))
		return false;
	return stat(path, &st) == 0;
}

int tdx_parse_ranges(const char *text, struct tdx_rangeset *rs, char *err,
		     size_t errlen)
{
	const char *p = text, *nl;
	unsigned int line = 0;
	char buf[128];
	u64 s, e;
	size_t n;
	int ret;

	tdx_rs_clear(rs);
	while (p && *p) {
		line++;
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n >= sizeof(buf)) {
			snprintf(err, errlen, "line %u: too long", line);
			return -EINVAL;
		}
		memcpy(buf, p, n);
		buf[n] = '\0';
		strip_trailing(buf, &n);
		p = nl ? nl + 1 : NULL;
		if (!n)
			continue;
		ret = tdx_parse_range(buf, &s, &e);
		if (ret) {
			snprintf(err, errlen,
				 "line %u: \"%s\" is not a 0xSTART-0xEND range",
				 line, buf);
			return -EINVAL;
		}
		ret = tdx_rs_add(rs, s, e);
		if (ret) {
			snprintf(err, errlen, "line %u: too many ranges", line);
			return ret;
		}
	}
	return 0;
}

int tdx_parse_tdmr_line(const char *line, struct tdx_tdmr_line *t)
{
	char range[64], tail;
	unsigned long long pamt;
	unsigned int rsvd;
	u64 s, e;

	if (sscanf(line, "%63s pamt=%llu reserved=%u %c", range, &pamt, &rsvd,
		   &tail) != 3)
		return -EINVAL;
	if (tdx_parse_range(range, &s, &e))
		return -EINVAL;
	t->start = s;
	t->end = e;
	t->pamt = pamt;
	t->nr_rsvd = rsvd;
	return 0;
}

int tdx_parse_progress(const char *text, u64 *done, u64 *total)
{
	unsigned long long d, t;
	char tail;

	if (sscanf(text, "%llu %llu %c", &d, &t, &tail) != 2)
		return -EINVAL;
	*done = d;
	*total = t;
	return 0;
}

int tdx_sysfs_read_ranges(const char *name, struct tdx_rangeset *rs)
{
	char rel[64], err[TDXCTL_ERRLEN];
	char *text;
	int ret;

	snprintf(rel, sizeof(rel), TDX_FW_DIR "/%s", name);
	ret = tdx_sysfs_read_alloc(rel, &text);
	if (ret) {
		tdxctl_err("cannot read %s/%s: %s%s", tdx_sysfs_root(), rel,
			   strerror(-ret),
			   ret == -EACCES ? " (run as root)" : "");
		return ret;
	}
	ret = tdx_parse_ranges(text, rs, err, sizeof(err));
	if (ret)
		tdxctl_err("%s/%s: %s", tdx_sysfs_root(), rel, err);
	free(text);
	return ret;
}
