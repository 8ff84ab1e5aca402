"""Every shipped example lands in the class its rationale states, from the command line too."""

from __future__ import annotations

import subprocess
import sys

import pytest

from assessment.answers import load_answers_file
from assessment.scoring import assess
from tests.conftest import EXAMPLES, ROOT

EXPECTED_CASES = {
    "cake-shop", "article-advert-forwarding", "taxi-booking-app", "ride-hailing-platform", "hotel-online-booking",
    "home-sharing-marketplace", "bank-online-banking", "mobile-wallet", "connected-appliance-maker",
}


def test_the_essays_cases_and_public_cases_are_shipped():
    assert EXPECTED_CASES <= {p.stem for p in EXAMPLES}
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_lands_in_its_stated_class(rubric, path):
    sheet, problems = load_answers_file(path, rubric)
    assert problems == []
    assert sheet.rationale and len(sheet.rationale.split()) > 40
    assert sheet.expected_class is not None
    result = assess(sheet, rubric)
    assert result.class_code == sheet.expected_class
    assert result.completeness == 1


def test_the_cake_shop_is_plus_internet_and_the_advert_product_is_borderline(rubric):
    cake = assess(load_answers_file(ROOT / "data/examples/cake-shop.yaml", rubric)[0], rubric)
    assert cake.class_code == "plus_internet" and not cake.borderline
    advert = assess(load_answers_file(ROOT / "data/examples/article-advert-forwarding.yaml", rubric)[0], rubric)
    assert advert.borderline, "the essay says the advert product combines both types"


def test_both_classes_are_represented(rubric):
    classes = {load_answers_file(p, rubric)[0].expected_class for p in EXAMPLES}
    assert classes == {"plus_internet", "internet_plus"}


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_cli_score_prints_the_expected_class(rubric, path):
    sheet, _ = load_answers_file(path, rubric)
    done = subprocess.run([sys.executable, "-m", "assessment", "score", str(path)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    first_line = done.stdout.splitlines()[0]
    assert first_line.startswith(f"{sheet.business}: {rubric.class_label(sheet.expected_class)}")
