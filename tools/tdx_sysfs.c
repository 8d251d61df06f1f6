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
	char *text;
	size_t n;
	int ret;

	if (!len)
		return -EINVAL;
	ret = tdx_sysfs_read_alloc(rel, &text);
	if (ret)
		return ret;
	n = strlen(text);
	if (n > len - 1)
		n = len - 1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	free(text);
	strip_trailing(buf, &n);
	return (int)n;
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
			ret = -EINVAL;
			goto fail;
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
			ret = -EINVAL;
			goto fail;
		}
		ret = tdx_rs_add(rs, s, e);
		if (ret) {
			snprintf(err, errlen, "line %u: too many ranges", line);
			goto fail;
		}
	}
	return 0;
fail:
	tdx_rs_clear(rs);
	return ret;
}

/*
 * Split a copy of @text at blanks: the token count, or -1 if there are
 * more than @max or the text does not fit @copy.
 */
static int split(const char *text, char *copy, size_t len, char **tok,
		 int max)
{
	char *save = NULL, *t;
	int n = 0;

	if (strlen(text) >= len)
		return -1;
	strcpy(copy, text);
	for (t = strtok_r(copy, " \t\r\n", &save); t;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == max)
			return -1;
		tok[n++] = t;
	}
	return n;
}

/* "key=NUMBER" */
static int parse_field(const char *tok, const char *key, u64 *v)
{
	size_t n = strlen(key);

	if (strncmp(tok, key, n) || tok[n] != '=')
		return -EINVAL;
	return tdx_parse_u64(tok + n + 1, v);
}

/*
 * Numbers through tdx_parse_u64(), not sscanf(): "%llu" takes a sign
 * ("pamt=-1" is 2^64-1), blanks after '=' and saturates on overflow.
 */
int tdx_parse_tdmr_line(const char *line, struct tdx_tdmr_line *t)
{
	char copy[TDX_SYSFS_LINE], *tok[3];
	u64 s, e, pamt, rsvd;

	if (split(line, copy, sizeof(copy), tok, 3) != 3 ||
	    tdx_parse_range(tok[0], &s, &e) ||
	    parse_field(tok[1], "pamt", &pamt) ||
	    parse_field(tok[2], "reserved", &rsvd) || rsvd > UINT_MAX)
		return -EINVAL;
	t->start = s;
	t->end = e;
	t->pamt = pamt;
	t->nr_rsvd = (unsigned int)rsvd;
	return 0;
}

int tdx_parse_progress(const char *text, u64 *done, u64 *total)
{
	char copy[TDX_SYSFS_LINE], *tok[2];
	u64 d, t;

	if (split(text, copy, sizeof(copy), tok, 2) != 2 ||
	    tdx_parse_u64(tok[0], &d) || tdx_parse_u64(tok[1], &t))
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

int tdx_sysfs_read_state(enum tdx_state *st)
{
	char buf[64];
	int ret;

	ret = tdx_sysfs_read(TDX_FW_DIR "/state", buf, sizeof(buf));
	if (ret < 0) {
		tdxctl_err("cannot read %s/%s/state: %s", tdx_sysfs_root(),
			   TDX_FW_DIR, strerror(-ret));
		return ret;
	}
	if (tdx_state_parse(buf, st)) {
		tdxctl_err("%s/%s/state: unknown state \"%s\"",
			   tdx_sysfs_root(), TDX_FW_DIR, buf);
		return -EINVAL;
	}
	return 0;
}

int tdx_sysfs_read_error(char **text)
{
	size_t n;
	int ret;

	*text = NULL;
	ret = tdx_sysfs_read_alloc(TDX_FW_DIR "/error", text);
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return ret;
	n = strlen(*text);
	strip_trailing(*text, &n);
	return 0;
}

void tdx_err_not_loaded(void)
{
	tdxctl_err("tdx_sys is not loaded (no %s/%s): modprobe tdx_sys",
		   tdx_sysfs_root(), TDX_FW_DIR);
}
