"""The packaged model's own pipeline (BERT → mean pooling → L2 normalise) on torch: the reference the ONNX
export is checked against, and the fallback when there is no export."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from studyassist.settings import get_settings


def mean_pool_model(folder: Path) -> int | None:
    """The max sequence length if ``folder`` is a BERT → mean pooling → normalise model, else None."""
    try:
        modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((folder / "modules.json").read_text())]
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
        max_length = int(json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    mean_only = pooling.get("pooling_mode_mean_tokens") and not any(
        v for k, v in pooling.items() if k.startswith("pooling_mode") and k != "pooling_mode_mean_tokens")
    if modules != ["Transformer", "Pooling", "Normalize"] or not mean_only:
        return None
    return max_length


class TorchMeanPoolEncoder:
    """The packaged model's own pipeline (BERT → mean pooling → L2 normalise) run with transformers alone.

    Same vectors as sentence-transformers for a folder whose modules are exactly Transformer, mean
    Pooling and Normalize, without importing sentence-transformers (8 s and ~90 MB at start-up here)."""

    def __init__(self, tokenizer, model, max_length: int):
        self.tokenizer, self.model, self.max_length = tokenizer, model, max_length
        self.dimension = int(model.config.hidden_size)

    @classmethod
    def load(cls, folder: Path) -> TorchMeanPoolEncoder | None:
        max_length = mean_pool_model(folder)
        if max_length is None:
            return None
        # torch + transformers cost ~3.5 s to import: only without an ONNX export, or to check one
        import torch  # noqa: PLC0415
        from transformers import AutoModel, AutoTokenizer  # noqa: PLC0415

        # One thread: single short queries gain nothing from more, and on a busy 2-core machine
        # a second thread made an embedding up to 20× slower (measured while tests ran beside it).
        torch.set_num_threads(get_settings().embedding_threads)

        tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        model = AutoModel.from_pretrained(str(folder), local_files_only=True).eval()
        return cls(tokenizer, model, max_length)

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        import torch  # noqa: PLC0415 -- loaded already by ``load``

        out = []
        with torch.inference_mode():
            for i in range(0, len(texts), batch_size):
                batch = self.tokenizer(texts[i:i + batch_size], padding=True, truncation=True,
                                       max_length=self.max_length, return_tensors="pt")
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out.append(torch.nn.functional.normalize(pooled, p=2, dim=1).numpy())
        return np.concatenate(out).astype(np.float32)
