// SPDX-License-Identifier: GPL-2.0
/*
 * Status decoding: every status of the model's table (and the platform
 * checks of SYS.INIT/LP.INIT) named, the detail bytes of each class read
 * as the module writes them, exact lines, retry rules.
 */
#include <string.h>
#include "tap.h"
#include "tdx_status.h"

#define NAMED(x) { x, #x }

static const struct {
	u64 code;
	const char *name;
} model_statuses[] = {
	NAMED(TDX_SUCCESS),
	NAMED(TDX_OPERAND_INVALID),
	NAMED(TDX_OPERAND_ADDR_RANGE_ERROR),
	NAMED(TDX_OPERAND_BUSY),
	NAMED(TDX_SYS_BUSY),
	NAMED(TDX_RND_NO_ENTROPY),
	NAMED(TDX_SYS_INIT_NOT_PENDING),
	NAMED(TDX_SYS_LP_INIT_NOT_DONE),
	NAMED(TDX_SYS_LP_INIT_DONE),
	NAMED(TDX_SYS_NOT_READY),
	NAMED(TDX_SYS_SHUTDOWN),
	NAMED(TDX_SYS_KEY_CONFIG_NOT_PENDING),
	NAMED(TDX_SYS_STATE_INCORRECT),
	NAMED(TDX_SYS_INVALID_HANDOFF),
	NAMED(TDX_SYS_INCOMPATIBLE_SIGSTRUCT),
	NAMED(TDX_SYS_LP_INIT_NOT_PENDING),
	NAMED(TDX_SYS_CONFIG_NOT_PENDING),
	NAMED(TDX_INCOMPATIBLE_SEAM_CAPABILITIES),
	NAMED(TDX_KEY_GENERATION_FAILED),
	NAMED(TDX_KEY_CONFIGURED),
	NAMED(TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED),
	NAMED(TDX_INCORRECT_CPUID_VALUE),
	NAMED(TDX_LIMIT_CPUID_MAXVAL_SET),
	NAMED(TDX_INCONSISTENT_CPUID_FIELD),
	NAMED(TDX_INVALID_PKG_ID),
	NAMED(TDX_SMRR_NOT_LOCKED),
	NAMED(TDX_INVALID_SMRR_CONFIGURATION),
	NAMED(TDX_SMRR_OVERLAPS_CMR),
	NAMED(TDX_SMRR_LOCK_NOT_SUPPORTED),
	NAMED(TDX_SMRR_NOT_SUPPORTED),
	NAMED(TDX_INCONSISTENT_MSR),
	NAMED(TDX_INCORRECT_MSR_VALUE),
	NAMED(TDX_INVALID_TDMR),
	NAMED(TDX_NON_ORDERED_TDMR),
	NAMED(TDX_TDMR_OUTSIDE_CMRS),
	NAMED(TDX_TDMR_ALREADY_INITIALIZED),
	NAMED(TDX_INVALID_PAMT),
	NAMED(TDX_PAMT_OUTSIDE_CMRS),
	NAMED(TDX_PAMT_OVERLAP),
	NAMED(TDX_INVALID_RESERVED_IN_TDMR),
	NAMED(TDX_NON_ORDERED_RESERVED_IN_TDMR),
	NAMED(TDX_CMR_LIST_INVALID),
	NAMED(TDX_METADATA_FIELD_ID_INCORRECT),
	NAMED(TDX_METADATA_FIELD_NOT_READABLE),
	NAMED(TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT),
	NAMED(TDX_SEAMCALL_VMFAILINVALID),
	NAMED(TDX_SEAMCALL_GP),
	NAMED(TDX_SEAMCALL_UD),
};

static const struct {
	u64 leaf;
	const char *name;
} leaves[] = {
	{ TDH_SYS_KEY_CONFIG, "TDH.SYS.KEY.CONFIG" },
	{ TDH_SYS_INFO, "TDH.SYS.INFO" },
	{ TDH_SYS_INIT, "TDH.SYS.INIT" },
	{ TDH_SYS_RD, "TDH.SYS.RD" },
	{ TDH_SYS_LP_INIT, "TDH.SYS.LP.INIT" },
	{ TDH_SYS_TDMR_INIT, "TDH.SYS.TDMR.INIT" },
	{ TDH_SYS_RDALL, "TDH.SYS.RDALL" },
	{ TDH_SYS_LP_SHUTDOWN, "TDH.SYS.LP.SHUTDOWN" },
	{ TDH_SYS_CONFIG, "TDH.SYS.CONFIG" },
	{ TDH_SYS_SHUTDOWN, "TDH.SYS.SHUTDOWN" },
	{ TDH_SYS_UPDATE, "TDH.SYS.UPDATE" },
};

static char line[512];

static const char *fmt(u64 leaf, u64 status)
{
	tdx_status_format(leaf, status, line, sizeof(line));
	return line;
}

static void test_names(void)
{
	unsigned int i, bad = 0;

	for (i = 0; i < sizeof(model_statuses) / sizeof(model_statuses[0]);
	     i++) {
		const char *n = tdx_status_name(model_statuses[i].code);

		if (!n || strcmp(n, model_statuses[i].name)) {
			printf("# %s -> %s\n", model_statuses[i].name,
			       n ? n : "(null)");
			bad++;
		}
		/* Every status formats with its name and a cause. */
		fmt(TDH_SYS_CONFIG, model_statuses[i].code);
		if (!strstr(line, model_statuses[i].name) ||
		    strstr(line, "not known")) {
			printf("# %s\n", line);
			bad++;
		}
	}
	TAP_EQ_U64(bad, 0, "all %u model and host statuses named", i);
	TAP_EQ_STR(tdx_status_name(TDX_INVALID_PAMT | 0x020103),
		   "TDX_INVALID_PAMT", "name ignores detail bits");
	TAP_OK(tdx_status_name(0xC0000A9900000000ULL) == NULL,
	       "unknown code: NULL");
	for (i = 0, bad = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		if (!tdx_leaf_name(leaves[i].leaf) ||
		    strcmp(tdx_leaf_name(leaves[i].leaf), leaves[i].name))
			bad++;
	TAP_EQ_U64(bad, 0, "all %u leaves named", i);
	TAP_OK(tdx_leaf_name(99) == NULL, "unknown leaf: NULL");
}

static void test_format(void)
{
	int n;

	TAP_EQ_STR(fmt(TDH_SYS_RD, TDX_SYS_NOT_READY),
		   "TDH.SYS.RD failed: TDX_SYS_NOT_READY (0xc000050500000000): "
		   "TDX module too old: a 1.0 module does not serve TDH.SYS.RD "
		   "before initialization; update the TDX module",
		   "SYS_NOT_READY on RD: module too old");
	TAP_OK(!strstr(fmt(TDH_SYS_TDMR_INIT, TDX_SYS_NOT_READY), "too old"),
	       "SYS_NOT_READY on TDMR.INIT is not 'too old': %s", line);
	TAP_EQ_STR(fmt(TDH_SYS_CONFIG, TDX_SYS_CONFIG_NOT_PENDING),
		   "TDH.SYS.CONFIG failed: TDX_SYS_CONFIG_NOT_PENDING (0xc000050c00000000): "
		   "logical CPUs missing TDH.SYS.LP.INIT, or the TDX module is configured already; "
		   "all BIOS-enabled CPUs must be online (check maxcpus=, nr_cpus= and offline CPUs); "
		   "configuration happens once per boot",
		   "CONFIG_NOT_PENDING: missing LP.INIT, CPUs must be online");
	TAP_EQ_STR(fmt(TDH_SYS_CONFIG, 0xC0000A1200010103ULL),
		   "TDH.SYS.CONFIG failed: TDX_PAMT_OVERLAP (0xc0000a1200010103): "
		   "PAMT_2M of TDMR 3 overlaps TDMR 1: a PAMT overlaps another "
		   "PAMT or the available memory of a TDMR; a PAMT inside a TDMR "
		   "must be covered by reserved areas",
		   "PAMT_OVERLAP: the model's example decoded");
	TAP_OK(strstr(fmt(TDH_SYS_CONFIG, TDX_PAMT_OVERLAP | 0x020002),
		      ": PAMT_4K of TDMR 2 overlaps TDMR 2 itself: ") != NULL,
	       "PAMT_OVERLAP within one TDMR: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_CONFIG, TDX_PAMT_OVERLAP | 0x030201),
		      ": PAMT_1G of TDMR 1 overlaps TDMR 3: ") != NULL,
	       "PAMT_OVERLAP, earlier TDMR's PAMT first: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_CONFIG, TDX_INVALID_PAMT | 0x0205),
		      ": PAMT_1G of TDMR 5: ") != NULL,
	       "INVALID_PAMT details: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_CONFIG, TDX_PAMT_OUTSIDE_CMRS | 0x0000),
		      ": PAMT_4K of TDMR 0: ") != NULL,
	       "PAMT_OUTSIDE_CMRS details: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_CONFIG, TDX_INVALID_PAMT | 0x0340),
		      ": PAMT_? of TDMR 64: ") != NULL,
	       "INVALID_PAMT, a level the module never writes: %s", line);
	TAP_EQ_STR(fmt(TDH_SYS_LP_INIT, 0xC000090600000009ULL),
		   "TDH.SYS.LP.INIT failed: TDX_INVALID_PKG_ID (0xc000090600000009): "
		   "package 9: a CPU package id is outside the range the TDX "
		   "module supports", "INVALID_PKG_ID names the package");
	TAP_OK(strstr(fmt(TDH_SYS_INIT, 0xC000082500000800ULL),
		      "TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED (0xc000082500000800): "
		      "KeyIDs must stay below 2048: ") != NULL,
	       "NUM_ACTIVATED_HKIDS_NOT_SUPPORTED: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_INIT, TDX_INCORRECT_MSR_VALUE | 0x87),
		      ": MSR 0x87: ") != NULL, "INCORRECT_MSR_VALUE: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_LP_INIT, TDX_INCONSISTENT_MSR | 0x10a),
		      ": MSR 0x10a: ") != NULL, "INCONSISTENT_MSR: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_INIT, TDX_SMRR_OVERLAPS_CMR | 0x0301),
		      ": SMRR2 overlaps CMR 3: ") != NULL,
	       "SMRR_OVERLAPS_CMR: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_INIT, TDX_SMRR_NOT_LOCKED),
		      ": SMRR: ") != NULL, "SMRR_NOT_LOCKED: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_RD, TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT),
		      "TDH.SYS.RD returned: TDX_METADATA_FIRST_FIELD_ID_IN_CONTEXT") ==
	       line, "FIRST_FIELD_ID_IN_CONTEXT is no failure: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_UPDATE, TDX_SYS_INVALID_HANDOFF),
		      "TDH.SYS.UPDATE failed: TDX_SYS_INVALID_HANDOFF") == line,
	       "SYS_INVALID_HANDOFF: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_CONFIG, TDX_NON_ORDERED_RESERVED_IN_TDMR |
			  0x0f02), ": TDMR 2, reserved area 15: ") != NULL,
	       "NON_ORDERED_RESERVED details: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_CONFIG, TDX_INVALID_RESERVED_IN_TDMR |
			  0x0301), ": TDMR 1, reserved area 3: ") != NULL,
	       "INVALID_RESERVED details: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_CONFIG, TDX_TDMR_OUTSIDE_CMRS | 7),
		      "(0xc0000a0200000007): TDMR 7: ") != NULL,
	       "TDMR_OUTSIDE_CMRS details: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_CONFIG, TDX_NON_ORDERED_TDMR | 1),
		      ": TDMR 1: TDMRs are not in ascending order") != NULL,
	       "NON_ORDERED_TDMR details: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_CONFIG, TDX_OPERAND_INVALID | 8),
		      "(0xc000010000000008): operand R8: ") != NULL,
	       "OPERAND_INVALID R8: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_INFO, TDX_OPERAND_INVALID | 9),
		      ": operand R9: ") != NULL, "OPERAND_INVALID R9: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_INFO, TDX_OPERAND_INVALID | 2),
		      ": operand RDX: ") != NULL, "OPERAND_INVALID RDX: %s",
	       line);
	TAP_OK(strstr(fmt(TDH_SYS_INIT, TDX_OPERAND_INVALID | 1),
		      ": operand RCX: ") != NULL, "OPERAND_INVALID RCX: %s",
	       line);
	TAP_OK(strstr(fmt(77, TDX_OPERAND_INVALID), "SEAMCALL 77 failed: "
		      "TDX_OPERAND_INVALID (0xc000010000000000): operand RAX: "
		      "this TDX module does not support the leaf") == line,
	       "unknown leaf, RAX: %s", line);
	TAP_EQ_STR(fmt(TDH_SYS_KEY_CONFIG, TDX_OPERAND_BUSY | 187),
		   "TDH.SYS.KEY.CONFIG failed: TDX_OPERAND_BUSY (0x80000200000000bb): "
		   "KeyID busy: key programming on this package is busy; retry",
		   "OPERAND_BUSY 187: KeyID busy");
	TAP_OK(strstr(fmt(TDH_SYS_TDMR_INIT, TDX_OPERAND_BUSY | 1),
		      ": operand RCX: a resource") != NULL,
	       "OPERAND_BUSY RCX: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_CONFIG, TDX_OPERAND_INVALID | 0x33),
		      ": operand 0x33: ") != NULL, "unknown operand id: %s",
	       line);
	TAP_EQ_STR(fmt(TDH_SYS_INIT, TDX_SEAMCALL_VMFAILINVALID),
		   "TDH.SYS.INIT failed: TDX_SEAMCALL_VMFAILINVALID (0xffff0000ffff0000): "
		   "no TDX module loaded; enable TDX in the BIOS and install a TDX module",
		   "VMFAILINVALID: no TDX module loaded");
	TAP_OK(strstr(fmt(TDH_SYS_INIT, TDX_SEAMCALL_GP),
		      "(0xffff0000ffff000d): SEAM not enabled by BIOS") != NULL,
	       "#GP: SEAM not enabled by BIOS: %s", line);
	TAP_OK(strstr(fmt(TDH_SYS_INIT, TDX_SEAMCALL_UD),
		      "(0xffff0000ffff0006): VMX off") != NULL,
	       "#UD: VMX off: %s", line);
	TAP_EQ_STR(fmt(TDH_SYS_CONFIG, 0xC0000A9900000042ULL),
		   "TDH.SYS.CONFIG failed: unknown status (0xc0000a9900000042): "
		   "class 0x0a (TDMR/PAMT configuration), detail 0x00000042: "
		   "status not known to this driver (non-recoverable)",
		   "unknown status: hex and class");
	TAP_OK(strstr(fmt(TDH_SYS_KEY_CONFIG, TDX_KEY_CONFIGURED),
		      "TDH.SYS.KEY.CONFIG returned: TDX_KEY_CONFIGURED") == line,
	       "informational status is not called a failure: %s", line);

	n = tdx_status_format(TDH_SYS_RD, TDX_SYS_NOT_READY, NULL, 0);
	TAP_EQ_U64(n, strlen(fmt(TDH_SYS_RD, TDX_SYS_NOT_READY)),
		   "length without a buffer equals the full line");
	memset(line, 'x', sizeof(line));
	n = tdx_status_format(TDH_SYS_RD, TDX_SYS_NOT_READY, line, 20);
	TAP_OK(n > 100 && strlen(line) == 19 &&
	       !strncmp(line, "TDH.SYS.RD failed: ", 19),
	       "truncation: NUL-terminated prefix, full length returned");
	TAP_OK(line[20] == 'x', "truncation writes nothing past the buffer");
}

static void test_retryable(void)
{
	TAP_OK(tdx_status_retryable(TDH_SYS_INIT, TDX_SYS_BUSY),
	       "SYS.INIT SYS_BUSY retryable");
	TAP_OK(tdx_status_retryable(TDH_SYS_INIT, TDX_RND_NO_ENTROPY),
	       "SYS.INIT RND_NO_ENTROPY retryable");
	TAP_OK(tdx_status_retryable(TDH_SYS_LP_INIT, TDX_RND_NO_ENTROPY),
	       "LP.INIT RND_NO_ENTROPY retryable");
	TAP_OK(tdx_status_retryable(TDH_SYS_CONFIG, TDX_SYS_BUSY),
	       "CONFIG SYS_BUSY retryable");
	TAP_OK(tdx_status_retryable(TDH_SYS_KEY_CONFIG, TDX_SYS_BUSY),
	       "KEY.CONFIG SYS_BUSY retryable");
	TAP_OK(tdx_status_retryable(TDH_SYS_KEY_CONFIG,
				    TDX_OPERAND_BUSY | 187),
	       "KEY.CONFIG OPERAND_BUSY|187 retryable");
	TAP_OK(tdx_status_retryable(TDH_SYS_KEY_CONFIG,
				    TDX_KEY_GENERATION_FAILED),
	       "KEY.CONFIG KEY_GENERATION_FAILED retryable");
	TAP_OK(tdx_status_retryable(TDH_SYS_TDMR_INIT, TDX_OPERAND_BUSY | 1),
	       "TDMR.INIT OPERAND_BUSY|RCX retryable");
	TAP_OK(!tdx_status_retryable(TDH_SYS_CONFIG, TDX_PAMT_OVERLAP),
	       "PAMT_OVERLAP not retryable");
	TAP_OK(!tdx_status_retryable(TDH_SYS_CONFIG, TDX_SYS_CONFIG_NOT_PENDING),
	       "CONFIG_NOT_PENDING not retryable");
	TAP_OK(!tdx_status_retryable(TDH_SYS_INIT, TDX_KEY_GENERATION_FAILED),
	       "KEY_GENERATION_FAILED outside KEY.CONFIG not retryable");
	TAP_OK(!tdx_status_retryable(TDH_SYS_INIT, TDX_SEAMCALL_VMFAILINVALID),
	       "VMFAILINVALID not retryable");
	TAP_OK(!tdx_status_retryable(TDH_SYS_INIT, TDX_SUCCESS),
	       "success not retryable");
	TAP_OK(!tdx_status_retryable(TDH_SYS_KEY_CONFIG, TDX_KEY_CONFIGURED),
	       "KEY_CONFIGURED (done) not retryable");
	TAP_OK(tdx_status_retryable(TDH_SYS_SHUTDOWN, TDX_SYS_BUSY),
	       "SHUTDOWN SYS_BUSY (another LP busy) retryable");
	TAP_OK(tdx_status_retryable(TDH_SYS_UPDATE, TDX_SYS_BUSY),
	       "UPDATE SYS_BUSY retryable");
	TAP_OK(!tdx_status_retryable(TDH_SYS_TDMR_INIT, TDX_OPERAND_BUSY | 187),
	       "OPERAND_BUSY|187 outside KEY.CONFIG not retryable");
	TAP_OK(!tdx_status_retryable(TDH_SYS_KEY_CONFIG, TDX_OPERAND_BUSY | 1),
	       "OPERAND_BUSY|RCX outside TDMR.INIT not retryable");
	TAP_OK(tdx_status_retryable(TDH_SYS_TDMR_INIT | (1 << 16),
				    TDX_OPERAND_BUSY | 1),
	       "the leaf is taken from bits 15:0");
	TAP_OK(!tdx_status_retryable(TDH_SYS_INIT, TDX_SEAMCALL_UD),
	       "#UD not retryable");
}

int main(void)
{
	test_names();
	test_format();
	test_retryable();
	return tap_done();
}
