"""Run every benchmark, each in its own process (so each peak-memory figure is its own).

usage: python -m bench.run_all [--quick]

`make bench` runs this. Each benchmark prints its own table; this prints them in turn
and, at the end, which ones failed or ran out of time. --quick runs smaller sizes (for a
smoke test; the figures then do not answer the targets).
"""

from __future__ import annotations

import subprocess
import sys
import time

from bench.common import ROOT
from bench.timing import bench_parser, machine_load

# (module, arguments with --quick, time limit in seconds); without --quick, no arguments
BENCHMARKS: list[tuple[str, list[str], float]] = [
    ("bench_summarizer", [], 600),
    ("bench_quotes", [], 600),
    ("bench_ingest", ["--articles", "100"], 600),
    ("bench_bot", ["--articles", "1000", "--calls", "100"], 900),
    ("bench_digests", ["--runs", "1", "--subscribers", "1000"], 1800),
    ("bench_feeds", ["--runs", "1", "--feeds", "10", "--baseline-feeds", "2"], 900),
]


def main() -> None:
    parser = bench_parser("run_all", __doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    args = parser.parse_args()
    print(f"run_all: {machine_load()}", flush=True)
    failed = []
    for module, quick, limit in BENCHMARKS:
        command = [sys.executable, "-m", f"bench.{module}", *(quick if args.quick else [])]
        print(f"\n=== {' '.join(command[1:])}", flush=True)
        started = time.perf_counter()
        try:
            result = subprocess.run(command, cwd=ROOT, timeout=limit, check=False)
            if result.returncode:
                failed.append(f"{module} (exit {result.returncode})")
        except subprocess.TimeoutExpired:
            failed.append(f"{module} (over {limit:g} s)")
        print(f"=== {module}: {time.perf_counter() - started:.0f} s", flush=True)
    print(
        f"\nrun_all: {machine_load()}; "
        + (f"FAILED: {', '.join(failed)}" if failed else "all ran")
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
