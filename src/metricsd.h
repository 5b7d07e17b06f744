/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --metrics: the HTTP side. libmicrohttpd's own thread answers GET and
 * HEAD /metrics with the text the main loop published last; the main
 * loop never waits for a client.
 */
#ifndef __METRICSD_H
#define __METRICSD_H

#include <stdbool.h>
#include <sys/socket.h>
#include "summary.h"

struct losses;
struct metricsd;

/*
 * Listen on addr and serve the families with no series yet. NULL, said
 * on stderr in one line, when the address cannot be had.
 */
struct metricsd *metricsd_start(const struct sockaddr_storage *addr,
				bool verbose);

/* Add the entries that summary_collect() just read to the totals. */
void metricsd_add(struct metricsd *d, const struct stat_entry *ents,
		  unsigned int n);

/* Add what each ring counted since the read before (src/rings.c). */
struct rings;
void metricsd_rings(struct metricsd *d, const struct rings *r);

/* Render the totals and what losses counted; scrapes get them from now. */
void metricsd_publish(struct metricsd *d, const struct losses *losses);

/* Completions counted so far. */
unsigned long long metricsd_completions(const struct metricsd *d);

/* Stop serving; clients being answered are cut off. */
void metricsd_stop(struct metricsd *d);

#endif /* __METRICSD_H */
