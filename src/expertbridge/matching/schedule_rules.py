"""The scheduling rules that the solver, the reasons and an organiser's hand moves all share.

One place decides whether a meeting may sit in a slot: :class:`Board` holds a partial schedule and
answers "what stands in the way" with :class:`Conflict` values.  The solver loads its answer into a
board to number tables and pick interpreters, the reasons for unplaced meetings come from the
conflicts on every slot the meeting could have used, and hand moves (``schedule_moves.py``) are
board questions too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from expertbridge.matching.schedule_model import (
    Conflict,
    Meeting,
    Pin,
    Placement,
    ScheduleInputError,
    ScheduleProblem,
    Unplaced,
    language_key,
    language_pair,
)
from expertbridge.messages import Message, MessageValue
from expertbridge.registry.problems import N_


@dataclass(frozen=True)
class MeetingNeeds:
    """What one meeting needs, worked out before solving.

    ``language`` is the shared working language, or None when an interpreter covering one of
    ``pairs`` is needed (``interpreters`` lists the qualified ones).  ``slots`` are the candidate
    slots: both available, tables offered and, if needed, a qualified interpreter at work.
    ``infeasible`` says why no slot can ever hold the meeting (then ``slots`` is empty).
    """

    meeting: Meeting
    language: str | None
    pairs: tuple[tuple[str, str], ...]
    interpreters: tuple[str, ...]
    slots: tuple[str, ...]
    infeasible: Unplaced | None


def describe_pairs(pairs: tuple[tuple[str, str], ...]) -> str:
    """``ru–zh`` or ``ru–zh / en–zh``: the interpreter a meeting needs, for people in any language."""
    return " / ".join(f"{first}–{second}" for first, second in pairs)


def meeting_needs(problem: ScheduleProblem, meeting: Meeting) -> MeetingNeeds:
    """Precheck one meeting: its language, interpreters and candidate slots, or why it cannot happen."""
    person_a = problem.participant_by_id[meeting.participant_a]
    person_b = problem.participant_by_id[meeting.participant_b]
    shared = sorted(person_a.languages & person_b.languages, key=language_key)
    language = shared[0] if shared else None
    pairs: tuple[tuple[str, str], ...] = ()
    qualified: tuple[str, ...] = ()
    if language is None:
        pairs = tuple(
            sorted(
                {
                    language_pair(first, second)
                    for first in person_a.languages
                    for second in person_b.languages
                    if first != second
                },
                key=lambda pair: (language_key(pair[0]), language_key(pair[1])),
            )
        )
        qualified = tuple(
            interpreter.interpreter_id
            for interpreter in problem.interpreters
            if any(pair in interpreter.language_pairs for pair in pairs)
        )
    both: dict[str, MessageValue] = {"first": person_a.label, "second": person_b.label}

    def refuse(code: str, reason: Message) -> MeetingNeeds:
        return MeetingNeeds(
            meeting, language, pairs, qualified, (), Unplaced(meeting.meeting_id, code, reason)
        )

    common = [
        slot
        for slot in problem.slots_in_order
        if person_a.is_available(slot.slot_id) and person_b.is_available(slot.slot_id)
    ]
    if not common:
        return refuse(
            "no_common_slot", Message.of(N_("no common available slot for %(first)s and %(second)s"), **both)
        )
    with_tables = [slot for slot in common if slot.tables > 0]
    if not with_tables:
        return refuse(
            "no_table",
            Message.of(
                N_("no tables are offered in the common available slots of %(first)s and %(second)s"), **both
            ),
        )
    if language is None and not pairs:
        silent = person_a if not person_a.languages else person_b
        return refuse(
            "no_language",
            Message.of(N_("%(person)s lists no language, so no interpreter can help"), person=silent.label),
        )
    if language is None and not qualified:
        return refuse(
            "no_interpreter_in_pool",
            Message.of(
                N_(
                    "%(first)s and %(second)s share no language and need a %(pairs)s interpreter; "
                    "the pool has none"
                ),
                pairs=describe_pairs(pairs),
                **both,
            ),
        )
    candidates = [
        slot.slot_id
        for slot in with_tables
        if language is not None
        or any(problem.interpreter_by_id[interpreter].is_available(slot.slot_id) for interpreter in qualified)
    ]
    if not candidates:
        return refuse(
            "no_interpreter_available",
            Message.of(
                N_(
                    "needs a %(pairs)s interpreter; none is available in the common slots of "
                    "%(first)s and %(second)s"
                ),
                pairs=describe_pairs(pairs),
                **both,
            ),
        )
    return MeetingNeeds(meeting, language, pairs, qualified, tuple(candidates), None)


class Board:
    """A partial schedule that can be asked what blocks a placement, and extended.

    Interpreters of meetings placed with ``fixed_interpreter`` never move; the others may be
    swapped along an augmenting path when ``reassign`` is asked for (the solver's loading and
    repair), so a slot's interpreters always form a matching whenever one exists.
    """

    def __init__(self, problem: ScheduleProblem, needs: dict[str, MeetingNeeds]) -> None:
        self.problem = problem
        self.needs = needs
        self.slot_of: dict[str, str] = {}
        self.person_at: dict[tuple[str, str], str] = {}
        self.count: Counter[str] = Counter()
        self.table_of: dict[str, int] = {}
        self.table_at: dict[tuple[str, int], str] = {}
        self.interpreter_of: dict[str, str] = {}
        self.interpreter_at: dict[tuple[str, str], str] = {}
        self.fixed: set[str] = set()

    def blockers(
        self,
        meeting_id: str,
        slot_id: str,
        table: int | None = None,
        interpreter_id: str | None = None,
        *,
        reassign: bool = False,
    ) -> list[Conflict]:
        """Everything that stops the meeting from taking the slot (empty: it fits)."""
        problem = self.problem
        slot = problem.slot_by_id.get(slot_id)
        if slot is None:
            return [Conflict("unknown_slot", Message.of(N_("there is no slot %(slot)s"), slot=repr(slot_id)))]
        meeting = problem.meeting_by_id[meeting_id]
        conflicts: list[Conflict] = []
        for person_id in (meeting.participant_a, meeting.participant_b):
            person = problem.participant_by_id[person_id]
            if not person.is_available(slot_id):
                conflicts.append(
                    Conflict(
                        "participant_unavailable",
                        Message.of(
                            N_("%(person)s is not available in slot %(slot)s"),
                            person=person.label,
                            slot=slot_id,
                        ),
                    )
                )
            other = self.person_at.get((person_id, slot_id))
            if other is not None and other != meeting_id:
                conflicts.append(
                    Conflict(
                        "participant_busy",
                        Message.of(
                            N_("%(person)s already meets in slot %(slot)s (%(meeting)s)"),
                            person=person.label,
                            slot=slot_id,
                            meeting=other,
                        ),
                        other,
                    )
                )
        table_conflict: Conflict | None = None
        if table is not None:
            holder = self.table_at.get((slot_id, table))
            if not 1 <= table <= slot.tables:
                table_conflict = Conflict(
                    "bad_table",
                    Message.of(
                        N_("slot %(slot)s has tables 1 to %(tables)s only"), slot=slot_id, tables=slot.tables
                    ),
                )
            elif holder is not None and holder != meeting_id:
                table_conflict = Conflict(
                    "table_taken",
                    Message.of(
                        N_("table %(table)s in slot %(slot)s is taken by %(meeting)s"),
                        table=str(table),  # a table's number names it, as an id does
                        slot=slot_id,
                        meeting=holder,
                    ),
                    holder,
                )
        # Counted even when a table is named: meetings placed without a number yet hold tables too.
        if (
            table_conflict is None
            and self.count[slot_id] - (self.slot_of.get(meeting_id) == slot_id) >= slot.tables
        ):
            table_conflict = Conflict(
                "no_free_table",
                Message.of(
                    N_("no free table in slot %(slot)s (%(tables)s in all)"), slot=slot_id, tables=slot.tables
                ),
            )
        if table_conflict is not None:
            conflicts.append(table_conflict)
        conflicts.extend(self._interpreter_blockers(meeting_id, slot_id, interpreter_id, reassign))
        return conflicts

    def _interpreter_blockers(
        self, meeting_id: str, slot_id: str, interpreter_id: str | None, reassign: bool
    ) -> list[Conflict]:
        needs = self.needs[meeting_id]
        if interpreter_id is not None:
            interpreter = self.problem.interpreter_by_id.get(interpreter_id)
            if interpreter is None:
                return [
                    Conflict(
                        "unknown_interpreter",
                        Message.of(
                            N_("there is no interpreter %(interpreter)s"), interpreter=repr(interpreter_id)
                        ),
                    )
                ]
            conflicts: list[Conflict] = []
            if needs.language is None and interpreter_id not in needs.interpreters:
                conflicts.append(
                    Conflict(
                        "interpreter_unqualified",
                        Message.of(
                            N_("%(interpreter)s does not cover %(pairs)s"),
                            interpreter=interpreter_id,
                            pairs=describe_pairs(needs.pairs),
                        ),
                    )
                )
            if not interpreter.is_available(slot_id):
                conflicts.append(
                    Conflict(
                        "interpreter_unavailable",
                        Message.of(
                            N_("%(interpreter)s does not work in slot %(slot)s"),
                            interpreter=interpreter_id,
                            slot=slot_id,
                        ),
                    )
                )
            holder = self.interpreter_at.get((interpreter_id, slot_id))
            if holder is not None and holder != meeting_id:
                conflicts.append(
                    Conflict(
                        "interpreter_busy",
                        Message.of(
                            N_("%(interpreter)s interprets %(meeting)s in slot %(slot)s"),
                            interpreter=interpreter_id,
                            meeting=holder,
                            slot=slot_id,
                        ),
                        holder,
                    )
                )
            return conflicts
        if needs.language is not None:
            return []
        if self._interpreter_path(meeting_id, slot_id, set(), reassign) is not None:
            return []
        wanted = describe_pairs(needs.pairs)
        working = [i for i in needs.interpreters if self.problem.interpreter_by_id[i].is_available(slot_id)]
        if not working:
            message = Message.of(
                N_("needs a %(pairs)s interpreter; none works in slot %(slot)s"), pairs=wanted, slot=slot_id
            )
        else:
            message = Message.of(
                N_("needs a %(pairs)s interpreter; all working in slot %(slot)s are busy"),
                pairs=wanted,
                slot=slot_id,
            )
        return [Conflict("no_interpreter", message)]

    def _interpreter_path(
        self, meeting_id: str, slot_id: str, visited: set[str], reassign: bool
    ) -> list[tuple[str, str]] | None:
        """(meeting, interpreter) assignments that give the meeting an interpreter, or None.

        A direct free interpreter is one step; with ``reassign`` this is an augmenting path of
        bipartite matching (Kuhn), which finds one whenever any assignment of the slot exists.
        """
        for interpreter_id in self.needs[meeting_id].interpreters:
            if interpreter_id in visited:
                continue
            if not self.problem.interpreter_by_id[interpreter_id].is_available(slot_id):
                continue
            visited.add(interpreter_id)
            holder = self.interpreter_at.get((interpreter_id, slot_id))
            if holder is None or holder == meeting_id:
                return [(meeting_id, interpreter_id)]
            if reassign and holder not in self.fixed:
                rest = self._interpreter_path(holder, slot_id, visited, reassign)
                if rest is not None:
                    return [(meeting_id, interpreter_id), *rest]
        return None

    def place(
        self,
        meeting_id: str,
        slot_id: str,
        table: int | None = None,
        interpreter_id: str | None = None,
        *,
        reassign: bool = False,
        fixed_interpreter: bool = False,
    ) -> list[Conflict]:
        """Place the meeting if nothing blocks it; return the blockers (empty when placed)."""
        conflicts = self.blockers(meeting_id, slot_id, table, interpreter_id, reassign=reassign)
        if conflicts:
            return conflicts
        meeting = self.problem.meeting_by_id[meeting_id]
        self.slot_of[meeting_id] = slot_id
        self.count[slot_id] += 1
        for person_id in (meeting.participant_a, meeting.participant_b):
            self.person_at[(person_id, slot_id)] = meeting_id
        if table is not None:
            self.table_of[meeting_id] = table
            self.table_at[(slot_id, table)] = meeting_id
        if interpreter_id is not None:
            self._assign_interpreter(meeting_id, interpreter_id, slot_id)
        elif self.needs[meeting_id].language is None:
            path = self._interpreter_path(meeting_id, slot_id, set(), reassign)
            assert path is not None  # blockers() found the same path
            for holder, interpreter in path:
                self._assign_interpreter(holder, interpreter, slot_id)
        if fixed_interpreter:
            self.fixed.add(meeting_id)
        return []

    def _assign_interpreter(self, meeting_id: str, interpreter_id: str, slot_id: str) -> None:
        self.interpreter_of[meeting_id] = interpreter_id
        self.interpreter_at[(interpreter_id, slot_id)] = meeting_id

    def remove(self, meeting_id: str) -> None:
        """Take the meeting off the board (before moving it)."""
        slot_id = self.slot_of.pop(meeting_id, None)
        if slot_id is None:
            return
        meeting = self.problem.meeting_by_id[meeting_id]
        self.count[slot_id] -= 1
        for person_id in (meeting.participant_a, meeting.participant_b):
            self.person_at.pop((person_id, slot_id), None)
        table = self.table_of.pop(meeting_id, None)
        if table is not None:
            self.table_at.pop((slot_id, table), None)
        interpreter_id = self.interpreter_of.pop(meeting_id, None)
        if interpreter_id is not None:
            self.interpreter_at.pop((interpreter_id, slot_id), None)
        self.fixed.discard(meeting_id)

    def placements(self) -> tuple[Placement, ...]:
        """The board as placements, numbering the tables not numbered yet (lowest free number first)."""
        by_slot: dict[str, list[str]] = defaultdict(list)
        for meeting_id, slot_id in self.slot_of.items():
            by_slot[slot_id].append(meeting_id)
        order = {meeting.meeting_id: index for index, meeting in enumerate(self.problem.meetings)}
        result: list[Placement] = []
        for slot_id in sorted(by_slot, key=lambda s: self.problem.slot_order[s]):
            taken = {self.table_of[m] for m in by_slot[slot_id] if m in self.table_of}
            free = (
                number
                for number in range(1, self.problem.slot_by_id[slot_id].tables + 1)
                if number not in taken
            )
            for meeting_id in sorted(by_slot[slot_id], key=order.__getitem__):
                table = self.table_of.get(meeting_id) or next(free)
                result.append(Placement(meeting_id, slot_id, table, self.interpreter_of.get(meeting_id)))
        return tuple(sorted(result, key=lambda p: (self.problem.slot_order[p.slot_id], p.table)))

    def explain(self, meeting_id: str) -> Unplaced:
        """The most specific reason the meeting is not on the board."""
        needs = self.needs[meeting_id]
        if needs.infeasible is not None:
            return needs.infeasible
        problem = self.problem
        meeting = needs.meeting
        person_a = problem.participant_by_id[meeting.participant_a]
        person_b = problem.participant_by_id[meeting.participant_b]
        weight = problem.weight(meeting)
        first_blockers: list[Conflict] = []
        for slot_id in needs.slots:
            conflicts = self.blockers(meeting_id, slot_id, reassign=True)
            if not conflicts:
                return Unplaced(
                    meeting_id, "placeable", Message.of(N_("slot %(slot)s is free for it now"), slot=slot_id)
                )
            first_blockers.append(conflicts[0])
        kinds = Counter(conflict.kind for conflict in first_blockers)
        count = len(needs.slots)
        # Whole sentences for one common slot and for several, so that each language can agree them.
        only = count == 1
        both: dict[str, MessageValue] = {"first": person_a.label, "second": person_b.label, "count": count}
        pairs = describe_pairs(needs.pairs)
        if kinds["participant_busy"] == count:
            others = [problem.meeting_by_id[c.other_meeting_id or ""] for c in first_blockers]
            weights = [problem.weight(other) for other in others]
            owners = {person_a.participant_id: 0, person_b.participant_id: 0}
            for other in others:
                for person_id in owners:
                    owners[person_id] += person_id in (other.participant_a, other.participant_b)
            if min(weights) > weight:
                taken = Message.of(N_("higher-priority meetings"))
            elif min(weights) == weight == max(weights):
                taken = Message.of(N_("meetings with the same priority"))
            elif min(weights) >= weight:
                taken = Message.of(N_("meetings with equal or higher priority"))
            else:
                taken = Message.of(N_("other meetings"))
            whose: str | Message
            if owners[person_a.participant_id] == count:
                whose = person_a.label
            elif owners[person_b.participant_id] == count:
                whose = person_b.label
            else:
                whose = Message.of(N_("%(first)s or %(second)s"), **both)
            template = (
                N_("the only common slot is taken by %(meetings)s of %(whose)s")
                if only
                else N_("all %(count)s common slots are taken by %(meetings)s of %(whose)s")
            )
            return Unplaced(
                meeting_id,
                "participants_busy",
                Message.of(template, meetings=taken, whose=whose, count=count),
            )
        if kinds["no_free_table"] == count:
            template = (
                N_("all tables are taken in the only common slot of %(first)s and %(second)s")
                if only
                else N_("all tables are taken in all %(count)s common slots of %(first)s and %(second)s")
            )
            return Unplaced(meeting_id, "tables_full", Message.of(template, **both))
        if kinds["no_interpreter"] == count:
            template = (
                N_(
                    "needs a %(pairs)s interpreter; every one is busy or off in the only common slot of "
                    "%(first)s and %(second)s"
                )
                if only
                else N_(
                    "needs a %(pairs)s interpreter; every one is busy or off in all %(count)s common slots "
                    "of %(first)s and %(second)s"
                )
            )
            return Unplaced(meeting_id, "interpreters_busy", Message.of(template, pairs=pairs, **both))
        parts: list[Message] = []
        for kind, label in (
            ("participant_busy", N_("%(count)s where one of them already meets")),
            ("no_free_table", N_("%(count)s with every table taken")),
            ("no_interpreter", N_("%(count)s without a free %(pairs)s interpreter")),
        ):
            if kinds[kind]:
                parts.append(Message.of(label, count=kinds[kind], pairs=pairs))
        return Unplaced(
            meeting_id,
            "no_free_slot",
            Message.of(
                N_("no free common slot for %(first)s and %(second)s: %(parts)s"),
                parts=Message.join(parts, ", "),
                **both,
            ),
        )


def validate_pins(problem: ScheduleProblem, pins: tuple[Pin, ...], needs: dict[str, MeetingNeeds]) -> Board:
    """A board holding the pins; ScheduleInputError listing every pin that conflicts."""
    board = Board(problem, needs)
    problems: list[Message] = []
    seen: set[str] = set()
    for pin in pins:
        if pin.meeting_id not in problem.meeting_by_id:
            problems.append(
                Message.of(N_("pin: there is no meeting %(meeting)s"), meeting=repr(pin.meeting_id))
            )
            continue
        if pin.meeting_id in seen:
            problems.append(
                Message.of(N_("pin: meeting %(meeting)s is pinned twice"), meeting=pin.meeting_id)
            )
            continue
        seen.add(pin.meeting_id)
        conflicts = board.place(
            pin.meeting_id,
            pin.slot_id,
            pin.table,
            pin.interpreter_id,
            reassign=True,
            fixed_interpreter=pin.interpreter_id is not None,
        )
        problems.extend(
            Message.of(N_("pin of %(meeting)s: %(problem)s"), meeting=pin.meeting_id, problem=conflict.text)
            for conflict in conflicts
        )
    if problems:
        raise ScheduleInputError(problems)
    return board
