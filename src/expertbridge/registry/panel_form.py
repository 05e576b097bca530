"""The organizers' panel form, read strictly: a value out of its range is refused, never clamped.

Every field has its allowed range here (the form's ``min``/``max`` attributes say the same); a value
that is not a number, out of range, or an entry that is not the event's is named with the field's
label, what is wrong and what is allowed, and nothing runs.  An empty field takes its default.

>>> FIELDS["per_entry"].low, FIELDS["per_entry"].high, FIELDS["per_entry"].default
(1, 20, 3)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from expertbridge.db.models import EventPanelEntry
from expertbridge.matching.assign_problem import ScoreRow
from expertbridge.messages import Message
from expertbridge.registry.panel_entries import MAX_ENTRIES
from expertbridge.registry.panels import PanelParameters
from expertbridge.registry.problems import N_, Refused

MODES = ("optimal", "fair", "random")
MAX_SHOWN = 5


@dataclass(frozen=True)
class NumberField:
    """A number of the form: its label (as the form shows it), allowed range and default."""

    label: str
    low: int | float
    high: int | float
    default: int | float
    whole: bool = True


FIELDS = {
    "per_entry": NumberField(N_("Experts per entry"), 1, 20, 3),
    "min_load": NumberField(N_("Fewest entries per expert"), 0, 50, 0),
    "max_load": NumberField(N_("Most entries per expert"), 1, 50, 3),
    "alternates": NumberField(N_("Alternates per entry"), 0, 5, 2),
    "max_probability": NumberField(
        N_("Largest probability of any expert on an entry"), 0.01, 1.0, 1.0, whole=False
    ),
    # A draw's seed is stored as a 64-bit number; 2³² − 1 is what the command line draws at most.
    "seed": NumberField(N_("Seed"), 0, 2**32 - 1, 0),
}


class PanelFormRejected(Refused):
    """The form has values the panels cannot be run with; ``problems`` names each, ``fields`` are
    the fields to correct."""

    def __init__(self, problems: Sequence[Message], fields: Iterable[str]) -> None:
        super().__init__(
            N_("The panels were not assigned: %(problems)s"), 422, problems=Message.join(problems)
        )
        self.problems = tuple(problems)
        self.fields = frozenset(fields)


def _number(name: str, text: str, problems: list[Message], fields: list[str]) -> int | float | None:
    """The field's value, its default when empty, or None with a problem recorded."""
    field = FIELDS[name]
    text = text.strip()
    if not text:
        return field.default
    value: int | float | None
    try:
        # A decimal comma is how Russian readers write 0,5.
        value = int(text) if field.whole else float(text.replace(",", "."))
    except ValueError:
        value = None
    if value is None or value != value or not field.low <= value <= field.high:
        template = (
            N_("%(field)s: must be a whole number from %(low)s to %(high)s, not “%(value)s”.")
            if field.whole
            else N_("%(field)s: must be a number from %(low)s to %(high)s, not “%(value)s”.")
        )
        problems.append(
            Message.of(template, field=Message(field.label), low=field.low, high=field.high, value=text[:40])
        )
        fields.append(name)
        return None
    return value


def read_panel_form(
    session: Session,
    event_id: int,
    form: Mapping[str, str],
    entry_values: Sequence[str],
    *,
    scores: tuple[ScoreRow, ...] | None = None,
    scores_source: str = "",
) -> PanelParameters:
    """The parameters of a panel run from the form's fields (and the chosen entries' ids).

    Raises :class:`PanelFormRejected` naming every field whose value is not allowed.
    """
    problems: list[Message] = []
    fields: list[str] = []
    numbers = {name: _number(name, form.get(name, ""), problems, fields) for name in FIELDS}
    low, high = numbers["min_load"], numbers["max_load"]
    if low is not None and high is not None and low > high:
        problems.append(
            Message.of(
                N_("%(low_field)s (%(low)s) must not be more than %(high_field)s (%(high)s)."),
                low_field=Message(FIELDS["min_load"].label),
                low=low,
                high_field=Message(FIELDS["max_load"].label),
                high=high,
            )
        )
        fields += ["min_load", "max_load"]
    mode = form.get("mode", "").strip() or "optimal"
    if mode not in MODES:
        problems.append(
            Message.of(N_("%(field)s: choose optimal, fair or random."), field=Message(N_("Mode")))
        )
        fields.append("mode")
    chosen = _entries(session, event_id, entry_values, problems, fields)
    if problems:
        raise PanelFormRejected(problems, fields)
    seed_text = form.get("seed", "").strip()
    return PanelParameters(
        entry_ids=chosen,
        per_entry=int(numbers["per_entry"] or 0),
        min_load=int(numbers["min_load"] or 0),
        max_load=int(numbers["max_load"] or 0),
        one_from_each_side=form.get("one_from_each_side") == "1",
        in_entry_sector=form.get("in_entry_sector") == "1",
        mode=mode,
        seed=int(numbers["seed"] or 0) if seed_text else None,
        max_probability=float(numbers["max_probability"] or 0),
        alternates=int(numbers["alternates"] or 0),
        scores=scores,
        scores_source=scores_source,
    )


def _entries(
    session: Session, event_id: int, values: Sequence[str], problems: list[Message], fields: list[str]
) -> tuple[int, ...]:
    """The chosen entries' ids, each checked to be an entry of the event."""
    label = Message(N_("Entries"))
    texts = list(dict.fromkeys(value.strip() for value in values if value.strip()))
    if not texts:
        problems.append(Message.of(N_("%(field)s: choose at least one entry."), field=label))
        fields.append("entries")
        return ()
    if len(texts) > MAX_ENTRIES:
        problems.append(
            Message.of(N_("%(field)s: choose at most %(count)s entries."), field=label, count=MAX_ENTRIES)
        )
        fields.append("entries")
        return ()
    ids = [int(text) for text in texts if text.isdigit() and len(text) < 12]
    known = set(
        session.scalars(
            select(EventPanelEntry.id).where(
                EventPanelEntry.event_id == event_id, EventPanelEntry.id.in_(ids)
            )
        )
    )
    unknown = [text for text in texts if not (text.isdigit() and len(text) < 12 and int(text) in known)]
    if unknown:
        problems.append(
            Message.of(
                N_("%(field)s: %(values)s is not an entry of this event; reload the page and choose again."),
                field=label,
                values=", ".join(unknown[:MAX_SHOWN]),
            )
        )
        fields.append("entries")
        return ()
    return tuple(int(text) for text in texts)
