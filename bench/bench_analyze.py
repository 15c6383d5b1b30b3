"""Speed and memory of ``newsift analyze`` on one machine: warm latency, throughput, cold start.

Measures, on synthetic ~500-word news articles written by this script (quotes, attributions,
anonymous sources, figures; no copied text):

- warm latency per article through :func:`newsift.api.analyze_text` (median, p90), pinned to one
  core when the OS allows it, after the models have loaded;
- per-stage time (which stage the latency goes to);
- articles/s with 1 and 2 worker processes (each warm, one thread each);
- cold start: wall time of ``newsift analyze examples/<file> --format json`` in a fresh process,
  several runs, and that process's peak memory; and a breakdown of a fresh process (imports,
  model loading, first article);
- peak memory (``ru_maxrss``) of the warm process after the batch.

    .venv/bin/python bench/bench_analyze.py [--articles 40] [--cold-runs 5] [--json out.json]
    .venv/bin/python bench/bench_analyze.py --profile    # pyinstrument over the warm batch

Targets (issue 2): warm <= 100 ms for 500 words on one core, cold start <= 2 s, <= 600 MB.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "harbour-bridge-closure.txt"

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("NEWSIFT_THREADS", "1")


def _stages() -> list[str] | None:
    """The stages under test (``--stages``; passed to worker processes through the environment)."""
    names = os.environ.get("NEWSIFT_BENCH_STAGES")
    return names.split(",") if names else None


# -- synthetic articles ------------------------------------------------------------------------
FIRST = ["Mara", "Tomas", "Ines", "Kofi", "Lena", "Ravi", "Sofia", "Jonas", "Amira", "Pavel"]
LAST = ["Quint", "Oyelaran", "Brandt", "Halvorsen", "Mensah", "Delacroix", "Iyer", "Novak"]
ROLES = [
    "the finance minister",
    "the mayor",
    "the health commissioner",
    "a union leader",
    "the port director",
    "a city councillor",
    "the police chief",
    "the school inspector",
]
ORGS = [
    "the Regional Water Board",
    "the Transport Authority",
    "Northgate Hospital",
    "the Chamber of Commerce",
    "the Statistics Office",
    "the Harbour Trust",
]
PLACES = ["Portvale", "Eastgate", "Millbrook", "Sandhaven", "Corran", "Westmere"]
TOPICS = [
    "the new ferry terminal",
    "the hospital budget",
    "the water tariff",
    "the rail link",
    "the school closures",
    "the flood barrier",
    "the housing plan",
    "the bus contract",
]
VERBS = ["said", "told reporters", "said in an interview", "added", "wrote in a letter"]
ANON = [
    "a source familiar with the talks",
    "officials",
    "people close to the council",
    "an adviser who asked not to be named",
    "experts",
]
DOCS = ["a report by the audit office", "the draft budget", "a leaked memo", "the court filing"]


def _sentence(rng: random.Random) -> str:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    topic, place, org = rng.choice(TOPICS), rng.choice(PLACES), rng.choice(ORGS)
    n = rng.randint(2, 950)
    pct = rng.randint(2, 60)
    forms = [
        f'"We cannot keep paying for {topic} out of reserves," {name} {rng.choice(VERBS)}.',
        f"{name}, who chairs {org}, said that {topic} would cost {n} million euros by {2026 + n % 4}.",
        f"According to {rng.choice(DOCS)}, spending on {topic} rose by {pct} percent last year.",
        f"{rng.choice(ANON).capitalize()} said the decision on {topic} had been taken weeks ago.",
        f'"It is a matter of trust," said {rng.choice(ROLES)}, speaking in {place} on Tuesday.',
        f"In a statement, {org} said it would review {topic} before the end of the year.",
        f"Residents of {place} have waited {pct} months for {topic}, and {n} households are affected.",
        f"It is believed that {topic} will go to a single bidder, {rng.choice(ANON)} said.",
        f"{rng.choice(ROLES).capitalize()} told the council that {topic} was on schedule.",
        f"The plan for {topic} was first proposed in {1990 + pct % 30} and revised twice since then.",
        f'"Nobody wanted this before the election," {name} said, adding that {pct} staff had left.',
        f"Figures from {org} show {n} complaints about {topic} in {place} this spring.",
    ]
    neutral = [
        f"The {topic} was approved in {2010 + pct % 15} after a long public consultation in {place}.",
        f"Work on {topic} began in the spring, and the first phase covers {n} metres of the route.",
        f"{place} has a population of about {n},000 and relies on the harbour for most of its jobs.",
        f"The council meets again on Thursday, when {topic} is the third item on the agenda.",
        f"Prices for {topic} have risen by {pct} percent since the contract was signed.",
        f"The area around {place} flooded twice in the last decade, most recently in {2014 + pct % 10}.",
    ]
    # about half the sentences carry an attribution cue, as in a typical news report
    return rng.choice(forms if rng.random() < 0.55 else neutral)


def make_article(seed: int, words: int = 500) -> str:
    """A synthetic news article of about ``words`` words: headline, then paragraphs."""
    rng = random.Random(seed)
    topic = rng.choice(TOPICS)
    lines = [f"{rng.choice(PLACES)} council delays decision on {topic}", ""]
    count = 0
    while count < words:
        para = " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))
        count += len(para.split())
        lines += [para, ""]
    return "\n".join(lines)


# -- measurements ------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def pin_one_core() -> str:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "not pinned"


def warm_latency(texts: list[str]) -> dict:
    """Latency of analyze_text per article (ms) and per stage, after one warm-up call."""
    from newsift.api import analyze_text, get_pipeline
    from newsift.extract import extract
    from newsift.ingest.source import RawInput

    pinned = pin_one_core()
    stages = _stages()
    start = time.perf_counter()
    analyze_text(texts[0], stages=stages)
    first_ms = 1000 * (time.perf_counter() - start)
    times, cpu_times = [], []
    for text in texts:
        t0, c0 = time.perf_counter(), time.process_time()
        analyze_text(text, stages=stages)
        times.append(1000 * (time.perf_counter() - t0))
        cpu_times.append(1000 * (time.process_time() - c0))
    pipeline = get_pipeline(stages)
    per_stage: dict[str, float] = {"extract": 0.0, **{s.name: 0.0 for s in pipeline.stages}}
    per_stage_cpu = dict.fromkeys(per_stage, 0.0)
    parsed = total = 0
    for text in texts:
        t0, c0 = time.perf_counter(), time.process_time()
        article = extract(RawInput.from_text(text, name="<bench>"))
        per_stage["extract"] += time.perf_counter() - t0
        per_stage_cpu["extract"] += time.process_time() - c0
        for stage in pipeline.stages:
            t0, c0 = time.perf_counter(), time.process_time()
            stage.pipe_batch([article])
            per_stage[stage.name] += time.perf_counter() - t0
            per_stage_cpu[stage.name] += time.process_time() - c0
        parsed += len(getattr(article, "cache", {}).get("nlp", {}).get("docs", {}))
        total += len(article.sentences)
    words = statistics.mean(len(t.split()) for t in texts)
    return {
        "articles": len(texts),
        "mean_words": round(words),
        "stages": pipeline.names,
        "cpu": pinned,
        "first_call_ms": round(first_ms, 1),
        "median_ms": round(statistics.median(times), 1),
        "p90_ms": round(percentile(times, 0.9), 1),
        "max_ms": round(max(times), 1),
        # CPU time of the process (one thread: NEWSIFT_THREADS=1): what an article costs on a core of its own, robust to
        # other jobs sharing the machine (wall time above is not).
        "cpu_median_ms": round(statistics.median(cpu_times), 1),
        "cpu_p90_ms": round(percentile(cpu_times, 0.9), 1),
        "per_stage_ms": {k: round(1000 * v / len(texts), 1) for k, v in per_stage.items()},
        "per_stage_cpu_ms": {k: round(1000 * v / len(texts), 1) for k, v in per_stage_cpu.items()},
        "parsed_sentence_share": round(parsed / total, 3) if total else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _worker(args: tuple[list[str], mp.Barrier]) -> int:
    texts, barrier = args
    from newsift.api import analyze_text

    stages = _stages()
    analyze_text(texts[0], stages=stages)  # warm
    barrier.wait()
    for text in texts:
        analyze_text(text, stages=stages)
    return len(texts)


def throughput(texts: list[str], workers: int) -> dict:
    """Articles/s with ``workers`` warm processes splitting the batch."""
    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(workers + 1)
        chunks = [texts[i::workers] for i in range(workers)]
        with ctx.Pool(workers) as pool:
            result = pool.map_async(_worker, [(c, barrier) for c in chunks])
            barrier.wait()  # every worker is warm
            start = time.perf_counter()
            done = sum(result.get())
            wall = time.perf_counter() - start
    return {
        "workers": workers,
        "articles": done,
        "seconds": round(wall, 2),
        "articles_per_s": round(done / wall, 2),
    }


def cold_start(runs: int) -> dict:
    """Wall time of ``newsift analyze EXAMPLE --format json`` in fresh processes."""
    script = Path(sys.executable).parent / "newsift"
    prefix = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "from newsift.cli import main; main()"]
    )
    cmd = [*prefix, "analyze", str(EXAMPLE.relative_to(REPO)), "--format", "json"]
    if _stages():
        cmd += ["--stages", ",".join(_stages())]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"cold start run failed ({proc.returncode}): {proc.stderr[-500:]}")
        json.loads(proc.stdout)  # the output is the JSON contract
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "runs": runs,
        "median_s": round(statistics.median(times), 2),
        "min_s": round(min(times), 2),
        "max_s": round(max(times), 2),
        "peak_rss_mb": round(child_mb, 1),
        "command": " ".join(["newsift", *cmd[len(prefix) :]]),
    }


_BREAKDOWN = """
import json, time
t0 = time.perf_counter()
import newsift.api as api
t1 = time.perf_counter()
stages = {stages!r}
pipeline = api.get_pipeline(stages)
pipeline.setup()
t2 = time.perf_counter()
api.analyze_text(open({path!r}, encoding="utf-8").read(), stages=stages)
t3 = time.perf_counter()
print(json.dumps({{"import_s": t1 - t0, "setup_s": t2 - t1, "first_article_s": t3 - t2}}))
"""


def cold_breakdown(runs: int = 3) -> dict:
    """Where a fresh process's time goes: imports, model loading (stage setup), first article."""
    code = _BREAKDOWN.format(path=str(EXAMPLE), stages=_stages())
    rows = []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"cold breakdown failed: {proc.stderr[-500:]}")
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return {k: round(statistics.median(r[k] for r in rows), 2) for k in rows[0]}


def profile(texts: list[str]) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError as err:
        raise SystemExit(
            "--profile needs pyinstrument: .venv/bin/pip install pyinstrument"
        ) from err
    from newsift.api import analyze_text

    analyze_text(texts[0], stages=_stages())
    profiler = Profiler()
    profiler.start()
    for text in texts:
        analyze_text(text, stages=_stages())
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40, help="synthetic articles in the batch")
    parser.add_argument("--words", type=int, default=500, help="words per synthetic article")
    parser.add_argument("--cold-runs", type=int, default=5, help="fresh CLI processes to time")
    parser.add_argument("--workers", type=int, default=2, help="processes for the throughput run")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--profile", action="store_true", help="pyinstrument over the warm batch")
    parser.add_argument("--stages", help="comma-separated stages instead of the default pipeline")
    args = parser.parse_args(argv)
    if args.stages:
        os.environ["NEWSIFT_BENCH_STAGES"] = args.stages

    from newsift.pipeline import DEFAULT_STAGES, available_stages

    missing = [s for s in (_stages() or DEFAULT_STAGES) if s not in available_stages()]
    if missing:
        raise SystemExit(f"default stages not available yet: {missing}")
    texts = [make_article(seed, args.words) for seed in range(args.articles)]
    if args.profile:
        profile(texts)
        return
    report = {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "cold_start": cold_start(args.cold_runs),
        "cold_breakdown": cold_breakdown(),
        "throughput": [throughput(texts, 1), throughput(texts, args.workers)],
        "warm": warm_latency(texts),
    }
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
