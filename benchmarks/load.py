"""Sustained load: the production server under 50 connections for 60 s, memory watched.

    python -m benchmarks --only load [--quick] [--web-openings 10000] [--web-youths 1000]

The same database and server as `benchmarks/web.py` (10^4 openings, 10^3 signed-in youths,
the server started as `make run` starts it). wrk runs 50 connections for 60 s over a mix of
what people do: signed-in youths asking for their matches (API and page) and visitors
browsing the directory and opening pages. Meanwhile the server's resident memory (master
and workers together) is sampled every second.

Targets: no errors (non-2xx or socket errors) and memory steady: the last 10 s use at most
10 % more than the 10 s after the warm-up. Prints figures; writes .bench/load.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from . import web

CONNECTIONS = 50
DURATION_S = 60
STEADY_LIMIT = 1.10
PATHS = ["/api/v1/matches", "/youth/matches", "/openings", "/api/v1/openings", "/"]

# web.LUA rotates cookies; this one also rotates the path over PATHS.
LUA = web.LUA.replace(
    '''function request()
  if #cookies == 0 then return wrk.format("GET") end
  n = n + 1
  return wrk.format("GET", nil, {["Cookie"] = "session=" .. cookies[n % #cookies + 1]})
end''',
    '''paths = {%s}

function request()
  n = n + 1
  local path = paths[n %% #paths + 1]
  return wrk.format("GET", path, {["Cookie"] = "session=" .. cookies[n %% #cookies + 1]})
end''' % ", ".join(f'"{p}"' for p in PATHS))


assert "paths = {" in LUA, "web.LUA changed: update the request() this benchmark replaces"


def rss_mb(server: subprocess.Popen) -> float:
    """Resident memory of the server and its worker processes, in MB."""
    try:
        root = psutil.Process(server.pid)
        return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)]) / 1e6
    except psutil.NoSuchProcess:
        return 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks --only load", description=__doc__.splitlines()[0])
    ap.add_argument("--web-openings", dest="openings", type=int, default=10_000)
    ap.add_argument("--web-youths", dest="youths", type=int, default=1_000)
    ap.add_argument("--quick", action="store_true", help="smoke run: 15 s")
    ap.add_argument("--load-out", default=".bench/load.json")
    a, _ = ap.parse_known_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed: run `scripts/system-deps bench` (or `make bench`)", file=sys.stderr)
        return 1
    duration = 15 if a.quick else DURATION_S
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="polku-load-bench-") as tmp:
        workdir = Path(tmp)
        url = f"sqlite:///{workdir / 'bench.sqlite'}"
        cookies = web.build_database(url, a.openings, a.youths, workdir)
        cookie_file = workdir / "cookies.txt"
        cookie_file.write_text("\n".join(cookies) + "\n")
        script = workdir / "mix.lua"
        script.write_text(LUA)
        port = web.free_port()
        server, started = web.start_server(url, port, workdir / "server.log")
        samples: list[tuple[float, float]] = []
        try:
            startup = web.wait_ready(server, started, port, cookies[0])
            web.run_wrk(port, "/", 3, script, cookie_file, CONNECTIONS)  # warm-up: every path once per worker
            stop = threading.Event()

            def sample() -> None:
                begun = time.perf_counter()
                while not stop.is_set():
                    samples.append((time.perf_counter() - begun, rss_mb(server)))
                    stop.wait(1.0)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            web.log(f"wrk: {CONNECTIONS} connections for {duration} s over {', '.join(PATHS)}")
            result = web.run_wrk(port, "/", duration, script, cookie_file, CONNECTIONS)
            stop.set()
            sampler.join()
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    window = 10 if duration >= 30 else 3
    early = max(mb for t, mb in samples if t <= window)
    late = max(mb for t, mb in samples if t >= samples[-1][0] - window)
    peak = max(mb for _, mb in samples)
    steady = late <= early * STEADY_LIMIT
    print(f"Sustained load: {a.openings:,} openings, {a.youths:,} youth accounts (SQLite), startup {startup:.2f} s; "
          f"wrk {CONNECTIONS} connections for {duration} s over {len(PATHS)} paths; "
          f"load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end\n")
    print(f"requests: {result['requests']:,} ({result['rps']:,.0f}/s); latency p50 {result['p50_ms']:.1f} ms, "
          f"p95 {result['p95_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, max {result['max_ms']:.0f} ms")
    print(f"errors: {result['errors']} ({result['non2xx']} non-2xx + {result['socket_errors']} socket)")
    print(f"server memory (all processes): first {window} s {early:,.0f} MB, last {window} s {late:,.0f} MB, "
          f"peak {peak:,.0f} MB\n")
    targets = [("no errors", result["errors"] == 0),
               (f"memory steady (last {window} s <= {STEADY_LIMIT:.2f} x first {window} s)", steady)]
    for name, ok in targets:
        print(f"  {'PASS' if ok else 'FAIL':4}  {name}")
    out = web.ROOT / a.load_out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"openings": a.openings, "youths": a.youths, "connections": CONNECTIONS,
                               "duration_s": duration, "paths": PATHS, "load_average": load, "startup_s": startup,
                               "result": result, "memory_mb": samples, "early_mb": early, "late_mb": late,
                               "peak_mb": peak, "targets": dict(targets)}, indent=2) + "\n")
    web.log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
