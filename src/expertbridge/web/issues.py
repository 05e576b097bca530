"""Validation problems of a form in the reader's language.

The readers of rows (:mod:`expertbridge.ingest`) describe each problem with an English template
marked for translation and its values; a page shows it with the column's label, both translated.
"""

from __future__ import annotations

from collections.abc import Iterable

from expertbridge.ingest.report import Issue
from expertbridge.web.i18n import Translator
from expertbridge.web.labels import COLUMN


def issue_text(translator: Translator, issue: Issue) -> str:
    """One problem for a person: ``Эл. почта: не адрес электронной почты (…) («x@»)``."""
    values = {
        name: translator.number(value) if isinstance(value, int) else translator.gettext(value)
        for name, value in issue.params
    }
    message = translator.gettext(issue.template, **values) if issue.template else issue.message
    label = COLUMN.get(issue.column)
    where = translator.gettext(label) if label else issue.column
    value = issue.value if len(issue.value) <= 60 else issue.value[:57] + "..."
    shown = f" ({value})" if value else ""
    return f"{where}: {message}{shown}" if where else f"{message}{shown}"


def issue_texts(translator: Translator, issues: Iterable[Issue]) -> list[str]:
    """Every problem, in order, in the translator's language."""
    return [issue_text(translator, issue) for issue in issues]
