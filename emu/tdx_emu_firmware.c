// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated platform's firmware facts, read the way the platform has
 * them, never from what Linux made of them: the memory map the firmware
 * handed the kernel at boot (boot_params, which the kernel keeps intact and
 * exports read-only; memory hot-added later is never in it), from which
 * the emulated BIOS derives its CMRs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/slab.h>

#include "tdx_emu.h"
#include "tdx_emu_bios.h"

#define BP_PATH			"/sys/kernel/boot_params"
#define BP_E820_ENTRIES		0x1e8	/* u8 */
#define BP_E820_TABLE		0x2d0	/* 128 x {u64 addr, u64 size, u32 type} */
#define BP_E820_MAX		128
#define E820_ENTRY_SIZE		20
#define SETUP_E820_EXT		1

/* Up to @len bytes of @path; bytes read or -errno. */
static ssize_t emu_read_file(const char *path, void *buf, size_t len)
{
	struct file *f = filp_open(path, O_RDONLY, 0);
	loff_t pos = 0;
	ssize_t n, total = 0;

	if (IS_ERR(f))
		return PTR_ERR(f);
	while (total < len) {
		n = kernel_read(f, buf + total, len - total, &pos);
		if (n <= 0) {
			if (n < 0)
				total = n;
			break;
		}
		total += n;
	}
	filp_close(f, NULL);
	return total;
}

static void emu_e820_decode(const u8 *p, unsigned int n,
			    struct tdx_emu_e820 *map, unsigned int *nr)
{
	unsigned int i;

	for (i = 0; i < n && *nr < TDX_EMU_MAX_E820; i++, p += E820_ENTRY_SIZE) {
		memcpy(&map[*nr].addr, p, 8);
		memcpy(&map[*nr].size, p + 8, 8);
		memcpy(&map[*nr].type, p + 16, 4);
		(*nr)++;
	}
}

/* Entries beyond 128 come as SETUP_E820_EXT setup_data. */
static void emu_e820_ext(struct tdx_emu_e820 *map, unsigned int *nr, u8 *buf,
			 size_t len)
{
	char path[96], type[24];
	unsigned int k;
	ssize_t n;

	for (k = 0; k < 64; k++) {
		snprintf(path, sizeof(path), BP_PATH "/setup_data/%u/type", k);
		n = emu_read_file(path, type, sizeof(type) - 1);
		if (n <= 0)
			return;
		type[n] = '\0';
		if (!sysfs_streq(type, "0x1") && !sysfs_streq(type, "1"))
			continue;
		snprintf(path, sizeof(path), BP_PATH "/setup_data/%u/data", k);
		n = emu_read_file(path, buf, len);
		if (n > 0)
			emu_e820_decode(buf, n / E820_ENTRY_SIZE, map, nr);
	}
}

/* The BIOS's CMRs for this boot; -errno if the boot map is unreadable. */
int tdx_emu_firmware_cmrs(struct tdx_cmr_info *cmrs, unsigned int *nr_cmrs)
{
	struct tdx_emu_e820 *map;
	unsigned int nr = 0, n;
	u8 *bp;
	ssize_t len;
	int ret;

	bp = kmalloc(PAGE_SIZE, GFP_KERNEL);
	map = kcalloc(TDX_EMU_MAX_E820, sizeof(*map), GFP_KERNEL);
	if (!bp || !map) {
		ret = -ENOMEM;
		goto out;
	}
	len = emu_read_file(BP_PATH "/data", bp, PAGE_SIZE);
	if (len < BP_E820_TABLE + BP_E820_MAX * E820_ENTRY_SIZE) {
		pr_warn("cannot read the boot memory map (%s/data: %zd): set cmrs explicitly\n",
			BP_PATH, len);
		ret = len < 0 ? len : -EIO;
		goto out;
	}
	n = min_t(unsigned int, bp[BP_E820_ENTRIES], BP_E820_MAX);
	emu_e820_decode(bp + BP_E820_TABLE, n, map, &nr);
	emu_e820_ext(map, &nr, bp, PAGE_SIZE);
	memset(cmrs, 0, sizeof(*cmrs) * TDX_MAX_CMRS);
	ret = tdx_emu_bios_cmrs(map, nr, 0, cmrs, nr_cmrs);
	if (ret)
		pr_warn("boot memory map of %u entries gives no valid CMR list (%d): set cmrs explicitly\n",
			nr, ret);
out:
	kfree(map);
	kfree(bp);
	return ret;
}
