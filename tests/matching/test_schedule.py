"""The meeting scheduler: optimality against brute force, hard rules, reasons, pins, hand moves, gaps."""

from __future__ import annotations

import doctest
import itertools
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from expertbridge.matching import schedule as schedule_module
from expertbridge.matching import schedule_cp, schedule_model
from expertbridge.matching.schedule import (
    Interpreter,
    Meeting,
    MoveConflictError,
    Participant,
    Pin,
    Schedule,
    ScheduleInputError,
    ScheduleProblem,
    Slot,
    SolveOptions,
    agendas,
    apply_move,
    check_move,
    idle_slots_by_participant,
    solve_schedule,
    unplace,
)
from expertbridge.matching.schedule_model import language_pair

BASE = datetime(2023, 9, 12, 1, 30, tzinfo=UTC)
FAST = SolveOptions(time_limit=20.0, num_workers=2)


def make_slots(per_day: int, days: int = 1, tables: int | list[int] = 1) -> tuple[Slot, ...]:
    """``per_day`` consecutive half-hour slots on each of ``days`` days, named s<day><index>."""
    result = []
    for day in range(days):
        for index in range(per_day):
            start = BASE + timedelta(days=day, minutes=30 * index)
            count = tables if isinstance(tables, int) else tables[len(result)]
            result.append(Slot(f"s{day}{index}", start, start + timedelta(minutes=30), count))
    return tuple(result)


def person(pid: str, languages: str = "ru", available: str | None = None, name: str = "") -> Participant:
    """A participant; ``languages`` and ``available`` are ;-separated."""
    slots = None if available is None else frozenset(available.split(";")) - {""}
    return Participant(pid, name or f"Person {pid}", frozenset(languages.split(";")), "", slots)


def interpreter(iid: str, pairs: str = "ru-zh", available: str | None = None) -> Interpreter:
    """An interpreter; ``pairs`` like ``ru-zh;en-zh``."""
    covered = frozenset(language_pair(*pair.split("-")) for pair in pairs.split(";"))
    slots = None if available is None else frozenset(available.split(";"))
    return Interpreter(iid, covered, slots)


def random_problem(
    seed: int, *, slots: int = 3, days: int = 1, people: int = 5, meetings: int = 6, interpreters: int = 2
) -> ScheduleProblem:
    """A small random event: mixed languages, partial availability, 0–2 tables, a mixed pool."""
    rng = random.Random(seed)
    slot_list = make_slots(slots, days, [rng.choice((0, 1, 1, 2, 2)) for _ in range(slots * days)])
    ids = [slot.slot_id for slot in slot_list]
    language_sets = ["ru", "ru;en", "zh", "zh;en", "en", "ru;zh"]

    def availability() -> str | None:
        return None if rng.random() < 0.3 else ";".join(rng.sample(ids, rng.randint(1, len(ids))))

    participants = tuple(person(f"p{i}", rng.choice(language_sets), availability()) for i in range(people))
    pairs = list(itertools.combinations(range(people), 2))
    chosen = rng.sample(pairs, min(meetings, len(pairs)))
    meeting_list = tuple(
        Meeting(f"m{k}", f"p{a}", f"p{b}", rng.randint(1, 3), rng.random() < 0.3)
        for k, (a, b) in enumerate(chosen)
    )
    pool = tuple(
        interpreter(f"i{k}", rng.choice(["ru-zh", "ru-zh;en-zh", "en-zh", "ru-en;ru-zh"]), availability())
        for k in range(interpreters)
    )
    return ScheduleProblem(slot_list, participants, meeting_list, pool)


def interpreter_fits(problem: ScheduleProblem, meeting: Meeting, interpreter_id: str) -> bool:
    """Whether the interpreter covers a pair of the two participants' languages (written from scratch)."""
    a = problem.participant_by_id[meeting.participant_a]
    b = problem.participant_by_id[meeting.participant_b]
    pool = problem.interpreter_by_id[interpreter_id]
    return any(x != y and pool.covers(x, y) for x in a.languages for y in b.languages)


def assert_valid(schedule: Schedule, pins: tuple[Pin, ...] = ()) -> None:
    """Every hard rule, checked independently of the engine's own rules."""
    problem = schedule.problem
    busy: set[tuple[str, str]] = set()
    tables: set[tuple[str, int]] = set()
    interpreting: set[tuple[str, str]] = set()
    placed = {p.meeting_id for p in schedule.placements}
    assert len(placed) == len(schedule.placements)
    assert placed.isdisjoint(u.meeting_id for u in schedule.unplaced)
    assert placed | {u.meeting_id for u in schedule.unplaced} == set(problem.meeting_by_id)
    for placement in schedule.placements:
        meeting = problem.meeting_by_id[placement.meeting_id]
        slot = problem.slot_by_id[placement.slot_id]
        for pid in (meeting.participant_a, meeting.participant_b):
            assert problem.participant_by_id[pid].is_available(slot.slot_id), (pid, slot.slot_id)
            assert (pid, slot.slot_id) not in busy, f"{pid} double-booked in {slot.slot_id}"
            busy.add((pid, slot.slot_id))
        assert 1 <= placement.table <= slot.tables
        assert (slot.slot_id, placement.table) not in tables
        tables.add((slot.slot_id, placement.table))
        a = problem.participant_by_id[meeting.participant_a]
        b = problem.participant_by_id[meeting.participant_b]
        if a.languages & b.languages:
            continue
        assert placement.interpreter_id is not None, f"{meeting.meeting_id} has no common language"
        assert interpreter_fits(problem, meeting, placement.interpreter_id)
        assert problem.interpreter_by_id[placement.interpreter_id].is_available(slot.slot_id)
        assert (placement.interpreter_id, slot.slot_id) not in interpreting
        interpreting.add((placement.interpreter_id, slot.slot_id))
    for pin in pins:
        placement = schedule.placement_by_meeting[pin.meeting_id]
        assert placement.slot_id == pin.slot_id
        assert pin.table in (None, placement.table)
        assert pin.interpreter_id in (None, placement.interpreter_id)


def brute_force_weight(problem: ScheduleProblem) -> int:
    """The best placed weight over every assignment of meetings to slots (or none)."""
    options: list[str | None] = [None, *problem.slot_by_id]
    best = 0
    for choice in itertools.product(options, repeat=len(problem.meetings)):
        if _feasible(problem, choice):
            best = max(
                best,
                sum(problem.weight(m) for m, slot in zip(problem.meetings, choice, strict=True) if slot),
            )
    return best


def _feasible(problem: ScheduleProblem, choice: tuple[str | None, ...]) -> bool:
    by_slot: dict[str, list[Meeting]] = defaultdict(list)
    for meeting, slot_id in zip(problem.meetings, choice, strict=True):
        if slot_id is None:
            continue
        for pid in (meeting.participant_a, meeting.participant_b):
            if not problem.participant_by_id[pid].is_available(slot_id):
                return False
        by_slot[slot_id].append(meeting)
    for slot_id, meetings in by_slot.items():
        if len(meetings) > problem.slot_by_id[slot_id].tables:
            return False
        people = [p for m in meetings for p in (m.participant_a, m.participant_b)]
        if len(people) != len(set(people)):
            return False
        needing = [
            m
            for m in meetings
            if not problem.participant_by_id[m.participant_a].languages
            & problem.participant_by_id[m.participant_b].languages
        ]
        working = [i.interpreter_id for i in problem.interpreters if i.is_available(slot_id)]
        if not any(
            all(interpreter_fits(problem, m, i) for m, i in zip(needing, assignment, strict=True))
            for assignment in itertools.permutations(working, len(needing))
        ):
            return False
    return True


def test_doctests() -> None:
    for module in (schedule_module, schedule_model):
        assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("seed", range(24))
def test_small_instances_are_solved_optimally(seed: int) -> None:
    problem = random_problem(seed)
    result = solve_schedule(problem, options=FAST)
    assert_valid(result)
    assert result.stats.weight == brute_force_weight(problem)
    assert result.stats.placement_status == "OPTIMAL"
    assert result.stats.weight_bound == result.stats.weight


@pytest.mark.parametrize("seed", range(10))
def test_the_neighbourhood_search_also_reaches_the_optimum_on_small_events(seed: int) -> None:
    problem = random_problem(200 + seed)
    result = solve_schedule(problem, options=SolveOptions(time_limit=5.0, method="search"))
    assert_valid(result)
    assert result.stats.method == "search"
    assert result.stats.weight == brute_force_weight(problem)


@pytest.mark.parametrize("seed", range(6))
def test_explicit_interpreter_variables_agree_with_hall_constraints(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    problem = random_problem(100 + seed, meetings=7, interpreters=3)
    hall = solve_schedule(problem, options=FAST)
    monkeypatch.setattr(schedule_cp, "MAX_HALL_UNIONS", 0)
    explicit = solve_schedule(problem, options=FAST)
    assert_valid(explicit)
    assert explicit.stats.weight == hall.stats.weight == brute_force_weight(problem)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_hard_rules_hold_on_random_events(seed: int) -> None:
    problem = random_problem(seed, slots=4, days=2, people=9, meetings=16, interpreters=3)
    rng = random.Random(seed)
    method = rng.choice(["global", "search"])
    result = solve_schedule(problem, options=SolveOptions(time_limit=1.0, method=method, random_seed=seed))
    assert_valid(result)
    assert result.stats.placed == len(result.placements)
    assert result.stats.idle_slots == sum(idle_slots_by_participant(problem, result.placements).values())
    # Keeping a third of the placements as pins and solving again keeps them and breaks no rule.
    pins = result.as_pins()[::3]
    again = solve_schedule(problem, pins, SolveOptions(time_limit=1.0, method=method))
    assert_valid(again, pins)


def test_large_event_uses_the_neighbourhood_search() -> None:
    rng = random.Random(7)
    slots = make_slots(8, days=2, tables=12)
    people = tuple(person(f"p{i}", rng.choice(["ru", "ru;en", "zh", "zh;en"])) for i in range(60))
    pairs = rng.sample(list(itertools.combinations(range(60), 2)), 420)
    meetings = tuple(Meeting(f"m{k}", f"p{a}", f"p{b}", rng.randint(1, 3)) for k, (a, b) in enumerate(pairs))
    pool = (interpreter("i0"), interpreter("i1", "ru-zh;en-zh"), interpreter("i2", "en-zh", "s00;s01;s02"))
    problem = ScheduleProblem(slots, people, meetings, pool)
    result = solve_schedule(problem, options=SolveOptions(time_limit=4.0))
    assert result.stats.method in ("search", "global+search")
    assert result.stats.search_rounds > 0
    assert_valid(result)
    assert result.stats.weight <= result.stats.weight_bound


def test_everything_fits_with_the_fewest_idle_slots() -> None:
    slots = make_slots(3)
    people = (person("a"), person("b"), person("c"))
    meetings = (Meeting("ab", "a", "b"), Meeting("ac", "a", "c"), Meeting("bc", "b", "c"))
    result = solve_schedule(ScheduleProblem(slots, people, meetings), options=FAST)
    assert result.stats.status == "OPTIMAL"
    assert result.stats.placed == 3 and not result.unplaced
    # Three meetings of a triangle in three slots: someone has the first and the last one.
    assert result.stats.idle_slots == 1


def reason(problem: ScheduleProblem, meeting_id: str, pins: tuple[Pin, ...] = ()) -> tuple[str, str]:
    result = solve_schedule(problem, pins, FAST)
    assert_valid(result, pins)
    found = {u.meeting_id: (u.code, u.reason) for u in result.unplaced}
    assert meeting_id in found, f"{meeting_id} was placed"
    return found[meeting_id]


def test_reason_no_common_slot() -> None:
    problem = ScheduleProblem(
        make_slots(2), (person("a", available="s00"), person("b", available="s01")), (Meeting("m", "a", "b"),)
    )
    assert reason(problem, "m") == (
        "no_common_slot",
        "no common available slot for Person a (a) and Person b (b)",
    )


def test_reason_no_table() -> None:
    problem = ScheduleProblem(
        make_slots(2, tables=[0, 3]), (person("a", available="s00"), person("b")), (Meeting("m", "a", "b"),)
    )
    assert reason(problem, "m")[0] == "no_table"


def test_reason_interpreter_missing_from_pool_or_from_the_common_slots() -> None:
    people = (person("a", "ru"), person("b", "zh"))
    problem = ScheduleProblem(make_slots(2), people, (Meeting("m", "a", "b"),), (interpreter("i", "en-zh"),))
    code, text = reason(problem, "m")
    assert code == "no_interpreter_in_pool"
    assert "ru–zh interpreter" in text
    off_duty = ScheduleProblem(
        make_slots(2),
        (person("a", "ru", "s00"), people[1]),
        (Meeting("m", "a", "b"),),
        (interpreter("i", "ru-zh", "s01"),),
    )
    code, text = reason(off_duty, "m")
    assert code == "no_interpreter_available"
    assert text.startswith("needs a ru–zh interpreter; none is available in the common slots")


def test_reason_no_language() -> None:
    silent = Participant("b", "B", frozenset(), "", None)
    problem = ScheduleProblem(make_slots(1), (person("a"), silent), (Meeting("m", "a", "b"),))
    assert reason(problem, "m")[0] == "no_language"


def test_reason_higher_priority_meetings_of_one_participant() -> None:
    people = (person("a", available="s00;s01"), person("b"), person("c"), person("d"))
    meetings = (
        Meeting("ab", "a", "b", priority=3),
        Meeting("ac", "a", "c", priority=1, mutual=True),
        Meeting("ad", "a", "d", priority=1),
    )
    code, text = reason(ScheduleProblem(make_slots(3, tables=3), people, meetings), "ad")
    assert code == "participants_busy"
    assert text == "all 2 common slots are taken by higher-priority meetings of Person a (a)"


def test_reason_full_tables_and_busy_interpreters() -> None:
    people = (person("a", "ru"), person("b", "zh"), person("c", "ru"), person("d", "zh"))
    meetings = (Meeting("ab", "a", "b", priority=2), Meeting("cd", "c", "d"))
    tables = ScheduleProblem(make_slots(1), people, meetings, (interpreter("i"), interpreter("j")))
    code, text = reason(tables, "cd")
    assert code == "tables_full"
    assert text.startswith("all tables are taken in the only common slot")
    interpreters = ScheduleProblem(make_slots(1, tables=2), people, meetings, (interpreter("i"),))
    code, text = reason(interpreters, "cd")
    assert code == "interpreters_busy"
    assert text.startswith("needs a ru–zh interpreter; every one is busy or off")


def test_interpreters_are_matched_across_pairs() -> None:
    # i covers ru–zh only, j covers ru–zh and en–zh: the en–zh meeting must get j, the other i.
    people = (person("a", "ru"), person("b", "zh"), person("c", "en"), person("d", "zh"))
    meetings = (Meeting("ab", "a", "b"), Meeting("cd", "c", "d"))
    pool = (interpreter("i", "ru-zh"), interpreter("j", "ru-zh;en-zh"))
    result = solve_schedule(ScheduleProblem(make_slots(1, tables=2), people, meetings, pool), options=FAST)
    assert_valid(result)
    assert {p.meeting_id: p.interpreter_id for p in result.placements} == {"ab": "i", "cd": "j"}


def test_pins_are_kept_and_bad_pins_refused() -> None:
    people = (person("a"), person("b"), person("c"))
    problem = ScheduleProblem(
        make_slots(3, tables=2), people, (Meeting("ab", "a", "b"), Meeting("ac", "a", "c"))
    )
    pins = (Pin("ab", "s02", table=2),)
    result = solve_schedule(problem, pins, FAST)
    assert_valid(result, pins)
    assert result.placement_by_meeting["ab"].slot_id == "s02"
    assert result.placement_by_meeting["ac"].slot_id == "s01"  # next to it: no idle slot
    with pytest.raises(ScheduleInputError) as refused:
        solve_schedule(problem, (Pin("ab", "s00"), Pin("ac", "s00")), FAST)
    assert "Person a (a) already meets in slot s00 (ab)" in str(refused.value)
    with pytest.raises(ScheduleInputError, match="slot s00 has tables 1 to 2 only"):
        solve_schedule(problem, (Pin("ab", "s00", table=5),), FAST)
    one_table = ScheduleProblem(
        make_slots(1), (*people, person("d")), (Meeting("ab", "a", "b"), Meeting("cd", "c", "d"))
    )
    with pytest.raises(ScheduleInputError, match=r"pin of cd: no free table in slot s00 \(1 in all\)"):
        solve_schedule(one_table, (Pin("ab", "s00"), Pin("cd", "s00", table=1)), FAST)


def test_gap_minimisation_prefers_contiguous_days() -> None:
    # a meets b, c and d; b can only come first, d only last: c must sit in between, not leave a gap.
    slots = make_slots(4)
    people = (person("a"), person("b", available="s00;s01"), person("c"), person("d", available="s02;s03"))
    meetings = (
        Meeting("ab", "a", "b", priority=3),
        Meeting("ad", "a", "d", priority=3),
        Meeting("ac", "a", "c"),
    )
    result = solve_schedule(ScheduleProblem(slots, people, meetings), options=FAST)
    assert result.stats.status == "OPTIMAL"
    assert result.stats.idle_slots == 0
    placed = sorted(slots.index(result.problem.slot_by_id[p.slot_id]) for p in result.placements)
    assert placed == list(range(placed[0], placed[0] + 3))


def test_idle_slots_count_only_available_slots_within_a_day() -> None:
    slots = make_slots(3, days=2)
    people = (person("a", available="s00;s02;s10;s12"), person("b"), person("c"))
    problem = ScheduleProblem(slots, people, (Meeting("ab", "a", "b"), Meeting("ac", "a", "c")))
    result = solve_schedule(problem, (Pin("ab", "s00"), Pin("ac", "s12")), FAST)
    assert idle_slots_by_participant(problem, result.placements)["a"] == 0
    spread = solve_schedule(problem, (Pin("ab", "s10"), Pin("ac", "s12")), FAST)
    assert idle_slots_by_participant(problem, spread.placements)["a"] == 0  # s11 is not a's slot
    people = (person("a"), person("b"), person("c"))
    gap = ScheduleProblem(slots, people, problem.meetings)
    forced = solve_schedule(gap, (Pin("ab", "s10"), Pin("ac", "s12")), FAST)
    assert idle_slots_by_participant(gap, forced.placements)["a"] == 1


def hand_move_event() -> Schedule:
    people = (person("a", "ru"), person("b", "zh"), person("c", "ru", "s00;s01"), person("d", "zh"))
    meetings = (Meeting("ab", "a", "b"), Meeting("cd", "c", "d"))
    pool = (interpreter("i", "ru-zh", "s00;s01"),)
    problem = ScheduleProblem(make_slots(3, tables=[2, 1, 1]), people, meetings, pool)
    return solve_schedule(problem, (Pin("ab", "s00", 1, "i"), Pin("cd", "s01", 1, "i")), FAST)


def test_check_move_reports_every_conflict() -> None:
    schedule = hand_move_event()
    kinds = lambda conflicts: sorted(c.kind for c in conflicts)  # noqa: E731
    assert check_move(schedule, "cd", "s02") == [
        c
        for c in check_move(schedule, "cd", "s02")
        if c.kind in ("participant_unavailable", "no_interpreter")
    ]
    assert kinds(check_move(schedule, "cd", "s02")) == ["no_interpreter", "participant_unavailable"]
    busy = check_move(schedule, "cd", "s00", table=1, interpreter_id="i")
    assert kinds(busy) == ["interpreter_busy", "table_taken"]
    assert {c.other_meeting_id for c in busy} == {"ab"}
    assert kinds(check_move(schedule, "cd", "s00", table=3)) == ["bad_table", "no_interpreter"]
    assert kinds(check_move(schedule, "cd", "nowhere")) == ["unknown_slot"]
    assert check_move(schedule, "cd", "s01", table=1) == []  # where it is: no conflict with itself
    with pytest.raises(KeyError):
        check_move(schedule, "zz", "s00")


def test_apply_move_and_unplace() -> None:
    schedule = hand_move_event()
    with pytest.raises(MoveConflictError) as refused:
        apply_move(schedule, "cd", "s02")
    assert {c.kind for c in refused.value.conflicts} == {"participant_unavailable", "no_interpreter"}
    removed = unplace(schedule, "ab")
    assert [u.code for u in removed.unplaced] == ["placeable"]
    assert removed.stats.hand_moves == 1
    moved = apply_move(removed, "cd", "s00", table=2)
    assert_valid(moved)
    assert moved.placement_by_meeting["cd"] == schedule_module.Placement("cd", "s00", 2, "i")
    assert moved.stats.placed == 1 and moved.stats.hand_moves == 2
    unplaced = {u.meeting_id: u for u in moved.unplaced}
    assert unplaced["ab"].code == "placeable"  # s01 is free again


def test_agendas_list_each_persons_meetings_in_time_order() -> None:
    schedule = hand_move_event()
    everyone = agendas(schedule)
    assert [item.meeting_id for item in everyone["a"]] == ["ab"]
    item = everyone["d"][0]
    assert (item.counterpart.participant_id, item.table, item.language, item.interpreter_id) == (
        "c",
        1,
        "ru–zh",
        "i",
    )


def test_inconsistent_problems_are_refused_with_every_problem() -> None:
    slots = (*make_slots(2), Slot("late", BASE, BASE - timedelta(minutes=5), 1))
    problem = ScheduleProblem(slots, (person("a"), person("a")), (Meeting("m", "a", "zz", priority=0),))
    with pytest.raises(ScheduleInputError) as refused:
        solve_schedule(problem)
    problems = refused.value.problems
    assert "participant id 'a' is used twice" in problems
    assert "slot late: ends before it starts" in problems
    assert "meeting m: unknown participant 'zz'" in problems
    assert "meeting m: priority must be a positive integer" in problems
