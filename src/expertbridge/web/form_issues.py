"""The problems of the shared row checks as a web form says them.

A form is validated by the readers of import rows (:mod:`expertbridge.ingest`), whose messages
speak to someone editing a file: they name columns (``name_ru, name_zh, name_en``) and point to the
command line (``expertbridge sectors``).  A person filling in a form knows its fields, not the
file's columns: :func:`form_issue_texts` says the same problems in the words of the form (the
fields as it labels them, no command line), and every other problem as :func:`issue_texts` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from expertbridge.ingest.report import Issue
from expertbridge.registry.problems import N_
from expertbridge.web.i18n import Translator
from expertbridge.web.issues import issue_texts

# A template of the row checks → the same problem for a form.  The keys are the readers' templates
# word for word (tests/web/test_profile_form_wording.py sends the form that raises each).
FORM_WORDING: dict[str, str] = {
    "no name: fill at least one of name_ru, name_zh, name_en": N_(
        "no name: give the name in at least one script: Russian (Cyrillic), Chinese (characters) or "
        "English (Latin letters)"
    ),
    "must be written in %(script)s; put each spelling in its own column (name_ru, name_zh, name_en)": N_(
        "must be written in %(script)s; put each spelling in its own field (in Russian, in Chinese, "
        "in English)"
    ),
    "unknown sector; use a code such as transport.metro or a label listed by `expertbridge sectors`": N_(
        "unknown sector; choose the sectors from the list"
    ),
    "no title: fill at least one of title_ru, title_zh, title_en": N_(
        "no title: give the title in at least one language: Russian, Chinese or English"
    ),
    "give a title in at least one language (title_ru, title_zh or title_en)": N_(
        "no title: give the title in at least one language: Russian, Chinese or English"
    ),
}


def form_issue(translator: Translator, issue: Issue, field_labels: Mapping[str, str] = {}) -> Issue:
    """``issue`` in the words of a form: its template as :data:`FORM_WORDING` says it, and its field
    named by ``field_labels`` (column → label marked ``N_``, translated here) when the form labels
    it otherwise than the import's columns are labelled (web/labels.py COLUMN)."""
    template = FORM_WORDING.get(issue.template, issue.template) if issue.template else ""
    label = field_labels.get(issue.column)
    # web.issues shows a column it has no label for as it is: here, the form's label translated.
    column = translator.gettext(label) if label else issue.column
    return replace(issue, template=template, column=column)


def form_issue_texts(
    translator: Translator, issues: Iterable[Issue], field_labels: Mapping[str, str] = {}
) -> list[str]:
    """Every problem, in order, in the translator's language and in the words of the form."""
    return issue_texts(translator, [form_issue(translator, issue, field_labels) for issue in issues])
