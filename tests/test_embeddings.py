"""The ONNX export of the packaged model: same vectors as torch, made once, and torch when it is missing or broken."""
from __future__ import annotations

import json
import logging

import numpy as np
import pytest

from studyassist.embedding.local import LocalEmbeddings, default_model_dir
from studyassist.embedding.onnx_model import ensure_onnx, onnx_path
from studyassist.embedding.torch_encoder import TorchMeanPoolEncoder
from studyassist.settings import get_settings

from conftest import GOLD

pytestmark = pytest.mark.slow

QUESTIONS = [json.loads(line)["question"] for line in (GOLD / "ask.jsonl").read_text().splitlines()[:40]]


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDYASSIST_CACHE_DIR", str(tmp_path / "cache"))
    get_settings.cache_clear()
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def torch_vectors():
    return TorchMeanPoolEncoder.load(default_model_dir()).encode(QUESTIONS, batch_size=16)


def test_export_is_made_once_and_gives_the_torch_vectors(private_cache, torch_vectors):
    folder = default_model_dir()
    assert not onnx_path(folder).exists()
    made = ensure_onnx(folder)
    assert made == onnx_path(folder) and made.is_relative_to(private_cache)
    stamp = made.stat().st_mtime_ns
    assert ensure_onnx(folder).stat().st_mtime_ns == stamp  # second call reuses it

    emb = LocalEmbeddings()
    assert emb.backend == "onnxruntime"
    batch = emb.encode(QUESTIONS)  # batched, reordered by length inside
    assert np.abs(batch - torch_vectors).max() < 1e-5
    one = emb.query_vector(QUESTIONS[3])
    assert float(one @ torch_vectors[3]) > 0.99999


def test_a_damaged_export_falls_back_to_torch_and_is_made_again(private_cache, torch_vectors, caplog):
    folder = default_model_dir()
    target = ensure_onnx(folder)
    target.write_bytes(b"not a model")
    with caplog.at_level(logging.WARNING, logger="studyassist.embedding.local"):
        emb = LocalEmbeddings()
    assert emb.backend == "torch"
    assert "could not be loaded" in caplog.text
    assert np.abs(emb.encode(QUESTIONS[:5]) - torch_vectors[:5]).max() < 1e-5
    assert not target.exists()  # removed so that the next ingest exports it again
    assert ensure_onnx(folder) == target and LocalEmbeddings().backend == "onnxruntime"


def test_a_model_that_is_not_bert_mean_pooling_is_not_exported(private_cache, tmp_path):
    folder = tmp_path / "other-model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    (folder / "modules.json").write_text(json.dumps([{"type": "sentence_transformers.models.Transformer"},
                                                     {"type": "sentence_transformers.models.Pooling"}]))
    assert ensure_onnx(folder) is None
    assert not (private_cache / "onnx").exists()


def test_a_text_repeated_in_one_call_is_embedded_once():
    """A corpus file of one line repeated thousands of times embeds that line once (84 s -> 14 s for 4.7 MB)."""
    embedder = LocalEmbeddings()
    seen: list[int] = []
    encode = embedder.model.encode

    def counting(texts, batch_size):
        seen.append(len(texts))
        return encode(texts, batch_size)

    embedder.model.encode = counting
    texts = ["a batch endpoint scores files", "an online endpoint answers now"] * 50 + ["a compute cluster"]
    vectors = embedder.encode(texts)
    assert seen == [3] and vectors.shape == (101, embedder.dimension)
    alone = embedder.encode(["a batch endpoint scores files", "an online endpoint answers now", "a compute cluster"])
    assert np.allclose(vectors[[0, 1, 100, 98]], alone[[0, 1, 2, 0]], atol=1e-6)
