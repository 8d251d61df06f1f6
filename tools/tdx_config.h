/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /etc/tdxsys/tdxsys.conf: which zone onlined memory goes to, what may be
 * onlined before TDX is initialized, and what tdx-init.service does about
 * kexec and kdump on hosts where they are unsafe with TDX.
 */
#ifndef TDXCTL_CONFIG_H
#define TDXCTL_CONFIG_H

#include "tdx_compat.h"

#define TDXCTL_CONFIG_PATH "/etc/tdxsys/tdxsys.conf"

enum tdx_zone {
	TDX_ZONE_MOVABLE,
	TDX_ZONE_NORMAL,
	TDX_ZONE_AUTO,
};

/* tdx_sys.before_init: what the kernel lets online before initialization */
enum tdx_before_init {
	TDX_BEFORE_INIT_CMRS,
	TDX_BEFORE_INIT_ANY,
};

/* After initialization, when /sys/firmware/tdx/kexec says "unsafe" */
enum tdx_kexec_policy {
	TDX_KEXEC_DISABLE,	/* kernel.kexec_load_disabled = 1 */
	TDX_KEXEC_ALLOW,
};

/* Before initialization, with a crash kernel loaded on an erratum CPU */
enum tdx_kdump_policy {
	TDX_KDUMP_WARN,
	TDX_KDUMP_REFUSE,
};

struct tdxsys_config {
	enum tdx_zone zone;
	bool online_before_init;
	enum tdx_before_init before_init;
	/* The file sets before_init: "tdxctl apply" writes it to tdx_sys */
	bool before_init_set;
	enum tdx_kexec_policy unsafe_kexec;
	enum tdx_kdump_policy kdump;
};

void tdx_config_default(struct tdxsys_config *c);
/* "movable", "normal", "auto" */
int tdx_zone_parse(const char *s, enum tdx_zone *z);
const char *tdx_zone_name(enum tdx_zone z);
/* What to write to memoryN/state: online_movable, online_kernel, online. */
const char *tdx_zone_online_type(enum tdx_zone z);
/* "cmrs", "any": the values of tdx_sys.before_init */
int tdx_before_init_parse(const char *s, enum tdx_before_init *b);
const char *tdx_before_init_name(enum tdx_before_init b);
const char *tdx_kexec_policy_name(enum tdx_kexec_policy p);
const char *tdx_kdump_policy_name(enum tdx_kdump_policy p);

/*
 * Parse @text (the contents of @file) over the defaults in @c. On error @c
 * is unchanged and @err holds "file:line: message".
 */
int tdx_config_parse(const char *text, const char *file,
		     struct tdxsys_config *c, char *err, size_t errlen);
/* $TDXCTL_CONFIG or TDXCTL_CONFIG_PATH; a missing file means defaults. */
const char *tdx_config_path(void);
/* Load; prints the error itself. */
int tdx_config_load(struct tdxsys_config *c);
/*
 * tdx_config_load() without printing: the error into @err, and the text
 * of the file into *text (NULL when it does not exist; free() it).
 */
int tdx_config_read(struct tdxsys_config *c, char **text, char *err,
		    size_t errlen);

/*
 * The value of @key as udev's IMPORT{file} reads @text: the last
 * "key = value" line, both sides stripped, into @buf ("" when no line
 * sets it). -EINVAL when that value is not a plain word ([A-Za-z0-9_]),
 * i.e. when udev would see something other than what tdxctl parses
 * (quotes, an inline comment) or what a rule could match literally.
 */
int tdx_config_import_value(const char *text, const char *key, char *buf,
			    size_t len);

#endif /* TDXCTL_CONFIG_H */
