"""The shipped persuasion models on the team's held-out gold: 12 hand-written articles (41 spans
of all 14 techniques, and one article with none) that no training run has seen.

The PTC gates in test_persuasion_ptc.py run on training articles (the official dev/test labels are
kept out of ../shared), so they guard the artifacts but not generalisation; this set does, on
text of our own. It needs no ../shared data and runs in CI. Floors sit a little under the
figures measured on 2026-12-03 (tagger SI 0.742, TC 0.512, span+technique 0.255; student 0.729 /
0.439 / 0.201; lexical 0.680 / 0.390 / 0.151); the int8 graphs compute the same on every x86
processor (test_packaged_graphs_compute_the_same_on_every_processor), so the floors hold there too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsift.errors import DataError
from newsift.eval.persuasion import evaluate, load_team_gold

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "persuasion-team-gold.jsonl"

FLOORS = {
    "tagger": {"si": 0.70, "tc": 0.47, "span_technique": 0.22},
    "student": {"si": 0.69, "tc": 0.40, "span_technique": 0.17},
    "lexical": {"si": 0.64, "tc": 0.35, "span_technique": 0.12},
}


def test_team_gold_resolves_every_span():
    arts = load_team_gold(GOLD)
    assert len(arts) == 12
    assert sum(len(a.tc or []) for a in arts) == 41
    for a in arts:
        for s, e, technique in a.tc or []:
            assert 0 <= s < e <= len(a.text) and technique


def test_team_gold_refuses_a_quote_that_is_not_in_the_text(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "x", "text": "A calm sentence.", "spans": '
        '[{"text": "evil", "technique": "Loaded_Language"}]}\n'
    )
    with pytest.raises(
        DataError, match="bad.jsonl:1: span 'evil' .occurrence 0. is not in the text"
    ):
        load_team_gold(bad)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["tagger", "student", "lexical"])
def test_shipped_model_on_held_out_team_gold(kind):
    from newsift.persuasion import load

    model = load(kind, None, threads=2)
    r = evaluate(load_team_gold(GOLD), model)
    for key, floor in FLOORS[kind].items():
        assert r[key]["f1"] >= floor, (kind, key, r[key])
    # the plain news brief written without any technique gets nothing
    (neutral,) = [a for a in load_team_gold(GOLD) if not a.tc]
    assert model.predict(neutral.text) == []
