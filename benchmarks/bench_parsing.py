"""Refusing hostile uploads (issue 11): each refusal timed against baselines measured in the same run.

Run: ``.venv/bin/python benchmarks/bench_parsing.py [--repeat N]``

For each hostile input it prints the median time the reader takes to refuse it
and two ratios:
* ÷ libyaml — ``yaml.load(same text, Loader=yaml.CSafeLoader)``: a bare C load
  of the same bytes, with none of the checks (below 1 means the refusal stops
  early, before the whole file is parsed);
* ÷ json    — ``json.loads`` of a benign JSON list of numbers of the same size.
A benign file (the shipped model_change.yaml) shows what the checks cost on
input that passes. Before this change the first three rows took 37.6 s,
37–48 s and 134 s of CPU (issue 11).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment.problems import InputError
from assessment.rubrics import DEFAULT_RUBRICS, files_from_zip, load_rubric_sources
from assessment.safe_yaml import read_document
from tests.hostile import hostile_zip, long_flow_list, unknown_keys


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with contextlib.suppress(InputError):
            action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def refuses(action: Callable[[], object]) -> str:
    """The first problem the action is refused with (a benchmark of a refusal that never happens is void)."""
    try:
        action()
    except InputError as exc:
        return str(exc.problems[0])
    return "(accepted)"


def bare_load(text: str) -> object:
    """libyaml's own safe load, no checks (it raises ValueError past 4,300 digits: that is the crash)."""
    try:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    except ValueError:
        return None


def benign_json(size: int) -> str:
    return json.dumps([12345] * max(1, size // 7))


def row(name: str, size: int, action: Callable[[], object], texts: list[str], repeat: int) -> None:
    ours = median_ms(action, repeat)
    bare = sum(median_ms(lambda t=t: bare_load(t), repeat) for t in texts)
    benign = benign_json(size)
    plain_json = median_ms(lambda: json.loads(benign), repeat)
    print(f"{name:<34} {size / 1e6:6.2f} MB {ours:9.2f} ms {ours / bare:9.3f} {ours / plain_json:9.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    flow, keys = long_flow_list(), unknown_keys(60_000)
    zipped = hostile_zip()
    unpacked = [content.decode() for content in files_from_zip(zipped).values()]
    answers = json.dumps({"business": "x", "answers": {"n": 0}}).replace("0}", "9" * 5_000 + "}")
    benign = (DEFAULT_RUBRICS / "model_change.yaml").read_text(encoding="utf-8")
    cases = [
        ("0.66 MB set.yaml, long flow list", len(flow), lambda: read_document(flow, "set.yaml"), [flow]),
        ("60k unknown keys", len(keys), lambda: load_rubric_sources({"set.yaml": keys}), [keys]),
        (f"{len(zipped) / 1e3:.1f} KB zip of 4 files", sum(map(len, unpacked)),
         lambda: load_rubric_sources(files_from_zip(zipped)), unpacked),
        ("5,000-digit JSON number", len(answers), lambda: read_document(answers, "a.json"), [answers]),
        ("benign: shipped model_change.yaml", len(benign), lambda: read_document(benign, "model_change.yaml"),
         [benign]),
    ]
    print(f"median of {args.repeat}; ratios: ours ÷ bare CSafeLoader load of the same text, "
          "ours ÷ json.loads of a benign list of that size")
    print(f"{'input':<34} {'size':>9} {'ours':>12} {'÷ libyaml':>9} {'÷ json':>9}")
    for name, size, action, texts in cases:
        row(name, size, action, texts, args.repeat)
    print()
    for name, _, action, _ in cases:
        print(f"{name}: {refuses(action)}")


if __name__ == "__main__":
    main()
