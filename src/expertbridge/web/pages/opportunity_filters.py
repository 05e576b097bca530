"""The opportunities page's filters whose value the registry does not use.

A link from elsewhere or an edited address (``/opportunities?kind=bogus``) would otherwise show an
empty list, as if there were no opportunities, while the form's boxes show "All kinds".  The page
names each such filter, as the experts page does, with a link that takes it away and, when the
value is a label or another spelling of a code, the value it probably means.
"""

from __future__ import annotations

from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.registry.vocab import OPPORTUNITY_KINDS, OPPORTUNITY_STATUSES
from expertbridge.web.api.filters import code_named
from expertbridge.web.i18n import Translator
from expertbridge.web.labels import N_, OPPORTUNITY_KIND, OPPORTUNITY_STATUS
from expertbridge.web.pages.views import ActiveFilter


def unknown_opportunity_filters(kind: str, sector: str, status: str, language: str) -> list[ActiveFilter]:
    """The filters among ``kind``, ``sector`` and ``status`` whose value is no code of the registry,
    each with the code it probably means (and its label in ``language``) when one is found.

    >>> [f.suggestion for f in unknown_opportunity_filters("Technology offer", "", "open", "en")]
    [('technology_offer', 'Technology offer')]
    """
    translator = Translator(language)
    taxonomy = load_taxonomy()
    unknown = []
    for key, title, value in (
        ("kind", N_("Kind"), kind),
        ("sector", N_("Sector"), sector),
        ("status", N_("Status"), status),
    ):
        suggestion: tuple[str, str] | None = None
        if not value:
            continue
        if key == "sector":
            if value in taxonomy.nodes:
                continue
            code = taxonomy.resolve(value)
            suggestion = (code, taxonomy.label(code, language)) if code else None
        else:
            allowed, labels = (
                (OPPORTUNITY_KINDS, OPPORTUNITY_KIND)
                if key == "kind"
                else (OPPORTUNITY_STATUSES, OPPORTUNITY_STATUS)
            )
            if value in allowed:
                continue
            code = code_named(value, labels)
            suggestion = (code, translator.gettext(labels[code])) if code else None
        unknown.append(ActiveFilter(key, title, value, value, False, suggestion))
    return unknown
