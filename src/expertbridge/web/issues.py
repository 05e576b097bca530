"""Validation problems of a form, and other messages of the services, in the reader's language.

The readers of rows (:mod:`expertbridge.ingest`) describe each problem with an English template
marked for translation and its values; a page shows it with the column's label, both translated,
and the values as :class:`~expertbridge.messages.Message` says them (only labels of the code are
translated; a value read from a file is shown as written).
The engines and services say other things (a panel's explanation, why no panel can be formed) as a
:class:`~expertbridge.messages.Message`, which :func:`message_text` says the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.requests import Request

from expertbridge.ingest.report import Issue
from expertbridge.messages import Message
from expertbridge.registry.places import city_label
from expertbridge.registry.problems import Refused
from expertbridge.web.i18n import Translator
from expertbridge.web.labels import COLUMN


def issue_text(translator: Translator, issue: Issue) -> str:
    """One problem for a person: ``Эл. почта: не адрес электронной почты (…) («x@»)``, or in Chinese
    with the full-width colon and no space (``国家：…``).

    Its values are said as :func:`message_text` says a message's: the labels of the code in the
    reader's language, what the file or the registry holds as written (an organization named
    "Other" is not "Другое"), quantities the reader's way."""
    message = message_text(translator, issue.note)
    label = COLUMN.get(issue.column)
    where = translator.gettext(label) if label else issue.column
    value = issue.value if len(issue.value) <= 60 else issue.value[:57] + "..."
    shown = f" ({value})" if value else ""
    # The label is followed by the page language's colon (国家：…), as every label of a page is.
    return f"{where}{translator.colon}{message}{shown}" if where else f"{message}{shown}"


def issue_texts(translator: Translator, issues: Iterable[Issue]) -> list[str]:
    """Every problem, in order, in the translator's language."""
    return [issue_text(translator, issue) for issue in issues]


def message_text(translator: Translator, message: Message) -> str:
    """A message in the translator's language: its template and nested messages translated, numbers
    written the language's way (``1 200,5`` in Russian), names and ids as they are."""
    return message.render(translator.gettext, translator.number)


def refused_text(translator: Translator, refused: Refused) -> str:
    """A refusal in the translator's language, its values said as :func:`message_text` says them
    (``Эксперта с номером 12345 нет.``, ``не более 2 000 символов``): every page says a refusal
    through this one function."""
    if isinstance(refused.values.get("city"), str):
        # A side named in a refusal (only a Moscow coordinator's side…) is a city of the registry:
        # said in the page's language like every other place it shows (Москва, 北京).
        values = {**refused.values, "city": city_label(refused.values["city"], translator.language)}
        refused = Refused(refused.message, refused.status, **values)
    return message_text(translator, refused.as_message())


def refusal_text(request: Request, refused: Refused) -> str:
    """A refusal in the language of the page that answers ``request`` (see :func:`refused_text`)."""
    return refused_text(Translator(request.state.language), refused)
