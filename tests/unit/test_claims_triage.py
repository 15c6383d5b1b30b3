"""Page furniture is never a claim, and the ``check_first`` list (issue 20), on our own sentences."""

from __future__ import annotations

import pytest

from newsift.article import Article, Span
from newsift.errors import ConfigError
from newsift.pipeline import get_stage
from newsift.stages.claims import (
    CHECK_WORTHY,
    FIGURE_BONUS,
    NON_FACTUAL,
    SOURCE_BONUS,
    UNIMPORTANT,
    check_first,
    claim_record,
    furniture_or_fragment,
)

FURNITURE = [
    "Contributing to this report were Dana Weller and Omar Fisk.",
    "Contributing: Lena Moss",
    "Updated at 1:23 p.m.",
    "Updated: March 4, 2021 10:02 AM ET",
    "Published 6 hours ago",
    "Last updated on Tuesday",
    "By Jane Doe and Tom Roe",
    "By JANE DOE | Reuters",
    "Photo: Getty Images",
    "(Photo by Kim Lee/AFP via Getty Images)",
    "Main image credit: Alamy",
    "Credit: Harbor Daily archive",
    "(AP Photo/Sam Hill)",
    "Read more: The city's budget explained",
    "READ MORE",
    "Related: How the vote was counted",
    "Subscribe to our newsletter for daily updates.",
    "Sign up for the morning briefing.",
    "Follow us on social media.",
    "Share this article on Facebook.",
    "© 2019 Associated Press.",
    "Copyright 2020 Harbor Daily.",
    "All Rights Reserved.",
    "This material may not be published, broadcast, rewritten, or redistributed.",
    "(Reporting by Ann Vole; Editing by Ben Rook)",
    "Additional reporting by Carl Pike in Lisbon.",
    "The Associated Press contributed to this report.",
    "With Post wires",
    "Article posted with permission from Harbor Weekly",
    "Advertisement",
    "Story continues below advertisement",
    "Email * Comments This field is for validation purposes and should be left unchanged.",
    "You may opt out at anytime.",
    "For Harbor News, I'm Rita Gale in Lisbon.",
    # fragments, bare headings and questions
    "ST.",
    "10 p.m.",
    "Hostage swap",
    "A potential complement to medication",
    "RITA GALE, HOST:",
    "What did the prosecutors say?",
]

CLAIMS = [
    "Unemployment fell to 3.5 percent in 2019, the lowest rate in fifty years.",
    "Subscribers to the service rose by 10 percent last year.",
    "Contributing factors included a dry winter and strong winds, the report found.",
    "Updated figures show 2,500 civilians were killed this year.",
    "Photographs released by the ministry show 250 trucks near the border.",
    "By 2030 the company will close 2,396 offices.",
    "Sign-ups for the programme doubled to 40,000 in March.",
    "Follow-up tests found the virus in 46 animals.",
    "Trump pardons the Hammonds!",
    "The death occurred Saturday.",
    "So why did they not fix it in 47 years?",
    "Manufacturing went in a hole-",
]


@pytest.mark.parametrize("text", FURNITURE)
def test_furniture_and_fragments_are_not_claims(text):
    assert furniture_or_fragment(text)


@pytest.mark.parametrize("text", CLAIMS)
def test_claims_that_start_like_furniture_stay_claims(text):
    assert not furniture_or_fragment(text)


TEXT = (
    "The ministry said the army sent 250 trucks to the border. "
    "Officials met on Monday. "
    "The city spent $3 million on the bridge, the auditor said. "
    "The mayor was elected in 2016. "
    "Flooding closed the old harbour road."
)


def _article_with_claims(scores: list[float], classes: list[str]) -> tuple[Article, list[dict]]:
    spans, start = [], 0
    for part in TEXT.split(". "):
        s = TEXT.index(part, start)
        e = s + len(part) + (0 if part.endswith(".") else 1)
        spans.append(Span(s, e, "sentence"))
        start = e
    art = Article(text=TEXT, spans={"sentences": spans})
    src = TEXT.index("The ministry")
    cue = TEXT.index("said")
    art.layers["attributions"] = [
        {
            "source": {"text": "The ministry", "start": src, "end": src + 12},
            "kind": "organization",
            "cue": {"text": "said", "start": cue, "end": cue + 4},
            "content": {
                "text": "the army sent 250 trucks to the border",
                "start": cue + 5,
                "end": cue + 5 + 38,
            },
        }
    ]
    claims = [
        claim_record(art, sp.start, sp.end, sc, cl)
        for sp, sc, cl in zip(spans, scores, classes, strict=True)
    ]
    return art, claims


def test_check_first_ranks_by_score_with_figures_and_sources_as_reasons():
    art, claims = _article_with_claims(
        [0.70, 0.95, 0.72, 0.90, 0.30],
        [CHECK_WORTHY, UNIMPORTANT, CHECK_WORTHY, CHECK_WORTHY, NON_FACTUAL],
    )
    top = check_first(art, claims, 5)
    # only check-worthy claims; the 0.95 unimportant one and the non-factual one are left out
    # 0.90 (a year is not a figure that earns a bonus) > 0.70 + figure + source > 0.72 + figure
    assert [t["claim"] for t in top] == [3, 0, 2]
    assert top[0]["reasons"]["figures"] == [] and top[0]["rank_score"] == pytest.approx(0.90)
    first = top[1]
    assert first["text"] == claims[0]["text"]
    assert first["reasons"]["figures"] == ["250 trucks"]
    assert first["reasons"]["source"] == "The ministry"
    assert first["reasons"]["source_kind"] == "organization"
    assert first["rank_score"] == pytest.approx(0.70 + FIGURE_BONUS + SOURCE_BONUS)
    assert top[2]["reasons"]["figures"] == ["$3 million"] and top[2]["reasons"]["source"] is None
    assert all(t["score"] == claims[t["claim"]]["score"] for t in top)


def test_check_first_size_and_empty():
    art, claims = _article_with_claims([0.9] * 5, [CHECK_WORTHY] * 5)
    assert len(check_first(art, claims, 3)) == 3
    assert check_first(art, claims, 0) == []
    assert check_first(art, [], 5) == []


@pytest.mark.parametrize("stage", ["claims.v0", "claims.v1"])
@pytest.mark.parametrize("bad", [-1, 2.5, "three", True])
def test_check_first_setting_is_checked(stage, bad):
    with pytest.raises(ConfigError, match="check_first"):
        get_stage(stage)(check_first=bad)


def test_v0_writes_check_first_and_drops_furniture():
    text = (
        "The army sent 250 trucks with weapons to Deir ez-Zor in May, the ministry said. "
        "Contributing to this report was Dana Weller."
    )
    spans = [
        Span(0, text.index(" Contributing"), "sentence"),
        Span(text.index("Contributing"), len(text), "sentence"),
    ]
    art = get_stage("claims.v0")(check_first=2)(Article(text=text, spans={"sentences": spans}))
    assert [c["text"] for c in art.layers["claims"]] == [text[: spans[0].end]]
    assert [t["claim"] for t in art.layers["check_first"]] == [0]
