"""Results at a glance, through AppTest: the verdict in one sentence with a bar per condition, three bullets of
"Why" and the rest folded away, ✓/✗ rather than True/False, help text once, titles on Rubrics, a narrow Compare."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from assessment.answers import load_answers_file
from assessment.examples import example_assessments, load_examples
from assessment.export import summary_frame
from assessment.scoring import standing
from tests.conftest import ROOT

PAGES = {name: f"assessment/ui/pages/{name}.py"
         for name in ("assess", "results", "export", "compare", "rubrics", "workshops")}


def plain(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


@pytest.fixture(scope="module")
def cake() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["example"] = "cake-shop"
    at.run()
    at.switch_page(PAGES["results"]).run()
    assert not at.exception, at.exception
    return at


def test_the_verdict_is_one_sentence_with_a_bar_per_condition_and_no_signed_number(cake, rubric):
    sentence = plain(cake.subheader[0].value)
    assert sentence == "+Internet: 50.0 points short of the Internet+ boundary on Resources reconfigured (best road)."
    assert cake.get("plotly_chart")[0].key == "chart_conditions"
    assert not cake.main.metric  # no bare class label and signed margin any more
    text = " ".join(plain(m.value) for m in cake.markdown) + " ".join(plain(c.value) for c in cake.caption)
    assert not re.search(r"(?<![\w–])[-−]\d+\.\d", text)  # no "-50.0" anywhere on the page
    summary = summary_frame([example.sheet for example in load_examples(rubric) if example.key == "cake-shop"], rubric)
    assert summary["verdict"].iloc[0] == sentence  # the CSV says the same words


def test_why_shows_three_sentences_and_folds_the_rest(cake, rubric):
    view = next(a for a in example_assessments(rubric, "en") if a.business == "Sweet Crumbs Cake Shop")
    why = next(i for i, s in enumerate(cake.subheader) if s.value == "Why")
    assert why > 0
    first = "- Sweet Crumbs Cake Shop is classified"
    bullets = next(m.value for m in cake.markdown if plain(m.value).startswith(first))
    assert len(bullets.splitlines()) == 3 == len(view.explanation[:3])
    folded = next(e for e in cake.expander if e.label.startswith("Every number behind it"))
    assert not folded.markdown  # drawn only when opened
    cake.session_state["why_more"] = True
    cake.run()
    folded = next(e for e in cake.expander if e.label.startswith("Every number behind it"))
    inside = " ".join(plain(m.value) for m in folded.markdown)
    assert all(sentence in inside for sentence in view.explanation[3:])
    assert "| Condition | Score | Threshold | Distance to the threshold | Met |" in inside
    assert "50.0 short" in inside and "✗" in inside


@pytest.mark.parametrize("page", ["results", "compare", "rubrics"])
def test_yes_and_no_read_as_ticks_and_crosses_never_true_or_false(page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["example"] = "ride-hailing-platform"
    at.run()
    at.switch_page(PAGES[page]).run()
    assert not at.exception, at.exception
    if page == "results":  # its tables are folded away, drawn when opened
        for key in ("why_more", "retrace", "data_radar"):
            at.session_state[key] = True
        at.session_state["chart_tabs"] = "Among the examples"
        at.run()
        at.session_state["data_quadrant"] = True
        at.run()
        assert any("✓" in m.value for m in at.markdown)
    cells = [plain(m.value) for m in at.markdown if m.value.startswith("|")]
    assert cells, page
    assert not any(re.search(r"\|\s*(True|False)\s*\|", table) for table in cells), page


@pytest.mark.parametrize("page", list(PAGES))
def test_every_help_text_is_shown_once(page):
    """A widget's tooltip is not repeated as a caption or as text beside it."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["example"] = "cake-shop"
    at.run()
    at.switch_page(PAGES[page]).run()
    assert not at.exception, at.exception
    captions = [plain(c.value) for c in at.caption] + [plain(m.value) for m in at.markdown]
    helps = [str(getattr(w.proto, "help", "")) for kind in ("radio", "button", "download_button", "file_uploader",
                                                             "checkbox", "number_input", "text_input", "metric")
             for w in at.get(kind) if getattr(w.proto, "help", "")]
    assert helps or page != "assess"  # Assess's upload and save buttons carry their help as a tooltip
    assert not {plain(h) for h in helps} & set(captions), page
    assert not any(plain(h) in c for h in helps for c in captions), page


def test_rubrics_shows_questions_by_number_and_title_with_ids_only_in_the_small_print(rubric):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(PAGES["rubrics"]).run()
    headings = [plain(m.value) for m in at.markdown if m.value.startswith("**")]
    first = rubric.dimensions[0].questions[0]
    assert f"**1. {first.text['en']}**" in headings
    assert not any(q.id in h for _, q in rubric.questions() for h in headings)
    assert any(f"id {first.id}" in plain(c.value) for c in at.caption)
    counts = [plain(c.value) for c in at.caption if c.value.startswith("A count of")]
    assert counts and all("now" in c or "reachable within three years" in c for c in counts)
    assert not any("cn_" in c.split(" · id ")[0] for c in counts)


def test_an_answer_reruns_its_dimension_the_progress_and_the_sidebar_verdict_only(rubric):
    """Speed: changing an answer redraws its own dimension's questions, the progress and the sidebar's verdict
    (all fragments); the other dimensions stay as drawn. The sidebar's verdict is the cheap one (no paths)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["example"] = "cake-shop"
    at.run()
    road = rubric.question("rd_platform")
    # The example is a copy saved at its first change, which draws the whole page (its private link appears).
    at.radio(key="q_rd_platform").set_value(road.options[0].id).run()
    assert len({r.key for r in at.radio}) == len(rubric.choice_questions())
    before = next(m for m in at.sidebar.metric).proto.delta
    assert plain(next(m for m in at.sidebar.metric).value) == "+Internet"  # a rubric label: escaped
    at.radio(key="q_rd_platform").set_value(road.options[-1].id).run()
    assert not at.exception, at.exception
    redrawn = {r.key for r in at.radio}
    model_change = {f"q_{q.id}" for q in rubric.dimensions[2].questions}
    assert redrawn and redrawn <= model_change  # only the answered dimension's questions were redrawn
    assert any("31 of 31 questions answered" in p.proto.text for p in at.get("progress"))
    metric = next(m for m in at.sidebar.metric)
    assert metric.label == "Verdict so far" and plain(metric.value) in ("+Internet", "Internet+")
    cake = load_answers_file(ROOT / "data/examples/cake-shop.yaml", rubric)[0]
    changed = {**cake.answers, "rd_platform": road.options[-1].id}
    expected = standing(cake.model_copy(update={"answers": changed}), rubric)
    assert f"{expected.overall_low:.1f}" in metric.proto.delta and before != metric.proto.delta
