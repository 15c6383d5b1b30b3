"""Make an int8 ONNX export give the same results on every x86 instruction set.

onnxruntime's int8 matrix products multiply uint8 activations by int8 weights. On processors
without AVX-512 VNNI / AVX-VNNI (most AVX2 machines) the kernel adds pairs of those products in
16-bit registers with saturation: with 8-bit weights (|w| <= 127) a pair can reach
255 * 127 * 2 = 64,770 and is clipped at 32,767. VNNI processors add in 32 bits and never clip.
The same model file therefore scores differently by processor (the packaged student's SI on 20
PTC articles: 0.601 on an AVX2 machine, 0.575 with VNNI).

With 7-bit weights (|w| <= 64; onnxruntime's ``reduce_range=True``) a pair is at most
255 * 64 * 2 = 32,640, so no kernel clips and every processor computes the exact integer
products. New exports quantise with ``reduce_range=True``; :func:`reduce_weight_range` converts
an existing 8-bit export (w7 = round(w8 / 2), scale x 2) without retraining.

Training-time only (needs the ``onnx`` package)::

    python -m newsift.train.quantize src/newsift/models/persuasion/persuasion-tagger.onnx
"""

from __future__ import annotations

import sys
from pathlib import Path

#: The largest weight magnitude that no int8 kernel saturates on (see the module docstring).
SAFE_WEIGHT_MAX = 64


def export_int8(
    module,
    fp32: Path,
    target: Path,
    output: str,
    *,
    quantize: bool = True,
    weight_bits: int = 7,
) -> Path:
    """Export a torch encoder (inputs ``input_ids``, ``attention_mask``; output ``output``,
    [batch, seq, ...]) to ONNX at ``fp32``, then quantise it to ``target``: int8, per channel,
    with 7-bit weights (the same result on every processor) or, with ``weight_bits=8``, 8-bit
    ones (what the shipped MiniLM sentence encoder has: see ``newsift.train.export_onnx``).
    ``fp32`` is removed afterwards; with ``quantize=False`` it becomes ``target`` as it is."""
    if weight_bits not in (7, 8):
        raise ValueError(f"weight_bits must be 7 or 8, not {weight_bits!r}")
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    ids = torch.ones(2, 16, dtype=torch.long)
    torch.onnx.export(
        module.eval(),
        (ids, torch.ones_like(ids)),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=[output],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "seq"},
            "attention_mask": {0: "batch", 1: "seq"},
            output: {0: "batch", 1: "seq"},
        },
        opset_version=17,
        dynamo=False,
    )
    if not quantize:
        fp32.replace(target)
        return target
    # per-channel int8 keeps cosine ~0.99 to fp32 (per-tensor: ~0.95, min 0.80)
    quantize_dynamic(
        str(fp32),
        str(target),
        weight_type=QuantType.QInt8,
        per_channel=True,
        reduce_range=weight_bits == 7,
    )
    fp32.unlink()
    return target


def weights_are_saturation_safe(path: Path) -> bool:
    """Whether every MatMulInteger weight of the graph at ``path`` is within +-64."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(path))
    inits = {i.name: i for i in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type == "MatMulInteger" and node.input[1] in inits:
            w = numpy_helper.to_array(inits[node.input[1]])
            if int(abs(w.astype("int16")).max()) > SAFE_WEIGHT_MAX:
                return False
    return True


def reduce_weight_range(path: Path, out: Path | None = None) -> int:
    """Rewrite the 8-bit weights of the dynamic-quantised graph at ``path`` as 7-bit ones.

    Each MatMulInteger weight w (int8, symmetric, zero point 0) becomes round(w / 2) and its
    scale doubles; the graph is otherwise unchanged. Returns the number of weights rewritten.
    """
    import numpy as np
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(path))
    inits = {i.name: i for i in model.graph.initializer}
    done = 0
    scaled: set[str] = set()
    for node in model.graph.node:
        if node.op_type != "MatMulInteger" or node.input[1] not in inits:
            continue
        name = node.input[1]
        w = numpy_helper.to_array(inits[name])
        zero = numpy_helper.to_array(inits[node.input[3]]) if len(node.input) > 3 else None
        if w.dtype != np.int8 or (zero is not None and np.any(zero != 0)):
            raise ValueError(f"{path}: {name} is not a symmetric int8 weight")
        if int(np.abs(w.astype(np.int16)).max()) <= SAFE_WEIGHT_MAX:
            continue
        scale_name = name.removesuffix("_quantized") + "_scale"
        if scale_name not in inits or scale_name in scaled:
            raise ValueError(f"{path}: no scale of its own ({scale_name}) for {name}")
        scaled.add(scale_name)
        w7 = np.clip(np.round(w.astype(np.float32) / 2), -SAFE_WEIGHT_MAX, SAFE_WEIGHT_MAX)
        scale = numpy_helper.to_array(inits[scale_name]) * np.float32(2)
        inits[name].CopyFrom(numpy_helper.from_array(w7.astype(np.int8), name))
        inits[scale_name].CopyFrom(numpy_helper.from_array(scale.astype(np.float32), scale_name))
        done += 1
    onnx.checker.check_model(model)
    onnx.save(model, str(out or path))
    return done


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python -m newsift.train.quantize MODEL.onnx [MODEL.onnx ...]")
    for arg in sys.argv[1:]:
        print(arg, reduce_weight_range(Path(arg)), "weights rewritten")
