"""Meeting scheduler at forum scale: N participants, M accepted meetings, S slots, T tables, I interpreters.

Generates a seeded event that looks like a two-day Moscow–Beijing forum: each participant is available
in 70–100% of the slots (some miss a random slot or two, some a half-day), most Moscow participants
speak ru (+en), most Beijing ones zh (+en), a few speak the other side's language, and the rest need
one of a small pool of interpreters; some participants are asked for far more often than others (up
to one meeting per slot), a quarter of the requests are mutual and priorities range 1–3.

Prints placed/total, upper bounds on what can be placed (a counting bound, and a proven bound on the
weight), idle slots, wall time and peak RSS.

Usage: python bench/schedule.py [--participants 400] [--meetings 2000] [--slots 16] [--days 2]
       [--tables 80] [--interpreters 10] [--time-limit 60] [--workers 2] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

from expertbridge.matching.schedule import (
    Interpreter,
    Meeting,
    Participant,
    ScheduleProblem,
    Slot,
    SolveOptions,
    solve_schedule,
)
from expertbridge.matching.schedule_agenda import idle_slots
from expertbridge.matching.schedule_rules import meeting_needs, validate_pins
from expertbridge.matching.schedule_search import fill

BEIJING = timezone(timedelta(hours=8))
MOSCOW_LANGUAGES = [({"ru", "en"}, 70), ({"ru"}, 10), ({"ru", "zh", "en"}, 15), ({"ru", "zh"}, 5)]
BEIJING_LANGUAGES = [({"zh", "en"}, 70), ({"zh"}, 12), ({"zh", "ru", "en"}, 13), ({"zh", "ru"}, 5)]


BOUND_SOURCES = {
    "tables": "heaviest feasible meetings that fit the tables",
    "cp-sat": "CP-SAT's bound",
    "lp": "LP relaxation of the placement model, GLOP",
}


def make_slots(count: int, days: int, tables: int) -> tuple[Slot, ...]:
    """``count`` half-hour slots spread over ``days`` days from 09:30 Beijing time, ``tables`` each."""
    per_day = -(-count // days)
    slots = []
    for index in range(count):
        day, position = divmod(index, per_day)
        # A lunch break after the fourth slot of each day, as forums have.
        start = datetime(2023, 9, 12, 9, 30, tzinfo=BEIJING) + timedelta(
            days=day, minutes=30 * position + (60 if position >= 4 else 0)
        )
        slots.append(Slot(f"S{index + 1:02d}", start, start + timedelta(minutes=30), tables))
    return tuple(slots)


def availability(rng: random.Random, slots: tuple[Slot, ...]) -> frozenset[str] | None:
    """70–100% of the slots: a few random absences, or a missed half-day."""
    ids = [slot.slot_id for slot in slots]
    share = rng.uniform(0.7, 1.0)
    missing = len(ids) - round(share * len(ids))
    if missing == 0:
        return None
    if rng.random() < 0.5:
        start = rng.randrange(len(ids) - missing + 1)
        absent = set(ids[start : start + missing])
    else:
        absent = set(rng.sample(ids, missing))
    return frozenset(ids) - absent


def pick_languages(rng: random.Random, table: list[tuple[set[str], int]]) -> frozenset[str]:
    """A language set drawn with the table's weights."""
    sets, weights = zip(*table, strict=True)
    return frozenset(rng.choices(sets, weights=weights)[0])


def generate(
    rng: random.Random, participants: int, meetings: int, slots: tuple[Slot, ...], interpreters: int
) -> ScheduleProblem:
    """A seeded forum: two equal sides, skewed popularity, mutual requests, priorities, interpreters."""
    half = participants // 2
    people = [
        Participant(
            f"M{i:04d}",
            f"Moscow participant {i}",
            pick_languages(rng, MOSCOW_LANGUAGES),
            "moscow",
            availability(rng, slots),
        )
        for i in range(half)
    ] + [
        Participant(
            f"B{i:04d}",
            f"Beijing participant {i}",
            pick_languages(rng, BEIJING_LANGUAGES),
            "beijing",
            availability(rng, slots),
        )
        for i in range(participants - half)
    ]
    moscow, beijing = people[:half], people[half:]
    # Popularity: a few participants are asked for far more often than the rest (Pareto-like).
    popularity_m = [rng.paretovariate(2.0) for _ in moscow]
    popularity_b = [rng.paretovariate(2.0) for _ in beijing]
    # Nobody accepts more meetings than the event has slots; the popular ones reach that limit.
    cap = len(slots)
    pairs: set[tuple[str, str]] = set()
    accepted: Counter[str] = Counter()
    while len(pairs) < meetings:
        a = rng.choices(moscow, weights=popularity_m)[0].participant_id
        b = rng.choices(beijing, weights=popularity_b)[0].participant_id
        if (a, b) not in pairs and accepted[a] < cap and accepted[b] < cap:
            pairs.add((a, b))
            accepted[a] += 1
            accepted[b] += 1
    meeting_list = tuple(
        Meeting(
            f"T{index:05d}",
            a,
            b,
            priority=rng.choices((1, 2, 3), weights=(70, 20, 10))[0],
            mutual=rng.random() < 0.25,
        )
        for index, (a, b) in enumerate(sorted(pairs))
    )
    pair_sets = [
        frozenset({("ru", "zh")}),
        frozenset({("ru", "zh"), ("zh", "en")}),
        frozenset({("ru", "zh"), ("ru", "en")}),
    ]
    pool = tuple(
        Interpreter(
            f"I{index:02d}", rng.choices(pair_sets, weights=(70, 20, 10))[0], availability(rng, slots)
        )
        for index in range(interpreters)
    )
    return ScheduleProblem(slots, tuple(people), meeting_list, pool)


def counting_bound(problem: ScheduleProblem) -> tuple[int, str]:
    """An upper bound on how many meetings can be placed, and which limit gives it.

    The smallest of: meetings that pass the precheck; the tables of all slots; half the sum over
    participants of min(their feasible meetings, their usable slots); and, for the meetings that need
    an interpreter, the interpreters' working slots (added to the bound for the others).
    """
    feasible = [needs for needs in (meeting_needs(problem, m) for m in problem.meetings) if needs.slots]
    degree: Counter[str] = Counter()
    for needs in feasible:
        degree[needs.meeting.participant_a] += 1
        degree[needs.meeting.participant_b] += 1
    person_slots = {
        person.participant_id: sum(
            1 for s in problem.slots if s.tables > 0 and person.is_available(s.slot_id)
        )
        for person in problem.participants
    }
    interpreted = sum(1 for needs in feasible if needs.language is None)
    interpreter_slots = sum(
        sum(1 for s in problem.slots if i.is_available(s.slot_id)) for i in problem.interpreters
    )
    bounds = {
        "feasible meetings": len(feasible),
        "table-slots": sum(slot.tables for slot in problem.slots),
        "participant capacity": sum(min(degree[p], person_slots[p]) for p in degree) // 2,
        "interpreter capacity": len(feasible) - interpreted + min(interpreted, interpreter_slots),
    }
    name = min(bounds, key=bounds.__getitem__)
    return bounds[name], name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--meetings", type=int, default=2000)
    parser.add_argument("--slots", type=int, default=16)
    parser.add_argument("--days", type=int, default=2)
    parser.add_argument("--tables", type=int, default=80)
    parser.add_argument("--interpreters", type=int, default=10)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    problem = generate(
        rng,
        args.participants,
        args.meetings,
        make_slots(args.slots, args.days, args.tables),
        args.interpreters,
    )
    interpreted = sum(1 for m in problem.meetings if meeting_needs(problem, m).language is None)
    print(
        f"instance: {len(problem.participants)} participants, {len(problem.meetings)} meetings "
        f"({interpreted} need an interpreter), {len(problem.slots)} slots x {args.tables} tables, "
        f"{len(problem.interpreters)} interpreters, seed {args.seed}"
    )
    started = time.perf_counter()
    schedule = solve_schedule(
        problem, options=SolveOptions(time_limit=args.time_limit, num_workers=args.workers)
    )
    wall = time.perf_counter() - started
    stats = schedule.stats
    bound, limit = counting_bound(problem)
    reasons = Counter(item.code for item in schedule.unplaced)
    print(f"placed: {stats.placed}/{stats.total} meetings")
    print(f"upper bound on placeable meetings (counting, {limit}): {bound}")
    print(
        f"placed weight: {stats.weight}; proven upper bound on the weight: {stats.weight_bound} "
        f"({BOUND_SOURCES[stats.weight_bound_source]}; placement {stats.placement_status})"
    )
    needs = {m.meeting_id: meeting_needs(problem, m) for m in problem.meetings}
    greedy = validate_pins(problem, (), needs)
    fill(greedy, needs)
    print(
        f"idle slots (all participants): {stats.idle_slots} (gap phase {stats.gap_status}; "
        f"the greedy warm start had {idle_slots(problem, greedy.placements())})"
    )
    print(f"unplaced by reason: {dict(sorted(reasons.items()))}")
    print(
        f"status: {stats.status} (method {stats.method}, {stats.search_rounds} neighbourhoods); "
        f"wall time: {wall:.1f} s (time limit {args.time_limit:g} s)"
    )
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
