"""The calibration study: does the rubric give real businesses the class the essay gives them?

A study folder holds ``cases.yaml`` (real businesses, each with the class its
criteria give it, fixed before any answer was written) and ``sheets/<reader>/``
(one answers file per business per reader, written blind from public facts).

Two questions, measured separately:

* **validity**: per reader, the share of businesses whose verdict is the
  expected class, the recall of each class, and the confusion table (an
  undetermined verdict counts as a miss);
* **reliability**: between readers, the share of businesses given the same
  verdict, and Krippendorff's ordinal alpha per question on the option
  positions ("don't know" is a missing value), computed with the
  ``krippendorff`` package.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from assessment.answers import AnswerSheet, parse_answers
from assessment.engine import compile_rubric, score_range
from assessment.models import RubricSet
from assessment.problems import InputError, Problem, errors_only
from assessment.rubrics import validation_problems
from assessment.safe_yaml import read_document
from assessment.vocabulary import ClassCode

ALPHA_TARGET = 0.667  # Krippendorff's lowest level for tentative conclusions


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    business: str
    year: int = Field(ge=1990, le=2100)
    sector: str
    expected_class: ClassCode
    reason: str = Field(min_length=10)
    road: str | None = None
    hard: bool = False
    validation: bool = False  # added after a round's rule was fixed, answered once
    round: int = Field(default=1, ge=1, le=9)  # the round whose rule was final when the case was added


class CaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cases: list[Case] = Field(min_length=1)


@dataclass(frozen=True)
class Study:
    cases: list[Case]
    sheets: dict[str, dict[str, AnswerSheet]]  # reader → case id → sheet


@dataclass(frozen=True)
class Calibration:
    verdicts: pd.DataFrame  # one row per reader × case
    readers: pd.DataFrame  # per reader: agreement, recall per class
    confusion: dict[str, pd.DataFrame]  # per reader: expected × got
    between: dict[str, float]  # verdict agreement, cases both read
    alpha: pd.DataFrame  # per question: alpha, pairs, exact agreement
    held_out: pd.DataFrame  # per reader: agreement when each case's thresholds are chosen without it
    by_set: pd.DataFrame  # per set of cases (study, each round's validation set) × reader
    by_road: pd.DataFrame  # Internet+ recall per road × reader: where the rubric is weaker


def load_study(directory: str | Path, rubric: RubricSet) -> Study:
    """Read the cases and every reader's sheets; refuse a study with problems, all listed."""
    directory = Path(directory)
    cases = _cases(directory / "cases.yaml")
    known = {c.id for c in cases}
    problems: list[Problem] = []
    sheets: dict[str, dict[str, AnswerSheet]] = {}
    for folder in sorted(p for p in (directory / "sheets").glob("*") if p.is_dir()):
        for path in sorted(folder.glob("*.yaml")):
            if path.stem not in known:
                problems.append(Problem(f"no case '{path.stem}' in cases.yaml", f"{folder.name}/{path.name}"))
                continue
            try:
                sheet, found = parse_answers(path.read_bytes(), f"{folder.name}/{path.name}", rubric)
            except InputError as exc:
                problems += exc.problems
                continue
            problems += errors_only(found)
            sheets.setdefault(folder.name, {})[path.stem] = sheet
    if not sheets:
        problems.append(Problem("no reader folders with answer sheets", str(directory / "sheets")))
    if problems:
        raise InputError(problems)
    return Study(cases, sheets)


def _cases(path: Path) -> list[Case]:
    try:
        doc = read_document(path.read_bytes(), path.name)
    except OSError as exc:
        raise InputError([Problem(f"cannot read the file: {exc.strerror}", path.name)]) from None
    try:
        return CaseFile.model_validate(doc.data).cases
    except Exception as exc:  # pydantic's ValidationError, located
        raise InputError(validation_problems(exc, doc)) from None  # type: ignore[arg-type]


def calibrate(study: Study, rubric: RubricSet) -> Calibration:
    engine = compile_rubric(rubric)
    expected = {c.id: c.expected_class.value for c in study.cases}
    case_set = {c.id: _set_name(c) for c in study.cases}
    road = {c.id: c.road or "" for c in study.cases}
    rows = []
    codes: dict[str, dict[str, np.ndarray]] = {}
    ends: list[tuple[str, str, np.ndarray, np.ndarray]] = []  # reader, case, low and high condition scores
    for reader, sheets in study.sheets.items():
        ids = [c.id for c in study.cases if c.id in sheets]
        matrix = np.array([engine.codes(sheets[i].answers) for i in ids]).reshape(len(ids), len(engine.question_ids))
        verdicts = score_range(engine, matrix)
        codes[reader] = dict(zip(ids, matrix, strict=True))
        low, high = _condition_scores(engine, verdicts.low), _condition_scores(engine, verdicts.high)
        ends += [(reader, case_id, low[k], high[k]) for k, case_id in enumerate(ids)]
        md = engine.dimension_ids.index("model_change") if "model_change" in engine.dimension_ids else 0
        for k, case_id in enumerate(ids):
            rows.append({"reader": reader, "case": case_id, "expected": expected[case_id],
                         "verdict": str(verdicts.class_codes[k]), "overall": verdicts.low.overall[k],
                         "model_change": verdicts.low.dimensions[k, md], "margin": verdicts.margin[k],
                         "set": case_set[case_id], "road": road[case_id]})
    table = pd.DataFrame(rows)
    table["agrees"] = table["expected"] == table["verdict"]
    return Calibration(table, _per_reader(table), _confusion(table), _between(table), _alpha(engine, codes),
                       _held_out(engine, ends, expected), _per_set(table), _per_road(table))


def _set_name(case: Case) -> str:
    return f"validation, round {case.round}" if case.validation else "study cases"


def _per_set(table: pd.DataFrame) -> pd.DataFrame:
    """Per reader within each set, so a fresh validation set is never hidden in the totals."""
    frames = [_per_reader(group).assign(set=name) for name, group in table.groupby("set", sort=True)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["set", "reader"])


def _condition_scores(engine, scores) -> np.ndarray:
    """Each sheet's score on each condition of the rule (overall or a dimension)."""
    return scores.condition_gaps + engine.thresholds


def _held_out(engine, ends: list, expected: dict[str, str]) -> pd.DataFrame:
    """Leave-one-out check of the thresholds: for each business, choose the thresholds (on a
    5-point grid within ±15 of the rubric's) that agree best on all the *other* businesses,
    then classify this one with them. Close to the in-sample figure means the thresholds
    were not fitted to these cases."""
    if not ends:
        return pd.DataFrame(columns=["reader", "agreement"])
    shipped = engine.thresholds
    grid = np.array(np.meshgrid(*[np.arange(t - 15, t + 15.1, 5) for t in shipped])).reshape(len(shipped), -1).T
    low = np.array([e[2] for e in ends])
    high = np.array([e[3] for e in ends])
    target = np.array([expected[e[1]] for e in ends])
    ip = (low[:, None, :] >= grid[None, :, :]).all(axis=2)  # sheets × grid
    pi = ~(high[:, None, :] >= grid[None, :, :]).all(axis=2)
    got = np.where(ip, ClassCode.INTERNET_PLUS.value,
                   np.where(pi, ClassCode.PLUS_INTERNET.value, ClassCode.UNDETERMINED.value))
    right = got == target[:, None]
    cases = np.array([e[1] for e in ends])
    distance = np.abs(grid - shipped).sum(axis=1)
    held = np.zeros(len(ends), dtype=bool)
    for case in np.unique(cases):
        train = cases != case
        score = right[train].mean(axis=0) - 1e-6 * distance  # ties: the thresholds nearest the rubric's
        held[~train] = right[~train, int(np.argmax(score))]
    readers = np.array([e[0] for e in ends])
    return pd.DataFrame({"reader": r, "agreement": held[readers == r].mean()} for r in sorted(set(readers)))


def _per_road(table: pd.DataFrame) -> pd.DataFrame:
    """Internet+ recall per road and reader (roads in the order the cases name them)."""
    plus = table[table["expected"] == ClassCode.INTERNET_PLUS.value]
    recall = plus.groupby(["road", "reader"], sort=False)["agrees"].agg(["mean", "size"]).reset_index()
    return recall.rename(columns={"mean": "recall", "size": "cases"})


def _per_reader(table: pd.DataFrame) -> pd.DataFrame:
    out: list[dict] = []
    for reader, group in table.groupby("reader", sort=True):
        row = {"reader": reader, "cases": len(group), "agreement": group["agrees"].mean()}
        for code in (ClassCode.INTERNET_PLUS.value, ClassCode.PLUS_INTERNET.value):
            of_class = group[group["expected"] == code]
            row[f"recall_{code}"] = of_class["agrees"].mean() if len(of_class) else np.nan
        out.append(row)
    return pd.DataFrame(out)


def _confusion(table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    columns = [c.value for c in ClassCode]
    return {
        str(reader): pd.crosstab(group["expected"], group["verdict"]).reindex(
            index=columns[:2], columns=columns, fill_value=0)
        for reader, group in table.groupby("reader", sort=True)
    }


def _between(table: pd.DataFrame) -> dict[str, float]:
    wide = table.pivot(index="case", columns="reader", values="verdict").dropna()
    if wide.shape[1] < 2:
        return {"cases": 0, "verdict_agreement": float("nan")}
    same = (wide.nunique(axis=1) == 1).mean()
    return {"cases": float(len(wide)), "verdict_agreement": float(same)}


def _alpha(engine, codes: dict[str, dict[str, np.ndarray]]) -> pd.DataFrame:
    """Krippendorff's ordinal alpha per question over the cases every reader answered."""
    readers = sorted(codes)
    cases = sorted(set.intersection(*(set(c) for c in codes.values()))) if readers else []
    rows = []
    for q, question_id in enumerate(engine.question_ids):
        data = np.array([[codes[r][c][q] for c in cases] for r in readers], dtype=float)
        data[data < 0] = np.nan  # unanswered and "don't know" are missing values
        both = ~np.isnan(data).any(axis=0)
        rows.append({"question_id": question_id, "alpha": _ordinal_alpha(data, len(engine.option_ids[q])),
                     "pairs": int(both.sum()),
                     "exact_agreement": float((data[0, both] == data[-1, both]).mean()) if both.any() else np.nan})
    return pd.DataFrame(rows)


def _ordinal_alpha(data: np.ndarray, levels: int) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal",
                                       value_domain=np.arange(levels, dtype=float))
        except (ValueError, ZeroDivisionError):
            return float("nan")
    return float(value)


def calibration_text(report: Calibration) -> str:
    """The study as a terminal reads it: per reader, between readers, per question."""
    pct = lambda v: "—" if pd.isna(v) else f"{v:.0%}"  # noqa: E731
    out = ["Per reader (agreement with the expected class; an undetermined verdict is a miss)"]
    for row in report.readers.itertuples(index=False):
        out.append(f"  {row.reader:<10} {row.cases} cases · agreement {pct(row.agreement)} · "
                   f"recall Internet+ {pct(row.recall_internet_plus)} · "
                   f"recall +Internet {pct(row.recall_plus_internet)}")
    for reader, matrix in report.confusion.items():
        out += ["", f"Confusion, {reader} (rows: expected, columns: verdict)", _indent(matrix.to_string())]
    if report.by_set["set"].nunique() > 1:
        out += ["", "By set (a validation set is added with its expected classes after a round's rule is fixed, "
                    "and answered once; a later round's rule may have been chosen with it in view)"]
        for name, group in report.by_set.groupby("set", sort=True):
            out.append(f"  {name} ({int(group['cases'].max())} businesses)")
            out += [f"    {row.reader:<10} agreement {pct(row.agreement)} · recall Internet+ "
                    f"{pct(row.recall_internet_plus)} · recall +Internet {pct(row.recall_plus_internet)}"
                    for row in group.itertuples(index=False)]
    if len(report.by_road):
        out += ["", "Recall of Internet+ by road"]
        for name, group in report.by_road.groupby("road", sort=False):
            out.append(f"  {str(name) or '(no road named)':<24} " + " · ".join(
                f"{row.reader} {pct(row.recall)}" for row in group.itertuples(index=False))
                + f"  ({int(group['cases'].max())} businesses)")
    out += ["", "Held out (thresholds chosen without each business, then applied to it): " + ", ".join(
        f"{row.reader} {pct(row.agreement)}" for row in report.held_out.itertuples(index=False))]
    out += ["", f"Between readers: the same verdict on {pct(report.between['verdict_agreement'])} "
                f"of {int(report.between['cases'])} businesses"]
    low = report.alpha[report.alpha["alpha"] < ALPHA_TARGET]
    out += ["", f"Krippendorff's ordinal alpha per question (target ≥ {ALPHA_TARGET:.3g}; "
                f"{len(report.alpha) - len(low)} of {len(report.alpha)} reach it)"]
    for row in report.alpha.itertuples(index=False):
        mark = "" if row.alpha >= ALPHA_TARGET else "   ← below target"
        out.append(f"  {row.question_id:<28} {row.alpha:6.3f}  "
                   f"({row.pairs} pairs, exact {pct(row.exact_agreement)}){mark}")
    misses = report.verdicts[~report.verdicts["agrees"]]
    if len(misses):
        out += ["", "Verdicts that differ from the expected class"]
        for row in misses.itertuples(index=False):
            out.append(f"  {row.reader:<10} {row.case:<24} expected {row.expected:<14} got {row.verdict:<14} "
                       f"overall {row.overall:5.1f} · model change {row.model_change:5.1f}")
    return "\n".join(out)


def _indent(block: str) -> str:
    return "\n".join("  " + line for line in block.splitlines())
