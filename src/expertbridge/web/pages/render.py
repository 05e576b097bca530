"""Rendering templates in the request's language."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from expertbridge.registry.places import city_label, country_label
from expertbridge.registry.taxonomy import load_taxonomy
from expertbridge.settings import SUPPORTED_LANGUAGES
from expertbridge.text.concepts import concept_label
from expertbridge.web import labels
from expertbridge.web.i18n import LANGUAGE_NAMES, Translator
from expertbridge.web.pages.views import name_parts_in_order


@cache
def environment() -> Environment:
    """The Jinja2 environment (autoescaping on), built once."""
    folder = resources.files("expertbridge.web").joinpath("templates")
    env = Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.globals["labels"] = labels
    env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    env.globals["SUPPORTED_LANGUAGES"] = SUPPORTED_LANGUAGES
    env.globals["name_parts"] = name_parts_in_order
    env.filters["join_items"] = _joining(lambda translator: translator.item_separator)
    env.filters["join_parts"] = _joining(lambda translator: translator.part_separator)
    return env


def _joining(separator: Callable[[Translator], str]) -> Callable[[Context, Iterable[Any]], str]:
    """A filter that joins what it is given with the page language's ``separator``, leaving out
    empty values: ``{{ [city_label(city), country_label(country)] | join_parts }}`` is
    ``Москва, Россия`` or ``北京，中国``, and ``中国`` alone when the city is not given.

    Markup among the values (a link) is kept; text is escaped, as Jinja's own ``join`` does."""

    @pass_context
    def join(context: Context, values: Iterable[Any]) -> str:
        between = separator(Translator(str(context.get("lang", "en"))))
        shown = [value for value in values if value]
        if context.eval_ctx.autoescape:
            return Markup(between).join(shown)
        return between.join(str(value) for value in shown)

    return join


def url_with(request: Request, **changes: Any) -> str:
    """The current URL with some query parameters changed (None or "" removes them)."""
    params = dict(request.query_params)
    params.pop("lang", None)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``template`` for this request's language."""
    translator = Translator(request.state.language)
    taxonomy = load_taxonomy()
    _ = translator.gettext

    def tr(message: str) -> str:
        return _(message) if message else ""

    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            lang=translator.language,
            _=_,
            gettext=_,
            ngettext=translator.ngettext,
            tr=tr,
            # After a label: Chinese takes the full-width colon, with no space after it.
            colon=translator.colon,
            # Between the items of a list a loop writes out (、 in Chinese) and between the parts of
            # one description (，); joining a list at once is the join_items / join_parts filters'.
            item_separator=translator.item_separator,
            part_separator=translator.part_separator,
            fmt_date=translator.date,
            fmt_date_range=translator.date_range,
            fmt_date_time=translator.date_time,
            fmt_number=translator.number,
            fmt_percent=translator.percent,
            sector_label=lambda code: taxonomy.label(code, translator.language),
            concept_label=lambda code: concept_label(code, translator.language),
            city_label=lambda city: city_label(city, translator.language),
            country_label=lambda code: country_label(code, translator.language),
            url_with=lambda **changes: url_with(request, **changes),
            **context,
        )
    )
    return HTMLResponse(html, status_code=status_code)
