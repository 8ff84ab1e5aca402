"""``python -m assessment``: everything the app does, from a terminal.

Exit codes: 0 success, 2 bad input (one line per problem on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from assessment.answers import load_answers_file
from assessment.batch import score_file_to
from assessment.cli_text import render_text
from assessment.export import export_files, to_csv_bytes
from assessment.history import Snapshot, history_csv, snapshot_diff
from assessment.i18n import t, tn
from assessment.localise import localise
from assessment.models import LANGUAGES, RubricSet, slug
from assessment.plan import Target, make_plan, plan_frame, target_met
from assessment.problems import InputError, Problem, errors_only
from assessment.rubrics import DEFAULT_RUBRICS, load_rubric_dir, rubric_json_schema
from assessment.saved_work import work_from_sheet
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
    except OSError as exc:  # a file or folder that cannot be read or written: say which, no traceback
        _report([Problem(f"cannot write or read here: {exc.strerror or exc}", str(exc.filename or ""))])
        return 2


def _out(path: Path) -> Path:
    """An output path whose folder exists (created when missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _report(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(str(problem), file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    def common(defaults: bool) -> argparse.ArgumentParser:
        """The options every command takes, before or after its name (only the top level sets defaults)."""
        options = argparse.ArgumentParser(add_help=False)
        options.add_argument("--rubrics", type=Path, metavar="DIR",
                             default=DEFAULT_RUBRICS if defaults else argparse.SUPPRESS,
                             help="rubric set directory (default: the shipped set)")
        options.add_argument("--lang", choices=sorted(LANGUAGES), default=None if defaults else argparse.SUPPRESS,
                             help="language of texts (default: the answers file's, else en)")
        return options

    parser = argparse.ArgumentParser(prog="python -m assessment", parents=[common(True)],
                                     description="Assess a business: +Internet or Internet+?")
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
    sub = command("calibrate", _calibrate,
                  "run a calibration study: agreement with expected classes and between readers")
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
    sub.add_argument("--xlsx", action="store_true",
                     help="also write <business>.xlsx: answers, summary, plan and history sheets, typed cells")
    command("schema", _schema, "print the JSON Schema of the rubric file format")
    sub = command("report", _write_report,
                  "write the self-contained HTML report (or, with --pdf, the PDF) of one answers file")
    sub.add_argument("answers", type=Path)
    sub.add_argument("--out", type=Path, required=True)
    sub.add_argument("--pdf", action="store_true", help="write the report as PDF (also when --out ends in .pdf)")
    _over_time_commands(command)
    return parser


def _over_time_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """A founder's plan, history and diff, from answers files (the app keeps them with a saved assessment)."""
    sub = command("plan", _plan, "the nearest steps from one answers file to a target (Internet+, or levels)")
    sub.add_argument("answers", type=Path)
    sub.add_argument("--level", action="append", default=[], metavar="DIMENSION=SCORE",
                     help="a score to reach on a dimension (repeat for several); without it the target is Internet+")
    sub.add_argument("--out", type=Path, help="write the plan CSV to this file")
    sub = command("history", _history, "scores and verdict of answers files taken as snapshots, oldest first (CSV)")
    sub.add_argument("answers", type=Path, nargs="+")
    sub.add_argument("--out", type=Path, help="write to this file instead of standard output")
    sub = command("diff", _diff, "what changed, question by question, from one answers file to another (CSV)")
    sub.add_argument("before", type=Path)
    sub.add_argument("after", type=Path)
    sub.add_argument("--out", type=Path, help="write to this file instead of standard output")


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
    print(t("cli_valid", args.lang or "en", directory=directory, id=rubric.id, version=rubric.version,
            dimensions=len(rubric.dimensions), questions=count))
    return 0


def _template(args: argparse.Namespace) -> int:
    rubric = _rubric(args)
    lang = args.lang or "en"
    if args.format == "yaml":
        content = template_yaml(rubric, lang).encode("utf-8")
    else:
        content = to_csv_bytes(template_frame(rubric))
    if args.out:
        _out(args.out).write_bytes(content)
    else:
        sys.stdout.buffer.write(content)
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from assessment.calibration import calibrate, calibration_text, load_study  # noqa: PLC0415 (lazy: fast start)

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
        print(calibration_text(report))
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
        print(tn("cli_checked", len(sheet.notes), args.lang or sheet.language, path=path, answered=answered,
                 total=len(scored), notes=len(sheet.notes)))
    return status


def _score(args: argparse.Namespace) -> int:
    rubric, sheet = _load(args)
    result = localise(assess(sheet, rubric), rubric, args.lang)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print(render_text(result))
    return 0


def _batch(args: argparse.Namespace) -> int:
    rubric = _rubric(args)
    done = score_file_to(args.responses, _out(args.out), rubric, args.lang or "en")
    _report(done.problems)
    if errors_only(done.problems):
        return 2
    classes = ", ".join(f"{k}: {v:,}" for k, v in sorted(done.classes.items()))
    print(tn("cli_scored", done.rows, args.lang or "en", out=args.out, classes=classes))
    return 0


def _export(args: argparse.Namespace) -> int:
    rubric, sheet = _load(args)
    result = localise(assess(sheet, rubric), rubric, args.lang)
    for path in export_files(sheet, result, rubric, args.out):
        print(path)
    if args.xlsx:
        from assessment.workbook import assessment_sheets, write_workbook  # noqa: PLC0415 (lazy: fast start)

        print(write_workbook(assessment_sheets(sheet, result, rubric), args.out / f"{slug(sheet.business)}.xlsx",
                             result.language))
    return 0


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(rubric_json_schema(), indent=2, ensure_ascii=False))
    return 0


def _write_report(args: argparse.Namespace) -> int:
    rubric, sheet = _load(args)
    result = localise(assess(sheet, rubric), rubric, args.lang)
    if args.pdf or args.out.suffix.lower() == ".pdf":
        from assessment.pdf import report_pdf  # noqa: PLC0415 (lazy: reportlab loads only here)

        _out(args.out).write_bytes(report_pdf(sheet, result, rubric))
    else:
        from assessment.report import report_html  # noqa: PLC0415 (lazy: Jinja loads only here)

        _out(args.out).write_text(report_html(sheet, result, rubric), encoding="utf-8")
    print(args.out)
    return 0


def _plan(args: argparse.Namespace) -> int:
    rubric, sheet = _load(args)
    lang = args.lang or sheet.language
    target = _target(args.level, rubric)
    plan = make_plan(sheet.answers, rubric, target)
    if args.out:
        _out(args.out).write_bytes(to_csv_bytes(plan_frame(plan, rubric, lang)))
        print(args.out)
    elif not plan:
        print(t("cli_plan_met" if target_met(sheet.answers, rubric, target) else "cli_plan_none", lang))
    for row in plan_frame(plan, rubric, lang).itertuples() if not args.out else ():
        print(t("cli_plan_step", lang, step=row.step, question=row.question, from_answer=row.from_answer,
                to_answer=row.to_answer, gain=f"{row.overall_gain:+.1f}"))
    return 0


def _target(levels: list[str], rubric: RubricSet) -> Target:
    """``DIMENSION=SCORE`` options as a target (none: Internet+); a bad one is reported like any bad input."""
    if not levels:
        return Target()
    parsed: dict[str, float] = {}
    for item in levels:
        name, _, value = item.partition("=")
        try:
            parsed[name] = float(value)
        except ValueError:
            raise InputError([Problem(f"--level {item!r}: expected DIMENSION=SCORE, like user_first=60")]) from None
        if name not in {d.id for d in rubric.dimensions} or not 0 <= parsed[name] <= 100:
            known = ", ".join(d.id for d in rubric.dimensions)
            raise InputError([Problem(f"--level {item!r}: a dimension ({known}) and a score from 0 to 100")])
    return Target(kind="levels", levels=parsed)


def _sheets(paths: Sequence[Path], rubric: RubricSet) -> list:
    sheets = []
    for path in paths:
        sheet, problems = load_answers_file(path, rubric)
        _report(problems)
        if errors_only(problems):
            raise InputError([])
        sheets.append(sheet)
    return sheets


def _write_or_print(frame, out: Path | None) -> int:
    if out:
        _out(out).write_bytes(to_csv_bytes(frame))
        print(out)
    else:
        sys.stdout.buffer.write(to_csv_bytes(frame))
    return 0


def _history(args: argparse.Namespace) -> int:
    rubric = _rubric(args)
    sheets = _sheets(args.answers, rubric)
    snaps = [Snapshot(number=i, reason="saved", work=work_from_sheet(sheet),
                      taken_at=dt.datetime.combine(sheet.date or dt.date.today(), dt.time(), dt.UTC))
             for i, sheet in enumerate(sheets, 1)]
    data = history_csv(snaps, rubric, args.lang or sheets[0].language)
    if args.out:
        _out(args.out).write_bytes(data)
        print(args.out)
    else:
        sys.stdout.buffer.write(data)
    return 0


def _diff(args: argparse.Namespace) -> int:
    rubric = _rubric(args)
    before, after = _sheets([args.before, args.after], rubric)
    return _write_or_print(snapshot_diff(before, after, rubric, args.lang or after.language), args.out)


if __name__ == "__main__":
    raise SystemExit(main())
