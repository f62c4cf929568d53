"""What the evaluation and benchmark commands share: the data folder, JSONL, README
sections and timing.

The evaluation data lives in ../shared/eval, next to the repository, not in it;
every command skips with a message when it is absent. A command's results go into
README.md between `<!-- eval:NAME -->` and `<!-- /eval:NAME -->`, and nowhere else.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / ".." / "shared" / "eval"
README = ROOT / "README.md"


def eval_missing(*files: str) -> bool:
    """Tell whether ../shared/eval (or one of `files` in it) is missing, saying so if it is."""
    missing = [EVAL / name for name in files if not (EVAL / name).exists()]
    if not EVAL.is_dir() or missing:
        print(f"skipped: no evaluation data at {(missing or [EVAL])[0].resolve()}")
        return True
    return False


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Read one JSON object a line, skipping blank lines."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_readme_section(name: str, body: str, readme: Path = README) -> bool:
    """Replace what README.md has between the `eval:NAME` markers with `body`.

    Returns:
        False, after saying so, when the README lacks the markers; it is left alone.
    """
    begin, end = f"<!-- eval:{name} -->", f"<!-- /eval:{name} -->"
    text = readme.read_text(encoding="utf-8")
    head, found_begin, rest = text.partition(begin)
    _, found_end, tail = rest.partition(end)
    if not found_begin or not found_end:
        print(f"{readme.name} has no {begin} ... {end} section; nothing written")
        return False
    readme.write_text(f"{head}{begin}\n{body}\n{end}{tail}", encoding="utf-8")
    return True


def best_ms(run: Callable[[], object], repeats: int) -> float:
    """The fastest of `repeats` wall times of `run()`, in milliseconds.

    The minimum, because other load on the machine only ever adds time.
    """
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def median_ms(run: Callable[[str], object], texts: Iterable[str], repeats: int = 3) -> float:
    """Median over texts of the best of `repeats` wall times of `run(text)`, in ms.

    Call `run` on a few texts first when it has caches to warm or imports to do.
    """
    return statistics.median(best_ms(partial(run, text), repeats) for text in texts)
