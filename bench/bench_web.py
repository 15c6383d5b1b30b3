"""Bounded load test of the web API on loopback: concurrent analyse requests for a fixed time.

Starts ``newsift serve`` in a subprocess on a free 127.0.0.1 port (or uses ``--url``), warms it up,
then runs N client threads that POST the example article to ``/api/analyze`` back to back for
``--duration`` seconds, and reports requests/s, p50/p90/p99 latency and errors.

    .venv/bin/python bench/bench_web.py --clients 8 --duration 30 [--workers 1] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "harbour-bridge-closure.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, stages: str | None = None) -> subprocess.Popen:
    """``newsift serve`` on 127.0.0.1:port in a subprocess."""
    args = ["serve", "--port", str(port), "--workers", str(workers)]
    if stages:
        args += ["--stages", stages]
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    return subprocess.Popen(
        [sys.executable, "-c", "from newsift.cli import main; main()", *args], env=env
    )


def wait_ready(base: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"the server at {base} did not answer within {timeout:.0f} s")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` and its descendants (Linux /proc), or None."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, todo, seen = 0.0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            stat = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(stat[11]) + int(stat[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            if p == pid:
                return None
    return total


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def run_load(base: str, text: str, clients: int, duration: float) -> dict:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def client(n: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as http:
            i = 0
            while time.monotonic() < stop_at:
                i += 1
                # every request's text differs, so nothing can be served from a cache
                body = {"text": f"{text}\n\nCopy {n}-{i}."}
                t0 = time.perf_counter()
                try:
                    r = http.post("/api/analyze", json=body)
                    ok = r.status_code == 200 and "schema_version" in r.json()
                    key = None if ok else f"http_{r.status_code}"
                except httpx.HTTPError as err:
                    key = type(err).__name__
                dt = time.perf_counter() - t0
                with lock:
                    if key is None:
                        latencies.append(dt)
                    else:
                        errors[key] = errors.get(key, 0) + 1

    t0 = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    return {
        "clients": clients,
        "duration_s": round(wall, 1),
        "requests": len(latencies) + sum(errors.values()),
        "ok": len(latencies),
        "errors": errors,
        "req_per_s": round(len(latencies) / wall, 2),
        "p50_ms": round(1000 * percentile(latencies, 50), 1),
        "p90_ms": round(1000 * percentile(latencies, 90), 1),
        "p99_ms": round(1000 * percentile(latencies, 99), 1),
        "max_ms": round(1000 * max(latencies, default=float("nan")), 1),
        "mean_ms": round(1000 * statistics.fmean(latencies), 1) if latencies else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument(
        "--workers", type=int, default=1, help="server processes (newsift serve --workers)"
    )
    ap.add_argument("--url", help="load an already running server instead of starting one")
    ap.add_argument("--stages", help="comma-separated stages for the server (default pipeline)")
    ap.add_argument("--json", type=Path, help="also write the result here")
    args = ap.parse_args()
    text = EXAMPLE.read_text(encoding="utf-8")
    server = None
    base = args.url
    if not base:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(port, args.workers, args.stages)
    try:
        wait_ready(base)
        for _ in range(3 * args.workers):  # warm every worker's pipeline
            httpx.post(base + "/api/analyze", json={"text": text}, timeout=120).raise_for_status()
        load_before = os.getloadavg()[0]
        cpu_before = cpu_seconds(server.pid) if server else None
        client_cpu = time.process_time()
        result = run_load(base, text, args.clients, args.duration)
        client_cpu = time.process_time() - client_cpu
        result["load_avg_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
        cpu_after = cpu_seconds(server.pid) if server else None
        if cpu_before is not None and cpu_after is not None and result["ok"]:
            # server CPU per answered request: the floor of latency on an idle core
            result["server_cpu_ms_per_request"] = round(
                1000 * (cpu_after - cpu_before) / result["ok"], 1
            )
        if result["ok"]:  # the load generator shares the machine's cores with the server
            result["client_cpu_ms_per_request"] = round(1000 * client_cpu / result["ok"], 1)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    result.update(
        {
            "server_workers": args.workers,
            "stages": args.stages or "default",
            "onnx_threads": os.environ.get("NEWSIFT_THREADS", "1 (newsift serve's default)"),
            "article_words": len(text.split()),
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
