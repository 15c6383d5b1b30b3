"""Hand-built articles for the report and web tests (no models, no pipeline)."""

from __future__ import annotations

from newsift.article import Article, Problem, Span

XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'

BODY = (
    "Militants shelled the village on Monday, killing 250 people, the minister said. "
    '"We will respond," said Igor Konashenkov. '
    "According to a source, 4,800 troops were moved. "
    "The bloodthirsty regime is lying, experts say."
)


def _ref(text: str, piece: str, start_at: int = 0) -> dict:
    start = text.index(piece, start_at)
    return {"text": piece, "start": start, "end": start + len(piece)}


def full_article(title: str = "Village shelled, 250 dead", body: str = BODY) -> Article:
    """An article with every layer the reports show, offsets computed from ``body``."""
    t = body
    atts = [
        {
            "source": _ref(t, "the minister"),
            "kind": "named_role",
            "cue": _ref(t, "said"),
            "content": _ref(t, "Militants shelled the village on Monday, killing 250 people"),
        },
        {
            "source": _ref(t, "Igor Konashenkov"),
            "kind": "named",
            "cue": _ref(t, "said Igor") | {"text": "said", "end": t.index("said Igor") + 4},
            "content": _ref(t, "We will respond,"),
        },
        {
            "source": _ref(t, "a source"),
            "kind": "anonymous",
            "cue": _ref(t, "According to"),
            "content": _ref(t, "4,800 troops were moved"),
        },
        {
            "source": _ref(t, "experts"),
            "kind": "anonymous",
            "cue": _ref(t, "say"),
            "content": _ref(t, "The bloodthirsty regime is lying"),
        },
    ]
    s1 = _ref(t, "Militants shelled the village on Monday, killing 250 people, the minister said.")
    s3 = _ref(t, "According to a source, 4,800 troops were moved.")
    claims = [
        {
            "start": s1["start"],
            "end": s1["end"],
            "text": s1["text"],
            "score": 0.91,
            "class": "CFS",
            "figures": [_ref(t, "250") | {"kind": "number", "value": 250, "unit": None}],
            "attribution": 0,
            "matches": [
                {
                    "id": "fc1",
                    "claim": "250 died in village shelling",
                    "url": "https://example.org/fc",
                    "rating": "False",
                    "date": "2018-06-01",
                    "score": 0.8,
                    "collection": "demo",
                }
            ],
        },
        {
            "start": s3["start"],
            "end": s3["end"],
            "text": s3["text"],
            "score": 0.7,
            "class": "CFS",
            "figures": [_ref(t, "4,800") | {"kind": "number", "value": 4800, "unit": "troops"}],
            "attribution": 2,
            "matches": [],
        },
    ]
    loaded = _ref(t, "bloodthirsty regime")
    shelled = _ref(t, "shelled the village")
    article = Article(
        text=t,
        title=title,
        author="A. Writer",
        date="2018-06-10",
        url="https://news.example.com/a/1",
        outlet={"domain": "example.com", "rating": 0.42, "rating_source": "Lin et al. 2023"},
        spans={
            "sentences": [Span(0, len(t), "sentence")],
            "persuasion": [
                Span(loaded["start"], loaded["end"], "Loaded_Language", 0.9, "persuasion.v1"),
                Span(
                    loaded["start"],
                    loaded["end"] + 9,
                    "Name_Calling,Labeling",
                    0.6,
                    "persuasion.v1",
                ),
                Span(
                    shelled["start"],
                    shelled["end"],
                    "Exaggeration,Minimisation",
                    0.5,
                    "persuasion.v1",
                ),
            ],
        },
        layers={
            "attributions": atts,
            "claims": claims,
            "headline": {
                "text": title,
                "flags": [
                    {
                        "code": "attributed_as_fact",
                        "message": "the headline states as fact what the minister said",
                        "attribution": 0,
                        "similarity": 0.81,
                    }
                ],
            },
            "sourcing": {
                "counts_by_kind": {"named": 1, "named_role": 1, "anonymous": 2},
                "anonymous_share": 0.5,
                "factual_sentences": 4,
                "anonymous_factual_sentences": 2,
                "named_sources": ["Igor Konashenkov"],
                "unattributed_sentences": [{"start": 0, "end": 10, "text": t[:10]}],
            },
        },
        problems=[Problem("claims", "few_sentences", "only 4 sentences were scored")],
    )
    return article


def hostile_article() -> Article:
    """An article whose every field carries markup and rich-markup injection attempts."""
    body = f"Intro {XSS} and [bold red]not markup[/] text. {XSS}"
    a = full_article(title=f"Headline {XSS} [bold red]not markup[/]", body=BODY + " " + body)
    a.author = XSS
    a.url = "javascript:alert(1)"
    a.outlet = {"domain": XSS, "rating": None, "rating_source": XSS}
    a.layers["headline"]["flags"].append({"code": XSS, "message": XSS})
    a.layers["sourcing"]["named_sources"].append(XSS)
    a.layers["claims"][0]["matches"].append(
        {
            "id": XSS,
            "claim": XSS,
            "url": "javascript:alert(2)",
            "rating": XSS,
            "score": 0.5,
            "collection": XSS,
        }
    )
    a.problems.append(Problem(XSS, XSS, XSS))
    start = a.text.index("<script>")
    a.spans["persuasion"].append(Span(start, start + 8, XSS, 0.5, "persuasion.v1"))
    return a


EUVS_DISCLAIMER = "A case in the EUvsDisinfo database does not necessarily mean that..."


def matched_article() -> Article:
    """``full_article`` as claims.v1 + factchecks.v1 + outlet.v1 write it: claim classes, an
    EUvsDisinfo known-narrative match with its collection credit, and the outlet's case count."""
    a = full_article()
    a.outlet["euvsdisinfo"] = {
        "cases": 13,
        "first": "2018-06-12",
        "last": "2020-09-09",
        "source": "EUvsDisinfo (EEAS East StratCom Task Force)",
        "disclaimer": EUVS_DISCLAIMER,
        "note": "Publications on this domain appear in 13 EUvsDisinfo cases "
        "(2018-06-12 to 2020-09-09).",
    }
    first, second = a.layers["claims"]
    first["class"] = "check-worthy factual"
    second["class"] = "unimportant factual"
    second["score"] = 0.31
    first["matches"].append(
        {
            "id": "case-1",
            "claim": "Militants shell villages with Western weapons",
            "url": "https://euvsdisinfo.eu/report/case-1/",
            "rating": "catalogued disinformation (EUvsDisinfo)",
            "date": "2018-06-12",
            "score": 0.74,
            "collection": "euvsdisinfo",
        }
    )
    a.layers["factcheck_collections"] = {
        "demo": {"attribution": "Demo fact-checkers", "disclaimer": ""},
        "euvsdisinfo": {
            "attribution": "EUvsDisinfo (EEAS East StratCom Task Force)",
            "disclaimer": EUVS_DISCLAIMER,
        },
    }
    return a
