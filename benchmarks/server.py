"""How much the HTTP service holds: requests per second and latency, one worker and several.

Run ``python benchmarks/server.py`` (or ``nox -s server_benchmarks``).  It starts
``edupolicy serve`` on a free port of 127.0.0.1, once per worker count, and sends
``POST /regions/jinfeng/aid`` with the students of the Jinfeng sample roster over
``--concurrency`` keep-alive connections until ``--requests`` answers have
come back.  It prints one table: requests per second, and the median (p50) and 99th
percentile (p99) of the time from sending a request to its whole answer.

Beside it, as the reference measured in the same run: the library's own cost of the same
answer (``policy.aid(dict, on).to_json()`` and its JSON text), per call, and the
requests per second that cost alone would allow on one core.  What the service adds
(HTTP, JSON, the event loop and a worker thread per request) is the difference.

The load is made by one process on the same machine (a small asyncio client that writes
HTTP/1.1 by hand, so that it costs little), so on a 2-core machine it takes part of the
cores the workers would have: the figures are what one machine holds with its client,
not a ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from typing import Any

import edupolicy
from edupolicy.io.records import json_bytes
from edupolicy_jinfeng import SAMPLE_ROSTER

ON = "2019-09-01"
PATH = f"/regions/jinfeng/aid?on={ON}"
_RUN_SERVE = "from edupolicy.cli import run; run()"


def sample() -> list[dict[str, Any]]:
    """The region's sample students, as JSON-shaped dicts."""
    text = SAMPLE_ROSTER.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def library_cost(repeat: int = 2000) -> float:
    """The library's own cost of one answer, in µs: the result, its JSON, its bytes."""
    policy = edupolicy.load("jinfeng")
    students = sample()

    def once() -> None:
        for student in students:
            json_bytes(policy.aid(student, ON).to_json())

    once()
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(max(1, repeat // len(students))):
            once()
        runs.append(
            (time.perf_counter() - start) / (max(1, repeat // len(students)) * len(students))
        )
    return statistics.median(runs) * 1e6


class Server:
    """``edupolicy serve`` with ``workers`` workers, until the block ends."""

    def __init__(self, workers: int) -> None:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("EDUPOLICY_")}
        argv = ["serve", "--port", str(self.port), "--workers", str(workers)]
        self.process = subprocess.Popen(
            [sys.executable, "-c", _RUN_SERVE, *argv, "--region", "jinfeng"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("edupolicy serve stopped before it was ready")
            try:
                url = f"http://127.0.0.1:{self.port}/readyz"
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.2)
        self.process.kill()
        raise SystemExit("edupolicy serve did not become ready")

    def __exit__(self, *_exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


async def _connection(
    port: int, bodies: list[bytes], todo: list[int], latencies: list[float]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while todo:
            todo.pop()
            body = bodies[len(todo) % len(bodies)]
            head = (
                f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode()
            start = time.perf_counter()
            writer.write(head + body)
            status = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _sep, value = line.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            if b" 200 " not in status:
                raise SystemExit(f"the service answered {status!r}")
    finally:
        writer.close()


async def load(port: int, requests: int, concurrency: int) -> tuple[float, list[float]]:
    """Send ``requests`` requests over ``concurrency`` connections: (seconds, latencies)."""
    bodies = [json_bytes(student) for student in sample()]
    # Warm each worker: the first answers of a process fill its caches.
    warm: list[float] = []
    await asyncio.gather(
        *(_connection(port, bodies, list(range(50)), warm) for _ in range(concurrency))
    )
    todo = list(range(requests))
    latencies: list[float] = []
    start = time.perf_counter()
    await asyncio.gather(*(_connection(port, bodies, todo, latencies) for _ in range(concurrency)))
    return time.perf_counter() - start, latencies


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2", help="worker counts (default: 1,2)")
    parser.add_argument("--requests", type=int, default=5000, help="requests per run")
    parser.add_argument("--concurrency", type=int, default=32, help="connections at once")
    args = parser.parse_args(argv)
    cost = library_cost()
    rows = [
        ("library: policy.aid(...).to_json() as JSON bytes, µs", f"{cost:,.0f}"),
        ("library alone, one core, answers/s", f"{1e6 / cost:,.0f}"),
    ]
    for workers in (int(n) for n in args.workers.split(",")):
        with Server(workers) as server:
            seconds, latencies = asyncio.run(load(server.port, args.requests, args.concurrency))
        label = f"service, {workers} worker(s), concurrency {args.concurrency}"
        rows += [
            (f"{label}, requests/s", f"{len(latencies) / seconds:,.0f}"),
            (f"{label}, p50 ms", f"{_percentile(latencies, 0.5) * 1e3:,.1f}"),
            (f"{label}, p99 ms", f"{_percentile(latencies, 0.99) * 1e3:,.1f}"),
        ]
    width = max(len(label) for label, _value in rows)
    print(f"edupolicy {edupolicy.__version__}, {os.cpu_count()} cores, {args.requests:,} requests")
    for label, value in rows:
        print(f"{label:<{width}}  {value:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
