"""Affinity between reviewers and submissions, with the ranking that matches experts to opportunities.

Reviewer-matching tools (OpenReview's expertise API and matcher) describe each reviewer by their
publications and each submission by its title and abstract.  Here every reviewer becomes a profile
(titles as keywords, abstracts as biography) in an in-memory search index, and every submission is
ranked against them exactly as an opportunity's text is ranked against the registry
(:func:`expertbridge.search.experts.experts_for_text`): BM25 on analysed words in any of the three
languages plus shared concepts.  Scores are scaled to [0, 1] by the best pair overall, so they are
comparable across submissions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from expertbridge.registry.records import ExpertRecord
from expertbridge.search.document import build_document
from expertbridge.search.index import ExpertIndex
from expertbridge.search.query import analyse_query, relevance
from expertbridge.text.analyze import default_analyzer
from expertbridge.text.concepts import default_tagger
from expertbridge.text.normalize import language_of


@dataclass(frozen=True)
class Paper:
    """A publication or a submission: what its words are."""

    title: str
    abstract: str = ""

    @property
    def text(self) -> str:
        """Title and abstract as one text."""
        return f"{self.title}\n{self.abstract}".strip()


def _profile(papers: Sequence[Paper]) -> ExpertRecord:
    return ExpertRecord(
        names=(),
        expertise=tuple((paper.title, language_of(paper.title)) for paper in papers if paper.title),
        bios=tuple(
            (language_of(paper.abstract) or "en", paper.abstract) for paper in papers if paper.abstract
        ),
    )


def affinities(
    reviewers: Mapping[str, Sequence[Paper]], submissions: Mapping[str, Paper]
) -> Iterator[tuple[str, str, float]]:
    """(submission id, reviewer id, score in [0, 1]) for every pair, submissions in the given order."""
    reviewer_ids = list(reviewers)
    index = ExpertIndex(None)
    analyzer, tagger = default_analyzer(), default_tagger()
    index.write(
        (
            build_document(number, _profile(reviewers[reviewer]), [], analyzer, tagger)
            for number, reviewer in enumerate(reviewer_ids)
        ),
        removed=[],
    )
    raw: dict[str, dict[int, float]] = {}
    for submission, paper in submissions.items():
        analysed = analyse_query(paper.text, document=True)
        if analysed.empty or not reviewer_ids:
            raw[submission] = {}
            continue
        hits = index.search(relevance(index, analysed), len(reviewer_ids))
        raw[submission] = dict(hits.ranked)
    best = max((score for scores in raw.values() for score in scores.values()), default=0.0) or 1.0
    for submission, scores in raw.items():
        for number, reviewer in enumerate(reviewer_ids):
            yield submission, reviewer, round(scores.get(number, 0.0) / best, 6)
