"""The article-level attribution eval on a synthetic article of our own (no dataset text)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsift.eval.attribution import (
    command,
    read_article_gold,
    score_articles,
    speaker_matches,
)

TEXT = (
    'Mayor Ana Ruiz said the bridge would reopen in May. "We are ready," she said.\n\n'
    "The river rose by two metres overnight."
)


def _gold(tmp_path: Path, text: str = TEXT) -> Path:
    art = tmp_path / "data" / "ptc" / "train" / "articles"
    art.mkdir(parents=True)
    (art / "article1.txt").write_text(text, encoding="utf-8")

    def span(s: str) -> list[int]:
        i = text.index(s)
        return [i, i + len(s)]

    row = {
        "dataset": "ptc",
        "id": "1",
        "split": "score",
        "sha1": hashlib.sha1(text.encode()).hexdigest(),
        "speakers": {"Ruiz": ["Ruiz", "Ana Ruiz"]},
        "attributions": [
            {
                "speaker": "Ruiz",
                "kind": "named",
                "direct": False,
                "tags": [],
                "source": span("Mayor Ana Ruiz"),
                "cue": span("said"),
                "content": span("the bridge would reopen in May"),
            },
            {
                "speaker": "Ruiz",
                "kind": "named",
                "direct": True,
                "tags": ["pronoun"],
                "source": span("she"),
                "cue": span("she said")[:1] + [span("she said")[1]],
                "content": span("We are ready"),
            },
        ],
        "outlet": [span("The river rose by two metres overnight.")],
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


def _pred(text: str, start: str, source: str, resolved: str | None = None) -> dict:
    i = text.index(start)
    j = text.index(source)
    att = {
        "source": {"text": source, "start": j, "end": j + len(source)},
        "kind": "pronoun" if source == "she" else "named",
        "cue": {"text": "said", "start": 0, "end": 4},
        "content": {"text": start, "start": i, "end": i + len(start)},
    }
    if resolved:
        att.update(resolved_text=resolved, resolved_kind="named")
    return att


def test_scores_speaker_kind_missed_and_spurious(tmp_path: Path) -> None:
    gold = read_article_gold(_gold(tmp_path))

    def predict(text: str) -> list[dict]:
        return [
            _pred(text, "the bridge would reopen in May", "Mayor Ana Ruiz"),
            _pred(text, "We are ready", "she"),  # unresolved pronoun: speaker wrong
            _pred(text, "The river rose by two metres", "Mayor Ana Ruiz"),  # outlet's voice
        ]

    r = score_articles(gold, predict, tmp_path / "data", "score")
    assert r["articles"] == 1 and r["gold"] == 2 and r["found"] == 2
    assert r["speaker_accuracy"] == 0.5
    assert r["kind_accuracy"] == 0.5
    assert r["spurious"] == 1 and r["outlet_voice_attributed"] == 1
    assert r["by_construction"]["pronoun"]["speaker_accuracy"] == 0.0
    assert r["by_construction"]["indirect"]["speaker_accuracy"] == 1.0


def test_absent_or_changed_articles_are_skipped(tmp_path: Path) -> None:
    gold = read_article_gold(_gold(tmp_path))
    r = score_articles(gold, lambda t: [], tmp_path / "nowhere", None)
    assert r["articles"] == 0 and "absent" in r["skipped"][0]
    (tmp_path / "data" / "ptc" / "train" / "articles" / "article1.txt").write_text("changed")
    r = score_articles(gold, lambda t: [], tmp_path / "data", None)
    assert "differs" in r["skipped"][0]


def test_speaker_matching() -> None:
    assert speaker_matches("Defense Ministry spokesman Igor Konashenkov", ["Konashenkov"])
    assert not speaker_matches("Trump's lawyer", ["Trump"])
    assert not speaker_matches("he", ["he"])
    assert speaker_matches("WHO", ["WHO"])
    assert not speaker_matches(None, ["Ruiz"])


@pytest.mark.slow
def test_cli_scores_article_gold(tmp_path: Path) -> None:
    path = _gold(tmp_path)
    result = CliRunner().invoke(command, [str(path), "--data", str(tmp_path / "data"), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["articles"] == 1 and out["gold"] == 2
    assert out["by_construction"]["direct"]["recall"] == 1.0


def test_cli_without_data_says_what_to_do(tmp_path: Path) -> None:
    path = _gold(tmp_path)
    result = CliRunner().invoke(command, [str(path), "--data", str(tmp_path / "nowhere")])
    assert result.exit_code != 0
    assert "--data" in str(result.exception) or "--data" in result.output


def test_split_keeps_only_its_articles(tmp_path: Path) -> None:
    path = _gold(tmp_path)
    gold = read_article_gold(path)
    assert score_articles(gold, lambda t: [], tmp_path / "data", "score3")["articles"] == 0
    gold[0]["split"] = "score3"
    r = score_articles(gold, lambda t: [], tmp_path / "data", "score3")
    assert r["articles"] == 1 and r["gold"] == 2 and r["found"] == 0


def test_cli_split_with_no_articles_names_the_parts(tmp_path: Path) -> None:
    path = _gold(tmp_path)
    result = CliRunner().invoke(
        command, [str(path), "--data", str(tmp_path / "data"), "--split", "score3"]
    )
    assert result.exit_code != 0
    assert "score3" in str(result.exception) and "score" in str(result.exception)


def test_cli_score3_is_article_gold_only() -> None:
    result = CliRunner().invoke(command, ["--languages", "--split", "score3"])
    assert result.exit_code != 0
    assert "--articles" in str(result.exception)


def test_tune2_is_a_part_of_the_article_gold(tmp_path: Path) -> None:
    gold = read_article_gold(_gold(tmp_path))
    gold[0]["split"] = "tune2"
    r = score_articles(gold, lambda t: [], tmp_path / "data", "tune2")
    assert r["articles"] == 1 and r["gold"] == 2
    result = CliRunner().invoke(command, ["--languages", "--split", "tune2"])
    assert result.exit_code != 0
    assert "tune2" in str(result.exception) and "--articles" in str(result.exception)
