/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json-c helpers: addresses as "0x..." strings (JSON numbers lose
 * precision above 2^53), range lists, printing.
 */
#ifndef TDXCTL_JSON_H
#define TDXCTL_JSON_H

#include <json-c/json.h>

#include "tdx_range.h"

struct json_object *tdx_json_hex(u64 v);
/* {"start": "0x..", "end": "0x.." (inclusive), "size": bytes} */
struct json_object *tdx_json_range(u64 start, u64 end);
struct json_object *tdx_json_ranges(const struct tdx_rangeset *rs);
/* Print pretty and drop the reference; non-zero if stdout failed. */
int tdx_json_print(struct json_object *o);

#endif /* TDXCTL_JSON_H */
