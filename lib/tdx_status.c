// SPDX-License-Identifier: GPL-2.0
/*
 * SEAMCALL status decoding: one table of names, causes and remedies so the
 * kernel log and tdxctl say the same thing about the same failure.
 */
#include "tdx_status.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* How the low 32 bits of a status are to be read. */
enum tdx_detail_kind {
	DETAIL_NONE,
	DETAIL_OPERAND,		/* operand register id */
	DETAIL_TDMR,		/* 7:0 TDMR */
	DETAIL_TDMR_RSVD,	/* 7:0 TDMR, 15:8 reserved area */
	DETAIL_TDMR_PAMT,	/* 7:0 TDMR, 15:8 PAMT level */
	DETAIL_PAMT_OVERLAP,	/* 7:0 TDMR, 15:8 PAMT level, 23:16 other TDMR */
};

struct tdx_status_desc {
	u64 code;
	const char *name;
	enum tdx_detail_kind detail;
	const char *cause;
	const char *remedy;	/* NULL if nothing generic helps */
};

static const struct tdx_status_desc tdx_statuses[] = {
	{ TDX_SUCCESS, "TDX_SUCCESS", DETAIL_NONE, "success", NULL },
	{ TDX_OPERAND_INVALID, "TDX_OPERAND_INVALID", DETAIL_OPERAND,
	  "the TDX module rejected an operand",
	  "the driver and this TDX module disagree on the ABI; check the module version" },
	{ TDX_OPERAND_ADDR_RANGE_ERROR, "TDX_OPERAND_ADDR_RANGE_ERROR",
	  DETAIL_OPERAND,
	  "an operand address is outside the range the TDX module accepts",
	  NULL },
	{ TDX_OPERAND_BUSY, "TDX_OPERAND_BUSY", DETAIL_OPERAND,
	  "a resource the call needs is held by a concurrent call", "retry" },
	{ TDX_SYS_BUSY, "TDX_SYS_BUSY", DETAIL_NONE,
	  "another initialization call holds the TDX module's global lock",
	  "retry" },
	{ TDX_RND_NO_ENTROPY, "TDX_RND_NO_ENTROPY", DETAIL_NONE,
	  "the CPU's random number generator ran out of entropy", "retry" },
	{ TDX_SYS_INIT_NOT_PENDING, "TDX_SYS_INIT_NOT_PENDING", DETAIL_NONE,
	  "TDH.SYS.INIT already ran during this boot",
	  "the TDX module initializes once per boot; reboot to start over" },
	{ TDX_SYS_LP_INIT_NOT_DONE, "TDX_SYS_LP_INIT_NOT_DONE", DETAIL_NONE,
	  "this logical CPU has not run TDH.SYS.LP.INIT",
	  "run TDH.SYS.LP.INIT on the CPU first" },
	{ TDX_SYS_LP_INIT_DONE, "TDX_SYS_LP_INIT_DONE", DETAIL_NONE,
	  "TDH.SYS.LP.INIT already ran on this logical CPU", NULL },
	{ TDX_SYS_NOT_READY, "TDX_SYS_NOT_READY", DETAIL_NONE,
	  "the TDX module is not ready: this call needs a fully initialized module",
	  NULL },
	{ TDX_SYS_SHUTDOWN, "TDX_SYS_SHUTDOWN", DETAIL_NONE,
	  "the TDX module was shut down (TDH.SYS.SHUTDOWN)",
	  "reboot to use TDX again" },
	{ TDX_SYS_KEY_CONFIG_NOT_PENDING, "TDX_SYS_KEY_CONFIG_NOT_PENDING",
	  DETAIL_NONE,
	  "key configuration is only possible after TDH.SYS.CONFIG and before the module is ready",
	  NULL },
	{ TDX_SYS_LP_INIT_NOT_PENDING, "TDX_SYS_LP_INIT_NOT_PENDING",
	  DETAIL_NONE,
	  "TDH.SYS.LP.INIT is only possible after TDH.SYS.INIT and before TDH.SYS.CONFIG",
	  NULL },
	{ TDX_SYS_CONFIG_NOT_PENDING, "TDX_SYS_CONFIG_NOT_PENDING", DETAIL_NONE,
	  "logical CPUs missing TDH.SYS.LP.INIT, or the TDX module is configured already",
	  "all BIOS-enabled CPUs must be online (check maxcpus=, nr_cpus= and offline CPUs); "
	  "configuration happens once per boot" },
	{ TDX_INCOMPATIBLE_SEAM_CAPABILITIES,
	  "TDX_INCOMPATIBLE_SEAM_CAPABILITIES", DETAIL_NONE,
	  "the TDX module does not match the CPU's SEAM capabilities",
	  "update the TDX module or the BIOS" },
	{ TDX_KEY_GENERATION_FAILED, "TDX_KEY_GENERATION_FAILED", DETAIL_NONE,
	  "generating the package's ephemeral key failed (no entropy)",
	  "retry" },
	{ TDX_KEY_CONFIGURED, "TDX_KEY_CONFIGURED", DETAIL_NONE,
	  "keys are already configured on this package", NULL },
	{ TDX_INCORRECT_CPUID_VALUE, "TDX_INCORRECT_CPUID_VALUE", DETAIL_NONE,
	  "a CPUID value does not meet the TDX module's requirements or differs between CPUs",
	  "check BIOS settings and update BIOS/microcode" },
	{ TDX_INVALID_PKG_ID, "TDX_INVALID_PKG_ID", DETAIL_NONE,
	  "a CPU package id is outside the range the TDX module supports",
	  NULL },
	{ TDX_INCONSISTENT_MSR, "TDX_INCONSISTENT_MSR", DETAIL_NONE,
	  "an MSR differs between logical CPUs",
	  "check BIOS settings and microcode: all CPUs must be configured alike" },
	{ TDX_INCORRECT_MSR_VALUE, "TDX_INCORRECT_MSR_VALUE", DETAIL_NONE,
	  "an MSR value does not meet the TDX module's requirements",
	  "check the BIOS TDX and TME-MK settings" },
	{ TDX_INVALID_TDMR, "TDX_INVALID_TDMR", DETAIL_TDMR,
	  "a TDMR is not 1 GiB aligned, has a bad size or exceeds the physical address width",
	  NULL },
	{ TDX_NON_ORDERED_TDMR, "TDX_NON_ORDERED_TDMR", DETAIL_TDMR,
	  "TDMRs are not in ascending order or overlap", NULL },
	{ TDX_TDMR_OUTSIDE_CMRS, "TDX_TDMR_OUTSIDE_CMRS", DETAIL_TDMR,
	  "a part of a TDMR that is not reserved lies outside convertible memory (CMRs)",
	  "every CMR hole inside a TDMR must be a reserved area" },
	{ TDX_TDMR_ALREADY_INITIALIZED, "TDX_TDMR_ALREADY_INITIALIZED",
	  DETAIL_NONE, "the TDMR is fully initialized", NULL },
	{ TDX_INVALID_PAMT, "TDX_INVALID_PAMT", DETAIL_TDMR_PAMT,
	  "a PAMT is misaligned, too small or exceeds the physical address width",
	  NULL },
	{ TDX_PAMT_OUTSIDE_CMRS, "TDX_PAMT_OUTSIDE_CMRS", DETAIL_TDMR_PAMT,
	  "a PAMT is not inside convertible memory (CMRs)",
	  "PAMTs must be allocated from convertible memory" },
	{ TDX_PAMT_OVERLAP, "TDX_PAMT_OVERLAP", DETAIL_PAMT_OVERLAP,
	  "a PAMT overlaps another PAMT or TDX memory",
	  "a PAMT inside a TDMR must be covered by reserved areas" },
	{ TDX_INVALID_RESERVED_IN_TDMR, "TDX_INVALID_RESERVED_IN_TDMR",
	  DETAIL_TDMR_RSVD,
	  "a reserved area is misaligned or extends past its TDMR", NULL },
	{ TDX_NON_ORDERED_RESERVED_IN_TDMR, "TDX_NON_ORDERED_RESERVED_IN_TDMR",
	  DETAIL_TDMR_RSVD,
	  "reserved areas are not ascending, overlap, or follow an empty entry",
	  NULL },
	{ TDX_CMR_LIST_INVALID, "TDX_CMR_LIST_INVALID", DETAIL_NONE,
	  "the convertible memory list (CMRs) reported by BIOS is invalid",
	  "update the BIOS" },
	{ TDX_METADATA_FIELD_ID_INCORRECT, "TDX_METADATA_FIELD_ID_INCORRECT",
	  DETAIL_NONE,
	  "the TDX module does not know this metadata field",
	  "the field needs a newer TDX module" },
	{ TDX_METADATA_FIELD_NOT_READABLE, "TDX_METADATA_FIELD_NOT_READABLE",
	  DETAIL_NONE, "the metadata field is not readable by the host", NULL },
};

/* TDX_SYS_NOT_READY from TDH.SYS.RD: the 1.5 line serves RD at any time. */
static const char tdx_rd_too_old[] =
	"TDX module too old: a 1.0 module does not serve TDH.SYS.RD before initialization";

/* Outcomes of the SEAMCALL instruction itself: whole values, not codes. */
static const struct tdx_status_desc tdx_seamcall_faults[] = {
	{ TDX_SEAMCALL_VMFAILINVALID, "TDX_SEAMCALL_VMFAILINVALID", DETAIL_NONE,
	  "no TDX module loaded",
	  "enable TDX in the BIOS and install a TDX module" },
	{ TDX_SEAMCALL_GP, "TDX_SEAMCALL_GP", DETAIL_NONE,
	  "SEAM not enabled by BIOS",
	  "enable TDX (and TME-MK) in the BIOS setup" },
	{ TDX_SEAMCALL_UD, "TDX_SEAMCALL_UD", DETAIL_NONE, "VMX off",
	  "VMX must be on for SEAMCALL (enable VMX in BIOS, load kvm_intel)" },
};

static const struct tdx_status_desc *status_desc(u64 status)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tdx_seamcall_faults); i++)
		if (tdx_seamcall_faults[i].code == status)
			return &tdx_seamcall_faults[i];
	for (i = 0; i < ARRAY_SIZE(tdx_statuses); i++)
		if (tdx_statuses[i].code == (status & TDX_STATUS_CODE_MASK))
			return &tdx_statuses[i];
	return NULL;
}

const char *tdx_leaf_name(u64 leaf)
{
	switch (leaf & 0xffff) {
	case TDH_SYS_KEY_CONFIG:
		return "TDH.SYS.KEY.CONFIG";
	case TDH_SYS_INFO:
		return "TDH.SYS.INFO";
	case TDH_SYS_INIT:
		return "TDH.SYS.INIT";
	case TDH_SYS_RD:
		return "TDH.SYS.RD";
	case TDH_SYS_LP_INIT:
		return "TDH.SYS.LP.INIT";
	case TDH_SYS_TDMR_INIT:
		return "TDH.SYS.TDMR.INIT";
	case TDH_SYS_RDALL:
		return "TDH.SYS.RDALL";
	case TDH_SYS_LP_SHUTDOWN:
		return "TDH.SYS.LP.SHUTDOWN";
	case TDH_SYS_CONFIG:
		return "TDH.SYS.CONFIG";
	case TDH_SYS_SHUTDOWN:
		return "TDH.SYS.SHUTDOWN";
	case TDH_SYS_UPDATE:
		return "TDH.SYS.UPDATE";
	}
	return NULL;
}

TDX_EXPORT(tdx_leaf_name);

const char *tdx_status_name(u64 status)
{
	const struct tdx_status_desc *d = status_desc(status);

	return d ? d->name : NULL;
}

TDX_EXPORT(tdx_status_name);

bool tdx_status_retryable(u64 leaf, u64 status)
{
	u64 code = status & TDX_STATUS_CODE_MASK;

	leaf &= 0xffff;
	if (status == TDX_SEAMCALL_VMFAILINVALID || status == TDX_SEAMCALL_GP ||
	    status == TDX_SEAMCALL_UD)
		return false;
	/* Lock contention and entropy shortage pass by themselves. */
	if (code == TDX_SYS_BUSY || code == TDX_RND_NO_ENTROPY)
		return true;
	switch (leaf) {
	case TDH_SYS_KEY_CONFIG:
		return code == TDX_KEY_GENERATION_FAILED ||
		       status == (TDX_OPERAND_BUSY | TDX_OPERAND_ID_KEYID_BUSY);
	case TDH_SYS_TDMR_INIT:
		/* Another CPU holds this TDMR's lock. */
		return status == (TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX);
	}
	return false;
}

TDX_EXPORT(tdx_status_retryable);

static const char *operand_name(u32 id)
{
	switch (id) {
	case TDX_OPERAND_ID_RAX:
		return "RAX";
	case TDX_OPERAND_ID_RCX:
		return "RCX";
	case TDX_OPERAND_ID_RDX:
		return "RDX";
	case TDX_OPERAND_ID_R8:
		return "R8";
	case TDX_OPERAND_ID_R9:
		return "R9";
	case TDX_OPERAND_ID_KEYID_BUSY:
		return "KeyID busy";
	}
	return NULL;
}

static const char *pamt_level_name(unsigned int level)
{
	static const char * const names[] = { "4K", "2M", "1G" };

	return level < ARRAY_SIZE(names) ? names[level] : "?";
}

/* ": <details>" for the status's class, or nothing. */
static int format_details(enum tdx_detail_kind kind, u32 detail, char *buf,
			  size_t len)
{
	unsigned int i = detail & 0xff, j = (detail >> 8) & 0xff;
	unsigned int k = (detail >> 16) & 0xff;
	const char *op;

	switch (kind) {
	case DETAIL_OPERAND:
		op = operand_name(detail);
		if (!op)
			return snprintf(buf, len, ": operand 0x%x", detail);
		if (detail == TDX_OPERAND_ID_KEYID_BUSY)
			return snprintf(buf, len, ": %s", op);
		return snprintf(buf, len, ": operand %s", op);
	case DETAIL_TDMR:
		return snprintf(buf, len, ": TDMR %u", i);
	case DETAIL_TDMR_RSVD:
		return snprintf(buf, len, ": TDMR %u, reserved area %u", i, j);
	case DETAIL_TDMR_PAMT:
		return snprintf(buf, len, ": TDMR %u, PAMT level %s", i,
				pamt_level_name(j));
	case DETAIL_PAMT_OVERLAP:
		return snprintf(buf, len,
				": TDMR %u, PAMT level %s, other TDMR %u", i,
				pamt_level_name(j), k);
	case DETAIL_NONE:
		break;
	}
	if (buf && len)
		buf[0] = '\0';
	return 0;
}

static const char *class_name(u64 status)
{
	switch ((status >> 40) & 0xff) {
	case 0x00:
		return "general";
	case 0x01:
		return "operand";
	case 0x02:
		return "resource busy";
	case 0x05:
		return "module state";
	case 0x08:
		return "key management";
	case 0x09:
		return "platform check";
	case 0x0a:
		return "TDMR/PAMT configuration";
	case 0x0c:
		return "metadata";
	}
	return "unknown";
}

/* Append to a bounded buffer, tracking the length snprintf would give. */
struct fmt_buf {
	char *buf;
	size_t len;
	int n;
};

static void fmt_add(struct fmt_buf *f, int ret)
{
	if (ret > 0)
		f->n += ret;
}

static char *fmt_pos(struct fmt_buf *f, size_t *room)
{
	size_t used = f->n;

	if (!f->buf || used >= f->len) {
		*room = 0;
		return NULL;
	}
	*room = f->len - used;
	return f->buf + used;
}

int tdx_status_format(u64 leaf, u64 status, char *buf, size_t len)
{
	const struct tdx_status_desc *d = status_desc(status);
	const char *lname = tdx_leaf_name(leaf);
	const char *cause, *remedy;
	struct fmt_buf f = { buf, len, 0 };
	char *p;
	size_t room;

	if (buf && len)
		buf[0] = '\0';

	p = fmt_pos(&f, &room);
	if (lname)
		fmt_add(&f, snprintf(p, room, "%s", lname));
	else
		fmt_add(&f, snprintf(p, room, "SEAMCALL %llu",
				     (unsigned long long)(leaf & 0xffff)));

	p = fmt_pos(&f, &room);
	fmt_add(&f, snprintf(p, room, " %s: %s (0x%016llx)",
			     tdx_status_is_error(status) ? "failed" :
							   "returned",
			     d ? d->name : "unknown status",
			     (unsigned long long)status));

	if (!d) {
		p = fmt_pos(&f, &room);
		fmt_add(&f, snprintf(p, room,
				     ": class 0x%02x (%s), detail 0x%08x: status not known to this driver%s",
				     (unsigned int)((status >> 40) & 0xff),
				     class_name(status),
				     (unsigned int)(status &
						    TDX_STATUS_DETAIL_MASK),
				     status & TDX_STATUS_NONRECOV_BIT ?
				     " (non-recoverable)" : ""));
		return f.n;
	}

	p = fmt_pos(&f, &room);
	fmt_add(&f, format_details(d->detail,
				   (u32)(status & TDX_STATUS_DETAIL_MASK),
				   p, room));

	cause = d->cause;
	remedy = d->remedy;
	if (d->code == TDX_SYS_NOT_READY && (leaf & 0xffff) == TDH_SYS_RD) {
		cause = tdx_rd_too_old;
		remedy = "update the TDX module";
	} else if (d->code == TDX_OPERAND_BUSY &&
		   (status & TDX_STATUS_DETAIL_MASK) ==
		   TDX_OPERAND_ID_KEYID_BUSY) {
		cause = "key programming on this package is busy";
	} else if (d->code == TDX_OPERAND_INVALID &&
		   (status & TDX_STATUS_DETAIL_MASK) == TDX_OPERAND_ID_RAX) {
		cause = "this TDX module does not support the leaf or its version";
		remedy = "update the TDX module";
	}

	p = fmt_pos(&f, &room);
	fmt_add(&f, snprintf(p, room, ": %s", cause));
	if (remedy) {
		p = fmt_pos(&f, &room);
		fmt_add(&f, snprintf(p, room, "; %s", remedy));
	}
	return f.n;
}

TDX_EXPORT(tdx_status_format);
