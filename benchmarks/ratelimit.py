"""How many requests get past a rate limit: the ORUK feed under gunicorn, as an attacker sees it.

Serves a fresh (empty) directory with gunicorn (4 workers, DEBUG off, the production settings)
and DIRECTORY_API_RATE_LIMIT at --limit, on the file cache or on Redis, then fires at
/api/directory/taxonomies and prints how many requests were answered 200 in each case:

1. one client, --requests requests from --threads threads at once (concurrency);
2. one client, every request with a different X-Forwarded-For header (a walk-around);
3. one client, --requests requests spread over the 4 seconds around the turn of a minute (the
   moment a fixed window resets);
4. with NUM_PROXIES=1 (a TLS proxy in front): the header's last hop is the client, so requests
   from many clients through the proxy each get their own limit, and a forged earlier hop does
   not help.

With a limit of L per minute, a sound limiter passes at most L in cases 1 to 3 and in each
client of case 4. Run from the repository root (Redis on database 2 unless told otherwise):

    .venv/bin/python benchmarks/ratelimit.py [--cache file redis] [--requests 100]
        [--threads 20] [--limit 30] [--port 8011] [--redis-url redis://127.0.0.1:6379/2]

Only the keys this benchmark's server writes (the cache's rate-limit keys) are removed from
Redis between cases; nothing else in the database is touched.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"
PATH = "/api/directory/taxonomies"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def environment(var_dir: Path, args: argparse.Namespace, cache: str, proxies: int | None):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("THEDEAL_ENV_FILE", "REDIS_URL", "NUM_PROXIES", "DATABASE_URL")
    }
    env.update(
        # Imports this checkout's code, whatever the virtualenv's own install points at.
        PYTHONPATH=str(REPO),
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        THEDEAL_VAR_DIR=str(var_dir),
        DIRECTORY_API_RATE_LIMIT=f"{args.limit}/min",
        LOG_LEVEL="WARNING",
    )
    if cache == "redis":
        env["REDIS_URL"] = args.redis_url
    if proxies is not None:
        env["NUM_PROXIES"] = str(proxies)
    return env


def forget_counts(var_dir: Path, cache: str, redis_url: str) -> None:
    """Empty the rate-limit counters, so that each case starts with a fresh allowance."""
    if cache == "file":
        shutil.rmtree(var_dir / "cache", ignore_errors=True)
        return
    import redis

    client = redis.Redis.from_url(redis_url)
    # This benchmark's keys only.
    for pattern in (":1:ratelimit:*", ":1:throttle:*", ":1:benchmark-cost-*"):
        keys = list(client.scan_iter(match=pattern, count=1000))
        if keys:
            client.delete(*keys)


class Server:
    def __init__(self, var_dir: Path, env: dict[str, str], port: int):
        self.log_path = var_dir / "gunicorn.log"
        command = [
            str(PYTHON), "-m", "gunicorn", "thedeal.wsgi:application", "-w", "4",
            "-b", f"127.0.0.1:{port}", "--error-logfile", str(self.log_path),
        ]  # fmt: skip
        # Its own session, so that it (and only it) can be stopped as a group.
        self.process = subprocess.Popen(
            command, cwd=REPO, env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{port}"
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                tail = self.log_path.read_text()[-3000:] if self.log_path.exists() else ""
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{tail}")
            try:
                with urllib.request.urlopen(self.request("/api/directory/"), timeout=30):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def request(self, path: str, headers: dict[str, str] | None = None) -> urllib.request.Request:
        # As the TLS proxy says: the request reached it over HTTPS (else DEBUG off redirects).
        return urllib.request.Request(
            self.url + path, headers={"X-Forwarded-Proto": "https", **(headers or {})}
        )

    def status(self, headers: dict[str, str] | None = None) -> int:
        try:
            with urllib.request.urlopen(self.request(PATH, headers), timeout=30) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def fire(server: Server, headers: list[dict[str, str]], threads: int) -> list[int]:
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(server.status, headers))


def around_the_turn(server: Server, n: int, threads: int) -> list[int]:
    """n requests evenly over the 2 seconds before and the 2 seconds after a minute turns."""
    now = time.time()
    start = (now // 60 + 1) * 60 - 2
    if start - now < 1:
        start += 60
    log(f"  waiting {start - now:.0f} s for the turn of a minute")
    time.sleep(start - now)

    def timed(i: int) -> int:
        time.sleep(max(0.0, start + 4 * i / n - time.time()))
        return server.status()

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(timed, range(n)))


def passed(statuses: list[int]) -> str:
    others = sorted({s for s in statuses if s not in (200, 429)})
    extra = f" (other statuses: {others})" if others else ""
    return f"{statuses.count(200):>4} of {len(statuses)} answered 200{extra}"


def run(cache: str, args: argparse.Namespace) -> None:
    n, threads = args.requests, args.threads
    var_dir = Path(tempfile.mkdtemp(prefix="ratelimit-bench-"))
    try:
        env = environment(var_dir, args, cache, proxies=None)
        subprocess.run(
            [str(PYTHON), "-m", "thedeal", "migrate", "--no-input", "-v", "0"],
            cwd=REPO, env=env, check=True,
        )  # fmt: skip
        print(f"\n{cache} cache, limit {args.limit}/min, gunicorn 4 workers")
        server = Server(var_dir, env, args.port)
        try:
            forget_counts(var_dir, cache, args.redis_url)
            statuses = fire(server, [{}] * n, threads)
            print(f"  1. one client, {n} requests from {threads} threads:  {passed(statuses)}")

            forget_counts(var_dir, cache, args.redis_url)
            forged = [{"X-Forwarded-For": f"198.51.100.{i % 250 + 1}"} for i in range(n)]
            statuses = fire(server, forged, threads)
            print(f"  2. one client, a different X-Forwarded-For each:  {passed(statuses)}")

            forget_counts(var_dir, cache, args.redis_url)
            statuses = around_the_turn(server, n, threads)
            print(f"  3. one client, {n} requests over 4 s around the turn of a minute:  "
                  f"{passed(statuses)}")  # fmt: skip
        finally:
            server.stop()

        env = environment(var_dir, args, cache, proxies=1)
        server = Server(var_dir, env, args.port)
        try:
            forget_counts(var_dir, cache, args.redis_url)
            clients = 3
            # Each client forges an earlier hop; the proxy appends the address it saw.
            headers = [
                {"X-Forwarded-For": f"203.0.113.{i % 250 + 1}, 192.0.2.{i % clients + 1}"}
                for i in range(n * clients)
            ]
            statuses = fire(server, headers, threads)
            per_client = [
                [s for s, h in zip(statuses, headers, strict=True) if h["X-Forwarded-For"]
                 .endswith(f" 192.0.2.{c + 1}")]
                for c in range(clients)
            ]  # fmt: skip
            print(f"  4. NUM_PROXIES=1, {clients} clients behind the proxy, {n} requests each, "
                  "each with a forged first hop:")  # fmt: skip
            for c, got in enumerate(per_client):
                print(f"       client 192.0.2.{c + 1}: {passed(got)}")
        finally:
            server.stop()
            forget_counts(var_dir, cache, args.redis_url)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


COST_CHILD = """
import os, time, django
django.setup()
from django.test import RequestFactory
from thedeal.web import ratelimit
N = int(os.environ["BENCH_COUNTS"])
limit = ratelimit.Limit("benchmark-cost", "100000000/min")
requests = [RequestFactory().get("/", REMOTE_ADDR=f"192.0.2.{n % 250 + 1}") for n in range(N)]
limit.hit(requests[0])
start = time.perf_counter()
for request in requests:
    assert limit.hit(request).allowed
counted = (time.perf_counter() - start) / N * 1e6
# For comparison, what the feed's old throttle did per request: one read and one write.
from django.core.cache import cache
start = time.perf_counter()
for n in range(N):
    cache.set(f"benchmark-cost-{n % 250}", cache.get(f"benchmark-cost-{n % 250}", 0) + 1, 60)
print(f"{counted:.0f} µs to count one request (a cache read and write: "
      f"{(time.perf_counter() - start) / N * 1e6:.0f} µs)")
"""


def cost_of_a_count(cache: str, args: argparse.Namespace, n: int = 3000) -> str:
    """Microseconds per counted request, one thread, in a process set up like the server."""
    var_dir = Path(tempfile.mkdtemp(prefix="ratelimit-cost-"))
    try:
        env = environment(var_dir, args, cache, proxies=None)
        env.update(DJANGO_SETTINGS_MODULE="thedeal.settings", BENCH_COUNTS=str(n))
        result = subprocess.run(
            [str(PYTHON), "-c", COST_CHILD],
            cwd=REPO, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        return result.stdout.strip()
    finally:
        forget_counts(var_dir, cache, args.redis_url)
        shutil.rmtree(var_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", nargs="+", choices=["file", "redis"], default=["file", "redis"])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--threads", type=int, default=20)
    parser.add_argument("--limit", type=int, default=30, help="requests per minute")
    parser.add_argument("--port", type=int, default=8011)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/2")
    parser.add_argument("--no-cost", action="store_true", help="skip timing one count")
    args = parser.parse_args()
    for cache in args.cache:
        run(cache, args)
    if not args.no_cost:
        print()
        for cache in args.cache:
            print(f"{cache} cache, one thread: {cost_of_a_count(cache, args)}")


if __name__ == "__main__":
    main()
