"""Score `extract_quotes` on PolNeAR dev and time it on CNN/DM; write the README table.

usage: python -m bench.eval_quotes

Reads ../shared/eval (next to the repository) and exits 0 with a message when it is
absent. The metric is the shared `quote_score.py`, imported as is. The baseline is
a plain regex: every span in double marks, the speaker the capitalized word right
after it when a speech verb follows.
"""

from __future__ import annotations

import importlib.util
import json
import re
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from summarizer.quotes import extract_quotes

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / ".." / "shared" / "eval"
README = ROOT / "README.md"
BEGIN, END = "<!-- eval:quotes -->", "<!-- /eval:quotes -->"
COMMAND = "python -m bench.eval_quotes"
BASELINE = re.compile(r"[\"“]([^\"“”]+)[\"”](?:,? (?:said )?([A-Z]\w+)(?= said| says)?)?")

Prediction = list[tuple[str, str | None]]


def predict(text: str) -> Prediction:
    """The system: quote text and speaker of every extracted quote."""
    return [(q.text, q.speaker) for q in extract_quotes(text)]


def baseline(text: str) -> Prediction:
    """Plain regex: spans in double marks; a capitalized word after one as speaker."""
    return [(m.group(1), m.group(2)) for m in BASELINE.finditer(text)]


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_metric(folder: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("quote_score", folder / "quote_score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def median_ms(texts: list[str]) -> float:
    """Median wall time of `extract_quotes` per text, best of three runs each."""
    times = []
    for text in texts:
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            extract_quotes(text)
            best = min(best, time.perf_counter() - t0)
        times.append(best * 1000)
    return statistics.median(times)


def row(name: str, s: dict[str, float], ms: str) -> str:
    return (
        f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} "
        f"| {s['speaker_accuracy']:.3f} | {ms} |"
    )


def table(system: dict[str, float], base: dict[str, float], ms: float, n: int) -> str:
    return "\n".join(
        [
            f"PolNeAR dev ({n} articles, {int(system['gold'])} gold quotes), metric "
            "`../shared/eval/quote_score.py`; speed: median over `cnndm-dev.jsonl`.",
            "",
            "| system | precision | recall | F1 | speaker accuracy | ms/article (CNN/DM) |",
            "|---|---|---|---|---|---|",
            row("`extract_quotes` (rules)", system, f"{ms:.2f}"),
            row("plain regex baseline", base, "-"),
            "",
            f"Made by `{COMMAND}` from the repository root.",
        ]
    )


def write_readme(body: str) -> None:
    text = README.read_text(encoding="utf-8")
    head, sep, rest = text.partition(BEGIN)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        print(f"README.md has no {BEGIN} ... {END} section; table not written")
        return
    README.write_text(f"{head}{BEGIN}\n{body}\n{END}{tail}", encoding="utf-8")


def main() -> int:
    if not (EVAL / "quote_score.py").exists():
        print(f"skipped: {EVAL.resolve()} not found (the shared evaluation data)")
        return 0
    metric = load_metric(EVAL)
    rows = load(EVAL / "polnear-dev.jsonl")
    system = metric.score(rows, predict)
    base = metric.score(rows, baseline)
    ms = median_ms([r["text"] for r in load(EVAL / "cnndm-dev.jsonl")])
    body = table(system, base, ms, len(rows))
    print(body)
    write_readme(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
