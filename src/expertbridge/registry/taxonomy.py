"""The trilingual sector taxonomy shipped in ``data/taxonomy.json``.

>>> taxonomy = load_taxonomy()
>>> taxonomy.resolve("Метрополитен")
'transport.metro'
>>> taxonomy.label("transport", "zh")
'交通运输'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from expertbridge.text.normalize import fold

LANGUAGES = ("ru", "zh", "en")


@dataclass(frozen=True)
class SectorNode:
    """One taxonomy node with its labels and synonyms per language."""

    code: str
    parent: str | None
    position: int
    labels: dict[str, str]
    synonyms: dict[str, tuple[str, ...]]
    children: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """All sector nodes, in file order, and a lookup from any label or synonym to its code."""

    nodes: dict[str, SectorNode]
    _lookup: dict[str, str] = field(repr=False)

    @property
    def top_level(self) -> list[SectorNode]:
        """The programme's areas, in the order of the file."""
        return [node for node in self.nodes.values() if node.parent is None]

    def label(self, code: str, language: str) -> str:
        """The label of ``code`` in ``language`` (English when missing; the code when unknown)."""
        node = self.nodes.get(code)
        if node is None:
            return code
        return node.labels.get(language) or node.labels.get("en") or code

    def resolve(self, text: str) -> str | None:
        """The code named by ``text``: a code, or a label or synonym in any language."""
        stripped = text.strip()
        if stripped in self.nodes:
            return stripped
        return self._lookup.get(fold(stripped))

    def area_of(self, code: str) -> str:
        """The top-level area a code belongs to."""
        node = self.nodes[code]
        while node.parent is not None:
            node = self.nodes[node.parent]
        return node.code


def _walk(raw_nodes: list[dict[str, Any]], parent: str | None, into: dict[str, SectorNode]) -> None:
    for raw in raw_nodes:
        children = raw.get("children", [])
        into[raw["code"]] = SectorNode(
            code=raw["code"],
            parent=parent,
            position=len(into),
            labels=dict(raw["labels"]),
            synonyms={lang: tuple(raw.get("synonyms", {}).get(lang, [])) for lang in LANGUAGES},
            children=tuple(child["code"] for child in children),
        )
        _walk(children, raw["code"], into)


def parse_taxonomy(document: dict[str, Any]) -> Taxonomy:
    """Build a :class:`Taxonomy` from the JSON document's dictionary."""
    nodes: dict[str, SectorNode] = {}
    _walk(document["sectors"], None, nodes)
    lookup: dict[str, str] = {}
    # Labels win over synonyms, and the first node to claim a synonym keeps it.
    for node in nodes.values():
        for label in node.labels.values():
            lookup.setdefault(fold(label), node.code)
    for node in nodes.values():
        for synonyms in node.synonyms.values():
            for synonym in synonyms:
                lookup.setdefault(fold(synonym), node.code)
    return Taxonomy(nodes=nodes, _lookup=lookup)


@cache
def load_taxonomy() -> Taxonomy:
    """The packaged taxonomy, read once per process."""
    text = resources.files("expertbridge.data").joinpath("taxonomy.json").read_text("utf-8")
    return parse_taxonomy(json.loads(text))
