// SPDX-License-Identifier: GPL-2.0
/*
 * SEAMCALL status decoding: tables of names, detail layouts, causes,
 * remedies and retry rules, so the kernel log and tdxctl say the same
 * thing about the same failure. Adding a status or a host-side outcome is
 * one line in one table.
 */
#include "tdx_status.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define ANY_LEAF	0xffffffffU
#define ANY_DETAIL	0xffffffffffffffffULL

/* How the low 32 bits of a status are to be read. */
enum tdx_detail_kind {
	DETAIL_NONE,
	DETAIL_OPERAND,		/* operand register id */
	DETAIL_TDMR,		/* 7:0 TDMR */
	DETAIL_TDMR_RSVD,	/* 7:0 TDMR, 15:8 reserved area */
	DETAIL_TDMR_PAMT,	/* 7:0 TDMR, 15:8 PAMT level */
	DETAIL_PAMT_OVERLAP,	/* 7:0 TDMR, 15:8 PAMT level, 23:16 other TDMR */
	DETAIL_PKG,		/* 31:0 package id */
	DETAIL_MSR,		/* 31:0 MSR address */
	DETAIL_HKID_LIMIT,	/* 31:0 the KeyID limit */
	DETAIL_SMRR,		/* 7:0 SMRR index */
	DETAIL_SMRR_CMR,	/* 7:0 SMRR index, 15:8 CMR index */
};

struct tdx_status_desc {
	u64 code;
	const char *name;
	enum tdx_detail_kind detail;
	const char *cause;
	const char *remedy;	/* NULL if nothing generic helps */
};

#define S(code, detail, cause, remedy) \
	{ code, #code, detail, cause, remedy }

/* Module statuses by code (bits 63:32). */
static const struct tdx_status_desc tdx_statuses[] = {
	S(TDX_SUCCESS, DETAIL_NONE, "success", NULL),
	S(TDX_OPERAND_INVALID, DETAIL_OPERAND,
	  "the TDX module rejected an operand",
	  "the driver and this TDX module disagree on the ABI; check the module version"),
	S(TDX_OPERAND_ADDR_RANGE_ERROR, DETAIL_OPERAND,
	  "an operand address is outside the range the TDX module accepts",
	  NULL),
	S(TDX_OPERAND_BUSY, DETAIL_OPERAND,
	  "a resource the call needs is held by a concurrent call", "retry"),
	S(TDX_SYS_BUSY, DETAIL_NONE,
	  "another initialization call holds the TDX module's global lock",
	  "retry"),
	S(TDX_RND_NO_ENTROPY, DETAIL_NONE,
	  "the CPU's random number generator ran out of entropy", "retry"),
	S(TDX_SYS_INIT_NOT_PENDING, DETAIL_NONE,
	  "TDH.SYS.INIT already ran during this boot",
	  "the TDX module initializes once per boot; reboot to start over"),
	S(TDX_SYS_LP_INIT_NOT_DONE, DETAIL_NONE,
	  "this logical CPU has not run TDH.SYS.LP.INIT",
	  "run TDH.SYS.LP.INIT on the CPU first"),
	S(TDX_SYS_LP_INIT_DONE, DETAIL_NONE,
	  "TDH.SYS.LP.INIT already ran on this logical CPU", NULL),
	S(TDX_SYS_NOT_READY, DETAIL_NONE,
	  "the TDX module is not ready: this call needs a fully initialized module",
	  NULL),
	S(TDX_SYS_SHUTDOWN, DETAIL_NONE,
	  "the TDX module was shut down (TDH.SYS.SHUTDOWN)",
	  "reboot to use TDX again"),
	S(TDX_SYS_KEY_CONFIG_NOT_PENDING, DETAIL_NONE,
	  "key configuration is only possible after TDH.SYS.CONFIG and before the module is ready",
	  NULL),
	S(TDX_SYS_STATE_INCORRECT, DETAIL_NONE,
	  "the TDX module is not in the state this call needs", NULL),
	S(TDX_SYS_INVALID_HANDOFF, DETAIL_NONE,
	  "no valid handoff data from a previous TDX module", NULL),
	S(TDX_SYS_INCOMPATIBLE_SIGSTRUCT, DETAIL_NONE,
	  "the TDX module's build does not fit the loader's update parameters",
	  "install a TDX module matching this platform"),
	S(TDX_SYS_LP_INIT_NOT_PENDING, DETAIL_NONE,
	  "TDH.SYS.LP.INIT is only possible after TDH.SYS.INIT and before TDH.SYS.CONFIG",
	  NULL),
	S(TDX_SYS_CONFIG_NOT_PENDING, DETAIL_NONE,
	  "logical CPUs missing TDH.SYS.LP.INIT, or the TDX module is configured already",
	  "all BIOS-enabled CPUs must be online (check maxcpus=, nr_cpus= and offline CPUs); "
	  "configuration happens once per boot"),
	S(TDX_INCOMPATIBLE_SEAM_CAPABILITIES, DETAIL_NONE,
	  "the TDX module does not match the CPU's SEAM capabilities",
	  "update the TDX module or the BIOS"),
	S(TDX_KEY_GENERATION_FAILED, DETAIL_NONE,
	  "generating the package's ephemeral key failed (no entropy)",
	  "retry"),
	S(TDX_KEY_CONFIGURED, DETAIL_NONE,
	  "keys are already configured on this package", NULL),
	S(TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED, DETAIL_HKID_LIMIT,
	  "the BIOS activated more KeyIDs than the TDX module supports",
	  "lower the number of TME-MK/TDX KeyIDs in the BIOS"),
	S(TDX_INCORRECT_CPUID_VALUE, DETAIL_NONE,
	  "a CPUID value does not meet the TDX module's requirements or differs between CPUs",
	  "check BIOS settings and update BIOS/microcode"),
	S(TDX_LIMIT_CPUID_MAXVAL_SET, DETAIL_NONE,
	  "the BIOS limits the CPUID maximum leaf (IA32_MISC_ENABLE bit 22)",
	  "disable \"Limit CPUID Maximum\" in the BIOS"),
	S(TDX_INCONSISTENT_CPUID_FIELD, DETAIL_NONE,
	  "a CPUID field differs between logical CPUs",
	  "check BIOS settings and microcode: all CPUs must be configured alike"),
	S(TDX_INVALID_PKG_ID, DETAIL_PKG,
	  "a CPU package id is outside the range the TDX module supports",
	  NULL),
	S(TDX_SMRR_NOT_LOCKED, DETAIL_SMRR,
	  "an SMRR is not locked", "update the BIOS"),
	S(TDX_INVALID_SMRR_CONFIGURATION, DETAIL_SMRR,
	  "an SMRR's base or mask is invalid", "update the BIOS"),
	S(TDX_SMRR_OVERLAPS_CMR, DETAIL_SMRR_CMR,
	  "an SMRR overlaps convertible memory", "update the BIOS"),
	S(TDX_SMRR_LOCK_NOT_SUPPORTED, DETAIL_NONE,
	  "the CPU cannot lock SMRRs", NULL),
	S(TDX_SMRR_NOT_SUPPORTED, DETAIL_NONE,
	  "the CPU has no SMRR", NULL),
	S(TDX_INCONSISTENT_MSR, DETAIL_MSR,
	  "an MSR differs between logical CPUs",
	  "check BIOS settings and microcode: all CPUs must be configured alike"),
	S(TDX_INCORRECT_MSR_VALUE, DETAIL_MSR,
	  "an MSR value does not meet the TDX module's requirements",
	  "check the BIOS TDX and TME-MK settings"),
	S(TDX_INVALID_TDMR, DETAIL_TDMR,
	  "a TDMR is not 1 GiB aligned, has a bad size or exceeds the physical address width",
	  NULL),
	S(TDX_NON_ORDERED_TDMR, DETAIL_TDMR,
	  "TDMRs are not in ascending order or overlap", NULL),
	S(TDX_TDMR_OUTSIDE_CMRS, DETAIL_TDMR,
	  "a part of a TDMR that is not reserved lies outside convertible memory (CMRs)",
	  "every CMR hole inside a TDMR must be a reserved area"),
	S(TDX_TDMR_ALREADY_INITIALIZED, DETAIL_NONE,
	  "the TDMR is fully initialized", NULL),
	S(TDX_INVALID_PAMT, DETAIL_TDMR_PAMT,
	  "a PAMT is misaligned, too small or exceeds the physical address width",
	  NULL),
	S(TDX_PAMT_OUTSIDE_CMRS, DETAIL_TDMR_PAMT,
	  "a PAMT is not inside convertible memory (CMRs)",
	  "PAMTs must be allocated from convertible memory"),
	S(TDX_PAMT_OVERLAP, DETAIL_PAMT_OVERLAP,
	  "a PAMT overlaps another PAMT or the available memory of a TDMR",
	  "a PAMT inside a TDMR must be covered by reserved areas"),
	S(TDX_INVALID_RESERVED_IN_TDMR, DETAIL_TDMR_RSVD,
	  "a reserved area is misaligned or extends past its TDMR", NULL),
	S(TDX_NON_ORDERED_RESERVED_IN_TDMR, DETAIL_TDMR_RSVD,
	  "reserved areas are not ascending, overlap, or follow an empty entry",
	  NULL),
	S(TDX_CMR_LIST_INVALID, DETAIL_NONE,
	  "the convertible memory list (CMRs) reported by BIOS is invalid",
	  "update the BIOS"),
	S(TDX_METADATA_FIELD_ID_INCORRECT, DETAIL_NONE,
	  "the TDX module does not know this metadata field",
	  "the field needs a newer TDX module"),
	S(TDX_METADATA_FIELD_NOT_READABLE, DETAIL_NONE,
	  "the metadata field is not readable by the host", NULL),
	S(TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT, DETAIL_NONE,
	  "the first field id is returned in RDX", NULL),
};

/*
 * Outcomes of the SEAMCALL instruction itself and other host-side
 * failures: whole values, not codes. One line per outcome.
 */
static const struct tdx_status_desc tdx_outcomes[] = {
	S(TDX_SEAMCALL_VMFAILINVALID, DETAIL_NONE, "no TDX module loaded",
	  "enable TDX in the BIOS and install a TDX module"),
	S(TDX_SEAMCALL_GP, DETAIL_NONE, "SEAM not enabled by BIOS",
	  "enable TDX (and TME-MK) in the BIOS setup"),
	S(TDX_SEAMCALL_UD, DETAIL_NONE, "VMX off",
	  "VMX must be on for SEAMCALL (enable VMX in BIOS, load kvm_intel)"),
};

/* A cause (and remedy) that depends on the leaf or the detail. */
struct tdx_status_special {
	u32 leaf;	/* or ANY_LEAF */
	u64 code;
	u64 detail;	/* or ANY_DETAIL */
	const char *cause;
	const char *remedy;
};

static const struct tdx_status_special tdx_specials[] = {
	/* The 1.5 line serves TDH.SYS.RD at any time, a 1.0 module never */
	{ TDH_SYS_RD, TDX_SYS_NOT_READY, ANY_DETAIL,
	  "TDX module too old: a 1.0 module does not serve TDH.SYS.RD before initialization",
	  "update the TDX module" },
	{ ANY_LEAF, TDX_OPERAND_BUSY, TDX_OPERAND_ID_KEYID_BUSY,
	  "key programming on this package is busy", "retry" },
	{ ANY_LEAF, TDX_OPERAND_INVALID, TDX_OPERAND_ID_RAX,
	  "this TDX module does not support the leaf or its version",
	  "update the TDX module" },
};

/* Statuses worth retrying as they are: they pass by themselves. */
#define RETRY(leaf, code, detail)	{ leaf, code, detail, NULL, NULL }
static const struct tdx_status_special tdx_retry[] = {
	RETRY(ANY_LEAF, TDX_SYS_BUSY, ANY_DETAIL),
	RETRY(ANY_LEAF, TDX_RND_NO_ENTROPY, ANY_DETAIL),
	RETRY(TDH_SYS_KEY_CONFIG, TDX_KEY_GENERATION_FAILED, ANY_DETAIL),
	RETRY(TDH_SYS_KEY_CONFIG, TDX_OPERAND_BUSY, TDX_OPERAND_ID_KEYID_BUSY),
	/* Another CPU holds this TDMR's lock */
	RETRY(TDH_SYS_TDMR_INIT, TDX_OPERAND_BUSY, TDX_OPERAND_ID_RCX),
};

static const struct tdx_status_desc *outcome_desc(u64 status)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tdx_outcomes); i++)
		if (tdx_outcomes[i].code == status)
			return &tdx_outcomes[i];
	return NULL;
}

static const struct tdx_status_desc *status_desc(u64 status)
{
	const struct tdx_status_desc *d = outcome_desc(status);
	unsigned int i;

	if (d)
		return d;
	for (i = 0; i < ARRAY_SIZE(tdx_statuses); i++)
		if (tdx_statuses[i].code == (status & TDX_STATUS_CODE_MASK))
			return &tdx_statuses[i];
	return NULL;
}

static const struct tdx_status_special *
special_match(const struct tdx_status_special *t, unsigned int n, u64 leaf,
	      u64 status)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if ((t[i].leaf == ANY_LEAF || t[i].leaf == leaf) &&
		    t[i].code == (status & TDX_STATUS_CODE_MASK) &&
		    (t[i].detail == ANY_DETAIL ||
		     t[i].detail == (status & TDX_STATUS_DETAIL_MASK)))
			return &t[i];
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
	if (outcome_desc(status))
		return false;
	return special_match(tdx_retry, ARRAY_SIZE(tdx_retry), leaf & 0xffff,
			     status) != NULL;
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

static const char *pamt_name(unsigned int level)
{
	static const char * const names[] = { "PAMT_4K", "PAMT_2M", "PAMT_1G" };

	return level < ARRAY_SIZE(names) ? names[level] : "PAMT_?";
}

static const char *smrr_name(unsigned int idx)
{
	return idx ? "SMRR2" : "SMRR";
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
		return snprintf(buf, len, ": %s of TDMR %u", pamt_name(j), i);
	case DETAIL_PAMT_OVERLAP:
		return snprintf(buf, len, ": %s of TDMR %u overlaps TDMR %u%s",
				pamt_name(j), i, k, i == k ? " itself" : "");
	case DETAIL_PKG:
		return snprintf(buf, len, ": package %u", detail);
	case DETAIL_MSR:
		return snprintf(buf, len, ": MSR 0x%x", detail);
	case DETAIL_HKID_LIMIT:
		return snprintf(buf, len, ": KeyIDs must stay below %u", detail);
	case DETAIL_SMRR:
		return snprintf(buf, len, ": %s", smrr_name(i));
	case DETAIL_SMRR_CMR:
		return snprintf(buf, len, ": %s overlaps CMR %u", smrr_name(i),
				j);
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
	const struct tdx_status_special *sp = NULL;
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

	if (!outcome_desc(status))
		sp = special_match(tdx_specials, ARRAY_SIZE(tdx_specials),
				   leaf & 0xffff, status);
	cause = sp ? sp->cause : d->cause;
	remedy = sp ? sp->remedy : d->remedy;

	p = fmt_pos(&f, &room);
	fmt_add(&f, snprintf(p, room, ": %s", cause));
	if (remedy) {
		p = fmt_pos(&f, &room);
		fmt_add(&f, snprintf(p, room, "; %s", remedy));
	}
	return f.n;
}

TDX_EXPORT(tdx_status_format);
