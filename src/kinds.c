// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What the kernel is asked to send, and which of the events it sends are
 * printed and drawn: see options.h.
 */
#include "options.h"

/*
 * --timeline draws every request that passes the filters in the kernel:
 * it needs issue and complete events whatever -e, -x and -m say, so
 * these three are applied here instead, to what is printed.
 */
unsigned int env_traced_kinds(const struct env *env)
{
	if (!env->timeline)
		return env->kinds;
	return env->kinds | KIND_ISSUE | KIND_COMPLETE;
}

bool env_filters_in_kernel(const struct env *env)
{
	return !env->timeline;
}

/* -x and -m, as the kernel applies them (see env_traced_kinds). */
static bool slow_or_failed(const struct env *env, const struct event *e)
{
	if (e->h.type != EV_WRITE && e->h.type != EV_COMPLETE)
		return !env->failed_only;
	if (env->failed_only && e->req.res >= 0)
		return false;
	return e->req.latency >= env->min_latency_ns;
}

bool env_prints(const struct env *env, const struct event *e)
{
	if (env_filters_in_kernel(env))
		return true;
	return env->kinds & 1U << e->h.type && slow_or_failed(env, e);
}

bool env_draws(const struct env *env, const struct event *e)
{
	return e->h.type != EV_COMPLETE || env_filters_in_kernel(env) ||
	       slow_or_failed(env, e);
}
