// SPDX-License-Identifier: GPL-2.0
/*
 * The tdxsys.conf parser: "key = value" lines, '#' comments.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdx_config.h"
#include "tdx_util.h"

void tdx_config_default(struct tdxsys_config *c)
{
	c->zone = TDX_ZONE_MOVABLE;
	c->online_before_init = true;
	c->before_init = TDX_BEFORE_INIT_CMRS;
	c->before_init_set = false;
	c->unsafe_kexec = TDX_KEXEC_DISABLE;
	c->kdump = TDX_KDUMP_WARN;
}

static const char * const zone_names[] = {
	[TDX_ZONE_MOVABLE] = "movable",
	[TDX_ZONE_NORMAL] = "normal",
	[TDX_ZONE_AUTO] = "auto",
};

static const char * const zone_types[] = {
	[TDX_ZONE_MOVABLE] = "online_movable",
	[TDX_ZONE_NORMAL] = "online_kernel",
	[TDX_ZONE_AUTO] = "online",
};

static const char * const before_init_names[] = {
	[TDX_BEFORE_INIT_CMRS] = "cmrs",
	[TDX_BEFORE_INIT_ANY] = "any",
};

static const char * const kexec_names[] = {
	[TDX_KEXEC_DISABLE] = "disable",
	[TDX_KEXEC_ALLOW] = "allow",
};

static const char * const kdump_names[] = {
	[TDX_KDUMP_WARN] = "warn",
	[TDX_KDUMP_REFUSE] = "refuse",
};

/* The index of @s in @names; *out is written only on success. */
static int parse_word(const char *s, const char * const *names,
		      unsigned int nr, unsigned int *out)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (!strcmp(s, names[i])) {
			*out = i;
			return 0;
		}
	}
	return -EINVAL;
}

int tdx_zone_parse(const char *s, enum tdx_zone *z)
{
	unsigned int v;

	if (parse_word(s, zone_names, ARRAY_SIZE(zone_names), &v))
		return -EINVAL;
	*z = v;
	return 0;
}

int tdx_before_init_parse(const char *s, enum tdx_before_init *b)
{
	unsigned int v;

	if (parse_word(s, before_init_names, ARRAY_SIZE(before_init_names),
		       &v))
		return -EINVAL;
	*b = v;
	return 0;
}

static int parse_kexec(const char *s, enum tdx_kexec_policy *p)
{
	unsigned int v;

	if (parse_word(s, kexec_names, ARRAY_SIZE(kexec_names), &v))
		return -EINVAL;
	*p = v;
	return 0;
}

static int parse_kdump(const char *s, enum tdx_kdump_policy *p)
{
	unsigned int v;

	if (parse_word(s, kdump_names, ARRAY_SIZE(kdump_names), &v))
		return -EINVAL;
	*p = v;
	return 0;
}

const char *tdx_before_init_name(enum tdx_before_init b)
{
	return before_init_names[b];
}

const char *tdx_kexec_policy_name(enum tdx_kexec_policy p)
{
	return kexec_names[p];
}

const char *tdx_kdump_policy_name(enum tdx_kdump_policy p)
{
	return kdump_names[p];
}

const char *tdx_zone_name(enum tdx_zone z)
{
	return zone_names[z];
}

const char *tdx_zone_online_type(enum tdx_zone z)
{
	return zone_types[z];
}

static int parse_bool(const char *s, bool *b)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1")) {
		*b = true;
		return 0;
	}
	if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0")) {
		*b = false;
		return 0;
	}
	return -EINVAL;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int parse_line(char *line, struct tdxsys_config *c, char *msg,
		      size_t len)
{
	char *hash, *eq, *key, *val;
	const char *want;
	int bad;

	hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	line = trim(line);
	if (!*line)
		return 0;
	eq = strchr(line, '=');
	if (!eq) {
		snprintf(msg, len, "expected \"key = value\", got \"%s\"", line);
		return -EINVAL;
	}
	*eq = '\0';
	key = trim(line);
	val = trim(eq + 1);
	if (!*val) {
		snprintf(msg, len, "no value for \"%s\"", key);
		return -EINVAL;
	}
	if (!strcmp(key, "zone")) {
		bad = tdx_zone_parse(val, &c->zone);
		want = "movable, normal or auto";
	} else if (!strcmp(key, "online_before_init")) {
		bad = parse_bool(val, &c->online_before_init);
		want = "yes or no";
	} else if (!strcmp(key, "before_init")) {
		bad = tdx_before_init_parse(val, &c->before_init);
		c->before_init_set = !bad;
		want = "cmrs or any";
	} else if (!strcmp(key, "unsafe_kexec")) {
		bad = parse_kexec(val, &c->unsafe_kexec);
		want = "disable or allow";
	} else if (!strcmp(key, "kdump")) {
		bad = parse_kdump(val, &c->kdump);
		want = "warn or refuse";
	} else {
		snprintf(msg, len, "unknown setting \"%s\"", key);
		return -EINVAL;
	}
	if (bad) {
		snprintf(msg, len, "%s must be %s, not \"%s\"", key, want, val);
		return -EINVAL;
	}
	return 0;
}

int tdx_config_parse(const char *text, const char *file,
		     struct tdxsys_config *c, char *err, size_t errlen)
{
	struct tdxsys_config tmp = *c;
	const char *p = text, *nl, *start;
	char line[512], msg[TDXCTL_ERRLEN];
	unsigned int lineno = 0;
	size_t n;

	while (p && *p) {
		lineno++;
		start = p;
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		p = nl ? nl + 1 : NULL;
		if (n >= sizeof(line)) {
			snprintf(err, errlen, "%s:%u: line too long", file,
				 lineno);
			return -EINVAL;
		}
		memcpy(line, start, n);
		line[n] = '\0';
		if (parse_line(line, &tmp, msg, sizeof(msg))) {
			snprintf(err, errlen, "%s:%u: %s", file, lineno, msg);
			return -EINVAL;
		}
	}
	*c = tmp;
	return 0;
}

const char *tdx_config_path(void)
{
	const char *p = getenv("TDXCTL_CONFIG");

	return p && *p ? p : TDXCTL_CONFIG_PATH;
}

int tdx_config_read(struct tdxsys_config *c, char **text, char *err,
		    size_t errlen)
{
	const char *path = tdx_config_path();
	int ret;

	tdx_config_default(c);
	*text = NULL;
	ret = tdx_read_file(path, text);
	if (ret == -ENOENT)
		return 0;
	if (ret) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 strerror(-ret));
		return ret;
	}
	ret = tdx_config_parse(*text, path, c, err, errlen);
	if (ret) {
		free(*text);
		*text = NULL;
	}
	return ret;
}

int tdx_config_load(struct tdxsys_config *c)
{
	char err[TDXCTL_ERRLEN + 64], *text;
	int ret;

	ret = tdx_config_read(c, &text, err, sizeof(err));
	if (ret)
		tdxctl_err("%s", err);
	free(text);
	return ret;
}

/* udev's rule (src/udev/udev-rules.c): spaces, tabs and newlines. */
static bool udev_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

int tdx_config_import_value(const char *text, const char *key, char *buf,
			    size_t len)
{
	const char *p, *nl, *eq, *ks, *ke, *vs = NULL, *ve = NULL, *le, *q;
	size_t klen = strlen(key);

	for (p = text; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		le = nl ? nl : p + strlen(p);
		for (ks = p; ks < le && udev_space(*ks); ks++)
			;
		if (ks == le || *ks == '#')
			continue;
		for (eq = ks; eq < le && *eq != '='; eq++)
			;
		if (eq == le)
			continue;
		for (ke = eq; ke > ks && udev_space(ke[-1]); ke--)
			;
		if ((size_t)(ke - ks) != klen || memcmp(ks, key, klen))
			continue;
		/* The last line wins, for udev and for tdx_config_parse() */
		for (vs = eq + 1; vs < le && udev_space(*vs); vs++)
			;
		for (ve = le; ve > vs && udev_space(ve[-1]); ve--)
			;
	}
	buf[0] = '\0';
	if (!vs)
		return 0;
	if (vs == ve || (size_t)(ve - vs) >= len)
		return -EINVAL;
	for (q = vs; q < ve; q++)
		if (!isalnum((unsigned char)*q) && *q != '_')
			return -EINVAL;
	memcpy(buf, vs, ve - vs);
	buf[ve - vs] = '\0';
	return 0;
}
