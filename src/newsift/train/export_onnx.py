"""Export a (fine-tuned) MiniLM-style encoder to ONNX and quantise it to int8.

Training-time only: needs ``torch`` and ``transformers`` (``pip install torch==2.13.0
transformers``); newsift itself runs the result with onnxruntime + ``tokenizers``.

Usage::

    python -m newsift.train.export_onnx MODEL_DIR OUT_DIR
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def export_encoder(model_dir: Path, out_dir: Path, *, quantize: bool = True) -> Path:
    """Export ``model_dir`` (a transformers checkpoint) to ``out_dir/model.onnx``.

    The graph takes ``input_ids`` and ``attention_mask`` (int64, [batch, seq]) and returns
    ``last_hidden_state`` ([batch, seq, hidden]); pooling is done by the caller.

    Returns:
        the path of the written ONNX file.
    """
    import torch
    from transformers import AutoModel

    out_dir.mkdir(parents=True, exist_ok=True)
    model = AutoModel.from_pretrained(str(model_dir)).eval()

    class _Wrap(torch.nn.Module):
        def __init__(self, m: torch.nn.Module) -> None:
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask):  # noqa: ANN001
            return self.m(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    fp32 = out_dir / "model.fp32.onnx"
    target = out_dir / "model.onnx"
    from .quantize import export_int8

    export_int8(_Wrap(model), fp32, target, "last_hidden_state", quantize=quantize)
    tok = model_dir / "tokenizer.json"
    if tok.exists():
        shutil.copyfile(tok, out_dir / "tokenizer.json")
    return target


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m newsift.train.export_onnx MODEL_DIR OUT_DIR")
    print(export_encoder(Path(sys.argv[1]), Path(sys.argv[2])))
