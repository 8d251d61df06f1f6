// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the tdxctl commands.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tdx_util.h"

/*
 * Digit by digit: strtoull() would also take blanks, a sign, and after
 * our own "0x" another one ("0x0x10" read as 16).
 */
int tdx_parse_digits(const char *s, unsigned int base, u64 *out)
{
	unsigned int d;
	u64 v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			d = *s - '0';
		else if (isxdigit((unsigned char)*s))
			d = tolower((unsigned char)*s) - 'a' + 10;
		else
			return -EINVAL;
		if (d >= base)
			return -EINVAL;
		if (v > (~0ULL - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

int tdx_parse_u64(const char *s, u64 *out)
{
	if (s && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return tdx_parse_digits(s + 2, 16, out);
	return tdx_parse_digits(s, 10, out);
}

int tdx_parse_range(const char *s, u64 *start, u64 *end)
{
	char buf[64];
	const char *dash;
	u64 a, b;
	size_t n;

	dash = s ? strchr(s, '-') : NULL;
	if (!dash)
		return -EINVAL;
	n = dash - s;
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (tdx_parse_u64(buf, &a) || tdx_parse_u64(dash + 1, &b))
		return -EINVAL;
	if (b < a || b == ~0ULL)
		return -ERANGE;
	*start = a;
	*end = b + 1;
	return 0;
}

void tdx_fmt_size(u64 bytes, char *buf, size_t len)
{
	static const char * const unit[] = {
		"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"
	};
	unsigned int i = 0;
	u64 whole = bytes, rem = 0;

	while (whole >= 1024 && i < 6) {
		rem = whole % 1024;
		whole /= 1024;
		i++;
	}
	/* One decimal, truncated, and only when it is not zero. */
	rem = rem * 10 / 1024;
	if (rem)
		snprintf(buf, len, "%llu.%llu %s", (unsigned long long)whole,
			 (unsigned long long)rem, unit[i]);
	else
		snprintf(buf, len, "%llu %s", (unsigned long long)whole,
			 unit[i]);
}

int tdx_rs_heap_init(struct tdx_rangeset *rs, unsigned int cap)
{
	struct tdx_range *buf = calloc(cap, sizeof(*buf));

	if (!buf)
		return -ENOMEM;
	tdx_rs_init(rs, buf, cap);
	return 0;
}

void tdx_rs_heap_free(struct tdx_rangeset *rs)
{
	free(rs->r);
	rs->r = NULL;
	rs->nr = 0;
	rs->cap = 0;
}

int tdx_read_file(const char *path, char **text)
{
	size_t len = 0, cap = 4096;
	char *buf, *nbuf;
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (len + 1 >= cap) {
			nbuf = cap < (64u << 20) ? realloc(buf, cap * 2) : NULL;
			if (!nbuf) {
				err = -EFBIG;
				goto fail;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto fail;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		free(buf);
		return -EINVAL;
	}
	*text = buf;
	return 0;
fail:
	close(fd);
	free(buf);
	return err;
}

int tdx_json_opts(int argc, char **argv, const char *usage, bool *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "Jh", opts, NULL)) != -1) {
		switch (c) {
		case 'J':
			*json = true;
			break;
		case 'h':
			printf("usage: %s\n", usage);
			return TDXCTL_EXIT_OK;
		default:
			return TDXCTL_EXIT_USAGE;
		}
	}
	return tdx_no_operands(argc, argv) ? TDXCTL_EXIT_USAGE : -1;
}

int tdx_no_operands(int argc, char **argv)
{
	if (optind == argc)
		return 0;
	tdxctl_err("%s: unexpected argument \"%s\"", argv[0], argv[optind]);
	return -1;
}
