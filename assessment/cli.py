"""``python -m assessment``: everything the app does, from a terminal.

Exit codes: 0 success, 2 bad input (one line per problem on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Callable, Sequence

from assessment.answers import load_answers_file
from assessment.batch import score_file_to
from assessment.export import export_files, to_csv_bytes
from assessment.formatting import score_text
from assessment.models import LANGUAGES, RubricSet
from assessment.network import LAW_NAMES, GrowthRow, format_log10
from assessment.problems import InputError, Problem, errors_only
from assessment.rubrics import DEFAULT_RUBRICS, load_rubric_dir, rubric_json_schema
from assessment.results import Assessment
from assessment.scoring import assess
from assessment.template import template_frame, template_yaml


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except InputError as exc:
        _report(exc.problems)
        return 2
    except BrokenPipeError:
        # The reader went away (``… | head``): not an error of ours. Point stdout at
        # devnull so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _report(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(str(problem), file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    def common(defaults: bool) -> argparse.ArgumentParser:
        """The options every command takes, before or after its name (only the top level sets defaults)."""
        options = argparse.ArgumentParser(add_help=False)
        options.add_argument("--rubrics", type=Path, metavar="DIR", default=DEFAULT_RUBRICS if defaults else argparse.SUPPRESS,
                             help="rubric set directory (default: the shipped set)")
        options.add_argument("--lang", choices=sorted(LANGUAGES), default=None if defaults else argparse.SUPPRESS,
                             help="language of texts (default: the answers file's, else en)")
        return options

    parser = argparse.ArgumentParser(prog="python -m assessment", description="Assess a business: +Internet or Internet+?", parents=[common(True)])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, run: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common(False)], help=help, description=help)
        sub.set_defaults(run=run)
        return sub

    sub = command("validate", _validate, "check a rubric set and list every problem")
    sub.add_argument("directory", nargs="?", type=Path, help="rubric set directory (default: --rubrics)")
    sub = command("template", _template, "print a blank answers file (YAML) or a one-row batch CSV")
    sub.add_argument("--format", choices=["yaml", "csv"], default="yaml")
    sub.add_argument("--out", type=Path, help="write to this file instead of standard output")
    sub = command("calibrate", _calibrate, "run a calibration study: agreement with expected classes and between readers")
    sub.add_argument("directory", type=Path, help="study folder: cases.yaml and sheets/<reader>/<case>.yaml")
    sub.add_argument("--json", action="store_true", help="print the figures as JSON")
    sub = command("check", _check, "check an answers file against the rubric (problems and completeness, no score)")
    sub.add_argument("answers", type=Path, nargs="+")
    sub = command("score", _score, "score, classify and explain one answers file")
    sub.add_argument("answers", type=Path)
    sub.add_argument("--json", action="store_true", help="print the full result as JSON")
    sub = command("batch", _batch, "score a CSV of many businesses (a row each, a column per question id)")
    sub.add_argument("responses", type=Path)
    sub.add_argument("--out", type=Path, required=True)
    sub = command("export", _export, "write the answers CSV and the summary CSV of one answers file")
    sub.add_argument("answers", type=Path)
    sub.add_argument("--out", type=Path, required=True, metavar="DIR")
    command("schema", _schema, "print the JSON Schema of the rubric file format")
    sub = command("report", _report_html, "write the self-contained HTML report of one answers file")
    sub.add_argument("answers", type=Path)
    sub.add_argument("--out", type=Path, required=True)
    return parser


def _rubric(args: argparse.Namespace) -> RubricSet:
    return load_rubric_dir(args.rubrics)


def _load(args: argparse.Namespace):
    rubric = _rubric(args)
    sheet, problems = load_answers_file(args.answers, rubric)
    _report(problems)
    if errors_only(problems):
        raise InputError([])
    return rubric, sheet


def _validate(args: argparse.Namespace) -> int:
    directory = args.directory or args.rubrics
    rubric = load_rubric_dir(directory)
    count = len(rubric.questions())
    print(f"{directory}: rubric set {rubric.id} {rubric.version} is valid ({len(rubric.dimensions)} dimensions, {count} questions)")
    return 0


def _template(args: argparse.Namespace) -> int:
    rubric = _rubric(args)
    lang = args.lang or "en"
    if args.format == "yaml":
        content = template_yaml(rubric, lang).encode("utf-8")
    else:
        content = to_csv_bytes(template_frame(rubric))
    if args.out:
        args.out.write_bytes(content)
    else:
        sys.stdout.buffer.write(content)
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from assessment.calibration import calibrate, load_study, render_text

    rubric = _rubric(args)
    report = calibrate(load_study(args.directory, rubric), rubric)
    if args.json:
        print(json.dumps({
            "readers": report.readers.to_dict("records"),
            "between": report.between,
            "alpha": report.alpha.to_dict("records"),
            "verdicts": report.verdicts.to_dict("records"),
        }, indent=2, default=float))
    else:
        print(render_text(report))
    return 0


def _check(args: argparse.Namespace) -> int:
    rubric = _rubric(args)
    scored = [q.id for _, q in rubric.choice_questions()]
    status = 0
    for path in args.answers:
        try:
            sheet, problems = load_answers_file(path, rubric)
        except InputError as exc:
            _report(exc.problems)
            status = 2
            continue
        _report(problems)
        if errors_only(problems):
            status = 2
        answered = sum(1 for q in scored if q in sheet.answers)
        print(f"{path}: {answered}/{len(scored)} scored questions answered, {len(sheet.notes)} notes")
    return status


def _score(args: argparse.Namespace) -> int:
    rubric, sheet = _load(args)
    result = assess(sheet, rubric, args.lang)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print(render_text(result))
    return 0


def _batch(args: argparse.Namespace) -> int:
    rubric = _rubric(args)
    done = score_file_to(args.responses, args.out, rubric, args.lang or "en")
    _report(done.problems)
    if errors_only(done.problems):
        return 2
    classes = ", ".join(f"{k}: {v:,}" for k, v in sorted(done.classes.items()))
    print(f"scored {done.rows:,} businesses → {args.out} ({classes})")
    return 0


def _export(args: argparse.Namespace) -> int:
    rubric, sheet = _load(args)
    result = assess(sheet, rubric, args.lang)
    for path in export_files(sheet, result, rubric, args.out):
        print(path)
    return 0


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(rubric_json_schema(), indent=2, ensure_ascii=False))
    return 0


def _report_html(args: argparse.Namespace) -> int:
    from assessment.report import report_html

    rubric, sheet = _load(args)
    result = assess(sheet, rubric, args.lang)
    args.out.write_text(report_html(sheet, result, rubric), encoding="utf-8")
    print(args.out)
    return 0


def render_text(result: Assessment) -> str:
    """The score as a terminal reads it: verdict, scores, rule, why, steps, roads, advice, growth."""
    out = [f"{result.business}: {result.class_label}  ({_verdict_words(result)})",
           f"rubric {result.rubric_id} {result.rubric_version} · {result.answered}/{result.questions} scored questions "
           f"answered, {result.dont_know} “don't know”",
           "", "Scores"]
    for d in result.dimensions:
        out.append(f"  {d.title:<40} {score_text(d.low, d.high)}  (weight {d.weight:g}, {d.answered}/{d.questions} answered)")
    out.append(f"  {'Overall':<40} {score_text(result.overall_low, result.overall_high)}")
    out += ["", "Why"] + [f"  - {line}" for line in result.explanation]
    if result.unknowns:
        out += ["", "Unknown answers, by how far each could move overall"]
        out += [f"  - [{u.question_id}] {u.question} (up to {u.swing:.1f})" for u in result.unknowns]
    if result.changes:
        out += ["", f"What would change the verdict: {len(result.changes)} one-option steps → {result.changes_to}"]
        out += _step_lines(result.changes)
    if result.roads:
        out += ["", "Roads to Internet+"]
        for road in result.roads:
            mark = " (best)" if road.best else ""
            where = "—" if road.level is None else f"{road.level:.0f}%"
            out.append(f"  {road.title}{mark}: {where} · " + (
                f"{len(road.changes)} steps along it" if road.found else "no path along this road alone"))
    if result.recommendations:
        out += ["", "Next steps, nearest first"]
        for i, rec in enumerate(result.recommendations, 1):
            out.append(f"  {i}. [{rec.question_id}] +{rec.gain:.1f} overall: {rec.recommendation}")
    if result.growth:
        out += ["", "Where connection effects could grow (value in connection units, under each node’s law)"]
        for row in result.growth:
            out += _growth_lines(row)
    return "\n".join(out)


def _verdict_words(result: Assessment) -> str:
    if result.margin is None:
        return f"overall {score_text(result.overall_low, result.overall_high)}"
    flag = ", borderline" if result.borderline else ""
    certain = " whatever the unknowns" if result.provisional else ""
    return f"{abs(result.margin):.1f} points past the boundary{certain}{flag}"


def _step_lines(changes: Sequence) -> list[str]:
    return [
        f"  {i}. [{c.question_id}] {c.question}\n     {c.from_answer} → {c.to_answer}\n     {c.overall_gain:+.1f} overall"
        for i, c in enumerate(changes, 1)
    ]


def _growth_lines(row: GrowthRow) -> list[str]:
    label = f"  {row.node_label:<12}"
    if row.n_now is None or row.n_reachable is None:
        return [f"{label} counts not answered"]
    if row.n_reachable < 1:
        return [f"{label} none connected now or within three years"]
    assumed = " (kind not answered: assumed)" if row.law_assumed else ""
    lines = [
        f"{label} {row.n_now:,.0f} → {row.n_reachable:,.0f} nodes, {LAW_NAMES[row.law]}{assumed}: "
        f"value {format_log10(_none_as_minus_inf(row.log10_value_now))} → "
        f"{format_log10(_none_as_minus_inf(row.log10_value_reachable))}"
    ]
    if row.log10_marginal_reachable is not None:
        lines.append(f"  {'':<12} the next node at reach adds {format_log10(row.log10_marginal_reachable)}")
    return lines


def _none_as_minus_inf(log10: float | None) -> float:
    """A stored log10 value; None (a value of 0, whose log10 is −inf) back as −inf, which format_log10 reads as '0'."""
    return float("-inf") if log10 is None else log10


if __name__ == "__main__":
    raise SystemExit(main())
