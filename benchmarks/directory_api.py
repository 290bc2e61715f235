"""Benchmark of the Open Referral UK feed (/api/directory/) on SQLite and PostgreSQL.

For each database and directory size this script:

1. builds a fresh database (migrate + `thedeal load_demo --services N`), timing both; on
   PostgreSQL then VACUUM ANALYZE and `ALTER DATABASE .. SET random_page_cost` (1.1: SSD);
2. serves it with gunicorn (2 sync workers, DEBUG off, rate limit raised);
3. warms both workers up on the endpoint about to be measured, then drives it with wrk at 10
   and 50 connections, rotating through real search words and real borough postcodes, and
   reports requests/s, p50, p95 and errors;
4. times single requests through Django's test client beside hand-written SQL that fetches the
   same rows (checked to be the same ids), and prints the ratio;
5. stops gunicorn (always) and drops the PostgreSQL database (unless --keep).

Run from the repository root:

    .venv/bin/python benchmarks/directory_api.py [--services 1500 50000]
        [--databases sqlite postgres] [--duration 10] [--pg-random-page-cost 1.1]
        [--keep] [--profile]

Everything that needs Django runs in a child process (this same file with --child), because a
process can only be set up for one database and the driver handles several in turn.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"
ENV_FILE = REPO / "demo.env"

# Searches a resident might type. Only those that match something in the loaded data are used
# (checked per database and size), topped up with the commonest words of service names.
CANDIDATE_WORDS = [
    "walking", "smoking", "debt advice", "food bank", "carers", "park", "dementia",
    "swimming", "parenting", "mental health", "benefits", "youth club",
]  # fmt: skip
PROXIMITY_M = 2000
POSTCODE_SAMPLE = 40  # borough postcodes in the rotation
PER_PAGE = 10

# The targets, which apply to the largest size (50,000 services).
TARGET_SERVICES = 50_000
TARGET_RPS_10 = 150.0  # requests/s at 10 connections, at least
TARGET_P95_10_MS = 100.0  # p95 at 10 connections, at most
TARGET_RATIO = 3.0  # API time / raw SQL time, at most

ENDPOINTS = {
    "services": "/api/directory/services",
    "service_at_locations": "/api/directory/service_at_locations",
}

_started = time.monotonic()


def log(message: str) -> None:
    """Progress, with the time since start: the whole run takes minutes."""
    elapsed = time.monotonic() - _started
    print(f"[{int(elapsed // 60):02d}:{elapsed % 60:04.1f}] {message}", flush=True)


# --- Configuration of the app under test ---------------------------------------------------
@dataclass
class Case:
    database: str  # "sqlite" or "postgres"
    services: int
    var_dir: Path
    database_url: str
    pg_name: str | None = None
    load_seconds: dict[str, float] = field(default_factory=dict)
    reused: bool = False
    random_page_cost: str = "-"  # PostgreSQL: as the bench database's new connections see it

    @property
    def label(self) -> str:
        return f"{self.database} {self.services:,}"


def app_environment(case: Case, rate_limit: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        THEDEAL_ENV_FILE=str(ENV_FILE),
        THEDEAL_VAR_DIR=str(case.var_dir),
        DATABASE_URL=case.database_url,
        DIRECTORY_API_RATE_LIMIT=rate_limit,
        # Production settings: DEBUG off (no query log, no debug pages)...
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        # ...except the HTTPS redirect, which a TLS-terminating proxy makes moot in production;
        # without it every plain-HTTP request here would be a 301.
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    # Real environment variables win over the env file (demo.env).
    return env


# --- 1. Building the database --------------------------------------------------------------
def pg_admin(base_url: str, sql: str) -> list[tuple]:
    import psycopg  # in the project's venv; only the driver's PostgreSQL admin needs it here

    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


def pg_exists(base_url: str, name: str) -> bool:
    return bool(pg_admin(base_url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))


def pg_drop(base_url: str, name: str) -> None:
    # Only ever our own databases: never "test" or anything else on the server.
    assert name.startswith("thedeal_bench_"), name
    pg_admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_streamed(command: list[str], env: dict[str, str], prefix: str) -> None:
    """Run a command, echoing its output as progress; fail with its output if it fails."""
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    for line in process.stdout:
        print(f"    {prefix}| {line.rstrip()}", flush=True)
    if process.wait() != 0:
        raise RuntimeError(f"{' '.join(command)} failed with exit code {process.returncode}")


def build(case: Case, args: argparse.Namespace) -> None:
    """A fresh, migrated database with the demo borough; reused from an earlier --keep run."""
    marker = case.var_dir / "loaded.json"
    if (
        args.keep
        and marker.exists()
        and (case.pg_name is None or pg_exists(args.postgres_url, case.pg_name))
    ):
        case.load_seconds = json.loads(marker.read_text())
        case.reused = True
        log(f"{case.label}: reusing the database built earlier (--keep)")
        set_random_page_cost(case, args)
        return
    if case.var_dir.exists():
        shutil.rmtree(case.var_dir)
    case.var_dir.mkdir(parents=True)
    if case.pg_name:
        pg_drop(args.postgres_url, case.pg_name)
        pg_admin(args.postgres_url, f'CREATE DATABASE "{case.pg_name}"')
    env = app_environment(case, args.rate_limit)
    log(f"{case.label}: migrating")
    started = time.monotonic()
    run_streamed([str(BIN / "thedeal"), "migrate", "--no-input", "-v", "0"], env, "migrate")
    case.load_seconds["migrate"] = time.monotonic() - started
    log(f"{case.label}: loading {case.services:,} demo services (seed {args.seed})")
    started = time.monotonic()
    run_streamed(
        [
            str(BIN / "thedeal"),
            "load_demo",
            "--services",
            str(case.services),
            "--seed",
            str(args.seed),
        ],
        env,
        "load_demo",
    )
    case.load_seconds["load_demo"] = time.monotonic() - started
    if case.database == "postgres":
        # Freshly loaded tables have no planner statistics, no visibility map and unset hint
        # bits until autovacuum gets round to them (it would then compete with the benchmark);
        # a real database is long past that, so do it now rather than measure it.
        started = time.monotonic()
        pg_admin_db(args.postgres_url, case.pg_name, "VACUUM ANALYZE")
        case.load_seconds["vacuum"] = time.monotonic() - started
        set_random_page_cost(case, args)
    marker.write_text(json.dumps(case.load_seconds))
    log(
        f"{case.label}: built in "
        + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in case.load_seconds.items())
    )


def pg_admin_db(base_url: str, name: str | None, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(f"{base_url}/{name}", autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


def set_random_page_cost(case: Case, args: argparse.Namespace) -> None:
    """The planner's cost of a random page read, for the bench database (--pg-random-page-cost).

    PostgreSQL's default (4.0) assumes spinning disks; its documentation suggests 1.1 for SSDs,
    which this machine has. Set on the database, so every connection opened later (gunicorn's,
    the single-client child's) uses it; "none" resets it to the server's setting.
    """
    if not case.pg_name:
        return
    cost = args.pg_random_page_cost
    if cost is None:
        pg_admin_db(
            args.postgres_url,
            case.pg_name,
            f'ALTER DATABASE "{case.pg_name}" RESET random_page_cost',
        )
    else:
        pg_admin_db(
            args.postgres_url,
            case.pg_name,
            f'ALTER DATABASE "{case.pg_name}" SET random_page_cost = {cost:g}',
        )
    # What a new connection now sees: the value the benchmark runs with.
    ((case.random_page_cost,),) = pg_admin_db(
        args.postgres_url, case.pg_name, "SHOW random_page_cost"
    )
    if cost is None:
        case.random_page_cost += " (server)"
    log(f"{case.label}: random_page_cost {case.random_page_cost}")


# --- 2. Serving it -------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(case: Case, args: argparse.Namespace, port: int) -> subprocess.Popen:
    # The throttle's history lives in the file cache: start each case with an empty one.
    shutil.rmtree(case.var_dir / "cache", ignore_errors=True)
    log_path = case.var_dir / "gunicorn.log"
    command = [
        str(BIN / "gunicorn"), "thedeal.wsgi:application", "-w", "2", "-b", f"127.0.0.1:{port}",
        "--error-logfile", str(log_path),
    ]  # fmt: skip
    log(f"{case.label}: starting gunicorn (2 workers) on port {port}")
    # Its own session, so that it (and only it) can be stopped as a group even if the master
    # has already died and left workers behind.
    process = subprocess.Popen(
        command, cwd=REPO, env=app_environment(case, args.rate_limit), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/api/directory/"
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            tail = log_path.read_text()[-3000:] if log_path.exists() else ""
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            stop_gunicorn(process)
            raise RuntimeError(f"gunicorn did not answer {url} within 60 s (see {log_path})")
        time.sleep(0.2)
    log(f"{case.label}: gunicorn answers {url}")
    return process


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # graceful: the master stops its workers
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # any worker left behind in its session
    except ProcessLookupError:
        pass
    process.wait()


# --- 3. Load with wrk ----------------------------------------------------------------------
# Each thread starts at a different place in the list and walks through it, so that every
# search word and postcode is asked for in turn. wrk's own "Non-2xx or 3xx" count ignores 3xx
# and 1xx, so non-2xx responses are counted here, per thread, and summed in done().
WRK_LUA = """\
local paths = {%(paths)s}
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  position = id * 7
  non2xx = 0
end

function request()
  position = position %% #paths + 1
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, ' ..
    '"max_us": %%d, "non2xx": %%d, "connect": %%d, "read": %%d, "write": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, non2xx_total, e.connect, e.read, e.write, e.timeout))
end
"""


def request_paths(endpoint: str, fixtures: dict) -> list[str]:
    base = ENDPOINTS[endpoint]
    if endpoint == "services":
        return [
            f"{base}?search={urllib.parse.quote(w)}&per_page={PER_PAGE}"
            for w, _n in fixtures["words"]
        ]
    return [
        f"{base}?postcode={urllib.parse.quote(p)}&proximity={PROXIMITY_M}&per_page={PER_PAGE}"
        for p, _n in fixtures["postcodes"]
    ]


# --- CPU accounting: the machine is shared, so say how busy it was with other work -----------
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _machine_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    total = sum(fields[:8])  # guest time is already counted in user
    return total - idle, total


def _process_jiffies(pids: list[int]) -> dict[int, int]:
    """CPU jiffies (user + system) used so far by each of these processes that still exists."""
    found = {}
    for pid in pids:
        try:
            # utime and stime are fields 14 and 15; the name (field 2) may contain spaces.
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            found[pid] = int(stat[11]) + int(stat[12])
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return found


def _used_since(before: dict[int, int], now: dict[int, int]) -> int:
    # A process that appeared meanwhile (a new database connection) counts from zero; one that
    # ended meanwhile is lost, so "other" errs on the high side.
    return sum(jiffies - before.get(pid, 0) for pid, jiffies in now.items())


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
            pass
    return found


class CpuMeter:
    """CPU used over a stretch of time: by the whole machine, by our processes, and by wrk.

    "other" is what the rest of the machine (other people's tests, builds) took meanwhile: a
    run with much "other" load measured a slower machine than it seems. `our_pids` lists the
    app's processes (gunicorn and its database backends); it is called at both ends.
    """

    def __init__(self, our_pids: Callable[[], list[int]]) -> None:
        self.our_pids = our_pids
        self.available = Path("/proc/stat").exists()
        self.cores: dict[str, float] = {}

    def __enter__(self) -> CpuMeter:
        if self.available:
            self._machine = _machine_jiffies()
            self._ours = _process_jiffies(self.our_pids())
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            self._children = usage.ru_utime + usage.ru_stime
            self._wall = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.available:
            return
        wall = time.monotonic() - self._wall
        busy, total = _machine_jiffies()
        cpus = os.cpu_count() or 1
        machine = (busy - self._machine[0]) / max(1, total - self._machine[1]) * cpus
        ours = _used_since(self._ours, _process_jiffies(self.our_pids())) / CLOCK_TICKS / wall
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once it has been waited for
        load = (usage.ru_utime + usage.ru_stime - self._children) / wall
        self.cores = {"machine": machine, "app+db": ours, "wrk": load,
                      "other": max(0.0, machine - ours - load)}  # fmt: skip


def wait_until_quiet(max_wait: float, our_pids: Callable[[], list[int]] = list) -> None:
    """Wait (up to max_wait s) until other work uses under a quarter of a core.

    The machine is shared with other work (test suites, builds); starting a run in the middle
    of someone's test run would measure their load as much as the feed. Our own processes
    (gunicorn finishing the requests queued when wrk stopped) do not count.
    """
    if not Path("/proc/stat").exists() or max_wait <= 0:
        return
    deadline = time.monotonic() + max_wait
    while True:
        with CpuMeter(our_pids) as meter:
            time.sleep(1)
        other = meter.cores["machine"] - meter.cores["app+db"]
        if other < 0.25:
            return
        if time.monotonic() > deadline:
            log(f"other work still uses {other:.2f} cores after {max_wait:g} s: measuring anyway")
            return
        log(f"other work is using {other:.2f} cores of the machine: waiting for it to stop")
        time.sleep(4)


def run_wrk(
    port: int,
    lua: Path,
    connections: int,
    duration: float,
    args: argparse.Namespace,
    our_pids: Callable[[], list[int]] = list,
) -> dict:
    command = [
        "wrk", f"-t{min(args.threads, connections)}", f"-c{connections}", f"-d{duration:g}s",
        f"--timeout={args.timeout}s", "-s", str(lua), f"http://127.0.0.1:{port}",
    ]  # fmt: skip
    with CpuMeter(our_pids) as meter:
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    for line in output.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line.removeprefix("RESULT "))
            break
    else:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    socket_errors = result["connect"] + result["read"] + result["write"] + result["timeout"]
    return {
        "connections": connections,
        "rps": result["requests"] / (result["duration_us"] / 1e6),
        "requests": result["requests"],
        "p50_ms": result["p50_us"] / 1000,
        "p95_ms": result["p95_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "errors": result["non2xx"] + socket_errors,
        "error_detail": {
            k: result[k] for k in ("non2xx", "connect", "read", "write", "timeout") if result[k]
        },
        "cpu": meter.cores,
    }


def app_pids(process: subprocess.Popen, case: Case, args: argparse.Namespace) -> list[int]:
    """gunicorn's processes and the PostgreSQL backends serving them (SQLite runs in-process)."""
    pids = [process.pid, *_children(process.pid)]
    if case.pg_name:
        rows = pg_admin(
            args.postgres_url, f"SELECT pid FROM pg_stat_activity WHERE datname = '{case.pg_name}'"
        )
        pids += [pid for (pid,) in rows]
    return pids


def warm_up(case: Case, port: int, lua: Path, distinct: int, args: argparse.Namespace) -> None:
    """Warm both workers on the endpoint about to be measured, with the same request rotation.

    Each worker's first requests import the views, load the postcode file, open its database
    connection and fill the database's caches. Runs until every request of the rotation has
    been asked for several times (so each worker has very likely seen each one) and for at
    least 2 s, or for at most 30 s.
    """
    started, requests = time.monotonic(), 0
    while True:
        requests += run_wrk(port, lua, 10, 2, args)["requests"]
        elapsed = time.monotonic() - started
        if requests >= 4 * distinct or elapsed >= 30:
            break
    log(f"{case.label}: warmed up with {requests} requests in {elapsed:.0f} s")


def load_test(case: Case, args: argparse.Namespace, fixtures: dict) -> list[dict]:
    port = args.port or free_port()
    results = []
    process = start_gunicorn(case, args, port)
    try:
        for endpoint in ENDPOINTS:
            paths = request_paths(endpoint, fixtures)
            lua = case.var_dir / f"wrk_{endpoint}.lua"
            lua.write_text(WRK_LUA % {"paths": ", ".join(json.dumps(p) for p in paths)})
            warm_up(case, port, lua, len(paths), args)
            for connections in args.connections:
                ours = functools.partial(app_pids, process, case, args)
                wait_until_quiet(args.quiet_wait, ours)
                log(f"{case.label}: wrk {endpoint}, {connections} connections, {args.duration:g} s")
                result = run_wrk(port, lua, connections, args.duration, args, ours)
                result.update(database=case.database, services=case.services, endpoint=endpoint)
                cpu = ", ".join(f"{k} {v:.2f}" for k, v in result["cpu"].items())
                log(
                    f"{case.label}: {result['rps']:.1f} req/s, p50 {result['p50_ms']:.1f} ms, "
                    f"p95 {result['p95_ms']:.1f} ms, errors {result['errors']} {result['error_detail'] or ''}"
                    f" (CPU cores busy: {cpu})"
                )
                results.append(result)
    finally:
        log(f"{case.label}: stopping gunicorn")
        stop_gunicorn(process)
    return results


# --- Child processes (Django set up for one database) ---------------------------------------
def run_child(case: Case, args: argparse.Namespace, task: str, payload: dict) -> dict:
    command = [sys.executable, __file__, "--child", task, json.dumps(payload)]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=app_environment(case, args.rate_limit),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    result = None
    for line in process.stdout:
        if line.startswith("RESULT "):
            result = json.loads(line.removeprefix("RESULT "))
        else:
            print(f"    {line.rstrip()}", flush=True)
    if process.wait() != 0 or result is None:
        raise RuntimeError(f"the {task} step failed (exit code {process.returncode})")
    return result


def child_main(task: str, payload: dict) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thedeal.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    result = {"fixtures": child_fixtures, "single": child_single}[task](payload)
    print("RESULT " + json.dumps(result), flush=True)


def child_fixtures(payload: dict) -> dict:
    """Search words and postcodes from the loaded data, with how many results each has."""
    import collections
    import re

    from thedeal import geography
    from thedeal.directory import queries
    from thedeal.directory.models import Service

    words = []
    for word in CANDIDATE_WORDS:
        count = queries.services(queries.Filters(search=word)).count()
        if count:
            words.append((word, count))
    if len(words) < 4:
        # The generator's vocabulary differs from the guesses: take its commonest name words.
        common = collections.Counter(
            w for name in Service.objects.values_list("name", flat=True)[:5000]
            for w in re.findall(r"[a-z]{5,}", name.lower())
        )  # fmt: skip
        for word, _ in common.most_common(8 - len(words)):
            words.append((word, queries.services(queries.Filters(search=word)).count()))
    rng = random.Random(payload["seed"])
    postcodes = []
    for postcode in rng.sample(geography.borough_postcodes(), POSTCODE_SAMPLE):
        near = queries.Near(postcode.easting, postcode.northing, PROXIMITY_M)
        postcodes.append(
            (postcode.postcode, queries.services_at_locations(queries.Filters(near=near)).count())
        )
    return {"words": words, "postcodes": postcodes}


# --- 4. Single client: the API beside raw SQL ----------------------------------------------
def _columns(kind: str, alias: str) -> str:
    """The HSDS columns the feed selects for a table (database columns have the same names)."""
    from thedeal.directory import hsds

    return ", ".join(f"{alias}.{column}" for column in hsds.table(kind).columns)


def _marks(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def _fetch_by(
    cursor, kind: str, table: str, column: str, ids: list, extra: str = "", *, ordered: bool = True
) -> list[tuple]:
    """Rows of a table whose `column` is one of `ids`, in id order (as the feed nests them)."""
    if not ids:
        return []
    cursor.execute(
        f"SELECT {_columns(kind, 't')} FROM {table} t WHERE t.{column} IN ({_marks(ids)}){extra}"
        + (" ORDER BY t.id" if ordered else ""),
        ids,
    )
    return cursor.fetchall()


def _index(kind: str, column: str) -> int:
    """Where a column is in the rows _fetch_by returns."""
    from thedeal.directory import hsds

    return hsds.table(kind).columns.index(column)


def raw_services(cursor, vendor: str, text: str) -> dict:
    """GET /services?search=text&per_page=10, by hand, as the feed answers a search on its own.

    One page of service ids from the search index alone (the same match; the same rank, ties in
    the index's order: rowid on SQLite, service id on PostgreSQL), those services (put in page
    order here), their organisations and programmes, then the count, from the index alone too.
    """
    import re

    terms = list(dict.fromkeys(word.lower() for word in re.findall(r"\w+", text)))
    if vendor == "postgresql":
        query = " ".join(terms)
        match = "FROM directory_service_search WHERE document @@ plainto_tsquery('english', %s)"
        cursor.execute(
            f"SELECT service_id {match} "
            "ORDER BY -ts_rank(document, plainto_tsquery('english', %s)), service_id LIMIT %s",
            [query, query, PER_PAGE],
        )
    else:
        # FTS5: each word quoted as a term, all of them required; bm25 with the feed's weights.
        query = " ".join(f'"{t}"' for t in terms)
        match = "FROM directory_service_search WHERE directory_service_search MATCH %s"
        cursor.execute(
            f"SELECT service_id {match} "
            "ORDER BY bm25(directory_service_search, 0.0, 10.0, 4.0, 1.0), rowid LIMIT %s",
            [query, PER_PAGE],
        )
    ids = [row[0] for row in cursor.fetchall()]
    found = {
        row[0]: row
        for row in _fetch_by(cursor, "service", "directory_service", "id", ids, ordered=False)
    }
    page = [found[i] for i in ids if i in found]
    org, program = _index("service", "organization_id"), _index("service", "program_id")
    organizations = _fetch_by(
        cursor,
        "organization",
        "directory_organization",
        "id",
        list({r[org] for r in page if r[org]}),
    )
    programs = _fetch_by(
        cursor, "program", "directory_program", "id", list({r[program] for r in page if r[program]})
    )
    total = 0
    if page:  # as the feed: an empty first page needs no count
        cursor.execute(f"SELECT count(*) {match}", [query])
        total = cursor.fetchone()[0]
    return {
        "total": total,
        "page": [r[0] for r in page],
        "organization": [r[0] for r in organizations],
        "program": [r[0] for r in programs],
    }


def raw_service_at_locations(
    cursor, vendor: str, postcode: str, within: float, *, organizations: bool
) -> dict:
    """GET /service_at_locations?postcode=..&proximity=..&per_page=10 by hand, as the feed does.

    The public physical places with services inside the box and then the circle, with their
    service counts (Location.service_count), nearest first (then by id); the total is the sum of
    the counts. The page is the services at the first few places, by place and then id (one
    query here, where the feed reads the ids and then the rows); then the page's places, their
    addresses and services (and the services' organisations, if the feed nests them).
    """
    from thedeal import geography

    point = geography.lookup_postcode(postcode)
    e, n = point.easting, point.northing
    box = geography.bounding_box(e, n, within)
    distance = "(l.easting - %s) * (l.easting - %s) + (l.northing - %s) * (l.northing - %s)"
    false = "false" if vendor == "postgresql" else "0"
    cursor.execute(
        f"SELECT {distance}, l.id, l.service_count FROM directory_location l "
        f"WHERE l.confidential = {false} AND l.location_type = 'physical' "
        "AND l.easting IS NOT NULL AND l.service_count > 0 "
        "AND l.easting >= %s AND l.northing >= %s AND l.easting <= %s AND l.northing <= %s "
        f"AND {distance} <= %s",
        [e, e, n, n, *box, e, e, n, n, within**2],
    )
    places = sorted(cursor.fetchall())  # (distance², id, services there)
    total = sum(count for _d, _id, count in places)
    chosen, reached = [], 0
    for _d, place, count in places:
        if reached >= PER_PAGE:
            break
        chosen.append(place)
        reached += count
    at_place: dict = {place: [] for place in chosen}
    for row in _fetch_by(
        cursor, "service_at_location", "directory_serviceatlocation", "location_id", chosen
    ):
        at_place[row[2]].append(row)  # id, service_id, location_id, description
    page = [row for place in chosen for row in at_place[place]][:PER_PAGE]
    locations = _fetch_by(
        cursor,
        "location",
        "directory_location",
        "id",
        list({r[2] for r in page}),
        f" AND t.confidential = {false}",
    )
    addresses = _fetch_by(
        cursor, "address", "directory_address", "location_id", [r[0] for r in locations]
    )
    services = _fetch_by(
        cursor, "service", "directory_service", "id", list({r[1] for r in page if r[1]})
    )
    result = {
        "total": total,
        "page": [r[0] for r in page],
        "location": [r[0] for r in locations],
        "address": [r[0] for r in addresses],
        "service": [r[0] for r in services],
    }
    if organizations:
        org = _index("service", "organization_id")
        orgs = _fetch_by(
            cursor,
            "organization",
            "directory_organization",
            "id",
            list({r[org] for r in services if r[org]}),
        )
        result["organization"] = [r[0] for r in orgs]
    return result


def api_ids(endpoint: str, document: dict) -> dict:
    """The same id lists, read from the feed's JSON, to check the raw SQL against."""
    contents = document["contents"]
    result = {"total": document["total_items"], "page": [c["id"] for c in contents]}
    if endpoint == "services":
        result["organization"] = [c["organization"]["id"] for c in contents if "organization" in c]
        result["program"] = [c["program"]["id"] for c in contents if "program" in c]
    else:
        result["location"] = [c["location"]["id"] for c in contents if "location" in c]
        result["address"] = [
            a["id"] for c in contents for a in c.get("location", {}).get("addresses", [])
        ]
        result["service"] = [c["service"]["id"] for c in contents if "service" in c]
        orgs = [
            c["service"]["organization"]["id"]
            for c in contents
            if "organization" in c.get("service", {})
        ]
        if orgs:
            result["organization"] = orgs
    return result


def _same(api: dict, raw: dict) -> list[str]:
    """Differences between the feed's ids and the raw SQL's (order matters only for the page)."""
    import uuid

    def norm(values: list) -> list[str]:
        return [uuid.UUID(str(v)).hex for v in values]

    problems = []
    if api["total"] != raw["total"]:
        problems.append(f"total {api['total']} != {raw['total']}")
    for key in api.keys() | raw.keys():
        if key == "total":
            continue
        a, r = norm(api.get(key, [])), norm(raw.get(key, []))
        if (a != r) if key == "page" else (set(a) != set(r)):
            problems.append(f"{key} ids differ")
    return problems


def child_single(payload: dict) -> dict:
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test import Client

    from thedeal.directory import hsds

    client = Client(HTTP_HOST="127.0.0.1")
    vendor = connection.vendor
    words = [w for w, _n in payload["fixtures"]["words"]]
    postcodes = [p for p, _n in payload["fixtures"]["postcodes"]]
    requests = payload["requests"]

    # Does the list of services at locations nest the services' organisations? Read from the
    # feed's own shape, so that the raw SQL fetches exactly what the response contains.
    sal_orgs = "organization" in hsds.SHAPES["service_at_location_list"].get("service", {})

    cases = {
        "services": (
            request_paths("services", payload["fixtures"]),
            [lambda cursor, w=w: raw_services(cursor, vendor, w) for w in words],
        ),
        "service_at_locations": (
            request_paths("service_at_locations", payload["fixtures"]),
            [
                lambda cursor, p=p: raw_service_at_locations(
                    cursor, vendor, p, PROXIMITY_M, organizations=sal_orgs
                )
                for p in postcodes
            ],
        ),
    }
    # The SQL the API runs, timed per request (execute only), to split API time into SQL
    # and Python.
    sql_times: list[float] = []
    sql_log: list[tuple[float, str]] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            sql_times.append(elapsed)
            sql_log.append((elapsed, sql))

    results = []
    for endpoint, (paths, raws) in cases.items():
        # Check the raw SQL is an honest equivalent: the same ids, in the same page order.
        mismatches = []
        for path, raw in zip(paths, raws, strict=True):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code, response.content[:300])
            with connection.cursor() as cursor:
                problems = _same(api_ids(endpoint, response.json()), raw(cursor))
            if problems:
                mismatches.append(f"{path}: {'; '.join(problems)}")

        api_ms, api_sql_ms, api_queries = [], [], []
        for i in range(requests + len(paths)):  # the first pass through the list warms up
            path = paths[i % len(paths)]
            sql_times.clear()
            with connection.execute_wrapper(timed):
                started = time.perf_counter()
                response = client.get(path)
                elapsed = time.perf_counter() - started
            assert response.status_code == 200
            if i >= len(paths):
                api_ms.append(elapsed * 1000)
                api_sql_ms.append(sum(sql_times) * 1000)
                api_queries.append(len(sql_times))

        raw_ms = []
        for i in range(requests + len(raws)):
            raw = raws[i % len(raws)]
            started = time.perf_counter()
            with connection.cursor() as cursor:
                raw(cursor)
            elapsed = time.perf_counter() - started
            if i >= len(raws):
                raw_ms.append(elapsed * 1000)

        result = {
            "endpoint": endpoint,
            "api_ms": statistics.median(api_ms),
            "api_sql_ms": statistics.median(api_sql_ms),
            "api_queries": statistics.median(api_queries),
            "raw_ms": statistics.median(raw_ms),
            "mismatches": mismatches,
            "checked": len(paths),
        }
        if payload["profile"]:
            # Where one request's time goes: each query of the API, then the Python profile.
            sql_log.clear()
            with connection.execute_wrapper(timed):
                client.get(paths[0])
            lines = [f"  {ms * 1000:7.2f} ms  {' '.join(sql.split())[:160]}" for ms, sql in sql_log]
            profiler = cProfile.Profile()
            profiler.enable()
            for i in range(20):
                client.get(paths[i % len(paths)])
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
            result["profile"] = (
                f"queries of {paths[0]}:\n" + "\n".join(lines) + "\n" + out.getvalue()
            )
        results.append(result)
    return {"single": results}


# --- Reporting -----------------------------------------------------------------------------
def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def load_table(cases: list[Case]) -> str:
    lines = ["Building the databases (migrate + load_demo):",
             f"  {'database':<9}{'services':>9}  {'migrate':>9}{'load_demo':>11}{'vacuum':>9}"
             f"  {'random_page_cost':<18}note"]  # fmt: skip
    for c in cases:
        s = c.load_seconds
        vacuum = f"{s['vacuum']:.1f} s" if "vacuum" in s else "-"
        lines.append(
            f"  {c.database:<9}{c.services:>9,}  {s.get('migrate', 0):>7.1f} s{s.get('load_demo', 0):>9.1f} s"
            f"{vacuum:>9}  {c.random_page_cost:<18}"
            f"{'reused (--keep): times from when it was built' if c.reused else ''}"
        )
    return "\n".join(lines)


def wrk_table(results: list[dict], misses: list[str]) -> str:
    lines = [
        f"Load (wrk, {PER_PAGE} per page; services?search=<word>, "
        f"service_at_locations?postcode=<postcode>&proximity={PROXIMITY_M}):",
        f"  {'database':<9}{'services':>9}  {'endpoint':<21}{'conns':>6}{'req/s':>9}{'p50 ms':>9}"
        f"{'p95 ms':>9}{'errors':>8}{'other CPU':>10}  targets",
    ]
    for r in results:
        checks = []
        if r["services"] >= TARGET_SERVICES:
            name = f"{r['database']} {r['services']:,} {r['endpoint']} at {r['connections']} connections"
            if r["connections"] == 10:
                checks.append(f"req/s>={TARGET_RPS_10:g} {verdict(r['rps'] >= TARGET_RPS_10)}")
                checks.append(
                    f"p95<={TARGET_P95_10_MS:g}ms {verdict(r['p95_ms'] <= TARGET_P95_10_MS)}"
                )
                if r["rps"] < TARGET_RPS_10:
                    misses.append(f"{name}: {r['rps']:.1f} req/s < {TARGET_RPS_10:g}")
                if r["p95_ms"] > TARGET_P95_10_MS:
                    misses.append(f"{name}: p95 {r['p95_ms']:.1f} ms > {TARGET_P95_10_MS:g} ms")
            if r["connections"] == 50:
                checks.append(f"errors=0 {verdict(r['errors'] == 0)}")
                if r["errors"]:
                    misses.append(f"{name}: {r['errors']} errors {r['error_detail']}")
        lines.append(
            f"  {r['database']:<9}{r['services']:>9,}  {r['endpoint']:<21}{r['connections']:>6}"
            f"{r['rps']:>9.1f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}{r['errors']:>8}"
            f"{r['cpu'].get('other', float('nan')):>10.2f}  {', '.join(checks)}"
        )
    lines.append(
        f"  other CPU: cores (of the machine's {os.cpu_count()}) busy with work other than gunicorn, "
        "its database and wrk during the run"
    )
    return "\n".join(lines)


def single_table(results: list[dict], misses: list[str]) -> str:
    lines = [
        "Single client (median of warm requests; API through Django's test client, raw SQL through "
        "the same connection):",
        f"  {'database':<9}{'services':>9}  {'endpoint':<21}{'API ms':>8}{'(SQL ms':>9}{' queries)':>9}"
        f"{'raw ms':>8}{'ratio':>7}{'same rows':>11}  target",
    ]
    for r in results:
        ratio = r["api_ms"] / r["raw_ms"]
        check = ""
        if r["services"] >= TARGET_SERVICES:
            check = f"ratio<={TARGET_RATIO:g} {verdict(ratio <= TARGET_RATIO)}"
            if ratio > TARGET_RATIO:
                misses.append(
                    f"{r['database']} {r['services']:,} {r['endpoint']}: API {r['api_ms']:.1f} ms is "
                    f"{ratio:.1f} x raw SQL {r['raw_ms']:.1f} ms"
                )
        if r["mismatches"]:
            check += f"  RAW SQL DIFFERS: {r['mismatches'][:3]}"
        same = f"{r['checked'] - len(r['mismatches'])}/{r['checked']}"
        lines.append(
            f"  {r['database']:<9}{r['services']:>9,}  {r['endpoint']:<21}{r['api_ms']:>8.2f}"
            f"{r['api_sql_ms']:>9.2f}{r['api_queries']:>9g}{r['raw_ms']:>8.2f}{ratio:>7.1f}"
            f"{same:>11}  {check}"
        )
    lines.append(
        "  SQL ms: time the API's own queries took inside it; same rows: queries whose raw SQL "
        "returned the same ids as the API's JSON (page order included)"
    )
    return "\n".join(lines)


# --- The driver ----------------------------------------------------------------------------
def _page_cost(value: str) -> float | None:
    if value.strip().lower() in ("none", "0", "0.0", ""):
        return None
    cost = float(value)
    if not 0 < cost < 1000:
        raise argparse.ArgumentTypeError(f"not a plausible random_page_cost: {value}")
    return cost


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, nargs="+", default=[1500, 50_000])
    parser.add_argument(
        "--databases", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument(
        "--duration", type=float, default=10, help="seconds of wrk per case (default 10)"
    )
    parser.add_argument("--connections", type=int, nargs="+", default=[10, 50])
    parser.add_argument(
        "--threads", type=int, default=2, help="wrk threads (default 2: the machine's cores)"
    )
    parser.add_argument(
        "--timeout", type=float, default=5, help="wrk's request timeout in s (default 5)"
    )
    parser.add_argument(
        "--requests", type=int, default=50, help="single-client requests per query (default 50)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--port", type=int, default=0, help="gunicorn's port (default: any free one)"
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
    )
    # Far above any load here, so nothing is refused; the throttle counts in two fixed windows
    # (one cache key per client and window), which costs the same per request whatever the limit.
    parser.add_argument(
        "--rate-limit", default="100000000/min", help="DIRECTORY_API_RATE_LIMIT while serving"
    )
    parser.add_argument(
        "--pg-random-page-cost",
        type=_page_cost,
        default=1.1,
        help="random_page_cost set on the PostgreSQL bench database after VACUUM ANALYZE "
        "(default 1.1, PostgreSQL's suggestion for SSDs; 0 or none: the server's setting)",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=60,
        help="before each wrk run, wait up to this many s for other work on the machine to stop (0: don't)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the databases and reuse them next time"
    )
    parser.add_argument("--workdir", type=Path, help="where databases and logs go (default: a temp dir; "
                        "/tmp/thedeal_bench with --keep)")  # fmt: skip
    parser.add_argument(
        "--profile", action="store_true", help="print each query and a cProfile of the API"
    )
    return parser.parse_args()


def main() -> int:
    if len(sys.argv) >= 2 and sys.argv[1] == "--child":
        child_main(sys.argv[2], json.loads(sys.argv[3]))
        return 0
    args = parse_args()
    if shutil.which("wrk") is None:
        print(
            "wrk is not installed. Install it with:\n\n    apt-get install -y wrk   (as root, or with sudo)\n",
            file=sys.stderr,
        )
        return 2
    if not (BIN / "gunicorn").exists():
        print(f"{BIN / 'gunicorn'} is missing: run `make install` first.", file=sys.stderr)
        return 2
    # A SIGTERM (e.g. from a CI timeout) must still stop gunicorn and drop the databases.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    workdir = args.workdir or (
        Path(tempfile.gettempdir()) / "thedeal_bench"
        if args.keep
        else Path(tempfile.mkdtemp(prefix="thedeal_bench_"))
    )
    workdir.mkdir(parents=True, exist_ok=True)
    log(f"working in {workdir}; wrk {args.duration:g} s per case at {args.connections} connections")

    cases, wrk_results, single_results, misses = [], [], [], []
    created_pg: list[str] = []
    try:
        for database in args.databases:
            for size in args.services:
                var_dir = workdir / f"{database}-{size}-seed{args.seed}"
                if database == "sqlite":
                    case = Case(database, size, var_dir, f"sqlite:///{var_dir / 'thedeal.sqlite3'}")
                else:
                    name = f"thedeal_bench_{size}_seed{args.seed}"
                    case = Case(
                        database, size, var_dir, f"{args.postgres_url}/{name}", pg_name=name
                    )
                    created_pg.append(name)
                cases.append(case)
                build(case, args)

                fixtures = run_child(case, args, "fixtures", {"seed": args.seed})
                log(f"{case.label}: search words (matching services): {fixtures['words']}")
                counts = [n for _p, n in fixtures["postcodes"]]
                log(
                    f"{case.label}: {len(counts)} postcodes; services at locations within {PROXIMITY_M} m: "
                    f"median {statistics.median(counts):g}, min {min(counts)}, max {max(counts)}"
                )

                wrk_results += load_test(case, args, fixtures)

                wait_until_quiet(args.quiet_wait)
                log(f"{case.label}: single client, {args.requests} warm requests per query")
                single = run_child(
                    case, args, "single",
                    {"fixtures": fixtures, "requests": args.requests, "profile": args.profile},
                )["single"]  # fmt: skip
                for r in single:
                    r.update(database=database, services=size)
                    log(
                        f"{case.label}: {r['endpoint']}: API {r['api_ms']:.2f} ms "
                        f"(SQL {r['api_sql_ms']:.2f} ms in {r['api_queries']:g} queries), raw SQL {r['raw_ms']:.2f} ms"
                    )
                    if r.get("profile"):
                        print(textwrap.indent(r.pop("profile"), "    "), flush=True)
                single_results += single
    finally:
        if not args.keep:
            for name in created_pg:
                log(f"dropping PostgreSQL database {name}")
                try:
                    pg_drop(args.postgres_url, name)
                except Exception as error:  # noqa: BLE001  (report, and keep tearing down)
                    print(f"could not drop {name}: {error}", file=sys.stderr)
            if args.workdir is None:
                shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(load_table(cases))
    print()
    print(wrk_table(wrk_results, misses))
    print()
    print(single_table(single_results, misses))
    print()
    print(
        f"Targets (with {TARGET_SERVICES:,} services): {'all met' if not misses else f'{len(misses)} missed'}"
    )
    for miss in misses:
        print(f"  MISS {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
