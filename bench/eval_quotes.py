"""Score `extract_quotes` on PolNeAR dev and time it on CNN/DM; write the README table.

usage: python -m bench.eval_quotes

Reads ../shared/eval (next to the repository) and exits 0 with a message when it is
absent. The metric is the shared `quote_score.py`, imported as is. The baseline is
a plain regex: every span in double marks, the speaker the capitalized word right
after it when a speech verb follows.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

from bench.common import EVAL, eval_missing, load_jsonl, median_ms, write_readme_section
from summarizer.quotes import extract_quotes

COMMAND = "python -m bench.eval_quotes"
BASELINE = re.compile(r"[\"“]([^\"“”]+)[\"”](?:,? (?:said )?([A-Z]\w+)(?= said| says)?)?")

Prediction = list[tuple[str, str | None]]


def predict(text: str) -> Prediction:
    """The system: quote text and speaker of every extracted quote."""
    return [(q.text, q.speaker) for q in extract_quotes(text)]


def baseline(text: str) -> Prediction:
    """Plain regex: spans in double marks; a capitalized word after one as speaker."""
    return [(m.group(1), m.group(2)) for m in BASELINE.finditer(text)]


def load_metric(folder: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("quote_score", folder / "quote_score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def main() -> int:
    if eval_missing("quote_score.py", "polnear-dev.jsonl", "cnndm-dev.jsonl"):
        return 0
    metric = load_metric(EVAL)
    rows = load_jsonl(EVAL / "polnear-dev.jsonl")
    system = metric.score(rows, predict)
    base = metric.score(rows, baseline)
    ms = median_ms(extract_quotes, [r["text"] for r in load_jsonl(EVAL / "cnndm-dev.jsonl")])
    body = table(system, base, ms, len(rows))
    print(body)
    write_readme_section("quotes", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
