"""The 1:1 meeting scheduler's data: what an event offers and asks for, and what the scheduler returns.

Everything here is a frozen data class; the engine (``schedule.py``) and the rules it shares with the
organisers' hand moves (``schedule_rules.py``) read these and build new ones, never mutate them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from itertools import pairwise

from expertbridge.messages import Message
from expertbridge.registry.problems import N_

# Working languages in the order a meeting prefers them when its two participants share several:
# the programme's two languages first, English as the bridge.
LANGUAGE_ORDER = ("ru", "zh", "en")


def language_key(code: str) -> tuple[int, str]:
    """Sort key for language codes: ru, zh, en first, then any other code alphabetically."""
    return (LANGUAGE_ORDER.index(code) if code in LANGUAGE_ORDER else len(LANGUAGE_ORDER), code)


def language_pair(first: str, second: str) -> tuple[str, str]:
    """A language pair in canonical order, so ``ru-zh`` and ``zh-ru`` are the same pair.

    >>> language_pair("zh", "ru")
    ('ru', 'zh')
    """
    ordered = sorted((first, second), key=language_key)
    return (ordered[0], ordered[1])


class ScheduleInputError(ValueError):
    """The problem (or a pin) contradicts itself: ``messages`` lists every contradiction found,
    ``problems`` the same in English."""

    def __init__(self, messages: list[Message]) -> None:
        self.messages = tuple(messages)
        self.problems = tuple(message.text for message in messages)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Slot:
    """A time slot of the event with the number of meeting tables it offers (tables may differ)."""

    slot_id: str
    start: datetime
    end: datetime
    tables: int

    @property
    def day(self) -> date:
        """The calendar day of the slot, in the time zone its start was given in."""
        return self.start.date()


@dataclass(frozen=True)
class Participant:
    """A person of either side; ``available`` is the set of slot ids they can meet in (None: all)."""

    participant_id: str
    name: str
    languages: frozenset[str]
    side: str = ""
    available: frozenset[str] | None = None

    def is_available(self, slot_id: str) -> bool:
        """Whether the participant can meet in the slot."""
        return self.available is None or slot_id in self.available

    @property
    def label(self) -> str:
        """How reasons and agendas name the person: ``Ivan Petrov (m-17)``."""
        return f"{self.name} ({self.participant_id})" if self.name else self.participant_id


@dataclass(frozen=True)
class Interpreter:
    """An interpreter of the pool: the language pairs they cover and the slots they work in."""

    interpreter_id: str
    language_pairs: frozenset[tuple[str, str]]
    available: frozenset[str] | None = None
    name: str = ""

    def is_available(self, slot_id: str) -> bool:
        """Whether the interpreter works in the slot."""
        return self.available is None or slot_id in self.available

    def covers(self, first: str, second: str) -> bool:
        """Whether the interpreter covers the pair, in either direction."""
        return language_pair(first, second) in self.language_pairs


@dataclass(frozen=True)
class Meeting:
    """An accepted 1:1 meeting; ``mutual`` when both sides asked for it."""

    meeting_id: str
    participant_a: str
    participant_b: str
    priority: int = 1
    mutual: bool = False


@dataclass(frozen=True)
class Pin:
    """A placement an organiser fixed: the solver keeps it; table and interpreter are optional."""

    meeting_id: str
    slot_id: str
    table: int | None = None
    interpreter_id: str | None = None


@dataclass(frozen=True)
class ScheduleProblem:
    """One event's scheduling problem.

    A meeting weighs its ``priority``, times ``mutual_factor`` when both sides asked for it: the
    scheduler maximises the total weight of placed meetings, then minimises idle slots.
    """

    slots: tuple[Slot, ...]
    participants: tuple[Participant, ...]
    meetings: tuple[Meeting, ...]
    interpreters: tuple[Interpreter, ...] = ()
    mutual_factor: int = 2

    @cached_property
    def slot_by_id(self) -> dict[str, Slot]:
        """Slots by id."""
        return {slot.slot_id: slot for slot in self.slots}

    @cached_property
    def participant_by_id(self) -> dict[str, Participant]:
        """Participants by id."""
        return {person.participant_id: person for person in self.participants}

    @cached_property
    def meeting_by_id(self) -> dict[str, Meeting]:
        """Meetings by id."""
        return {meeting.meeting_id: meeting for meeting in self.meetings}

    @cached_property
    def interpreter_by_id(self) -> dict[str, Interpreter]:
        """Interpreters by id."""
        return {interpreter.interpreter_id: interpreter for interpreter in self.interpreters}

    @cached_property
    def slots_in_order(self) -> tuple[Slot, ...]:
        """Slots sorted by start (then id)."""
        return tuple(sorted(self.slots, key=lambda slot: (slot.start, slot.slot_id)))

    @cached_property
    def slot_order(self) -> dict[str, int]:
        """Position of each slot in time."""
        return {slot.slot_id: index for index, slot in enumerate(self.slots_in_order)}

    def weight(self, meeting: Meeting) -> int:
        """The meeting's weight in the objective: priority, multiplied when the request is mutual."""
        return meeting.priority * (self.mutual_factor if meeting.mutual else 1)

    def validate(self) -> None:
        """Raise ScheduleInputError listing every inconsistency (duplicate ids, unknown references...)."""
        problems: list[Message] = []
        for template, ids in (
            (N_("slot id %(id)s is used twice"), [slot.slot_id for slot in self.slots]),
            (
                N_("participant id %(id)s is used twice"),
                [person.participant_id for person in self.participants],
            ),
            (N_("meeting id %(id)s is used twice"), [meeting.meeting_id for meeting in self.meetings]),
            (N_("interpreter id %(id)s is used twice"), [item.interpreter_id for item in self.interpreters]),
        ):
            seen: set[str] = set()
            for item in ids:
                if item in seen:
                    problems.append(Message.of(template, id=repr(item)))
                seen.add(item)
        ordered = sorted(self.slots, key=lambda slot: (slot.start, slot.slot_id))
        for slot in ordered:
            if slot.start.tzinfo is None or slot.end.tzinfo is None:
                problems.append(
                    Message.of(N_("slot %(slot)s: start and end need a time zone offset"), slot=slot.slot_id)
                )
            elif slot.end <= slot.start:
                problems.append(Message.of(N_("slot %(slot)s: ends before it starts"), slot=slot.slot_id))
            if slot.tables < 0:
                problems.append(Message.of(N_("slot %(slot)s: negative table count"), slot=slot.slot_id))
        aware = [slot for slot in ordered if slot.start.tzinfo and slot.end.tzinfo]
        # A person in two overlapping slots could be booked twice at once: the grid must be sequential.
        for before, after in pairwise(aware):
            if after.start < before.end:
                problems.append(
                    Message.of(
                        N_("slots %(first)s and %(second)s overlap"),
                        first=before.slot_id,
                        second=after.slot_id,
                    )
                )
        slot_ids = set(self.slot_by_id)
        for person in self.participants:
            for slot_id in sorted((person.available or frozenset()) - slot_ids):
                problems.append(
                    Message.of(
                        N_("participant %(participant)s: unknown slot %(slot)s"),
                        participant=person.participant_id,
                        slot=repr(slot_id),
                    )
                )
        for interpreter in self.interpreters:
            for slot_id in sorted((interpreter.available or frozenset()) - slot_ids):
                problems.append(
                    Message.of(
                        N_("interpreter %(interpreter)s: unknown slot %(slot)s"),
                        interpreter=interpreter.interpreter_id,
                        slot=repr(slot_id),
                    )
                )
            for pair in sorted(interpreter.language_pairs):
                if pair[0] == pair[1] or pair != language_pair(*pair):
                    problems.append(
                        Message.of(
                            N_("interpreter %(interpreter)s: bad language pair %(pair)s"),
                            interpreter=interpreter.interpreter_id,
                            pair=str(pair),
                        )
                    )
        for meeting in self.meetings:
            for person_id in (meeting.participant_a, meeting.participant_b):
                if person_id not in self.participant_by_id:
                    problems.append(
                        Message.of(
                            N_("meeting %(meeting)s: unknown participant %(participant)s"),
                            meeting=meeting.meeting_id,
                            participant=repr(person_id),
                        )
                    )
            if meeting.participant_a == meeting.participant_b:
                problems.append(
                    Message.of(
                        N_("meeting %(meeting)s: a participant cannot meet themselves"),
                        meeting=meeting.meeting_id,
                    )
                )
            if meeting.priority < 1:
                problems.append(
                    Message.of(
                        N_("meeting %(meeting)s: priority must be a positive integer"),
                        meeting=meeting.meeting_id,
                    )
                )
        if self.mutual_factor < 1:
            problems.append(Message.of(N_("mutual_factor must be a positive integer")))
        if problems:
            raise ScheduleInputError(problems)


@dataclass(frozen=True)
class SolveOptions:
    """How long and how hard to search.

    ``time_limit`` is the whole budget in seconds.  ``method`` is ``global`` (one model, two phases:
    the placement phase may use ``placement_share`` of the budget, the idle-slot phase the rest),
    ``search`` (large-neighbourhood search from the greedy schedule) or ``auto`` (the whole model
    for a quarter of the time when the event is small enough, then the search if not proven).
    ``num_workers`` is CP-SAT's thread count for the whole model; neighbourhoods use one.
    """

    time_limit: float = 30.0
    num_workers: int = 2
    minimise_gaps: bool = True
    method: str = "auto"
    placement_share: float = 0.6
    random_seed: int = 0

    def __post_init__(self) -> None:
        if self.method not in ("auto", "global", "search"):
            raise ValueError(f"method {self.method!r}: use auto, global or search")


@dataclass(frozen=True)
class Placement:
    """Where and when a meeting takes place; ``interpreter_id`` is None when they share a language."""

    meeting_id: str
    slot_id: str
    table: int
    interpreter_id: str | None = None


@dataclass(frozen=True)
class Unplaced:
    """A meeting the schedule could not hold, with the most specific reason found.

    ``code`` is one of: no_common_slot, no_table, no_language, no_interpreter_in_pool,
    no_interpreter_available, participants_busy, tables_full, interpreters_busy, no_free_slot; a
    stored schedule read back adds not_scheduled and setup_changed (registry/meetings.py).
    ``text`` says it for a person (``reason`` in English).
    """

    meeting_id: str
    code: str
    text: Message

    @property
    def reason(self) -> str:
        """The reason in English."""
        return self.text.text


@dataclass(frozen=True)
class SolveStats:
    """How the schedule was found: CP-SAT status, weights and bound, idle slots, time, hand moves.

    ``status`` is OPTIMAL (placement and idle slots both proven), FEASIBLE, or GREEDY when CP-SAT found
    nothing in time and the greedy warm start is returned.  ``weight_bound`` is a proven upper bound on
    the placeable weight; ``weight_bound_source`` says where it comes from: ``tables`` (the heaviest
    feasible meetings the tables can hold), ``cp-sat`` (the solver's proven bound) or ``lp`` (the
    LP relaxation of the placement model, solved by GLOP).  ``method`` says what ran: ``global``,
    ``search`` or ``global+search``; ``search_rounds`` counts the neighbourhoods the search solved.
    """

    status: str
    placement_status: str
    gap_status: str
    method: str
    placed: int
    total: int
    weight: int
    weight_bound: int
    weight_bound_source: str
    idle_slots: int
    wall_seconds: float
    search_rounds: int = 0
    hand_moves: int = 0


@dataclass(frozen=True)
class Schedule:
    """A solved (or hand-edited) schedule together with the problem it answers."""

    problem: ScheduleProblem
    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]
    stats: SolveStats
    placement_by_meeting: dict[str, Placement] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "placement_by_meeting", {placement.meeting_id: placement for placement in self.placements}
        )

    def as_pins(self) -> tuple[Pin, ...]:
        """Every placement as a pin: re-solve with these to keep the schedule and add new meetings."""
        return tuple(
            Pin(placement.meeting_id, placement.slot_id, placement.table, placement.interpreter_id)
            for placement in self.placements
        )


@dataclass(frozen=True)
class AgendaItem:
    """One line of a participant's agenda."""

    meeting_id: str
    slot: Slot
    table: int
    counterpart: Participant
    language: str
    interpreter_id: str | None


@dataclass(frozen=True)
class Conflict:
    """Why a hand move cannot be made; ``other_meeting_id`` names the meeting in the way, if any.

    ``kind`` is one of: unknown_slot, participant_unavailable, participant_busy, table_taken,
    bad_table, no_free_table, no_interpreter, interpreter_unqualified, interpreter_unavailable,
    interpreter_busy, unknown_interpreter.  ``text`` says it for a person (``message`` in English).
    """

    kind: str
    text: Message
    other_meeting_id: str | None = None

    @property
    def message(self) -> str:
        """Why, in English."""
        return self.text.text


class MoveConflictError(ValueError):
    """A hand move was refused; ``conflicts`` says why."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        super().__init__("; ".join(conflict.message for conflict in conflicts))
        self.conflicts = tuple(conflicts)
