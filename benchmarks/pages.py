"""How fast the resident-facing pages are, and how much a first visit downloads.

    .venv/bin/python benchmarks/pages.py [--services 1500] [--clients 10] [--duration 15]

Builds the demo borough (1,500 services by default: its real size) in a scratch SQLite database,
serves it with gunicorn under production settings (DEBUG off, compressed static files), and
measures from 10 concurrent clients:
- the p50 and p95 response time of the search results page (words and a postcode) and of a
  service page (a different service each time);
- the bytes a first visit transfers, as served (compressed): the HTML and every stylesheet and
  script it loads, map tiles excepted (a tile server is configured, so Leaflet is counted).
Targets: p95 at most 100 ms; at most 300 KB on a first visit.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
# The directory benchmark's wrk script and runner: wrk (in C) leaves the two cores to the server.
from directory_api import WRK_LUA, run_wrk  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(var: Path) -> dict[str, str]:
    env_file = var / "benchmark.env"
    env_file.write_text("")
    return {
        **os.environ,
        "THEDEAL_ENV_FILE": str(env_file),
        "THEDEAL_VAR_DIR": str(var),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "COUNCIL_NAME": "Wigan Council",
        "COUNCIL_SHORT_NAME": "Wigan",
        "MAP_TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "MAP_TILE_ATTRIBUTION": "© OpenStreetMap contributors",
    }


def run(env, *args):
    subprocess.run([str(BIN / "thedeal"), *args], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def get(port: int, path: str, connection=None, encoding="br, gzip"):
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Accept-Encoding": encoding})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")
    return response, body


def first_visit_bytes(port: int, path: str) -> tuple[int, dict[str, int]]:
    """The compressed bytes of the page and of each stylesheet and script it loads."""
    response, body = get(port, path)
    html = body
    if response.getheader("Content-Encoding") == "gzip":
        import gzip

        html = gzip.decompress(body)
    parts = {"HTML": len(body)}
    text = html.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
    assets += re.findall(r'<script[^>]+src="([^"]+)"', text)
    modules = set(re.findall(r'<script type="module" src="([^"]+)"', text))
    # The site's module imports GOV.UK Frontend's module: a browser fetches that too.
    for asset in assets:
        _, data = get(port, asset)
        parts[asset] = len(data)
        if asset in modules:
            # A module's imports are fetched too (site.js imports GOV.UK Frontend's module),
            # resolved against the module's own address, as a browser does.
            _, source = get(port, asset, encoding="identity")
            for name in re.findall(r'from\s*"([^"]+)"', source.decode("utf-8", "replace")):
                target = os.path.normpath(os.path.join(os.path.dirname(asset), name))
                _, imported = get(port, target)
                parts[target] = len(imported)
    return sum(parts.values()), parts


def load(port: int, paths: list[str], name: str, var: Path, args) -> dict:
    """wrk with `args.clients` connections for `args.duration` seconds over these paths."""
    lua = var / f"wrk_{name}.lua"
    lua.write_text(WRK_LUA % {"paths": ", ".join(f'"{p}"' for p in paths)})
    return run_wrk(port, lua, args.clients, args.duration, args)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=1500)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--duration", type=float, default=15, help="seconds of wrk per page")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--timeout", type=float, default=10, help="wrk's request timeout, s")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        var = Path(scratch)
        env = environment(var)
        print(f"Building the demo borough ({args.services:,} services)...", flush=True)
        run(env, "migrate", "--no-input")
        run(env, "load_demo", "--services", str(args.services))
        run(env, "collectstatic", "--no-input")
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "thedeal.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--access-logfile", "/dev/null"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    get(port, "/")
                    break
                except (ConnectionError, OSError, RuntimeError):
                    time.sleep(0.2)
            _, listing = get(port, "/services/?q=walk", encoding="identity")
            services = sorted(
                set(re.findall(r'href="(/services/[0-9a-f-]{36}/)"', listing.decode()))
            )
            searches = [f"/services/?q={q}&postcode={p}"
                        for q in ("walk", "stop+smoking", "swimming", "coffee", "debt+advice")
                        for p in ("WN1+1AA", "WN3+4EU", "WN7+1AA")]  # fmt: skip
            _, page = get(port, "/services/?postcode=WN1+1AA&page=3", encoding="identity")
            services += re.findall(r'href="(/services/[0-9a-f-]{36}/)"', page.decode())
            services = sorted(set(services))
            # Warm up each worker.
            load(
                port,
                searches + services,
                "warm",
                var,
                argparse.Namespace(**{**vars(args), "duration": 3}),
            )
            print(f"gunicorn, {args.workers} workers; wrk, {args.clients} connections, "
                  f"{args.duration:g} s a page", flush=True)  # fmt: skip
            for name, paths in (("search results (words + postcode)", searches),
                                ("service page", services)):  # fmt: skip
                result = load(port, paths, name.split()[0], var, args)
                print(f"{name:<36} p50 {result['p50_ms']:6.1f} ms   p95 {result['p95_ms']:6.1f} ms"
                      f"   {result['rps']:6.1f} req/s   errors {result['errors']}")  # fmt: skip
            for name, path in (("search results, first visit", searches[0]),
                               ("service page, first visit", services[0])):  # fmt: skip
                total, parts = first_visit_bytes(port, path)
                detail = ", ".join(f"{Path(k).name or k} {v / 1024:.1f}" for k, v in parts.items())
                print(f"{name:<36} {total / 1024:6.1f} KB transferred ({detail} KB)")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
