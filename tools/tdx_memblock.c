// SPDX-License-Identifier: GPL-2.0
/*
 * Memory block enumeration and onlining.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdx_memblock.h"
#include "tdx_sysfs.h"
#include "tdx_util.h"

int tdx_parse_block_size(const char *s, u64 *bytes)
{
	u64 v;

	/* The kernel prints it in hex without a prefix. */
	if (tdx_parse_digits(s, 16, &v) || !v)
		return -EINVAL;
	*bytes = v;
	return 0;
}

int tdx_memblock_size(u64 *bytes)
{
	char buf[64];
	int ret;

	ret = tdx_sysfs_read(TDX_MEM_DIR "/block_size_bytes", buf, sizeof(buf));
	if (ret < 0) {
		tdxctl_err("cannot read %s/%s/block_size_bytes: %s",
			   tdx_sysfs_root(), TDX_MEM_DIR, strerror(-ret));
		return ret;
	}
	if (tdx_parse_block_size(buf, bytes)) {
		tdxctl_err("%s/%s/block_size_bytes: bad value \"%s\"",
			   tdx_sysfs_root(), TDX_MEM_DIR, buf);
		return -EINVAL;
	}
	return 0;
}

int tdx_memblock_parse_name(const char *arg, unsigned long *id)
{
	u64 v;

	if (!strncmp(arg, "memory", 6))
		arg += 6;
	if (!isdigit((unsigned char)*arg) || (arg[0] == '0' && arg[1]))
		return -EINVAL;
	if (tdx_parse_u64(arg, &v) || v > ULONG_MAX)
		return -EINVAL;
	*id = v;
	return 0;
}

int tdx_memblock_range(unsigned long id, u64 block_size, u64 *start,
		       u64 *end)
{
	if (id > ~0ULL / block_size - 1)
		return -ERANGE;
	*start = (u64)id * block_size;
	*end = *start + block_size;
	return 0;
}

static int read_attr(unsigned long id, const char *attr, char *buf,
		     size_t len)
{
	char rel[96];

	snprintf(rel, sizeof(rel), TDX_MEM_DIR "/memory%lu/%s", id, attr);
	return tdx_sysfs_read(rel, buf, len);
}

static int read_node(unsigned long id)
{
	char path[PATH_MAX];
	struct dirent *de;
	int node = -1;
	DIR *d;

	if (tdx_sysfs_path(path, sizeof(path), TDX_MEM_DIR "/memory%lu", id))
		return -1;
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (!strncmp(de->d_name, "node", 4) &&
		    isdigit((unsigned char)de->d_name[4])) {
			node = atoi(de->d_name + 4);
			break;
		}
	}
	closedir(d);
	return node;
}

int tdx_memblock_read(unsigned long id, u64 block_size, unsigned int flags,
		      struct tdx_memblock *mb)
{
	char buf[16];
	int ret;

	memset(mb, 0, sizeof(*mb));
	mb->id = id;
	mb->node = -1;
	ret = tdx_memblock_range(id, block_size, &mb->start, &mb->end);
	if (ret)
		return ret;
	ret = read_attr(id, "state", mb->state, sizeof(mb->state));
	if (ret < 0)
		return ret;
	if (!(flags & TDX_MB_DETAILS))
		return 0;
	if (read_attr(id, "valid_zones", mb->zones, sizeof(mb->zones)) < 0)
		mb->zones[0] = '\0';
	if (read_attr(id, "removable", buf, sizeof(buf)) > 0)
		mb->removable = buf[0] == '1';
	mb->node = read_node(id);
	return 0;
}

static int cmp_block(const void *a, const void *b)
{
	const struct tdx_memblock *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int tdx_memblock_list(unsigned int flags, struct tdx_memblocks *l)
{
	struct tdx_memblock *v = NULL, *nv;
	size_t n = 0, cap = 0;
	char path[PATH_MAX];
	unsigned long id;
	struct dirent *de;
	DIR *d;
	int ret = 0;

	memset(l, 0, sizeof(*l));
	ret = tdx_memblock_size(&l->block_size);
	if (!ret)
		ret = tdx_sysfs_path(path, sizeof(path), TDX_MEM_DIR);
	if (ret)
		return ret;
	d = opendir(path);
	if (!d) {
		ret = -errno;
		tdxctl_err("cannot list %s: %s", path, strerror(errno));
		return ret;
	}
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "memory", 6) ||
		    tdx_memblock_parse_name(de->d_name, &id))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				ret = -ENOMEM;
				break;
			}
			v = nv;
		}
		ret = tdx_memblock_read(id, l->block_size, flags, &v[n]);
		/* A block removed while listing is not an error. */
		if (ret == -ENOENT) {
			ret = 0;
			continue;
		}
		if (ret) {
			tdxctl_err("cannot read memory%lu: %s", id,
				   strerror(-ret));
			break;
		}
		n++;
	}
	closedir(d);
	if (ret) {
		free(v);
		return ret;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_block);
	l->b = v;
	l->nr = n;
	return 0;
}

void tdx_memblock_list_free(struct tdx_memblocks *l)
{
	free(l->b);
	l->b = NULL;
	l->nr = 0;
}

int tdx_memblock_set_online(struct tdx_memblock *mb, const char *type,
			    bool *raced)
{
	char rel[96];
	int ret, r;

	*raced = false;
	snprintf(rel, sizeof(rel), TDX_MEM_DIR "/memory%lu/state", mb->id);
	ret = tdx_sysfs_write(rel, type);
	r = read_attr(mb->id, "state", mb->state, sizeof(mb->state));
	if (ret && r > 0 && tdx_memblock_online(mb) &&
	    (ret == -EINVAL || ret == -EBUSY)) {
		*raced = true;
		return 0;
	}
	return ret;
}
