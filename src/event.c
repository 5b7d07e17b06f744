// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Decoding perf buffer records: see event.h. */
#include <string.h>
#include "event.h"

/* an exec's arguments travel where a second name does */
_Static_assert(ARGS_MAX <= PATH_BUF, "arguments must fit the path2 check");

static int known_type(__u8 type)
{
	switch (type) {
	case EV_ISSUE:
	case EV_WRITE:
	case EV_CREATE:
	case EV_COMPLETE:
	case EV_FORK:
	case EV_EXEC:
	case EV_EXIT:
		return 1;
	default:
		return 0;
	}
}

int event_decode(struct event *e, const void *data, size_t size)
{
	if (size < EVENT_HDR_SIZE)
		return -1;
	memcpy(e, data, EVENT_HDR_SIZE);
	if (e->path_len > PATH_BUF || e->path2_len > PATH_BUF ||
	    (size_t)e->path_len + e->path2_len > size - EVENT_HDR_SIZE)
		return -1;
	if (!known_type(e->type))
		return -1;
	memcpy(e->path, (const char *)data + EVENT_HDR_SIZE,
	       (size_t)e->path_len + e->path2_len);
	return 0;
}

__u64 event_submit_ts(const struct event *e)
{
	if ((e->type == EV_WRITE || e->type == EV_COMPLETE) &&
	    e->latency <= e->ts)
		return e->ts - e->latency;
	return e->ts;
}
