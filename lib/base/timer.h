/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Timers for the session engine: a hashed timing wheel (Varghese & Lauck),
 * driven by the time the caller passes in.  No clock is read here and
 * nothing is allocated: a struct timer lives inside its owner (a PPP
 * automaton, a GRE call, a control connection), so arming and cancelling
 * are O(1) pointer operations, cheap by the ten thousand.
 *
 * Time is in microseconds on the caller's monotonic clock.  The wheel keeps
 * 1 ms slots; a timer fires on the first timer_wheel_run() whose `now` is at
 * or past its due time (never early), in due order within a run (timers
 * overdue by more than a turn of the wheel, 4.096 s, fire in slot order).  A callback may arm or cancel any
 * timer, itself included, and may free the owner of any timer other than
 * the ones still queued: the wheel touches a timer only while it is armed.
 *
 * Spreading: thousands of sessions that share a period (LCP echo every
 * 10 s) should not fire in one burst; owners add their own offset (e.g.
 * timer_jitter()) when they arm.
 */
#ifndef PPTP_BASE_TIMER_H
#define PPTP_BASE_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TIMER_SLOTS	4096u		/* 1 ms each: one turn of the wheel is 4.096 s */
#define TIMER_TICK_US	1000u

struct timer;
typedef void timer_fn(struct timer *t, uint64_t now);

struct timer {
	struct timer *next;		/* in its slot, or NULL */
	struct timer **pprev;		/* the pointer to this timer; NULL when not armed */
	uint64_t due;			/* microseconds */
	timer_fn *fn;
};

struct timer_wheel {
	uint64_t tick;			/* the next 1 ms tick to process */
	bool started;
	size_t armed;			/* timers armed now */
	uint64_t fired;			/* timers fired so far */
	struct timer *slot[TIMER_SLOTS];
};

void timer_wheel_init(struct timer_wheel *w);

/* A timer that is not armed, with its callback. */
void timer_init(struct timer *t, timer_fn *fn);

static inline bool timer_armed(const struct timer *t) { return t->pprev != NULL; }

/* Arm (or re-arm) t to fire at `due` (microseconds). */
void timer_arm(struct timer_wheel *w, struct timer *t, uint64_t due);

/* Disarm t; harmless when it is not armed. */
void timer_cancel(struct timer_wheel *w, struct timer *t);

/*
 * Fire every timer due at or before now; returns how many fired.  A timer
 * armed by a callback for a time already past fires in the same run if the
 * run still has ticks to go, else on the next.  Time must not go backwards
 * (an earlier now fires nothing).
 */
size_t timer_wheel_run(struct timer_wheel *w, uint64_t now);

/*
 * The due time of the earliest armed timer, looking at most one turn of the
 * wheel ahead: UINT64_MAX when none is armed; a value at most `now + 4.096 s`
 * otherwise (the caller then simply runs the wheel again at that time).
 * For an event loop's poll timeout.
 */
uint64_t timer_wheel_next(const struct timer_wheel *w);

/*
 * A deterministic offset in [0, span) derived from key (a session number):
 * spreads periodic timers of many owners over the period.
 */
uint64_t timer_jitter(uint64_t key, uint64_t span);

#endif
