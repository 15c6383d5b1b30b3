"""Export a (fine-tuned) MiniLM-style encoder to ONNX and quantise it to int8.

Training-time only: needs ``torch`` and ``transformers`` (``pip install torch==2.13.0
transformers``); newsift itself runs the result with onnxruntime + ``tokenizers``.

Usage::

    python -m newsift.train.export_onnx MODEL_DIR OUT_DIR [--weight-bits 7|8]

The shipped MiniLM (``models/minilm/model.onnx``) has 8-bit weights: it is this export with
``--weight-bits 8`` (the default), byte for byte, and the check-worthiness model, the fact-check
thresholds and the EUvsDisinfo case vectors were fitted on its vectors. 8-bit int8 products can
saturate on processors without VNNI (``newsift.train.quantize``), so on such a machine its vectors
differ slightly from the ones the calibrations saw. ``--weight-bits 7`` gives a graph that computes
the same on every processor; shipping it means rebuilding everything that embeds with it
(``newsift train all --steps minilm,euvsdisinfo,claims-checkworthy,claims-matching,manifest``
with the minilm step at 7 bits) and re-measuring the claims and fact-check gates.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

#: The weight width of the shipped MiniLM export (see the module docstring).
SHIPPED_WEIGHT_BITS = 8


def export_encoder(
    model_dir: Path,
    out_dir: Path,
    *,
    quantize: bool = True,
    weight_bits: int = SHIPPED_WEIGHT_BITS,
) -> Path:
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

    export_int8(
        _Wrap(model),
        fp32,
        target,
        "last_hidden_state",
        quantize=quantize,
        weight_bits=weight_bits,
    )
    tok = model_dir / "tokenizer.json"
    if tok.exists():
        shutil.copyfile(tok, out_dir / "tokenizer.json")
    return target


def main(argv: list[str]) -> int:
    """``python -m newsift.train.export_onnx MODEL_DIR OUT_DIR [--weight-bits 7|8]``."""
    parser = argparse.ArgumentParser(prog="python -m newsift.train.export_onnx")
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument(
        "--weight-bits",
        type=int,
        choices=(7, 8),
        default=SHIPPED_WEIGHT_BITS,
        help="int8 weight width: 8 rebuilds the shipped encoder, 7 is processor-independent",
    )
    args = parser.parse_args(argv)
    print(export_encoder(args.model_dir, args.out_dir, weight_bits=args.weight_bits))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
