"""Semantic re-ranking with a tiny sentence-embedding model that the test builds (ONNX + tokenizer)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer
from tokenizers.models import WordLevel
from tokenizers.pre_tokenizers import Whitespace
from typer.testing import CliRunner

from expertbridge.cli import app
from expertbridge.search.semantic import Reranking, SemanticModelError, SemanticReranker

# Three "meanings"; words of all three languages that share one point the same way.
MEANINGS = {
    "transport": ["metro", "метро", "地铁", "train", "поезд"],
    "energy": ["solar", "солнечный", "太阳能", "panel"],
    "health": ["vaccine", "вакцина", "疫苗", "clinic"],
}


def build_model(folder: Path) -> Path:
    """A word-level tokenizer and an ONNX model returning one embedding per token."""
    words = ["[UNK]", "[PAD]"] + [word for group in MEANINGS.values() for word in group]
    vocabulary = {word: number for number, word in enumerate(words)}
    tokenizer = Tokenizer(WordLevel(vocabulary, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = Whitespace()
    tokenizer.save(str(folder / "tokenizer.json"))
    table = np.zeros((len(words), len(MEANINGS)), dtype=np.float32)
    for axis, group in enumerate(MEANINGS.values()):
        for word in group:
            table[vocabulary[word], axis] = 1.0
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "input_ids"], ["token_embeddings"])],
        "tiny",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("token_embeddings", TensorProto.FLOAT, ["batch", "tokens", 3])],
        initializer=[numpy_helper.from_array(table, "table")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, str(folder / "model.onnx"))
    return folder


def test_embeddings_meet_across_languages(tmp_path: Path) -> None:
    reranker = SemanticReranker.load(build_model(tmp_path))
    vectors = reranker.embed(["metro train", "地铁 поезд", "solar panel"])
    assert vectors[0] @ vectors[1] == pytest.approx(1.0)
    assert vectors[0] @ vectors[2] == pytest.approx(0.0)


def test_reranking_blends_similarity_into_the_order(tmp_path: Path) -> None:
    reranker = SemanticReranker.load(build_model(tmp_path), weight=0.5)
    texts = {1: "solar panel", 2: "метро поезд"}
    # Lexically tied; the query means transport, so expert 2 moves first.
    assert [i for i, _ in reranker.rerank("地铁", [(1, 0.8), (2, 0.8)], texts)] == [2, 1]
    # Weight 0 keeps the lexical order.
    reranker.weight = 0.0
    assert [i for i, _ in reranker.rerank("地铁", [(1, 0.9), (2, 0.8)], texts)] == [1, 2]
    reranking = Reranking(
        SemanticReranker.load(tmp_path), lambda ids: {i: texts[i] for i in ids if i in texts}
    )
    assert {i for i, _ in reranking.apply("vaccine", [(1, 1.0), (2, 0.5), (3, 0.1)])} == {1, 2, 3}


def test_a_folder_without_a_model_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(SemanticModelError, match=r"model\.onnx"):
        SemanticReranker.load(tmp_path)


def test_the_search_command_uses_the_configured_model(
    cli_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    monkeypatch.setenv("EXPERTBRIDGE_SEMANTIC_MODEL", str(tmp_path / "missing"))
    failed = runner.invoke(app, ["search", "metro"])
    assert failed.exit_code == 1
    assert "EXPERTBRIDGE_SEMANTIC_MODEL" in failed.output
    model = tmp_path / "model"
    model.mkdir()
    monkeypatch.setenv("EXPERTBRIDGE_SEMANTIC_MODEL", str(build_model(model)))
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert runner.invoke(app, ["demo", "--experts", "30"]).exit_code == 0
    result = runner.invoke(app, ["search", "метро", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "rank,expert_id,score,name"
