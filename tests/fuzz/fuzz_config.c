// SPDX-License-Identifier: GPL-2.0
/*
 * tdxsys.conf (tools/tdx_config.c). The first input byte picks the
 * configuration parsed over; the rest is the file. Properties: a rejected
 * file changes nothing and names file and line; an accepted one holds
 * valid values, parses the same over its own result, and the settings it
 * produced, printed, parse back to the same configuration.
 */
#include "fuzz.h"
#include "tdx_config.h"
#include "tdx_util.h"

static void start(struct tdxsys_config *c, uint8_t b)
{
	tdx_config_default(c);
	c->zone = (enum tdx_zone)(b % 3);
	c->online_before_init = b & 4;
}

static int same(const struct tdxsys_config *a, const struct tdxsys_config *b)
{
	return a->zone == b->zone &&
	       a->online_before_init == b->online_before_init;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tdxsys_config c, before, again, printed;
	char err[TDXCTL_ERRLEN + 64], text2[128], *text;
	enum tdx_zone z;
	int ret;

	if (!size)
		return 0;
	start(&c, data[0]);
	before = c;
	text = fuzz_str(data + 1, size - 1);
	err[0] = '\0';
	ret = tdx_config_parse(text, "f", &c, err, sizeof(err));
	if (ret) {
		FUZZ_CHECK(ret == -EINVAL, "returned %d", ret);
		FUZZ_CHECK(same(&c, &before),
			   "rejected file changed the configuration");
		FUZZ_CHECK(!strncmp(err, "f:", 2) && strlen(err) > 4,
			   "error without file and line: \"%s\"", err);
		free(text);
		return 0;
	}
	FUZZ_CHECK(c.zone <= TDX_ZONE_AUTO, "zone %d", c.zone);
	FUZZ_CHECK(!tdx_zone_parse(tdx_zone_name(c.zone), &z) && z == c.zone,
		   "zone name does not parse back");
	FUZZ_CHECK(tdx_zone_online_type(c.zone)[0], "no online type");

	/* Idempotent: the same file over its own result. */
	again = c;
	FUZZ_CHECK(!tdx_config_parse(text, "f", &again, err, sizeof(err)) &&
		   same(&again, &c), "second parse differs");

	/* Printed settings parse back, over a different start. */
	snprintf(text2, sizeof(text2),
		 "zone = %s\n  online_before_init=%s # printed\n",
		 tdx_zone_name(c.zone), c.online_before_init ? "yes" : "no");
	start(&printed, (uint8_t)(data[0] + 1));
	FUZZ_CHECK(!tdx_config_parse(text2, "p", &printed, err, sizeof(err)) &&
		   same(&printed, &c),
		   "printed settings parse differently: %s", text2);
	free(text);
	return 0;
}
