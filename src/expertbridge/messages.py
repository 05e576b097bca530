"""Sentences for people that any page can say in its language: an English template marked for
translation (``N_``) and the values of its placeholders.

Engines and services (matching, the registry, imports) describe what they found as a
:class:`Message`; the command line and the files they write use its English ``text``, and a page
renders it through the catalogs (``web.issues.message_text``).  One type for every module, so
that no module builds an English sentence a Russian or Chinese page would then show as it is.

A value's type says how it is written, so a call site decides it once: ``int`` and ``float`` are
quantities (counts, sizes, minutes, loads, scores), written the reader's way ("12 345" in Russian,
"12,345" in Chinese); everything that names or places a thing is ``str`` and shown as written:
record ids (``str(expert.id)``), codes, line and row numbers, table numbers, years, dates.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

# str: shown as written (names, codes, record ids, line numbers, years); int | float: a quantity.
MessageValue: TypeAlias = "str | int | float | Message"


@dataclass(frozen=True)
class Message:
    """A sentence for a person: an English ``template`` marked for translation with ``N_`` and the values
    of its ``%(name)s`` placeholders.

    Text values are names and ids, shown as they are; numbers are quantities, written in the reader's
    way; a value that is itself a Message is said in the reader's language too.  A record id is
    therefore passed as text, never as a number: ``expert=str(expert_id)``, or a Russian page would
    say "эксперт 12 345".  ``text`` is the English sentence (the command line, CSV and JSON outputs);
    a page renders it with ``web.issues.message_text``.

    >>> Message.of("expert %(expert)s has %(count)s entries", expert="12345", count=1200).text
    'expert 12345 has 1,200 entries'
    >>> str(Message.join([Message.of("a %(n)s", n=1200), Message.of("b")]))
    'a 1,200; b'
    """

    template: str
    params: tuple[tuple[str, MessageValue], ...] = ()

    @classmethod
    def of(cls, template: str, **params: MessageValue) -> Message:
        """A message from its template and named values."""
        return cls(template, tuple(params.items()))

    @classmethod
    def join(cls, messages: Sequence[Message], separator: str = "; ") -> Message:
        """Several messages as one, each still said in the reader's language."""
        template = separator.join(f"%(m{number})s" for number in range(len(messages)))
        return cls(template, tuple((f"m{number}", message) for number, message in enumerate(messages)))

    def render(self, translate: Callable[[str], str], number: Callable[[int | float], str]) -> str:
        """The sentence with ``translate`` applied to every template and ``number`` to every number."""
        text = translate(self.template)
        if not self.params:
            return text
        values: dict[str, str] = {}
        for name, value in self.params:
            if isinstance(value, Message):
                values[name] = value.render(translate, number)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                values[name] = number(value)
            else:
                # Text as written; so is a value of another type a refusal might carry (never a crash).
                values[name] = str(value)
        return text % values

    @property
    def text(self) -> str:
        """The English sentence (numbers as 2,000 and 0.25)."""
        return self.render(lambda template: template, _english_number)

    def __str__(self) -> str:
        return self.text

    def renamed(self, name: str, names: Mapping[str, str]) -> Message:
        """The same message with every ``name`` value found in ``names`` replaced (an entry's id by its
        code, an expert's id by their name), in nested messages too."""
        params: list[tuple[str, MessageValue]] = []
        for key, value in self.params:
            if isinstance(value, Message):
                value = value.renamed(name, names)
            elif key == name and isinstance(value, str):
                value = names.get(value, value)
            params.append((key, value))
        return Message(self.template, tuple(params))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form (stored with a panel run); ``from_json`` reads it back, text still text and
        numbers still numbers, so a stored id is never written as a quantity."""
        return {
            "template": self.template,
            "params": {
                name: value.to_json() if isinstance(value, Message) else value for name, value in self.params
            },
        }

    @classmethod
    def from_json(cls, data: Any) -> Message:
        """A message from ``to_json``; a plain string (stored before messages were structured) is kept
        as it was written.  A run stored while some ids were still passed as numbers renders them as
        numbers (grouped) as it did then; what is stored now holds ids as text."""
        if isinstance(data, str):
            return cls(data)
        params = tuple(
            (name, cls.from_json(value) if isinstance(value, dict) else value)
            for name, value in data.get("params", {}).items()
        )
        return cls(str(data["template"]), params)


def _english_number(value: int | float) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,g}"
