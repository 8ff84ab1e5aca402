"""The verdict in one sentence: the same words in the app, the summary CSV (batch too), the report and the CLI."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from assessment.answers import load_answers_file
from assessment.export import summary_frame
from assessment.headline import gap_words
from assessment.vocabulary import ClassCode
from tests.conftest import EXAMPLES, answers_at, assessed, sheet_with

SIGNED = re.compile(r"[-−]\s?\d")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_example_reads_the_same_in_the_view_and_the_summary_csv(rubric, lang):
    sheets = [load_answers_file(path, rubric)[0] for path in EXAMPLES]
    summary = summary_frame(sheets, rubric, lang)
    for sheet, (_, row) in zip(sheets, summary.iterrows(), strict=True):
        view = assessed(sheet, rubric, lang)
        assert row["verdict"] == view.headline, sheet.business
        assert view.headline.startswith(view.class_label)
        assert not SIGNED.search(view.headline), view.headline  # a distance, never a signed number
        if view.margin is not None and view.margin != 0:
            assert f"{abs(view.margin):.1f}" in view.headline
            assert row["margin"] == pytest.approx(abs(view.margin), abs=0.006)


def test_the_sentence_names_the_side_the_distance_and_the_deciding_condition(rubric):
    cake = assessed(load_answers_file(EXAMPLES[[p.stem for p in EXAMPLES].index("cake-shop")], rubric)[0], rubric)
    assert cake.headline == ("+Internet: 50.0 points short of the Internet+ boundary on "
                             "Resources reconfigured (best road).")
    assert cake.conditions[cake.deciding_condition].name == "Resources reconfigured (best road)"
    top = assessed(sheet_with(rubric, answers_at(rubric, -1)), rubric)
    assert top.class_code == ClassCode.INTERNET_PLUS
    deciding = top.conditions[top.deciding_condition]
    assert deciding.gap == min(c.gap for c in top.conditions)  # the closest condition decides
    assert top.headline == f"Internet+: {top.margin:.1f} points past the Internet+ boundary on {deciding.name}."


def test_unknown_answers_say_at_least_or_that_they_decide(rubric):
    low = answers_at(rubric, 0)
    first = rubric.choice_questions()[0][1].id
    low.pop(first)
    provisional = assessed(sheet_with(rubric, low), rubric)
    assert provisional.class_code == ClassCode.PLUS_INTERNET
    assert "+Internet: at least " in provisional.headline and "points short of" in provisional.headline
    open_ = assessed(sheet_with(rubric, {first: rubric.choice_questions()[0][1].options[-1].id}), rubric)
    assert open_.class_code == ClassCode.UNDETERMINED and open_.deciding_condition is None
    unknown = open_.questions - open_.answered
    assert open_.headline == (f"Undetermined: {unknown} unknown answers could put it either side "
                              "of the Internet+ boundary.")
    zh = assessed(sheet_with(rubric, low), rubric, "zh")
    assert zh.headline.startswith("+互联网：") and "至少还差" in zh.headline


def test_a_business_exactly_on_the_threshold_is_right_on_the_boundary(rubric):
    path = EXAMPLES[[p.stem for p in EXAMPLES].index("connected-appliance-maker")]
    view = assessed(load_answers_file(path, rubric)[0], rubric)
    assert view.margin == 0 and view.class_code == ClassCode.INTERNET_PLUS
    assert view.headline == "Internet+: right on the Internet+ boundary on Resources reconfigured (best road)."


def test_many_rows_share_few_sentences_and_each_row_gets_its_own(rubric):
    sheets = [sheet_with(rubric, answers_at(rubric, level), f"B{level}") for level in (0, 1, 2, 3, -1)] * 40
    frame = summary_frame(sheets, rubric)
    assert isinstance(frame["verdict"].dtype, pd.CategoricalDtype) and len(frame["verdict"].cat.categories) <= 5
    for sheet, sentence in zip(sheets[:5], frame["verdict"][:5], strict=True):
        assert sentence == assessed(sheet, rubric).headline


def test_conditions_say_short_past_or_depends_in_words(rubric):
    cake = assessed(load_answers_file(EXAMPLES[[p.stem for p in EXAMPLES].index("cake-shop")], rubric)[0], rubric)
    # user first is 24.2 against 25
    assert [gap_words(c, "en") for c in cake.conditions] == ["50.0 short", "32.8 short", "0.8 short"]
    top = assessed(sheet_with(rubric, answers_at(rubric, -1)), rubric)
    assert all(gap_words(c, "en").endswith(" past") for c in top.conditions)
    first = rubric.choice_questions()[0][1]
    open_ = assessed(sheet_with(rubric, {first.id: first.options[-1].id}), rubric)
    assert "depends on the unknown answers" in [gap_words(c, "en") for c in open_.conditions]
