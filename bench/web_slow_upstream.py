"""Slow upstreams must not stop the web server answering: a bounded load test on loopback.

Starts a trickling HTTP server on 127.0.0.1 (headers at once, then one body byte every
``--interval`` seconds, so no single read ever times out) and ``newsift serve --allow-private-urls``
in a subprocess, then for ``--duration`` seconds runs N client threads that POST
``{"url": <the slow page>}`` to ``/api/analyze`` back to back, while one more thread polls
``/api/health`` and ``/`` every 0.1 s. Reports how long the analyse requests took, by status (504
``timeout`` when the fetch deadline ends them, 503 ``busy`` when every fetch slot is taken), and the
health and page latencies, which should stay far under a second throughout.

    .venv/bin/python bench/web_slow_upstream.py --clients 8 --duration 60 [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]

from bench_web import free_port, percentile, wait_ready  # noqa: E402
from tests.unit.slow_server import TrickleServer  # noqa: E402


def start_server(port: int) -> object:
    import subprocess

    args = ["serve", "--port", str(port), "--allow-private-urls", "--stages", "nlp.v1"]
    return subprocess.Popen(
        [sys.executable, "-c", "from newsift.cli import main; main()", *args],
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])},
    )


def summary(values: list[float]) -> dict[str, float | int]:
    return {
        "n": len(values),
        "p50_ms": round(1000 * percentile(values, 50), 1),
        "p99_ms": round(1000 * percentile(values, 99), 1),
        "max_ms": round(1000 * max(values, default=float("nan")), 1),
    }


def run(base: str, upstream: str, clients: int, duration: float) -> dict:
    stop = threading.Event()
    lock = threading.Lock()
    by_status: dict[str, list[float]] = defaultdict(list)
    codes: Counter[str] = Counter()
    probes: dict[str, list[float]] = {"/api/health": [], "/": []}
    probe_failures: Counter[str] = Counter()

    def client() -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            while not stop.is_set():
                t0 = time.perf_counter()
                try:
                    r = http.post("/api/analyze", json={"url": upstream})
                    key = str(r.status_code)
                    code = r.json().get("error", {}).get("code", "ok")
                except httpx.HTTPError as err:
                    key = code = type(err).__name__
                with lock:
                    by_status[key].append(time.perf_counter() - t0)
                    codes[code] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    end = time.monotonic() + duration
    with httpx.Client(base_url=base, timeout=30) as http:
        while time.monotonic() < end:
            for path, values in probes.items():
                t0 = time.perf_counter()
                try:
                    ok = http.get(path).status_code == 200
                except httpx.HTTPError:
                    ok = False
                values.append(time.perf_counter() - t0)
                if not ok:
                    probe_failures[path] += 1
            time.sleep(0.1)
    stop.set()
    for t in threads:
        t.join()
    return {
        "clients": clients,
        "duration_s": duration,
        "analyze_by_status": {k: summary(v) for k, v in sorted(by_status.items())},
        "analyze_codes": dict(codes),
        "probes": {k: summary(v) for k, v in probes.items()},
        "probe_failures": dict(probe_failures),
        "probes_over_1s": sum(v > 1.0 for values in probes.values() for v in values),
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--interval", type=float, default=1.0, help="seconds between upstream bytes")
    ap.add_argument("--json", type=Path, help="also write the result here")
    args = ap.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port)
    try:
        with TrickleServer(interval=args.interval, body_bytes=1_000_000) as upstream:
            wait_ready(base)
            result = run(base, upstream.url, args.clients, args.duration)
            result["upstream_connections"] = upstream.connections
    finally:
        server.terminate()  # type: ignore[attr-defined]
        server.wait(timeout=30)  # type: ignore[attr-defined]
    result.update(
        {
            "upstream_interval_s": args.interval,
            "server": "newsift serve --allow-private-urls --stages nlp.v1 (defaults: 10 s fetch "
            "deadline, 8 fetch slots)",
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
        }
    )
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
