// SPDX-License-Identifier: GPL-2.0
/*
 * JSON output helpers.
 */
#include <stdio.h>

#include "tdx_json.h"

struct json_object *tdx_json_hex(u64 v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_object_new_string(buf);
}

struct json_object *tdx_json_range(u64 start, u64 end)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "start", tdx_json_hex(start));
	json_object_object_add(o, "end", tdx_json_hex(end - 1));
	json_object_object_add(o, "size", json_object_new_int64(end - start));
	return o;
}

struct json_object *tdx_json_ranges(const struct tdx_rangeset *rs)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < rs->nr; i++)
		json_object_array_add(a, tdx_json_range(rs->r[i].start,
							rs->r[i].end));
	return a;
}

int tdx_json_print(struct json_object *o)
{
	int ret;

	ret = puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						  JSON_C_TO_STRING_SPACED));
	json_object_put(o);
	return ret < 0 || fflush(stdout) ? -1 : 0;
}
