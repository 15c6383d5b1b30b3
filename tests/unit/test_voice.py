"""Whose voice each claim, figure and persuasion span is in, and the headline read too (issue 19).

Articles are built by hand: attribution records are written as the attribution stage writes
them, so no spaCy parse is needed.
"""

from __future__ import annotations

import pytest

from newsift.article import Article, Span
from newsift.pipeline import get_stage
from newsift.report import view
from newsift.report.html import render_html
from newsift.report.text import render_text
from newsift.stages.claims import claim_record
from newsift.stages.sourcing import profile
from newsift.stages.voice import title_source, title_voice, voice_in, voice_of

QUOTE = "Smith said the mayor wasted 4 million dollars on a bridge. "
OUTLET = "The bridge opened in 2019 with 300 lanes of traffic. "
CUE_ONLY = '"We will fight on." He said this at a rally in Ohio on Monday. '
TEXT = QUOTE + OUTLET + CUE_ONLY


def _ref(text: str, part: str, start: int = 0) -> dict:
    i = text.index(part, start)
    return {"text": part, "start": i, "end": i + len(part)}


def _article(title: str | None = None) -> Article:
    """Three sentences: one quoted, one the outlet's, one with a cue but the words elsewhere."""
    a = Article(text=TEXT, title=title)
    a.spans["sentences"] = [
        Span(0, len(QUOTE) - 1, "sentence"),
        Span(len(QUOTE), len(QUOTE) + len(OUTLET) - 1, "sentence"),
        Span(len(QUOTE) + len(OUTLET), len(QUOTE) + len(OUTLET) + 19, "sentence"),
        Span(len(QUOTE) + len(OUTLET) + 20, len(TEXT) - 1, "sentence"),
    ]
    a.layers["attributions"] = [
        {
            "source": _ref(TEXT, "Smith"),
            "kind": "named",
            "cue": _ref(TEXT, "said"),
            "content": _ref(TEXT, "the mayor wasted 4 million dollars on a bridge"),
            "sentence": 0,
            "quote": False,
        },
        {
            "source": _ref(TEXT, "He"),
            "kind": "pronoun",
            "cue": _ref(TEXT, "said", 60),
            "content": _ref(TEXT, "We will fight on."),
            "sentence": 2,
            "quote": True,
        },
    ]
    return a


def _span(text: str, part: str) -> tuple[int, int]:
    i = TEXT.index(part)
    return i, i + len(part)


# -- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        ("wasted 4 million dollars", {"kind": "quoted", "attribution": 0}),
        ("4 million dollars", {"kind": "quoted", "attribution": 0}),
        ("300 lanes", {"kind": "outlet"}),
        ("The bridge opened in 2019", {"kind": "outlet"}),
        ("We will fight on", {"kind": "quoted", "attribution": 1}),
        # the cue is here, the words are in the sentence before: the outlet's own sentence
        ("He said this at a rally in Ohio on Monday.", {"kind": "outlet"}),
        # the whole sentence: the cue inside and the content covering most of it
        (QUOTE.strip(), {"kind": "quoted", "attribution": 0}),
    ],
)
def test_voice_of_a_stretch(part: str, expected: dict) -> None:
    start, end = _span(TEXT, part)
    assert voice_of(_article(), start, end) == expected


def test_cue_inside_makes_a_sentence_quoted_even_when_the_content_is_short() -> None:
    text = "Smith, who was arrested in 2019 after a long police inquiry, said it was false."
    atts = [
        {
            "source": _ref(text, "Smith"),
            "cue": _ref(text, "said"),
            "content": _ref(text, "it was false"),
        }
    ]
    assert voice_in(atts, 0, len(text)) == {"kind": "quoted", "attribution": 0}
    # a stretch outside the content, with no cue in it, stays the outlet's
    assert voice_in(atts, 0, 31) == {"kind": "outlet"}


def test_nested_attributions_give_the_innermost_speaker() -> None:
    text = "The ministry said the general claimed that the army had won."
    outer = {
        "cue": _ref(text, "said"),
        "content": _ref(text, "the general claimed that the army had won"),
    }
    inner = {"cue": _ref(text, "claimed"), "content": _ref(text, "the army had won")}
    start = text.index("the army")
    assert voice_in([outer, inner], start, start + 8) == {"kind": "quoted", "attribution": 1}


def test_no_attributions_layer_means_no_voice() -> None:
    a = Article(text=TEXT)
    assert voice_of(a, 0, 10) is None
    record = claim_record(a, 0, len(QUOTE) - 1, 0.8, "check-worthy factual")
    assert "voice" not in record
    assert all("voice" not in f for f in record["figures"])


def test_malformed_attributions_are_skipped() -> None:
    atts = [None, {"content": None}, {"content": {"start": "x", "end": 3}}, {"cue": {}}]
    assert voice_in(atts, 0, 10) == {"kind": "outlet"}  # type: ignore[arg-type]


# -- claims and figures ------------------------------------------------------------------------


def test_claims_and_their_figures_carry_voice() -> None:
    a = _article()
    s0, s1 = a.sentences[0], a.sentences[1]
    quoted = claim_record(a, s0.start, s0.end, 0.8, "check-worthy factual")
    outlet = claim_record(a, s1.start, s1.end, 0.8, "check-worthy factual")
    assert quoted["voice"] == {"kind": "quoted", "attribution": 0}
    assert [f["voice"] for f in quoted["figures"]] == [{"kind": "quoted", "attribution": 0}]
    assert outlet["voice"] == {"kind": "outlet"}
    assert {f["text"] for f in outlet["figures"]} >= {"300 lanes", "2019"}
    assert all(f["voice"] == {"kind": "outlet"} for f in outlet["figures"])


def test_the_sourcing_profile_counts_only_the_outlets_voice() -> None:
    a = _article(title="Mayor wasted millions on bridge, raising questions about his friends")
    get_stage("claims.v0")(min_class="non-factual")(a)
    claims = a.layers["claims"]
    body = [c for c in claims if c.get("part") != "title"]
    # the cue-only sentence is linked to its attribution, but it is the outlet speaking
    cue_only = next(c for c in body if c["text"].startswith("He said"))
    assert cue_only["attribution"] == 1 and cue_only["voice"] == {"kind": "outlet"}
    prof = profile(a)
    texts = [u["text"] for u in prof["unattributed_sentences"]]
    assert any(t.startswith("The bridge opened") for t in texts)
    assert not any(t.startswith("Smith said") for t in texts)
    assert not any(u.get("part") == "title" for u in prof["unattributed_sentences"])
    # the headline's insinuation is the outlet's, found in the title with title offsets
    title_ins = [i for i in prof["insinuations"] if i.get("part") == "title"]
    assert title_ins and a.title[title_ins[0]["cue"]["start"] : title_ins[0]["cue"]["end"]] == (
        "raising questions"
    )


# -- the headline ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "source"),
    [
        ("Konashenkov: all ISIS terrorists are only in US-controlled areas", "Konashenkov"),
        (
            "All ISIS terrorists are in US-controlled areas, Russian ministry says",
            "Russian ministry",
        ),
        ("Putin says the West started the war", "Putin"),
        ("BREAKING: Parliament votes to leave the union", None),
        ("LIVE UPDATES: Parliament votes to leave the union", None),
        ("NATO: Russia is massing 100,000 troops at the border", "NATO"),
        ("Analysis: the economy shrank by 3% last year", None),
        ("The economy shrank by 3% last year", None),
    ],
)
def test_who_a_headline_credits(title: str, source: str | None) -> None:
    found = title_source(title)
    assert (found[0] if found else None) == source
    voice = title_voice(title, 0, len(title))
    if source:
        assert voice == {"kind": "quoted", "attribution": None, "source": source}
    else:
        assert voice == {"kind": "outlet"}


def test_words_in_quote_marks_in_a_headline_are_quoted() -> None:
    title = 'Minister calls protesters "terrorists" as police move in'
    start = title.index("terrorists")
    assert title_voice(title, start, start + 10)["kind"] == "quoted"
    assert title_voice(title, 0, 8) == {"kind": "outlet"}
    # an apostrophe is not a quote mark
    title = "Trump's plan won't pass, it's dead"
    assert title_voice(title, 8, 12) == {"kind": "outlet"}


def test_a_check_worthy_headline_is_a_claim() -> None:
    title = "Government spent $4 billion on 250 new schools in 2023"
    a = _article(title=title)
    get_stage("claims.v0")()(a)
    head = a.layers["claims"][0]
    assert head["part"] == "title"
    assert (head["start"], head["end"], head["text"]) == (0, len(title), title)
    assert a.title[head["start"] : head["end"]] == head["text"]
    assert head["class"] == "check-worthy factual"
    assert head["voice"] == {"kind": "outlet"} and head["attribution"] is None
    figures = {f["text"]: f for f in head["figures"]}
    assert "$4 billion" in figures and "250 new schools" in figures
    for f in figures.values():
        assert f["part"] == "title" and title[f["start"] : f["end"]] == f["text"]
    # the body's claims are unchanged by the headline
    plain = _article()
    get_stage("claims.v0")()(plain)
    assert a.layers["claims"][1:] == plain.layers["claims"]
    # the headline can be ranked first to check, and says where it is
    assert any(e.get("part") == "title" for e in a.layers["check_first"])


def test_a_short_or_missing_headline_gives_no_claim() -> None:
    for title in (None, "", "   ", "Road closed"):
        a = _article(title=title)
        get_stage("claims.v0")()(a)
        assert not any(c.get("part") == "title" for c in a.layers["claims"])


@pytest.fixture(scope="module")
def lexical():
    stage = get_stage("persuasion.v1")(model="lexical")
    stage.ensure_setup()
    return stage


def test_loaded_language_in_the_headline_is_found(lexical) -> None:
    title = "Treacherous traitors destroy our glorious nation in a disgusting betrayal"
    a = _article(title=title)
    lexical(a)
    rows = a.layers["title_persuasion"]
    assert rows, "the headline's loaded words were not read"
    for row in rows:
        assert row["part"] == "title"
        assert title[row["start"] : row["end"]] == row["text"]
        assert row["technique"] == row["label"]
        assert row["attrs"]["voice"] == {"kind": "outlet"}
    # the span layer stays in the text; the body's spans do not depend on the headline
    plain = _article()
    lexical(plain)
    assert a.spans["persuasion"] == plain.spans["persuasion"]
    assert plain.layers["title_persuasion"] == []


def test_a_headline_quote_is_not_the_outlets_loaded_language(lexical) -> None:
    title = "Opposition leader: treacherous traitors destroy our glorious nation"
    a = _article(title=title)
    lexical(a)
    rows = a.layers["title_persuasion"]
    assert rows
    assert all(r["attrs"]["voice"]["source"] == "Opposition leader" for r in rows)


def test_persuasion_spans_carry_voice(lexical) -> None:
    text = (
        'Smith said the "corrupt, treacherous, disgusting" mayor betrayed every family in town. '
        "The disgusting, treacherous mayor betrayed every family in town, a shameful disgrace."
    )
    a = Article(text=text)
    a.layers["attributions"] = [
        {
            "source": _ref(text, "Smith"),
            "cue": _ref(text, "said"),
            "content": _ref(text, text[11 : text.index(".")]),
        }
    ]
    lexical(a)
    voices = {
        ("quoted" if s.start < text.index(".") else "outlet"): s.attrs["voice"]
        for s in a.spans["persuasion"]
    }
    assert voices, "no technique found in the test text"
    for where, voice in voices.items():
        assert voice["kind"] == where


# -- reports -----------------------------------------------------------------------------------


def _reported() -> Article:
    a = _article(title="Mayor wastes millions: the disgraceful bridge of shame")
    a.layers["claims"] = [
        {
            "part": "title",
            "start": 0,
            "end": len(a.title),
            "text": a.title,
            "score": 0.6,
            "class": "check-worthy factual",
            "figures": [],
            "attribution": None,
            "matches": [],
            "voice": {"kind": "outlet"},
        },
        claim_record(a, a.sentences[0].start, a.sentences[0].end, 0.8, "check-worthy factual"),
    ]
    a.spans["persuasion"] = [
        Span(
            *_span(TEXT, "wasted"),
            "Loaded_Language",
            0.7,
            attrs={"voice": {"kind": "quoted", "attribution": 0}},
        ),
        Span(
            *_span(TEXT, "300 lanes"),
            "Exaggeration,Minimisation",
            0.6,
            attrs={"voice": {"kind": "outlet"}},
        ),
    ]
    start = a.title.index("disgraceful")
    a.layers["title_persuasion"] = [
        {
            "part": "title",
            "start": start,
            "end": start + len("disgraceful bridge of shame"),
            "label": "Loaded_Language",
            "technique": "Loaded_Language",
            "score": 0.8,
            "attrs": {"voice": {"kind": "outlet"}},
            "text": "disgraceful bridge of shame",
        }
    ]
    return a


def test_view_separates_the_outlets_techniques_from_quotes() -> None:
    a = _reported()
    assert view.persuasion_voices(a) == {
        "Loaded_Language": (1, 1),
        "Exaggeration,Minimisation": (1, 0),
    }
    line = view.persuasion_voice_line(a)
    assert line and line.startswith("the outlet's own voice: 2 spans")
    assert "in quotes: 1 span (Loaded_Language 1)" in line
    assert "in the headline" in view.persuasion_line(a)
    items = view.headline_items(a)
    assert items[0].startswith("claim (check-worthy factual") and "the outlet" in items[0]
    assert "disgraceful bridge of shame" in items[1]
    # the headline's claim is not drawn on the body text
    assert all(m.index != 0 for m in view.marks(a) if m.layer == "claim")
    assert view.voice_label(a, {"kind": "quoted", "attribution": 0}) == "quoted: Smith"
    assert (
        view.voice_label(a, {"kind": "quoted", "attribution": None, "source": "X"}) == "quoted: X"
    )
    assert view.voice_label(a, "nonsense") == ""


def test_text_and_html_reports_show_voice_and_headline() -> None:
    a = _reported()
    text = render_text(a)
    assert "In the headline itself" in text
    assert "outlet / quoted" in text.replace("\n", " ") or "outlet /" in text
    assert "[headline]" in text
    assert "the outlet's own voice" in text
    html = render_html(a)
    assert 'id="headline-items"' in html and 'id="persuasion-voices"' in html
    assert "voice: quoted: Smith" in html and "[headline]" in html


def test_reports_survive_bad_title_rows() -> None:
    a = _reported()
    a.layers["title_persuasion"] = [None, {"start": 5, "end": 999}, {"start": "a"}]
    a.layers["claims"][0]["voice"] = ["bad"]
    assert view.title_persuasion(a) == []
    render_text(a)
    render_html(a)


def test_the_headline_layer_says_whose_voice_the_headline_is() -> None:
    from newsift.stages.headline import check_headline

    a = _article(title="Smith: the mayor wasted 4 million dollars on a bridge")
    result = check_headline(a)
    assert result["voice"] == {"kind": "quoted", "attribution": None, "source": "Smith"}
    a = _article(title="The mayor wasted 4 million dollars on a bridge")
    assert check_headline(a)["voice"] == {"kind": "outlet"}
    assert "voice" not in check_headline(_article(title=None))
