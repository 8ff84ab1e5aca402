"""``python -m assessment plan|history|diff``: the founder's plan, history and diff from answers files."""

from __future__ import annotations

import io

import pandas as pd

from assessment.answers import load_answers_file
from assessment.export import restore
from assessment.plan import Target, nearest_steps
from assessment.rubrics import load_rubric_dir
from tests.conftest import ROOT
from tests.test_cli import run
from tests.test_export import assert_no_formula_cells

CAKE = ROOT / "data/examples/cake-shop.yaml"
HOTEL = ROOT / "data/examples/hotel-online-booking.yaml"
WALLET = ROOT / "data/examples/mobile-wallet.yaml"


def test_plan_prints_the_steps_toward_internet_plus_and_writes_the_csv(tmp_path):
    rubric = load_rubric_dir()
    steps = nearest_steps(load_answers_file(CAKE, rubric)[0].answers, rubric, Target())
    done = run("plan", str(CAKE))
    assert done.returncode == 0 and len(done.stdout.splitlines()) == len(steps)
    assert done.stdout.startswith("1. ") and "overall)" in done.stdout
    out = tmp_path / "plan.csv"
    assert run("plan", str(CAKE), "--level", "user_first=80", "--out", str(out)).returncode == 0
    assert_no_formula_cells(out.read_bytes())
    plan = pd.read_csv(out, encoding="utf-8-sig")
    assert set(plan["dimension"]) == {"user_first"} and set(plan["status"]) == {"todo"}
    assert "already reach" in run("plan", str(WALLET)).stdout


def test_a_bad_level_is_one_clear_line():
    done = run("plan", str(CAKE), "--level", "userfirst=80")
    assert done.returncode == 2 and "--level 'userfirst=80'" in done.stderr and "Traceback" not in done.stderr


def test_history_and_diff_of_answers_files(tmp_path):
    done = run("history", str(CAKE), str(WALLET))
    assert done.returncode == 0
    history = restore(pd.read_csv(io.StringIO(done.stdout.lstrip("\ufeff"))))
    assert list(history["snapshot"]) == [1, 2]
    assert list(history["class_code"]) == ["plus_internet", "internet_plus"]
    out = tmp_path / "diff.csv"
    assert run("diff", str(CAKE), str(HOTEL), "--out", str(out)).returncode == 0
    assert_no_formula_cells(out.read_bytes())
    diff = pd.read_csv(out, encoding="utf-8-sig")
    assert len(diff) > 0 and set(diff["direction"]) <= {"up", "down", "answered", "withdrawn", "changed"}
