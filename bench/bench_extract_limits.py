"""Extraction time and memory on pathological HTML pages (issue 23: every input bounded).

Each page is generated here (no copied text) and extracted in a fresh process with
:func:`newsift.extract.extract` (HTML path: page budget check, trafilatura, metadata, offset map),
so one runaway case cannot slow the next; a case over ``--timeout`` seconds is killed and reported
as such. Prints one row per case: page size, tags, wall seconds, peak memory, and the outcome
(``ok`` with the word count and extraction method, or the error code).

    .venv/bin/python bench/bench_extract_limits.py [--cases flat600k,deep300] [--timeout 400]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

PARA = (
    "The harbour authority said the bridge would stay closed until engineers finished their "
    "inspection, and the mayor promised a ferry service for commuters in the meantime."
)


def _article(body: str) -> str:
    return (
        "<!DOCTYPE html><html><head><title>Bridge stays closed | Portvale Herald</title></head>"
        f"<body><article><h1>Bridge stays closed</h1>{body}</article></body></html>"
    )


def _normal() -> str:
    return _article("".join(f"<p>{PARA} ({i})</p>" for i in range(12)))


def _paras(n: int = 6) -> str:
    # numbered: trafilatura drops paragraphs it has already seen
    return "".join(f"<p>{PARA} ({i})</p>" for i in range(n))


def _flat(tags: int) -> str:
    """tags/2 empty ``<i></i>`` pairs in one paragraph after a real article (7 bytes a pair)."""
    return _article(_paras() + "<p>" + "<i></i>" * (tags // 2) + "</p>")


def _tiny_paragraphs(tags: int) -> str:
    """tags/2 one-word paragraphs ``<p>w</p>`` (about 8 bytes a tag): every one is text."""
    return _article(_paras() + "".join(f"<p>w{i % 10}</p>" for i in range(tags // 2)))


def _deep(levels: int) -> str:
    return _article("<div>" * levels + _paras() + "</div>" * levels)


def _attribute(size: int) -> str:
    return _article(f'<p data-x="{"a" * size}">{PARA}</p>' + _paras())


def _scripts(n: int) -> str:
    return _article(_paras() + "<script>var x = 1;</script>" * n)


CASES = {
    "normal": _normal,
    "flat600k": lambda: _flat(600_000),
    "flat1m": lambda: _flat(1_000_000),
    "paras600k": lambda: _tiny_paragraphs(600_000),
    "paras1m": lambda: _tiny_paragraphs(1_000_000),
    "paras49k": lambda: _tiny_paragraphs(49_000),
    "flat20mb": lambda: _flat(5_600_000),
    "deep300": lambda: _deep(300),
    "deep5000": lambda: _deep(5_000),
    "attr4mb": lambda: _attribute(4_000_000),
    "scripts100k": lambda: _scripts(100_000),
}


def _child(case: str) -> None:
    from newsift.errors import NewsiftError
    from newsift.extract import extract
    from newsift.ingest.source import RawInput

    html = CASES[case]()
    raw = RawInput.from_text(html, name=case, html=True)
    start = time.perf_counter()
    try:
        article = extract(raw)
        extraction = article.layers.get("extraction", {})
        outcome = (
            f"ok: {len(article.text.split())} words, "
            f"{extraction.get('body_mode') or extraction.get('method')}"
            + "".join(f"; problem {p.stage}/{p.code}" for p in article.problems)
        )
    except NewsiftError as err:
        outcome = f"refused: {err.code}"
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row = {
        "case": case,
        "bytes": len(html),
        "tags": html.count("<"),
        "seconds": round(seconds, 2),
        "peak_mb": round(peak_mb),
        "outcome": outcome,
    }
    print(json.dumps(row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--timeout", type=float, default=400.0)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    print(f"{'case':<12} {'bytes':>10} {'tags':>9} {'seconds':>8} {'peak MB':>8}  outcome")
    for case in args.cases.split(","):
        start = time.perf_counter()
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--child", case],
                capture_output=True,
                text=True,
                timeout=args.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            print(
                f"{case:<12} {'':>10} {'':>9} {'>' + format(args.timeout, 'g'):>8} {'':>8}  killed"
            )
            continue
        lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
        if not lines:
            tail = (done.stderr.strip().splitlines() or ["?"])[-1]
            print(f"{case:<12} failed after {time.perf_counter() - start:.1f} s: {tail}")
            continue
        r = json.loads(lines[-1])
        print(
            f"{r['case']:<12} {r['bytes']:>10,} {r['tags']:>9,} {r['seconds']:>8.2f} "
            f"{r['peak_mb']:>8,}  {r['outcome']}"
        )


if __name__ == "__main__":
    main()
