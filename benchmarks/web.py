"""Speed of the web app under load: the production server (gunicorn, as `make run`) measured with wrk.

    python -m benchmarks --only web [--quick] [--web-openings 10000] [--web-youths 1000] [--web-duration 30]

Builds a temporary SQLite database with synthetic openings (through `import-openings`'s
code) and youth accounts, starts the server as `make run` does (the gunicorn line of the
Makefile's run target, on a free port, DATABASE_URL at the temporary database, a fixed
secret), and measures:

- startup: process start -> first 200 from /api/v1/matches, so including the engine build;
- wrk on loopback (20 connections) against /healthz (the baseline: no database, no engine),
  /api/v1/matches and /youth/matches ("My matches") as signed-in youths (session cookies
  minted with the app's secret for many youths, rotated per request by a wrk Lua script),
  and /openings (the public directory), each on a fresh server;
- the matches API and page again with each worker's caches of matches and drawn lists
  turned off, so the figures show what a request costs when it computes everything
  (for reference: the targets apply to the server as `make run` starts it).

Prints a table and PASS/FAIL per target (exit status 0 either way: benchmarks report, tests
gate) and writes .bench/web.json. wrk comes from `scripts/system-deps bench`.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = secrets.token_urlsafe(48)  # a new key per run: the server refuses weak ones
SEED_OPENINGS, SEED_YOUTHS = 0, 1
CONNECTIONS, WRK_THREADS = 20, 2
STARTUP_LIMIT_S = 10.0
TARGETS_P95_MS = 50.0
# (name, path, signed in as a youth)
ENDPOINTS = [
    ("healthz", "/healthz", False),
    ("matches API", "/api/v1/matches", True),
    ("My matches page", "/youth/matches", True),
    ("directory", "/openings", False),
]
GATED = ("matches API", "My matches page")  # p95 and error targets apply to these
WARM_YOUTHS = 10  # youths signed in during the warm-up
# Each worker's caches (webapp/engine.py, webapp/fragments.py) off: every request computes its matches.
NO_CACHES = {"FLASK_MATCH_CACHE_SIZE": "0", "FLASK_FRAGMENT_CACHE_SIZE": "0"}

LUA = r"""
-- Rotates the signed-in youths' session cookies over the requests; counts non-2xx answers.
local threads = {}
local count = 0

function setup(thread)
  thread:set("id", count)
  count = count + 1
  table.insert(threads, thread)
end

function init(args)
  cookies = {}
  if args[1] then
    for line in io.lines(args[1]) do table.insert(cookies, line) end
  end
  n = id * 7919
  non2xx = 0
end

function request()
  if #cookies == 0 then return wrk.format("GET") end
  n = n + 1
  return wrk.format("GET", nil, {["Cookie"] = "session=" .. cookies[n % #cookies + 1]})
end

function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "non2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, bad, e.connect + e.read + e.write + e.timeout))
end
"""


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


SERVER = "gunicorn"


def server_args() -> list[str]:
    """The arguments of the server command in the Makefile's run target, so the benchmark serves as `make run` does."""
    for line in (ROOT / "Makefile").read_text().splitlines():
        words = shlex.split(line.strip()) if line.startswith("\t") else []
        if words and words[0].endswith("/" + SERVER):
            return words[1:]
    raise SystemExit(f"no {SERVER} line in the Makefile's run target")


def with_port(args: list[str], port: int) -> list[str]:
    """`args` with the listening address replaced by loopback on `port`."""
    out, skip = [], False
    for word in args:
        if skip:
            skip = False
            continue
        if word in ("--bind", "-b"):
            skip = True
            continue
        if word.startswith("--bind="):
            continue
        out.append(word)
    return [*out[:-1], "--bind", f"127.0.0.1:{port}", out[-1]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_database(url: str, n_openings: int, n_youths: int, workdir: Path) -> list[str]:
    """The synthetic catalogue and youth accounts; the youths' session cookies (signed with SECRET)."""
    from flask_login.utils import _create_identifier
    from werkzeug.security import generate_password_hash

    from fixtures.generate import generate_openings, generate_youths
    from matching.io import youth_from_record
    from webapp import create_app, db, migrate
    from webapp.cli.commands import _youth_fields
    from webapp.services.importing import import_openings
    from webapp.models import Association, User, YouthProfile
    from webapp.states import Role
    from webapp.auth.sessions import SIGNED_IN_AT

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET})
    migrate.upgrade(app)
    openings = list(islice(generate_openings(n_openings, SEED_OPENINGS), n_openings))
    path = workdir / "openings.jsonl"
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in openings), encoding="utf-8")
    started = time.perf_counter()
    with app.app_context():
        session = db.get_session()
        for name in sorted({o["association"] for o in openings}):
            session.add(Association(name=name))
        session.commit()
        counts = import_openings(session, path, None, None)
        session.commit()
        log(f"imported {counts.created:,} openings in {time.perf_counter() - started:.1f} s")
        password_hash = generate_password_hash(secrets.token_hex(16), method="pbkdf2:sha256:1000")
        users = []
        for record in islice(generate_youths(n_youths, SEED_YOUTHS), n_youths):
            youth_from_record(record)  # the engine's checks, as seed does
            user = User(email=f"{record['id']}@bench.invalid", role=Role.YOUTH, password_hash=password_hash)
            session.add(YouthProfile(ref=record["id"], user=user, **_youth_fields(record)))
            users.append(user)
        session.commit()
        ids = [u.get_id() for u in users]
    db.dispose(app)
    serializer = app.session_interface.get_signing_serializer(app)
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        identifier = _create_identifier()  # Flask-Login's session protection: loopback, no User-Agent, as wrk
    # A returning browser's session: signed in (just now: a sign-in lasts SESSION_MAX_AGE_HOURS), with its CSRF
    # token already, so no request needs a new cookie.
    signed_in_at = int(time.time())
    return [serializer.dumps({"_user_id": i, "_fresh": True, "_id": identifier, SIGNED_IN_AT: signed_in_at,
                              "csrf_token": secrets.token_hex(20)}) for i in ids]


def get(port: int, path: str, cookie: str | None = None, timeout: float = 120) -> tuple[int, dict[str, str]]:
    """Status and headers of one GET; http.client sends no User-Agent, as wrk does not (Flask-Login's
    session protection hashes it), and follows no redirect (one to sign-in is a failure here)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Cookie": f"session={cookie}"} if cookie else {})
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def start_server(url: str, port: int, log_path: Path,
                 env: dict[str, str] | None = None) -> tuple[subprocess.Popen, float]:
    """The server process and the time it started (`env`: more environment, e.g. a setting)."""
    venv_bin = Path(sys.executable).parent
    program = shutil.which(SERVER, path=str(venv_bin)) or shutil.which(SERVER)
    if program is None:
        raise SystemExit(f"{SERVER} not found; run `make` to install the project")
    args = [program, *with_port(server_args(), port)]
    env = {**os.environ, "DATABASE_URL": url, "FLASK_SECRET_KEY": SECRET, **(env or {})}
    log("starting " + " ".join(args[1:]))
    started = time.perf_counter()
    server = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log_path.open("a"), stderr=subprocess.STDOUT)
    return server, started


@contextmanager
def serving(url: str, cookie: str, log_path: Path, env: dict[str, str] | None = None) -> Iterator[tuple[int, float]]:
    """A fresh server (empty caches) on a free port: yields (port, seconds to its first matches answer)."""
    port = free_port()
    server, started = start_server(url, port, log_path, env)
    try:
        yield port, wait_ready(server, started, port, cookie)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        if server.returncode not in (0, -15, None):
            log("server log:\n" + log_path.read_text()[-3000:])


def wait_ready(server: subprocess.Popen, started: float, port: int, cookie: str) -> float:
    while True:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode} before answering")
        try:
            if get(port, "/api/v1/matches", cookie)[0] == 200:
                return time.perf_counter() - started
        except OSError:  # not listening yet
            pass
        if time.perf_counter() - started > 300:
            raise SystemExit("the server did not answer within 300 s")
        time.sleep(0.05)


def check_endpoint(port: int, path: str, cookie: str | None) -> None:
    """One request first: a 200 (not a redirect to sign-in), and no new session cookie to carry."""
    status, headers = get(port, path, cookie)
    if status != 200:
        raise SystemExit(f"{path} answered {status}, expected 200")
    if cookie and "Set-Cookie" in headers:
        log(f"note: {path} sets a cookie on every request ({headers['Set-Cookie'][:40]}...)")


def drain(port: int, limit_s: float = 300) -> None:
    """Wait until the server has worked off the requests wrk left queued (it serves them even after wrk
    hung up), so the next measurement starts on an idle server: until /healthz answers within 50 ms."""
    until = time.perf_counter() + limit_s
    while time.perf_counter() < until:
        started = time.perf_counter()
        get(port, "/healthz")
        if time.perf_counter() - started < 0.05:
            return
        time.sleep(0.2)
    log("warning: the server still seems busy")


def run_wrk(port: int, path: str, duration: int, script: Path, cookies: Path | None,
            connections: int = CONNECTIONS) -> dict:
    threads = min(WRK_THREADS, connections)
    args = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s",
            "-s", str(script), f"http://127.0.0.1:{port}{path}"]
    if cookies is not None:
        args += ["--", str(cookies)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    drain(port)
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    raw = json.loads(line[len("RESULT "):])
    seconds = raw["duration_us"] / 1e6
    return {"requests": raw["requests"], "rps": raw["requests"] / seconds,
            "p50_ms": raw["p50_us"] / 1000, "p95_ms": raw["p95_us"] / 1000, "p99_ms": raw["p99_us"] / 1000,
            "max_ms": raw["max_us"] / 1000, "non2xx": raw["non2xx"], "socket_errors": raw["socket_errors"],
            "errors": raw["non2xx"] + raw["socket_errors"], "mb_per_s": raw["bytes"] / seconds / 1e6}


def check(startup: float, results: dict, label: str = "") -> list[dict]:
    targets = [{"target": f"startup to first matches <= {STARTUP_LIMIT_S:g} s", "value": startup,
                "status": "PASS" if startup <= STARTUP_LIMIT_S else "FAIL"}] if not label else []
    for name in GATED:
        r = results[name]
        targets.append({"target": f"{name}{label}: p95 <= {TARGETS_P95_MS:g} ms", "value": r["p95_ms"],
                        "status": "PASS" if r["p95_ms"] <= TARGETS_P95_MS else "FAIL"})
        targets.append({"target": f"{name}{label}: no errors", "value": r["errors"],
                        "status": "PASS" if r["errors"] == 0 else "FAIL"})
    return targets


def table(results: dict, base: float) -> str:
    lines = ["| endpoint | requests/s | vs /healthz | p50 ms | p95 ms | p99 ms | errors (non-2xx + socket) "
             "| 1 connection: req/s, p50 / p95 ms |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for (name, path, _), r in ((e, results[e[0]]) for e in ENDPOINTS if e[0] in results):
        lines.append(f"| {name} `{path}` | {r['rps']:,.0f} | {r['rps'] / base:.2f} | {r['p50_ms']:.1f} | "
                     f"{r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} ({r['non2xx']} + {r['socket_errors']}) | "
                     f"{r['solo']['rps']:,.0f}, {r['solo']['p50_ms']:.1f} / {r['solo']['p95_ms']:.1f} |")
    return "\n".join(lines)


def measure(port: int, path: str, duration: int, solo: int, script: Path, cookies: Path | None,
            warm_cookies: Path | None) -> dict:
    """wrk at CONNECTIONS for `duration` s, then at 1 connection for `solo` s, after a 2 s warm-up.

    The warm-up signs in only a few youths (`warm_cookies`): it compiles templates and opens
    connections, but leaves the per-process caches of matches empty for the other youths."""
    check_endpoint(port, path, None if cookies is None else warm_cookies.read_text().split()[0])
    run_wrk(port, path, 2, script, warm_cookies)  # warm-up, not counted
    log(f"wrk {path} for {duration} s")
    result = run_wrk(port, path, duration, script, cookies)
    log(f"wrk {path} with 1 connection for {solo} s (the service time without queueing)")
    result["solo"] = run_wrk(port, path, solo, script, cookies, 1)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks --only web", description=__doc__.splitlines()[0])
    # Own option names: `python -m benchmarks` passes the same options to every benchmark.
    ap.add_argument("--web-openings", dest="openings", type=int, default=10_000,
                    help="synthetic openings in the database")
    ap.add_argument("--web-youths", dest="youths", type=int, default=1_000,
                    help="synthetic youth accounts (cookies rotate over all of them)")
    ap.add_argument("--web-duration", dest="duration", type=int, default=30, help="seconds of wrk per endpoint")
    ap.add_argument("--quick", action="store_true", help="smoke run: 5 s per endpoint")
    ap.add_argument("--web-out", default=".bench/web.json", help="where to write the JSON results")
    a, _ = ap.parse_known_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed: run `scripts/system-deps bench` (or `make bench`)", file=sys.stderr)
        return 1
    duration = 5 if a.quick else a.duration
    solo = 3 if a.quick else 10
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="polku-web-bench-") as tmp:
        workdir = Path(tmp)
        url = f"sqlite:///{workdir / 'bench.sqlite'}"
        cookies = build_database(url, a.openings, a.youths, workdir)
        cookie_file, warm_file = workdir / "cookies.txt", workdir / "warm-cookies.txt"
        cookie_file.write_text("\n".join(cookies) + "\n")
        warm_file.write_text("\n".join(cookies[:WARM_YOUTHS]) + "\n")
        script = workdir / "rotate.lua"
        script.write_text(LUA)
        server_log = workdir / "server.log"
        startup, results, uncached = None, {}, {}
        # Each endpoint on a fresh server, so none starts with matches another one computed.
        for name, path, signed_in in ENDPOINTS:
            with serving(url, cookies[-1], server_log) as (port, ready):
                if startup is None:
                    startup = ready
                    log(f"first matches after {startup:.2f} s")
                results[name] = measure(port, path, duration, solo, script, cookie_file if signed_in else None,
                                        warm_file if signed_in else None)
        for name, path, _ in (e for e in ENDPOINTS if e[0] in GATED):
            with serving(url, cookies[-1], server_log, NO_CACHES) as (port, _):
                log(f"{name} with the per-process caches off")
                uncached[name] = measure(port, path, duration, solo, script, cookie_file, warm_file)
    assert startup is not None
    base = results["healthz"]["rps"]
    targets = check(startup, results)
    reference = check(startup, uncached, " (caches off)")
    command = " ".join(shlex.quote(w) for w in server_args())
    print(f"Web app under wrk: {a.openings:,} openings, {a.youths:,} youth accounts (SQLite), "
          f"{CONNECTIONS} connections, {WRK_THREADS} wrk threads, {duration} s per endpoint; "
          f"{SERVER} {command}; load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end\n")
    print(f"startup (process start -> first matches API answer, engine built): {startup:.2f} s\n")
    print(f"Each endpoint on a fresh server: a 2 s warm-up with {WARM_YOUTHS} youths, {CONNECTIONS} connections "
          f"for {duration} s rotating over all {a.youths:,} youths, then 1 connection for {solo} s; a closed loop, "
          f"so at {CONNECTIONS} connections latency ~ {CONNECTIONS} / (requests/s).\n")
    print(table(results, base))
    print("\nThe same with each worker's caches of matches and drawn lists turned off "
          f"({' '.join(f'{k}={v}' for k, v in NO_CACHES.items())}): every request computes its matches.\n")
    print(table(uncached, base))
    print()
    for t in targets:
        print(f"  {t['status']:4}  {t['target']:42} (measured {t['value']:.2f})")
    for t in reference:
        print(f"  {t['status'].lower():4}  {t['target']:42} (measured {t['value']:.2f}; for reference, not a target)")
    failed = sum(t["status"] == "FAIL" for t in targets)
    print(f"\nFAIL: {failed} of {len(targets)} targets missed" if failed else "\nno target failed")
    out = ROOT / a.web_out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"openings": a.openings, "youths": a.youths, "connections": CONNECTIONS,
                               "duration_s": duration, "solo_s": solo, "server": f"{SERVER} {command}",
                               "load_average": load, "startup_s": startup, "results": results,
                               "caches_off": uncached, "targets": targets, "reference": reference},
                              indent=2) + "\n")
    log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
