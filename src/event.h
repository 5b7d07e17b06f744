/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Decoding one record from a perf buffer into a struct event: the one
 * place that trusts nothing of a record's size and lengths, for events
 * and process records alike.
 */
#ifndef __EVENT_H
#define __EVENT_H

#include <linux/types.h>
#include <stddef.h>
#include "iouringsnoop.h"

/*
 * Copy a record into e: the header, then the path_len + path2_len bytes
 * of names after it (records are not aligned for struct event). Returns
 * 0, or -1 if the record is too short, names a length longer than the
 * record or than the buffers, or has an unknown type.
 */
int event_decode(struct event *e, const void *data, size_t size);

/*
 * When the event's process is the one to look up: a write completes
 * later, in any task, but belongs to the process that submitted it.
 */
__u64 event_submit_ts(const struct event *e);

#endif /* __EVENT_H */
