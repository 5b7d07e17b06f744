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
	case EV_REGISTER:
	case EV_OVERFLOW:
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
	const char *tail = (const char *)data + EVENT_HDR_SIZE;
	size_t names;

	if (size < EVENT_HDR_SIZE)
		return -1;
	memcpy(e, data, EVENT_HDR_SIZE);
	names = (size_t)e->h.path_len + e->h.path2_len;
	if (e->h.path_len > PATH_BUF || e->h.path2_len > PATH_BUF ||
	    e->h.args_len > sizeof(e->args) ||
	    names + e->h.args_len > size - EVENT_HDR_SIZE)
		return -1;
	if (!known_type(e->h.type))
		return -1;
	memcpy(e->path, tail, names);
	/* what the record does not carry reads as zero, never as stale */
	memcpy(&e->args, tail + names, e->h.args_len);
	memset((char *)&e->args + e->h.args_len, 0,
	       sizeof(e->args) - e->h.args_len);
	return 0;
}

__u64 event_submit_ts(const struct event *e)
{
	if ((e->h.type == EV_WRITE || e->h.type == EV_COMPLETE) &&
	    e->req.latency <= e->h.ts)
		return e->h.ts - e->req.latency;
	return e->h.ts;
}
