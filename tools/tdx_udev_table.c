// SPDX-License-Identifier: GPL-2.0
/*
 * The udev decision table (see tdx_udev_table.h): built by running the
 * one decision, tdx_ctx_decide_block() (tdx_policy_decide() underneath),
 * on every block up to the last CMR, TDX memory or RAM range, and once for
 * all blocks above it, which no range touches; runs of blocks with the same
 * verdict become glob patterns on the block names.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tdx_before_init.h"
#include "tdx_memblock.h"
#include "tdx_sysfs.h"
#include "tdx_udev_table.h"
#include "tdx_util.h"

#define MAX_DIGITS	20	/* of an unsigned long */

const char *tdx_udev_table_path(void)
{
	const char *p = getenv("TDXCTL_UDEV_TABLE");

	if (p && *p)
		return p;
	p = getenv("TDXCTL_SYSFS");
	return p && *p ? NULL : TDX_UDEV_TABLE_PATH;
}

char tdx_udev_char(char ch)
{
	/* Quotes end the value; '$' and '%' start substitutions in rules. */
	if (ch == '"' || ch == '\\' || ch == '\'' || ch == '$' || ch == '%' ||
	    (unsigned char)ch < 0x20)
		return '_';
	return ch;
}

/* --- block names as globs ------------------------------------------------ */

struct globs {
	char *buf;
	size_t len;
	size_t pos;
	int err;
};

static void glob_add(struct globs *g, const char *digits)
{
	int n;

	if (g->err)
		return;
	n = snprintf(g->buf + g->pos, g->len - g->pos, "%smemory%s",
		     g->pos ? "|" : "", digits);
	if (n < 0 || (size_t)n >= g->len - g->pos) {
		g->buf[g->pos] = '\0';
		g->err = -ENOSPC;
		return;
	}
	g->pos += n;
}

/*
 * The numbers @lo..@hi, both @m digits, after the fixed digits @pre: the
 * numbers sharing lo's first digit, whole decades in between as one
 * character class, those sharing hi's first digit.
 */
static void globs_digits(struct globs *g, char *pre, size_t plen,
			 const char *lo, const char *hi, size_t m)
{
	static const char zeros[] = "00000000000000000000";
	static const char nines[] = "99999999999999999999";
	char pat[MAX_DIGITS * 6 + 8], a = lo[0], b = hi[0];
	bool upper;
	size_t i;
	int n;

	if (!m) {
		pre[plen] = '\0';
		glob_add(g, pre);
		return;
	}
	if (a == b) {
		pre[plen] = a;
		globs_digits(g, pre, plen + 1, lo + 1, hi + 1, m - 1);
		return;
	}
	if (strncmp(lo + 1, zeros, m - 1)) {
		pre[plen] = a;
		globs_digits(g, pre, plen + 1, lo + 1, nines, m - 1);
		a++;
	}
	upper = strncmp(hi + 1, nines, m - 1) != 0;
	if (upper)
		b--;
	if (a <= b) {
		n = snprintf(pat, sizeof(pat), "%.*s", (int)plen, pre);
		if (a == b)
			n += snprintf(pat + n, sizeof(pat) - n, "%c", a);
		else
			n += snprintf(pat + n, sizeof(pat) - n, "[%c-%c]", a, b);
		for (i = 1; i < m; i++)
			n += snprintf(pat + n, sizeof(pat) - n, "[0-9]");
		glob_add(g, pat);
	}
	if (upper) {
		pre[plen] = hi[0];
		globs_digits(g, pre, plen + 1, zeros, hi + 1, m - 1);
	}
}

int tdx_block_globs(unsigned long lo, unsigned long hi, char *buf,
		    size_t len)
{
	char los[MAX_DIGITS + 1], his[MAX_DIGITS + 1], pre[MAX_DIGITS + 1];
	char a[MAX_DIGITS + 1], b[MAX_DIGITS + 1], tail[MAX_DIGITS * 5 + 8];
	struct globs g = { .buf = buf, .len = len };
	bool open = hi == ULONG_MAX;
	size_t ll, hl, l, i;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	if (lo > hi)
		return -EINVAL;
	ll = snprintf(los, sizeof(los), "%lu", lo);
	hl = open ? ll : (size_t)snprintf(his, sizeof(his), "%lu", hi);
	/* Numbers of each length apart: no leading zeros in block names */
	for (l = ll; l <= hl; l++) {
		if (l == ll) {
			strcpy(a, los);
		} else {
			memset(a, '0', l);
			a[0] = '1';
			a[l] = '\0';
		}
		if (l == hl && !open) {
			strcpy(b, his);
		} else {
			memset(b, '9', l);
			b[l] = '\0';
		}
		globs_digits(&g, pre, 0, a, b, l);
	}
	if (open) {
		/* and every longer number */
		l = snprintf(tail, sizeof(tail), "[1-9]");
		for (i = 0; i < ll; i++)
			l += snprintf(tail + l, sizeof(tail) - l, "[0-9]");
		snprintf(tail + l, sizeof(tail) - l, "*");
		glob_add(&g, tail);
	}
	return g.err;
}

/* --- the table text -------------------------------------------------------- */

struct sbuf {
	char *buf;
	size_t len;
	size_t cap;
	int err;
};

static void sb_add(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	size_t cap;
	char *nb;
	int n;

	if (sb->err)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(sb->buf ? sb->buf + sb->len : NULL,
			      sb->buf ? sb->cap - sb->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			sb->err = -EINVAL;
			return;
		}
		if (sb->buf && (size_t)n < sb->cap - sb->len) {
			sb->len += n;
			return;
		}
		cap = sb->cap ? sb->cap * 2 : 4096;
		while (cap < sb->len + n + 1)
			cap *= 2;
		nb = realloc(sb->buf, cap);
		if (!nb) {
			sb->err = -ENOMEM;
			return;
		}
		sb->buf = nb;
		sb->cap = cap;
	}
}

static void key_line(char *buf, size_t len, const struct tdx_table_key *k)
{
	snprintf(buf, len,
		 "# key: v2 loaded=%d generation=%llu before_init=%s config=%s zone=%s online_before_init=%s\n",
		 k->loaded, (unsigned long long)k->generation,
		 k->before_init_param ? tdx_before_init_name(k->before_init) :
					"-", tdx_config_path(),
		 k->zone, k->online_before_init);
}

#define CLEAR_CONF \
	"ENV{zone}=\"\", ENV{online_before_init}=\"\", ENV{before_init}=\"\", ENV{unsafe_kexec}=\"\", ENV{kdump}=\"\""

static u64 rs_top(const struct tdx_rangeset *rs)
{
	return rs->nr ? rs->r[rs->nr - 1].end : 0;
}

static bool same_verdict(const struct tdx_verdict *a,
			 const struct tdx_verdict *b)
{
	return a->decision == b->decision && !strcmp(a->reason, b->reason) &&
	       !strcmp(a->online_type, b->online_type);
}

/* One rule for blocks lo..hi; a refusal is left to tdxctl (TDX_RANGE). */
static void emit_run(struct sbuf *sb, unsigned long lo, unsigned long hi,
		     const struct tdx_verdict *v)
{
	char globs[8192], reason[256];
	size_t i;

	if (v->decision == TDX_DECISION_REFUSE)
		return;
	if (tdx_block_globs(lo, hi, globs, sizeof(globs))) {
		sb->err = -ENOSPC;
		return;
	}
	for (i = 0; v->reason[i] && i < sizeof(reason) - 1; i++)
		reason[i] = tdx_udev_char(v->reason[i]);
	reason[i] = '\0';
	sb_add(sb,
	       "KERNEL==\"%s\", ENV{TDX_DECISION}=\"%s\", ENV{TDX_REASON}=\"%s\", ENV{TDX_ONLINE_TYPE}=\"%s\", GOTO=\"tdx_table_end\"\n",
	       globs, tdx_decision_name(v->decision), reason,
	       v->online_type);
}

static void emit_head(struct sbuf *sb, const struct tdx_ctx *c,
		      const struct tdx_table_key *k)
{
	char key[512];

	key_line(key, sizeof(key), k);
	sb_add(sb, "# Generated by tdxctl, do not edit: \"tdxctl udev-table\" rewrites it.\n"
	       "# The onlining decision for memory blocks, used by 80-tdx-memory.rules\n"
	       "# while the TDX generation and the tdxsys.conf settings below hold;\n"
	       "# otherwise, and for \"refuse\", tdxctl check --udev decides. See tdxctl(8).\n"
	       "%s# state: %s\n", key,
	       c->loaded ? tdx_state_name(c->state) : "tdx_sys not loaded");
	sb_add(sb, "SUBSYSTEM!=\"memory\", GOTO=\"tdx_table_end\"\n"
	       "ACTION==\"add\", ATTR{state}!=\"offline\", GOTO=\"tdx_table_end\"\n"
	       "ACTION!=\"add|online|offline\", GOTO=\"tdx_table_end\"\n");
	/*
	 * A rule whose attribute cannot be read does not apply, whatever
	 * its operator: so the guards jump to where the table applies.
	 * before_init is no part of the generation (a parameter write does
	 * not change it), so it is checked on its own.
	 */
	if (k->loaded && k->before_init_param)
		sb_add(sb, "ATTR{[tdx/tdx]generation}==\"%llu\", %s\"%s\", %s\n",
		       (unsigned long long)k->generation,
		       "ATTR{[module/tdx_sys]parameters/before_init}==",
		       tdx_before_init_name(k->before_init),
		       "GOTO=\"tdx_table_generation\"");
	else if (k->loaded)
		sb_add(sb, "ATTR{[tdx/tdx]generation}==\"%llu\", GOTO=\"tdx_table_generation\"\n",
		       (unsigned long long)k->generation);
	else
		sb_add(sb, "TEST!=\"/sys/" TDX_FW_DIR "\", GOTO=\"tdx_table_generation\"\n");
	/*
	 * IMPORT{file} takes every key of tdxsys.conf; none may stay a
	 * property of the block. The table depends on zone and
	 * online_before_init only (before_init as tdx_sys has it, above).
	 */
	sb_add(sb, "GOTO=\"tdx_table_end\"\n"
	       "LABEL=\"tdx_table_generation\"\n"
	       "IMPORT{file}=\"%s\"\n"
	       "ENV{zone}==\"%s\", ENV{online_before_init}==\"%s\", GOTO=\"tdx_table_config\"\n"
	       "%s, GOTO=\"tdx_table_end\"\n"
	       "LABEL=\"tdx_table_config\"\n"
	       "%s\n",
	       tdx_config_path(), k->zone, k->online_before_init, CLEAR_CONF,
	       CLEAR_CONF);
}

int tdx_udev_table_build(const struct tdx_ctx *c,
			 const struct tdx_table_key *k, u64 bs, char **text)
{
	struct tdx_verdict v, run = { 0 };
	unsigned long nblocks, b, first = 0;
	struct sbuf sb = { 0 };
	u64 top, s, e;

	top = rs_top(&c->cmrs);
	if (rs_top(&c->tdx_mem) > top)
		top = rs_top(&c->tdx_mem);
	if (c->ram_known && rs_top(&c->ram) > top)
		top = rs_top(&c->ram);
	if (!bs || top / bs >= TDX_UDEV_TABLE_MAX_BLOCKS)
		return -E2BIG;
	nblocks = top / bs + !!(top % bs);
	emit_head(&sb, c, k);
	/* Block nblocks stands for all above it: none touches a range. */
	for (b = 0; b <= nblocks; b++) {
		if (tdx_memblock_range(b, bs, &s, &e)) {
			free(sb.buf);
			return -E2BIG;
		}
		tdx_ctx_decide_block(c, s, e, &v);
		if (b && same_verdict(&v, &run))
			continue;
		if (b)
			emit_run(&sb, first, b - 1, &run);
		run = v;
		first = b;
	}
	emit_run(&sb, first, ULONG_MAX, &run);
	sb_add(&sb, "LABEL=\"tdx_table_end\"\n");
	if (sb.err) {
		free(sb.buf);
		return sb.err;
	}
	*text = sb.buf;
	return 0;
}

/* --- keeping the file current ------------------------------------------------ */

static int read_generation(u64 *gen)
{
	char buf[32];
	int ret;

	ret = tdx_sysfs_read(TDX_GENERATION_ATTR, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	return tdx_parse_u64(buf, gen);
}

/* A path a rule can name between quotes as it is. */
static bool plain_path(const char *p)
{
	if (*p != '/')
		return false;
	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/._+-", *p))
			return false;
	return true;
}

/*
 * The live key and configuration. *why is set (and the table impossible)
 * when udev could not check what the table depends on.
 */
static int live_key(struct tdx_table_key *k, struct tdxsys_config *cfg,
		    const char **why)
{
	char *text, err[TDXCTL_ERRLEN + 64];
	int ret;

	memset(k, 0, sizeof(*k));
	*why = NULL;
	/* Silent: whoever loads the configuration next reports it */
	ret = tdx_config_read(cfg, &text, err, sizeof(err));
	if (ret)
		return ret;
	if (text &&
	    (tdx_config_import_value(text, "zone", k->zone, sizeof(k->zone)) ||
	     tdx_config_import_value(text, "online_before_init",
				     k->online_before_init,
				     sizeof(k->online_before_init))))
		*why = "no table: tdxsys.conf: zone or online_before_init is not a plain word";
	free(text);
	if (!plain_path(tdx_config_path()))
		*why = "no table: the configuration path has characters a rule cannot quote";
	k->loaded = tdx_sysfs_exists(TDX_FW_DIR);
	if (k->loaded && read_generation(&k->generation))
		*why = "no table: tdx_sys has no /sys/" TDX_GENERATION_ATTR;
	else if (k->loaded && tdx_before_init_kernel(&k->before_init,
						     &k->before_init_param))
		*why = "no table: tdx_sys's before_init cannot be read";
	return 0;
}

static bool file_has_key(const char *path, const struct tdx_table_key *k)
{
	char key[512], head[1024];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, head, sizeof(head) - 1);
	close(fd);
	if (n <= 0)
		return false;
	head[n] = '\0';
	key_line(key, sizeof(key), k);
	return !!strstr(head, key);
}

/*
 * udevd rereads its rules; without this it notices within 3 s anyway. Run
 * from a udev event, this waits on udevd's control socket, which was seen
 * left unanswered for tens of seconds on Debian 13 (udevadm waits 60 s by
 * default), holding up the event and every later one of the device: wait
 * 5 s at most.
 */
static void udev_reload(const char *path)
{
	static char * const argv[] = { "udevadm", "control", "--timeout=5",
				       "--reload", NULL };
	static char * const envp[] = { NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st;

	if (strcmp(path, TDX_UDEV_TABLE_PATH))
		return;
	/* Our stdout may be udev's IMPORT pipe: keep udevadm off it. */
	if (posix_spawn_file_actions_init(&fa))
		return;
	if (!posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) &&
	    !posix_spawnp(&pid, "udevadm", &fa, NULL, argv, envp))
		waitpid(pid, &st, 0);
	posix_spawn_file_actions_destroy(&fa);
}

static int remove_table(const char *path)
{
	if (unlink(path)) {
		if (errno == ENOENT)
			return 0;
		tdxctl_err("cannot remove %s: %s", path, strerror(errno));
		return -errno;
	}
	udev_reload(path);
	return 0;
}

static int mkdir_parent(const char *path)
{
	char dir[PATH_MAX], *p;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/* Replace the file at once: udevd never reads half a table. */
static int write_table(const char *path, const char *text)
{
	char tmp[PATH_MAX], *slash;
	size_t len = strlen(text), done = 0;
	ssize_t n;
	int fd, ret;

	ret = mkdir_parent(path);
	if (ret)
		return ret;
	slash = strrchr(path, '/');
	/* A dot file without ".rules" at the end: udev ignores it */
	if (snprintf(tmp, sizeof(tmp), "%.*s.%s.XXXXXX",
		     slash ? (int)(slash - path + 1) : 0, path,
		     slash ? slash + 1 : path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	ret = fchmod(fd, 0644) ? -errno : 0;
	while (!ret && done < len) {
		n = write(fd, text + done, len - done);
		if (n < 0 && errno != EINTR)
			ret = -errno;
		else if (n > 0)
			done += n;
	}
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

/*
 * The context for @k, read so that the generation did not change while
 * reading: then it is what the table for that generation must say.
 */
static int load_consistent(struct tdx_ctx *c, const struct tdx_table_key *k,
			   const struct tdxsys_config *cfg)
{
	u64 gen;
	int ret;

	tdx_ctx_reset(c);
	c->cfg = *cfg;
	ret = tdx_ctx_load_tdx(c, 0);
	if (ret)
		return ret;
	if (c->loaded != k->loaded)
		return -EAGAIN;
	if (k->loaded && (read_generation(&gen) || gen != k->generation))
		return -EAGAIN;
	/* Only a state with CMRs read the parameter; it held for the key */
	if (k->loaded && c->state != TDX_STATE_UNSUPPORTED &&
	    c->before_init != k->before_init)
		return -EAGAIN;
	return 0;
}

/*
 * The table for the live state into *text; with *why set instead when no
 * table can be valid. -EAGAIN when the TDX state kept changing.
 */
static int build_live(struct tdx_table_key *k, char **text, const char **why)
{
	struct tdxsys_config cfg;
	struct tdx_ctx *c;
	int ret = -EAGAIN, tries;
	u64 bs;

	c = malloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	for (tries = 0; tries < 3 && ret == -EAGAIN; tries++) {
		ret = live_key(k, &cfg, why);
		if (ret || *why)
			break;
		ret = load_consistent(c, k, &cfg);
		if (!ret) {
			ret = tdx_memblock_size(&bs);
			if (!ret)
				ret = tdx_udev_table_build(c, k, bs, text);
		}
		if (c->ram_known)
			tdx_rs_heap_free(&c->ram);
	}
	free(c);
	if (ret == -E2BIG) {
		*why = "no table: more memory blocks below the last range than a table takes";
		ret = 0;
	}
	return ret;
}

int tdx_udev_table_update(bool force, const char **why)
{
	const char *path = tdx_udev_table_path(), *dummy;
	struct tdxsys_config cfg;
	struct tdx_table_key k;
	char *text = NULL, *old = NULL;
	int ret;

	if (!why)
		why = &dummy;
	*why = NULL;
	if (!path) {
		*why = "no table: a fake sysfs tree (TDXCTL_SYSFS)";
		return 0;
	}
	ret = live_key(&k, &cfg, why);
	if (ret) {
		/* A broken tdxsys.conf: tdxctl says so for every block */
		*why = "no table: tdxsys.conf cannot be read or is malformed";
		remove_table(path);
		return ret;
	}
	if (!*why && !force && file_has_key(path, &k)) {
		*why = "up to date";
		return 0;
	}
	if (!*why)
		ret = build_live(&k, &text, why);
	if (ret == -EAGAIN) {
		/* The uevent of the last change brings the table up to date */
		*why = "not written: the TDX state kept changing";
		return 0;
	}
	if (ret)
		return ret;
	if (*why)
		return remove_table(path);
	if (!tdx_read_file(path, &old) && !strcmp(old, text)) {
		*why = "up to date";
	} else {
		ret = write_table(path, text);
		if (ret)
			tdxctl_err("cannot write %s: %s", path, strerror(-ret));
		else
			udev_reload(path);
		*why = "written";
	}
	free(old);
	free(text);
	return ret;
}

int tdx_udev_table_print(void)
{
	struct tdx_table_key k;
	const char *why = NULL;
	char *text = NULL;
	int ret;

	ret = build_live(&k, &text, &why);
	if (ret == -EAGAIN)
		tdxctl_err("the TDX state kept changing; try again");
	if (ret)
		return ret;
	if (why) {
		tdxctl_err("%s", why);
		return -ENOENT;
	}
	fputs(text, stdout);
	free(text);
	return 0;
}
