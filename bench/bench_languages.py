"""CPU per article by language (issue 24): does a non-English article cost more than English?

Three articles of about the same length, each analysed warm (models loaded) several times through
the default pipeline and through ``nlp.v1`` alone; the median CPU time (``time.process_time``)
per article is reported with the words and sentences each has:

- English: the seed article (``../shared/examples``);
- German: the German Wikinews article (``../shared/data/attribution/...``, dev split) closest
  to the English one in words;
- Russian: the team's Russian sentence gold (``tests/fixtures/sentences``), written by us,
  repeated to the same length.

    NEWSIFT_THREADS=1 OMP_NUM_THREADS=1 .venv/bin/python bench/bench_languages.py [--runs 7] [--stages]

CPU time on a shared machine is noisy (other processes share the cache): compare within a run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time

from newsift.api import get_pipeline
from newsift.eval.gold import REPO, default_shared
from newsift.eval.sentences import WIKINEWS, load_gold
from newsift.extract import extract
from newsift.ingest.source import RawInput
from newsift.lang import count_words


def articles() -> dict[str, str]:
    """``{language: text}`` of the three benchmark articles."""
    shared = default_shared()
    english = (shared / "examples" / "seed-article-fort-russ-2018-06.txt").read_text("utf-8")
    target = count_words(english)
    german = min(
        (
            json.load(gzip.open(p, "rt", encoding="utf-8"))["originalText"]
            for p in sorted((shared / WIKINEWS / "dev").glob("*.json.gz"))
        ),
        key=lambda t: abs(count_words(t) - target),
    )
    folder = REPO / "tests" / "fixtures" / "sentences"
    russian_once = load_gold(folder, "ru", "tune")[0] + "\n\n" + load_gold(folder, "ru", "score")[0]
    russian = russian_once
    while count_words(russian) < target:
        russian += "\n\n" + russian_once
    return {"en": english, "de": german, "ru": russian}


def cpu_per_article(
    text: str, stages: list[str] | None, runs: int
) -> tuple[float, int, dict[str, float]]:
    """Median CPU seconds of one article through ``stages`` (warm), its sentences, and the
    median CPU seconds of each stage."""
    pipe = get_pipeline(stages)
    raw = RawInput.from_text(text, name="bench", html=False)
    article = pipe(extract(raw))  # warm: models loaded, caches filled
    times = []
    per_stage: dict[str, list[float]] = {s.name: [] for s in pipe.stages}
    for _ in range(runs):
        t = time.process_time()
        art = extract(raw)
        for stage in pipe.stages:  # as Pipeline._run_batch does, one stage at a time
            ts = time.process_time()
            stage.ensure_setup()
            stage.pipe_batch([art])
            per_stage[stage.name].append(time.process_time() - ts)
        times.append(time.process_time() - t)
    medians = {k: statistics.median(v) for k, v in per_stage.items()}
    return statistics.median(times), len(article.sentences), medians


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument(
        "--stages", action="store_true", help="Also print each stage's median CPU ms per article."
    )
    args = ap.parse_args()
    print("lang  words  sentences  default pipeline ms  ms/100 words  nlp.v1 ms")
    stage_rows = {}
    for lang, text in articles().items():
        words = count_words(text)
        full, n_sents, stage_ms = cpu_per_article(text, None, args.runs)
        nlp, _, _ = cpu_per_article(text, ["nlp.v1"], args.runs)
        stage_rows[lang] = stage_ms
        print(
            f"{lang:<5} {words:>5}  {n_sents:>9}  {full * 1000:>19.1f}  "
            f"{full * 1000 * 100 / words:>12.1f}  {nlp * 1000:>9.1f}"
        )
    if args.stages:
        langs = list(stage_rows)
        print("\nstage (median CPU ms)   " + "".join(f"{lang:>9s}" for lang in langs))
        for name in stage_rows[langs[0]]:
            cells = "".join(f"{stage_rows[lang].get(name, 0.0) * 1000:>9.1f}" for lang in langs)
            print(f"{name:<24s}{cells}")


if __name__ == "__main__":
    main()
