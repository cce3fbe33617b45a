/* SPDX-License-Identifier: BSD-2-Clause */
/* The timing wheel: never early, never lost, due order, cancel, re-arm from
 * a callback, long pauses, thousands of timers, next-due, jitter. */
#include "base/timer.h"
#include "cu.h"

#include <stdlib.h>
#include <string.h>

#define MS 1000ull
#define S (1000 * MS)

struct probe {
	struct timer t;
	int fired;
	uint64_t fired_at;
	int order;
};

static int order_counter;
static struct timer_wheel *cur_wheel;

#define PROBE_OF(tp) ((struct probe *)((char *)(tp) - offsetof(struct probe, t)))

static void on_fire(struct timer *t, uint64_t now)
{
	struct probe *p = PROBE_OF(t);

	p->fired++;
	p->fired_at = now;
	p->order = ++order_counter;
}

static void test_fires_at_due_never_early(void)
{
	struct timer_wheel w;
	struct probe a;

	timer_wheel_init(&w);
	memset(&a, 0, sizeof(a));
	timer_init(&a.t, on_fire);
	timer_wheel_run(&w, 10 * S);
	timer_arm(&w, &a.t, 10 * S + 3 * S + 500);
	CU_ASSERT_TRUE(timer_armed(&a.t));
	CU_ASSERT_EQUAL(w.armed, 1);
	CU_ASSERT_EQUAL(timer_wheel_run(&w, 10 * S + 3 * S + 499), 0);	/* 1 us early */
	CU_ASSERT_EQUAL(a.fired, 0);
	CU_ASSERT_EQUAL(timer_wheel_run(&w, 10 * S + 3 * S + 500), 1);
	CU_ASSERT_EQUAL(a.fired, 1);
	CU_ASSERT_FALSE(timer_armed(&a.t));
	CU_ASSERT_EQUAL(w.armed, 0);
	CU_ASSERT_EQUAL(timer_wheel_run(&w, 20 * S), 0);			/* fired once */
}

/* Timers several turns of the wheel apart share slots; each fires at its time. */
static void test_same_slot_other_turns(void)
{
	struct timer_wheel w;
	struct probe p[4];

	timer_wheel_init(&w);
	memset(p, 0, sizeof(p));
	timer_wheel_run(&w, 0);
	for (int i = 0; i < 4; i++) {
		timer_init(&p[i].t, on_fire);
		timer_arm(&w, &p[i].t, 5 * MS + (uint64_t)i * TIMER_SLOTS * MS);
	}
	for (int i = 0; i < 4; i++) {
		uint64_t due = 5 * MS + (uint64_t)i * TIMER_SLOTS * MS;

		CU_ASSERT_EQUAL(timer_wheel_run(&w, due - 1), 0);
		CU_ASSERT_EQUAL(timer_wheel_run(&w, due), 1);
		CU_ASSERT_EQUAL(p[i].fired, 1);
		CU_ASSERT_EQUAL(p[i].fired_at, due);
	}
}

static void test_due_order_within_a_run(void)
{
	struct timer_wheel w;
	struct probe p[5];
	static const uint64_t due[5] = { 900, 100, 2500, 100 + 1, 50 * MS };

	timer_wheel_init(&w);
	memset(p, 0, sizeof(p));
	order_counter = 0;
	timer_wheel_run(&w, 0);
	for (int i = 0; i < 5; i++) {
		timer_init(&p[i].t, on_fire);
		timer_arm(&w, &p[i].t, due[i]);
	}
	CU_ASSERT_EQUAL(timer_wheel_run(&w, 60 * MS), 5);
	CU_ASSERT_EQUAL(p[1].order, 1);
	CU_ASSERT_EQUAL(p[3].order, 2);
	CU_ASSERT_EQUAL(p[0].order, 3);
	CU_ASSERT_EQUAL(p[2].order, 4);
	CU_ASSERT_EQUAL(p[4].order, 5);
}

static void test_cancel_and_rearm(void)
{
	struct timer_wheel w;
	struct probe a, b;

	timer_wheel_init(&w);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	timer_init(&a.t, on_fire);
	timer_init(&b.t, on_fire);
	timer_wheel_run(&w, 0);
	timer_cancel(&w, &a.t);				/* not armed: harmless */
	timer_arm(&w, &a.t, 10 * MS);
	timer_arm(&w, &b.t, 10 * MS);
	timer_cancel(&w, &a.t);
	timer_cancel(&w, &a.t);
	CU_ASSERT_EQUAL(w.armed, 1);
	timer_arm(&w, &b.t, 20 * MS);			/* re-arm moves it */
	CU_ASSERT_EQUAL(w.armed, 1);
	CU_ASSERT_EQUAL(timer_wheel_run(&w, 15 * MS), 0);
	CU_ASSERT_EQUAL(timer_wheel_run(&w, 20 * MS), 1);
	CU_ASSERT_EQUAL(a.fired, 0);
	CU_ASSERT_EQUAL(b.fired, 1);
}

/* A periodic timer re-arming itself, and one cancelling another due in the same run. */
static struct probe *victim;

static void periodic(struct timer *t, uint64_t now)
{
	on_fire(t, now);
	timer_arm(cur_wheel, t, t->due + 100 * MS);	/* a period that does not drift */
}

static void killer(struct timer *t, uint64_t now)
{
	on_fire(t, now);
	timer_cancel(cur_wheel, &victim->t);
}

static void test_callbacks_arm_and_cancel(void)
{
	struct timer_wheel w;
	struct probe per, k, v;

	timer_wheel_init(&w);
	cur_wheel = &w;
	memset(&per, 0, sizeof(per));
	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	victim = &v;
	timer_init(&per.t, periodic);
	timer_init(&k.t, killer);
	timer_init(&v.t, on_fire);
	timer_wheel_run(&w, 0);
	timer_arm(&w, &per.t, 100 * MS);
	timer_arm(&w, &k.t, 5 * MS);
	timer_arm(&w, &v.t, 5 * MS + 10);		/* same slot, later: cancelled first */
	for (uint64_t now = 0; now <= 1 * S + 7 * MS; now += 7 * MS)	/* last run: 1001 ms */
		timer_wheel_run(&w, now);
	CU_ASSERT_EQUAL(k.fired, 1);
	CU_ASSERT_EQUAL(v.fired, 0);
	CU_ASSERT_EQUAL(per.fired, 10);			/* 100, 200, ... 1000 ms */
	CU_ASSERT_TRUE(timer_armed(&per.t));
}

/* An owner arming a timer for a time already past: fires on the next run. */
static void test_arm_in_the_past(void)
{
	struct timer_wheel w;
	struct probe a;

	timer_wheel_init(&w);
	memset(&a, 0, sizeof(a));
	timer_init(&a.t, on_fire);
	timer_wheel_run(&w, 50 * S);
	timer_arm(&w, &a.t, 1 * S);
	CU_ASSERT_EQUAL(timer_wheel_run(&w, 50 * S), 1);
	CU_ASSERT_EQUAL(a.fired, 1);
	/* and before the first run ever, with due far behind */
	timer_wheel_init(&w);
	timer_arm(&w, &a.t, 1 * S);
	CU_ASSERT_EQUAL(timer_wheel_run(&w, 3600 * S), 1);
	CU_ASSERT_EQUAL(a.fired, 2);
}

/* A pause of an hour visits each slot once and loses nothing. */
static void test_long_pause(void)
{
	struct timer_wheel w;
	struct probe p[3];

	timer_wheel_init(&w);
	memset(p, 0, sizeof(p));
	timer_wheel_run(&w, 0);
	for (int i = 0; i < 3; i++) {
		timer_init(&p[i].t, on_fire);
		timer_arm(&w, &p[i].t, (uint64_t)(i + 1) * 1000 * S);
	}
	timer_arm(&w, &p[2].t, 7200 * S);		/* beyond the pause */
	CU_ASSERT_EQUAL(timer_wheel_run(&w, 3600 * S), 2);
	CU_ASSERT_EQUAL(p[0].fired + p[1].fired, 2);
	CU_ASSERT_EQUAL(p[2].fired, 0);
	CU_ASSERT_EQUAL(timer_wheel_run(&w, 7200 * S), 1);
}

/* 20,000 timers at random times, run at random steps: each fires exactly
 * once, never early, and at most one step late. */
static void test_many_random(void)
{
	enum { N = 20000 };
	struct probe *p = calloc(N, sizeof(*p));
	struct timer_wheel *w = malloc(sizeof(*w));
	uint64_t rng = 42, now = 0, step_max = 0;
	size_t fired = 0;

	timer_wheel_init(w);
	timer_wheel_run(w, 0);
	for (int i = 0; i < N; i++) {
		timer_init(&p[i].t, on_fire);
		timer_arm(w, &p[i].t, cu_rand(&rng) % (120 * S));
	}
	while (w->armed) {
		uint64_t step = cu_rand(&rng) % (50 * MS);

		if (step > step_max)
			step_max = step;
		now += step;
		fired += timer_wheel_run(w, now);
	}
	CU_ASSERT_EQUAL(fired, N);
	for (int i = 0; i < N; i++) {
		CU_ASSERT_EQUAL_FATAL(p[i].fired, 1);
		CU_ASSERT_TRUE_FATAL(p[i].fired_at >= p[i].t.due);
		CU_ASSERT_TRUE_FATAL(p[i].fired_at - p[i].t.due <= step_max);
	}
	free(p);
	free(w);
}

static void test_next_due(void)
{
	struct timer_wheel w;
	struct probe a, b;

	timer_wheel_init(&w);
	timer_init(&a.t, on_fire);
	timer_init(&b.t, on_fire);
	timer_wheel_run(&w, 100 * S);
	CU_ASSERT_EQUAL(timer_wheel_next(&w), UINT64_MAX);
	timer_arm(&w, &a.t, 100 * S + 2 * S + 7);
	timer_arm(&w, &b.t, 100 * S + 1 * S + 3);
	CU_ASSERT_EQUAL(timer_wheel_next(&w), 100 * S + 1 * S + 3);
	timer_cancel(&w, &b.t);
	CU_ASSERT_EQUAL(timer_wheel_next(&w), 100 * S + 2 * S + 7);
	/* far ahead: an answer no later than the timer, so the loop wakes in time */
	timer_arm(&w, &a.t, 100 * S + 60 * S);
	CU_ASSERT_TRUE(timer_wheel_next(&w) <= 100 * S + 60 * S);
	CU_ASSERT_TRUE(timer_wheel_next(&w) > 100 * S);
}

static void test_jitter_spreads(void)
{
	unsigned bucket[10] = { 0 };

	for (uint64_t k = 0; k < 10000; k++) {
		uint64_t j = timer_jitter(k, 10 * S);

		CU_ASSERT_TRUE_FATAL(j < 10 * S);
		bucket[j / S]++;
	}
	for (int i = 0; i < 10; i++)
		CU_ASSERT_TRUE(bucket[i] > 900 && bucket[i] < 1100);	/* ~1000 each */
	CU_ASSERT_EQUAL(timer_jitter(5, 0), 0);
	CU_ASSERT_EQUAL(timer_jitter(5, 1000), timer_jitter(5, 1000));
}

static const struct cu_case cases[] = {
	{ "fires at due, never early", test_fires_at_due_never_early },
	{ "same slot, other turns", test_same_slot_other_turns },
	{ "due order within a run", test_due_order_within_a_run },
	{ "cancel and re-arm", test_cancel_and_rearm },
	{ "callbacks arm and cancel", test_callbacks_arm_and_cancel },
	{ "arm in the past", test_arm_in_the_past },
	{ "long pause", test_long_pause },
	{ "20,000 random timers", test_many_random },
	{ "next due", test_next_due },
	{ "jitter spreads", test_jitter_spreads },
	{ NULL, NULL }
};

int main(int argc, char **argv)
{
	return cu_main("timer", cases, argc, argv);
}
