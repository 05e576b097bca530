"""Optional semantic re-ranking with a multilingual sentence-embedding model the operator provides.

Off by default.  When ``EXPERTBRIDGE_SEMANTIC_MODEL`` names a local folder holding an ONNX export of
a sentence-embedding model (``model.onnx``) and its Hugging Face tokenizer (``tokenizer.json``) —
for example a multilingual MiniLM exported with Optimum — the best candidates of a search are
re-ordered by blending their lexical and concept score with the cosine similarity of the query's
and the profile's embeddings.  Nothing is downloaded: the folder must already be there.

The model may output pooled sentence embeddings (2-D) or token embeddings (3-D, mean-pooled here
over the attention mask, as sentence-transformers does).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_TOKENS = 256
# How much of the final score comes from the embeddings; the rest from the lexical ranking.
DEFAULT_WEIGHT = 0.3
# Only the best candidates are re-ranked: the embedding model is slower than the index.
CANDIDATES = 50


class SemanticModelError(Exception):
    """The configured model folder cannot be used; the message says why and what to do."""


@dataclass
class SemanticReranker:
    """A loaded model: embeds texts and blends similarity into a ranking."""

    session: Any
    tokenizer: Any
    input_names: tuple[str, ...]
    weight: float = DEFAULT_WEIGHT

    @classmethod
    def load(cls, folder: Path, weight: float = DEFAULT_WEIGHT) -> SemanticReranker:
        """Load ``folder``/model.onnx and ``folder``/tokenizer.json."""
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError:  # pragma: no cover - both are dependencies; kept for a clear message
            raise SemanticModelError(
                "semantic re-ranking needs onnxruntime and tokenizers installed"
            ) from None
        model, vocabulary = folder / "model.onnx", folder / "tokenizer.json"
        for path in (model, vocabulary):
            if not path.is_file():
                raise SemanticModelError(
                    f"{path}: not found; EXPERTBRIDGE_SEMANTIC_MODEL must name a folder with model.onnx "
                    "and tokenizer.json (an ONNX export of a sentence-embedding model)"
                )
        tokenizer = Tokenizer.from_file(str(vocabulary))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        try:
            session = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        except Exception as error:  # onnxruntime raises its own exception types for a bad file
            raise SemanticModelError(f"{model}: cannot be loaded ({error})") from None
        names = tuple(node.name for node in session.get_inputs())
        if "input_ids" not in names:
            raise SemanticModelError(f"{model}: the model has no input_ids input (it has {', '.join(names)})")
        return cls(session, tokenizer, names, weight)

    def embed(self, texts: Sequence[str]) -> Any:
        """Unit-length embeddings of ``texts`` (a numpy array, one row per text)."""
        import numpy as np

        encodings = self.tokenizer.encode_batch([text or " " for text in texts])
        ids = np.array([encoding.ids for encoding in encodings], dtype=np.int64)
        mask = np.array([encoding.attention_mask for encoding in encodings], dtype=np.int64)
        feeds = {"input_ids": ids}
        if "attention_mask" in self.input_names:
            feeds["attention_mask"] = mask
        if "token_type_ids" in self.input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        output = np.asarray(self.session.run(None, feeds)[0], dtype=np.float32)
        if output.ndim == 3:  # token embeddings: mean over the real tokens
            weights = mask[:, :, None].astype(np.float32)
            output = (output * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        norms = np.linalg.norm(output, axis=1, keepdims=True)
        return output / np.maximum(norms, 1e-12)

    def rerank(
        self, query: str, ranked: Sequence[tuple[int, float]], texts: Mapping[int, str]
    ) -> list[tuple[int, float]]:
        """``ranked`` (id, score in [0, 1]) re-ordered by (1 − weight)·score + weight·similarity."""
        if not ranked:
            return []
        ids = [expert_id for expert_id, _ in ranked]
        vectors = self.embed([query, *(texts.get(expert_id, "") for expert_id in ids)])
        similarities = vectors[1:] @ vectors[0]
        blended = [
            (expert_id, round((1 - self.weight) * score + self.weight * max(float(similarity), 0.0), 4))
            for (expert_id, score), similarity in zip(ranked, similarities, strict=True)
        ]
        return sorted(blended, key=lambda item: -item[1])


# What the search needs from the caller to re-rank: the profile texts of some experts.
ProfileTexts = Callable[[list[int]], Mapping[int, str]]


@dataclass(frozen=True)
class Reranking:
    """A reranker and the way to read the candidates' profile texts (from what the viewer may see)."""

    reranker: SemanticReranker
    texts: ProfileTexts

    def apply(self, query: str, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """The first CANDIDATES of ``ranked`` re-ordered; the rest follow unchanged."""
        head, tail = ranked[:CANDIDATES], ranked[CANDIDATES:]
        head = self.reranker.rerank(query, head, self.texts([expert_id for expert_id, _ in head]))
        # The rest keep their order, under the re-ranked head: scores never rise down the list.
        floor = head[-1][1] if head else 1.0
        return head + [(expert_id, min(score, floor)) for expert_id, score in tail]
