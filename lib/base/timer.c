/* SPDX-License-Identifier: BSD-2-Clause */
#include "base/timer.h"

#include <string.h>

void timer_wheel_init(struct timer_wheel *w)
{
	memset(w, 0, sizeof(*w));
}

void timer_init(struct timer *t, timer_fn *fn)
{
	t->next = NULL;
	t->pprev = NULL;
	t->due = 0;
	t->fn = fn;
}

static void unlink_timer(struct timer *t)
{
	*t->pprev = t->next;
	if (t->next)
		t->next->pprev = t->pprev;
	t->next = NULL;
	t->pprev = NULL;
}

void timer_cancel(struct timer_wheel *w, struct timer *t)
{
	if (!timer_armed(t))
		return;
	unlink_timer(t);
	w->armed--;
}

void timer_arm(struct timer_wheel *w, struct timer *t, uint64_t due)
{
	uint64_t tick = due / TIMER_TICK_US;
	struct timer **head;

	timer_cancel(w, t);
	/* Due in a tick already processed (or being processed): the next one. */
	if (w->started && tick < w->tick)
		tick = w->tick;
	head = &w->slot[tick % TIMER_SLOTS];
	t->due = due;
	t->next = *head;
	if (t->next)
		t->next->pprev = &t->next;
	t->pprev = head;
	*head = t;
	w->armed++;
}

/* Put t, unlinked, into the list at *head kept in due order. */
static void insert_sorted(struct timer **head, struct timer *t)
{
	struct timer **pp;

	for (pp = head; *pp && (*pp)->due <= t->due; pp = &(*pp)->next)
		;
	t->next = *pp;
	if (t->next)
		t->next->pprev = &t->next;
	t->pprev = pp;
	*pp = t;
}

/*
 * Fire the timers of one slot that are due by `limit`.  They move first to
 * a local list in due order, still armed, so a callback may cancel or re-arm
 * any of them (or arm new ones into this slot) before its turn comes.
 */
static size_t run_slot(struct timer_wheel *w, struct timer **head, uint64_t limit, uint64_t now)
{
	struct timer *due = NULL;
	size_t n = 0;

	for (struct timer *t = *head, *next; t; t = next) {
		next = t->next;
		if (t->due > limit)
			continue;
		unlink_timer(t);
		insert_sorted(&due, t);
	}
	while (due) {
		struct timer *t = due;

		unlink_timer(t);
		w->armed--;
		n++;
		w->fired++;
		t->fn(t, now);
	}
	return n;
}

size_t timer_wheel_run(struct timer_wheel *w, uint64_t now)
{
	uint64_t last = now / TIMER_TICK_US;
	size_t n = 0;

	if (!w->started) {
		w->started = true;
		/* Timers armed before the first run may be due long before now. */
		w->tick = last >= TIMER_SLOTS ? last - (TIMER_SLOTS - 1) : 0;
	}
	if (last < w->tick)
		return 0;
	/* After a long pause every slot is visited once, not every missed tick. */
	if (last - w->tick >= TIMER_SLOTS)
		w->tick = last - (TIMER_SLOTS - 1);
	for (;;) {
		uint64_t tick = w->tick;

		/* While a tick runs, timers armed for it or before go to the
		 * next one, so a callback can never keep a tick busy. */
		w->tick = tick + 1;
		if (w->armed)
			n += run_slot(w, &w->slot[tick % TIMER_SLOTS],
				      tick == last ? now : (tick + 1) * TIMER_TICK_US - 1, now);
		if (tick == last || w->armed == 0) {
			/* The last tick is only done up to `now`: visit it again. */
			w->tick = last;
			break;
		}
	}
	return n;
}

uint64_t timer_wheel_next(const struct timer_wheel *w)
{
	uint64_t best = UINT64_MAX;

	if (w->armed == 0)
		return UINT64_MAX;
	for (uint64_t i = 0; i < TIMER_SLOTS; i++) {
		const struct timer *t = w->slot[(w->tick + i) % TIMER_SLOTS];

		for (; t; t = t->next)
			if (t->due < best)
				best = t->due;
		/* a slot holds timers of this turn and later ones: only stop
		 * once a due time within this turn has been seen */
		if (best != UINT64_MAX && best / TIMER_TICK_US <= w->tick + i)
			return best;
	}
	return best;
}

uint64_t timer_jitter(uint64_t key, uint64_t span)
{
	/* splitmix64 finaliser: neighbouring keys land far apart */
	key += 0x9E3779B97F4A7C15ull;
	key = (key ^ (key >> 30)) * 0xBF58476D1CE4E5B9ull;
	key = (key ^ (key >> 27)) * 0x94D049BB133111EBull;
	key ^= key >> 31;
	return span ? key % span : 0;
}
