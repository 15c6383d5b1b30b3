"""The article that started the project: newsift must see what an analyst sees in it."""

from __future__ import annotations

import pytest

from newsift.api import analyze

pytestmark = pytest.mark.slow  # loads spaCy or an ONNX model (scripts/test.sh --fast skips it)

SEED_URL = (
    "https://fort-russ.com/2018/06/all-remaining-isis-terrorists-are-only-in-us-controlled-areas/"
)


@pytest.fixture(scope="module")
def seed(request):
    from tests.conftest import shared_path

    path = shared_path("examples", "seed-article-fort-russ-2018-06.txt")
    return analyze(str(path), url=SEED_URL)


def test_boilerplate_is_gone(seed) -> None:
    for junk in (
        "4 6,157",
        "Advertisement",
        "Subscribe to our newsletter",
        "Sign up here",
        "real time updates",
    ):
        assert junk not in seed.text
    assert seed.title == "All remaining ISIS terrorists are only in US-controlled areas"
    assert seed.text.startswith("SYRIA – The US continues")


def test_anonymous_sources(seed) -> None:
    anon = [a for a in seed.layers["attributions"] if a["kind"] == "anonymous"]
    assert len(anon) >= 3
    sources = {a["source"]["text"] for a in anon if a["source"]}
    assert "a source in the organization" in sources
    assert "the anonymous source" in sources
    he = [
        a
        for a in seed.layers["attributions"]
        if a["kind"] == "pronoun" and a["source"]["text"] == "he"
    ]
    assert he and he[0]["resolved_kind"] == "anonymous"


def test_konashenkov_named(seed) -> None:
    named = [a for a in seed.layers["attributions"] if a["kind"] == "named"]
    assert any("Konashenkov" in a["source"]["text"] for a in named)
    assert any(
        a["source"]["text"] == "Russian Defense Ministry spokesman Igor Konashenkov" for a in named
    )
    assert (
        "Russian Defense Ministry spokesman Igor Konashenkov"
        in seed.layers["sourcing"]["named_sources"]
    )


def test_headline_flagged(seed) -> None:
    flags = seed.layers["headline"]["flags"]
    assert flags and flags[0]["code"] == "attributed_claim_as_fact"
    att = seed.layers["attributions"][flags[0]["attribution"]]
    assert "Konashenkov" in att["source"]["text"]


def test_figures_of_claims(seed) -> None:
    by_value = {}
    for claim in seed.layers["claims"]:
        for fig in claim["figures"]:
            by_value[fig["value"]] = claim
    assert "250 trucks" in by_value[250]["text"]
    assert "4,800 trucks" in by_value[4800]["text"]
    assert by_value[250]["class"] == "check-worthy factual"
    assert by_value[250]["attribution"] is not None


def test_sourcing_and_outlet(seed) -> None:
    s = seed.layers["sourcing"]
    assert s["anonymous_share"] > 0.25
    assert any("raising concerns" in i["cue"]["text"] for i in s["insinuations"])
    assert s["dominant_side"] == "Russia" and s["one_sided"]
    assert seed.outlet["domain"] == "fort-russ.com"
    assert seed.outlet["rating"] is None and seed.outlet["rating_label"] == "not rated"
    assert seed.outlet["euvsdisinfo"]["cases"] > 0


def test_json_round_trip(seed) -> None:
    from newsift.article import Article

    d = seed.to_dict()
    assert Article.from_dict(d) == seed
    for key in (
        "schema_version",
        "title",
        "author",
        "date",
        "text",
        "url",
        "outlet",
        "sentences",
        "attributions",
        "claims",
        "headline",
        "sourcing",
        "problems",
    ):
        assert key in d


def test_who_said_what_in_the_seed(seed) -> None:
    atts = seed.layers["attributions"]
    # the Pentagon chief's words are his, relayed by the Russian ministry, not the ministry's
    assad = [a for a in atts if "Bashar Assad" in a["content"]["text"]]
    assert assad and assad[0]["source"]["text"] == "the Pentagon chief"
    assert assad[0]["reported_by"]["text"] == "The Russian ministry"
    assert not any(
        a["source"]
        and "Russian ministry" in a["source"]["text"]
        and "Assad" in a["content"]["text"]
        for a in atts
    )
    # Konashenkov's claims are credited to him
    terrorists = [a for a in atts if "US-controlled areas" in a["content"]["text"]]
    assert terrorists and all("Konashenkov" in a["source"]["text"] for a in terrorists)
    # the 4,800 trucks and the insinuation stay the outlet's own voice
    for claim in seed.layers["claims"]:
        if "4,800 trucks" in claim["text"] or "raising concerns" in claim["text"]:
            assert claim["attribution"] is None
    assert "Russia" in seed.layers["sourcing"]["sides_reason"]


def test_voice_on_every_layer_in_the_seed(seed) -> None:
    """Each claim, figure and persuasion span says whose voice it is (issue 19)."""
    atts = seed.layers["attributions"]
    claims = seed.layers["claims"]

    def speaker(voice: dict) -> str:
        assert voice["kind"] == "quoted"
        att = atts[voice["attribution"]]
        return att.get("resolved_text") or att["source"]["text"]

    # Konashenkov's claims are credited to him, figures included
    for claim in claims:
        if "US-controlled areas" in claim["text"] and claim.get("part") != "title":
            assert "Konashenkov" in speaker(claim["voice"])
    trucks_250 = next(f for c in claims for f in c["figures"] if f["value"] == 250)
    assert trucks_250["voice"]["kind"] == "quoted"
    # the 4,800 trucks and the insinuation are the outlet's own voice
    for claim in claims:
        if "4,800 trucks" in claim["text"] or "raising concerns" in claim["text"]:
            assert claim["voice"] == {"kind": "outlet"}
            assert all(f["voice"] == {"kind": "outlet"} for f in claim["figures"])
    outlet_texts = [u["text"] for u in seed.layers["sourcing"]["unattributed_sentences"]]
    assert any("4,800 trucks" in t for t in outlet_texts)
    assert not any("250 trucks" in t for t in outlet_texts)
    # every persuasion span says whose voice it is; the Konashenkov quote is not the outlet's
    for span in seed.spans["persuasion"]:
        assert span.attrs["voice"]["kind"] in ("outlet", "quoted")
        if "real catastrophe" in seed.text[span.start : span.end]:
            assert "Konashenkov" in speaker(span.attrs["voice"])


def test_the_seed_headline_is_read(seed) -> None:
    """The headline is scanned for claims and techniques, in the outlet's voice."""
    head = [c for c in seed.layers["claims"] if c.get("part") == "title"]
    assert head and head[0]["text"] == seed.title
    assert head[0]["voice"] == {"kind": "outlet"}
    assert head[0]["class"] != "non-factual"
    for row in seed.layers["title_persuasion"]:
        assert seed.title[row["start"] : row["end"]] == row["text"]
        assert row["attrs"]["voice"] == {"kind": "outlet"}
