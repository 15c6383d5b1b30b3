"""py3langid's model read once and memory-mapped from a cache: the same answers as py3langid's own."""

from __future__ import annotations

import pytest

pytest.importorskip("py3langid")

from newsift import langid_model  # noqa: E402

SENTENCES = [
    "The minister said the new budget would be presented to parliament next week.",
    "Der Minister sagte, der neue Haushalt werde nächste Woche dem Parlament vorgelegt.",
    "Министр заявил, что новый бюджет будет представлен парламенту на следующей неделе.",
    "El ministro dijo que el nuevo presupuesto se presentará al parlamento la próxima semana.",
    "Le ministre a déclaré que le nouveau budget serait présenté au parlement la semaine prochaine.",
]


def _reference(languages: list[str] | None = None):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages is not None:
        ident.set_languages(languages)
    return ident


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSIFT_CACHE_DIR", str(tmp_path))
    langid_model.load_langid_model.cache_clear()
    yield tmp_path
    langid_model.load_langid_model.cache_clear()


@pytest.mark.parametrize("languages", [None, ["en", "ru", "uk", "de", "fr", "es", "pl"]])
def test_cached_model_answers_as_py3langid(cache, languages):
    first = langid_model.langid_identifier(
        languages
    )  # reads the compressed model, writes the cache
    written = [p for p in cache.iterdir() if p.name.startswith("py3langid-")]
    assert len(written) == 1 and (written[0] / "complete").exists()
    langid_model.load_langid_model.cache_clear()
    mapped = langid_model.langid_identifier(languages)  # memory-mapped from the cache
    reference = _reference(languages)
    for text in SENTENCES:
        assert first.classify(text) == mapped.classify(text) == reference.classify(text)


def test_unwritable_cache_reads_the_model(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("NEWSIFT_CACHE_DIR", str(blocker / "cache"))
    langid_model.load_langid_model.cache_clear()
    try:
        ident = langid_model.langid_identifier()
        assert ident.classify(SENTENCES[0])[0] == "en"
    finally:
        langid_model.load_langid_model.cache_clear()


def test_cache_root_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("NEWSIFT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert langid_model.cache_root() == tmp_path / "newsift"
    monkeypatch.setenv("NEWSIFT_CACHE_DIR", str(tmp_path / "x"))
    assert langid_model.cache_root() == tmp_path / "x"
