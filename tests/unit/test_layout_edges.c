// SPDX-License-Identifier: GPL-2.0
/*
 * Layout defects found by fuzzing (tests/fuzz/fuzz_layout.c), kept as
 * regressions, and the binary searches of lib/ at their edges.
 */
#include "tap.h"
#include "tdx_layout.h"

#define G	0x40000000ULL
#define M	0x100000ULL

static struct tdx_layout lay;
static struct tdx_limits lim;
static struct tdx_layout_error err;

/*
 * RAM starting inside the last page of the address space: rounding its
 * start up to 4 KiB wrapped to 0, and the simulated placement put the
 * PAMT at the top of the TDMR, in no RAM at all.
 */
static void pamt_ram_in_last_page(void)
{
	struct tdx_range cb[2], rb[3];
	struct tdx_rangeset cover, ram;
	int ret;

	tdx_rs_init(&cover, cb, 2);
	tdx_rs_init(&ram, rb, 3);
	tdx_rs_add(&cover, G, 2 * G);
	tdx_rs_add(&ram, G, G + M);	/* too small for the 4 MiB PAMT */
	tdx_rs_add(&ram, 0xfffffffffffff964ULL, 0xfffffffffffffa80ULL);
	tdx_limits_default(&lim);
	TAP_OK(!tdx_layout_build(&lay, &cover, &cover, &lim, &err),
	       "one TDMR for [1 GiB, 2 GiB)");
	ret = tdx_layout_place_pamts(&lay, &ram, &err);
	TAP_OK(ret == -ENOMEM && lay.tdmr[0].pamt_base == 0,
	       "no whole page of RAM for the PAMT: -ENOMEM (got %d, PAMT at 0x%llx)",
	       ret, (unsigned long long)lay.tdmr[0].pamt_base);
	TAP_OK(strstr(err.msg, "no room for its PAMT"), "error: %s",
	       err.msg);

	/* The same RAM with room below: placed there, inside RAM. */
	tdx_rs_add(&ram, 4 * G, 5 * G);
	TAP_OK(!tdx_layout_place_pamts(&lay, &ram, &err) &&
	       lay.tdmr[0].pamt_base >= 4 * G &&
	       lay.tdmr[0].pamt_base + tdx_tdmr_pamt_bytes(&lay.tdmr[0]) <=
	       5 * G, "with RAM elsewhere: PAMT at 0x%llx, inside it",
	       (unsigned long long)lay.tdmr[0].pamt_base);
}

/*
 * RAM from address 0 just big enough for the PAMT: placed at 0, which
 * the API reads as "not placed", so placement succeeded and
 * tdx_layout_add_pamts() then refused the layout.
 */
static void pamt_not_at_zero(void)
{
	struct tdx_range cb[1], rb[1];
	struct tdx_rangeset cover, ram;
	u64 size;
	int ret;

	tdx_rs_init(&cover, cb, 1);
	tdx_rs_init(&ram, rb, 1);
	tdx_rs_add(&cover, 0, G);
	tdx_limits_default(&lim);
	tdx_layout_build(&lay, &cover, &cover, &lim, &err);
	size = tdx_tdmr_pamt_bytes(&lay.tdmr[0]);
	tdx_rs_add(&ram, 0, size);
	ret = tdx_layout_place_pamts(&lay, &ram, &err);
	TAP_OK(ret == -ENOMEM && !lay.tdmr[0].pamt_base,
	       "room only at address 0: -ENOMEM (got %d, PAMT at 0x%llx)",
	       ret, (unsigned long long)lay.tdmr[0].pamt_base);
	tdx_rs_clear(&ram);
	tdx_rs_add(&ram, 0, size + 0x1000);
	TAP_OK(!tdx_layout_place_pamts(&lay, &ram, &err) &&
	       lay.tdmr[0].pamt_base == 0x1000 &&
	       !tdx_layout_add_pamts(&lay, &lim, &err),
	       "one page more: placed at 0x1000, reserved areas added");
}

/* tdx_rs_first_after(), used by every lookup, at its edges. */
static void first_after(void)
{
	struct tdx_range b[4];
	struct tdx_rangeset rs;

	tdx_rs_init(&rs, b, 4);
	TAP_EQ_U64(tdx_rs_first_after(&rs, 0), 0, "empty set: 0");
	tdx_rs_add(&rs, 0x1000, 0x2000);
	tdx_rs_add(&rs, 0x3000, 0x4000);
	tdx_rs_add(&rs, 0x5000, ~0ULL);
	TAP_EQ_U64(tdx_rs_first_after(&rs, 0), 0, "below all: 0");
	TAP_EQ_U64(tdx_rs_first_after(&rs, 0x1fff), 0, "last byte of r0: 0");
	TAP_EQ_U64(tdx_rs_first_after(&rs, 0x2000), 1, "end of r0: 1");
	TAP_EQ_U64(tdx_rs_first_after(&rs, 0x4000), 2, "end of r1: 2");
	TAP_EQ_U64(tdx_rs_first_after(&rs, ~0ULL - 1), 2, "2^64-2: 2");
	TAP_EQ_U64(tdx_rs_first_after(&rs, ~0ULL), 3, "2^64-1: none (nr)");
	TAP_OK(tdx_rs_contains(&rs, 0x5000, ~0ULL) &&
	       !tdx_rs_contains(&rs, 0x1000, 0x3001) &&
	       tdx_rs_overlaps(&rs, 0x2fff, 0x3001) &&
	       !tdx_rs_overlaps(&rs, 0x2000, 0x3000) &&
	       !tdx_rs_overlaps(&rs, 0x3800, 0x3800),
	       "contains/overlaps at range edges");
}

int main(void)
{
	pamt_ram_in_last_page();
	pamt_not_at_zero();
	first_after();
	return tap_done();
}
