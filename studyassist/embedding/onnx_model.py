"""The packaged MiniLM exported once to ONNX, and run with onnxruntime + tokenizers at query time.

Why: importing torch + transformers costs ~3.5 s of every cold start here and a query embedding takes
~13 ms on torch against ~5 ms on onnxruntime, with the same vectors (max difference ~2e-7). The export
runs locally from the packaged weights during ``studyassist ingest`` (nothing is downloaded), is
checked against the torch output before it is kept, and lives in a cache keyed by the model
files (under STUDYASSIST_HOME/cache unless STUDYASSIST_CACHE_DIR says otherwise).
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from studyassist.embedding.torch_encoder import TorchMeanPoolEncoder, mean_pool_model
from studyassist.settings import get_settings

log = logging.getLogger(__name__)

EXPORT_VERSION = 1  # bump when the exported graph changes
PARITY_TOLERANCE = 1e-4  # max absolute difference from torch allowed on the check sentences
_PARITY_SENTENCES = [
    "A nightly job scores every customer record; which service fits?",
    "red green",
    "Why would a scheduled pipeline fail with a 403 when the same pipeline succeeds when submitted by hand? " * 3,
]


def onnx_path(folder: Path) -> Path:
    """Where the export of this model folder lives: the key changes whenever its files do."""
    key = hashlib.sha256(f"v{EXPORT_VERSION}".encode())
    for name in ("config.json", "tokenizer.json", "model.safetensors", "pytorch_model.bin"):
        p = folder / name
        if p.exists():
            st = p.stat()
            key.update(f"{name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return get_settings().cache_path / "onnx" / f"{folder.name}-{key.hexdigest()[:16]}.onnx"


def ensure_onnx(folder: Path) -> Path | None:
    """Export ``folder`` to ONNX unless a checked export exists; None when it cannot be done here."""
    target = onnx_path(folder)
    if target.exists():
        return target
    if mean_pool_model(folder) is None or not (folder / "tokenizer.json").exists():
        return None
    try:
        _export(folder, target)
    except Exception as exc:  # torch/onnx missing or the graph does not trace: torch keeps serving
        log.warning("The embedding model could not be exported to ONNX (%s); embedding stays on torch.", exc)
        return None
    return target


def _export(folder: Path, target: Path) -> None:
    # torch + transformers cost ~3.5 s to import, once per machine here; queries never load them
    import torch  # noqa: PLC0415
    from transformers import AutoModel  # noqa: PLC0415

    model = AutoModel.from_pretrained(str(folder), local_files_only=True, attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    ids = torch.ones(2, 8, dtype=torch.long)
    mask = torch.ones(2, 8, dtype=torch.long)
    mask[1, 5:] = 0  # trace with padding so the mask path is in the graph
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(suffix=".onnx", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        inputs = ["input_ids", "attention_mask", "token_type_ids"]
        with warnings.catch_warnings(), torch.inference_mode(False):
            warnings.simplefilter("ignore")  # the tracer's notes about python-side shape checks
            torch.onnx.export(Pooled(model), (ids, mask, torch.zeros_like(ids)), str(tmp), dynamo=False,
                              input_names=inputs, output_names=["embedding"], opset_version=17,
                              dynamic_axes={**{k: {0: "batch", 1: "tokens"} for k in inputs},
                                            "embedding": {0: "batch"}})
        encoder = OnnxEncoder(folder, tmp, threads=1)
        reference = TorchMeanPoolEncoder.load(folder).encode(_PARITY_SENTENCES, batch_size=8)
        got = encoder.encode(_PARITY_SENTENCES, batch_size=8)
        diff = float(np.abs(reference - got).max())
        if diff > PARITY_TOLERANCE:
            raise RuntimeError(f"the export differs from torch by {diff:.2g}")
        tmp.chmod(0o644)
        tmp.replace(target)  # atomic: a concurrent reader sees no file or a whole one
        log.info("Exported %s to %s (max difference from torch %.1g).", folder.name, target, diff)
    finally:
        tmp.unlink(missing_ok=True)


class OnnxEncoder:
    """Tokenise with the model's own tokenizer.json and run the exported graph."""

    def __init__(self, folder: Path, model_file: Path, threads: int | None = None):
        import onnxruntime as ort  # noqa: PLC0415 -- 0.2 s to import; commands that embed nothing skip it

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or get_settings().embedding_threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(mean_pool_model(folder) or 256)
        pad_id = self.tokenizer.token_to_id("[PAD]") or 0
        self.tokenizer.enable_padding(pad_id=pad_id, pad_token="[PAD]")
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        # Similar lengths batched together: padding is wasted work.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            encoded = self.tokenizer.encode_batch([texts[i] for i in idx])
            feed = {"input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                    "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                    "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64)}
            out[idx] = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
        return out
