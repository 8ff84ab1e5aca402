"""Charts: palette contrast, the theme's template, the data behind each figure, the rule drawn right, escaping,
both languages."""

from __future__ import annotations

import html
import json
import math
import re

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest

from assessment import charts
from assessment.answers import load_answers_file
from assessment.charts import BACKGROUND, PALETTE, TEMPLATE, TEXT_COLOR, Chart
from assessment.examples import example_assessments
from assessment.i18n import t
from assessment.localise import AssessmentView as Assessment
from assessment.models import Condition, RubricSet
from assessment.network import LAW_NAMES
from assessment.workshop import facilitator_view
from assessment.workshop.answer_table import FRAME_COLUMNS
from tests.conftest import ROOT, answers_at, sheet_with
from tests.conftest import assessed as assess

NASTY = "<img src=x onerror=alert(1)>"
CJK = re.compile(r"[\u4e00-\u9fff]")


def luminance(color: str) -> float:
    """WCAG 2 relative luminance of a #RRGGBB colour."""
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def as_hex(color: str) -> str:
    """#rrggbb or rgba(r,g,b,a) as #RRGGBB (a tint is checked by the colour it tints)."""
    if color.startswith("#"):
        return color.upper()
    r, g, b = (int(float(v)) for v in re.findall(r"[\d.]+", color)[:3])
    return f"#{r:02X}{g:02X}{b:02X}"


def trace_colors(node: object, key: str = "") -> list[str]:
    """Every colour a trace draws with (its text fonts and hover labels aside)."""
    if isinstance(node, dict):
        return [c for k, v in node.items() if k not in ("textfont", "hoverlabel", "font") for c in trace_colors(v, k)]
    if isinstance(node, list):
        return [c for v in node for c in trace_colors(v, key)]
    if key.endswith("color") and isinstance(node, str):
        return [node]
    return []


def strings(node: object) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in strings(v)]
    return [node] if isinstance(node, str) else []


def drawn(layout, name: str) -> object:
    """A layout property as drawn: the figure's own value, else its template's."""
    own = layout[name]
    return own if own is not None else layout.template.layout[name]


def note_color(layout, note) -> str:
    """An annotation's font colour as drawn: its own, else the template's default for annotations."""
    return note.font.color or layout.template.layout.annotationdefaults.font.color


def column(chart: Chart, key: str, lang: str = "en") -> list:
    return chart.data[t(key, lang)].tolist()


@pytest.fixture(scope="module")
def others(rubric: RubricSet) -> list[Assessment]:
    return example_assessments(rubric, "en")


@pytest.fixture(scope="module")
def cake(rubric: RubricSet) -> Assessment:
    sheet, _ = load_answers_file(ROOT / "data/examples/cake-shop.yaml", rubric)
    return assess(sheet, rubric)


@pytest.fixture(scope="module")
def heatmap(rubric) -> Chart:
    """Three participants (the first named like an attack) on the first two questions, as the store returns them."""
    first, second = (rubric.choice_questions()[i][1] for i in (0, 1))
    when = pd.Timestamp("2030-01-01", tz="UTC")
    answers = [(1, NASTY, first, 0), (1, NASTY, second, 4), (2, "Bo", first, 2), (3, "Person 3", second, 1)]
    frame = pd.DataFrame([(n, name, None, q.id, q.options[i].id, when) for n, name, q, i in answers],
                         columns=list(FRAME_COLUMNS))
    return charts.heatmap_chart(facilitator_view(frame, rubric), rubric)


@pytest.fixture(scope="module")
def all_charts(cake, others, rubric) -> list[Chart]:
    overlay = charts.radar_overlay_chart([cake, *others], rubric, "en")
    return [*charts.results_charts(cake, rubric, others, "en"), overlay]


def test_every_palette_colour_has_3_to_1_contrast_against_the_background():
    assert BACKGROUND.upper() == "#FFFFFF"
    ratios = {color: contrast(color, BACKGROUND) for color in PALETTE}
    assert all(ratio >= 3.0 for ratio in ratios.values()), ratios
    assert len(set(PALETTE)) == len(PALETTE) >= 6
    assert contrast(TEXT_COLOR, BACKGROUND) >= 4.5


def test_plotlys_default_palette_would_fail_the_same_check():
    assert min(contrast(c, "#FFFFFF") for c in ("#636EFA", "#EF553B", "#00CC96", "#FFA15A", "#19D3F3")) < 3.0


def test_results_charts_come_in_order(all_charts):
    assert [c.key for c in all_charts] == ["radar", "quadrant", "growth", "marginal", "priority", "radar_overlay"]


def test_charts_draw_only_with_palette_colours_on_white(all_charts):
    for chart in all_charts:
        figure = chart.figure.to_plotly_json()
        used = [as_hex(c) for trace in figure["data"] for c in trace_colors(trace)]
        assert used, chart.key
        assert set(used) <= set(PALETTE), (chart.key, set(used) - set(PALETTE))
        shading = [as_hex(s["fillcolor"]) for s in figure["layout"].get("shapes", []) if "fillcolor" in s]
        assert set(shading) <= set(PALETTE), chart.key
        layout = chart.figure.layout
        assert drawn(layout, "plot_bgcolor") == drawn(layout, "paper_bgcolor") == BACKGROUND
        assert list(drawn(layout, "colorway")) == list(PALETTE)
        for note in layout.annotations:
            assert contrast(note_color(layout, note), BACKGROUND) >= 4.5


def test_every_chart_is_drawn_on_the_registered_template(all_charts, heatmap):
    """One theme: fonts, background, colourway, axis and legend styles come from the template, not each chart."""
    registered = pio.templates[TEMPLATE]
    base = registered.layout
    assert base.paper_bgcolor == base.plot_bgcolor == BACKGROUND and list(base.colorway) == list(PALETTE)
    assert base.font.color == base.title.font.color == base.hoverlabel.font.color == TEXT_COLOR
    assert contrast(base.xaxis.linecolor, BACKGROUND) >= 4.5
    assert base.xaxis.to_plotly_json() == base.yaxis.to_plotly_json()
    for chart in [*all_charts, heatmap]:
        layout = chart.figure.layout
        assert layout.template == registered, chart.key
        assert layout.font.family is None and layout.paper_bgcolor is None and layout.colorway is None, chart.key
        assert layout.height >= 320, chart.key  # on the figure: Streamlit sizes the frame from it, not the template


def test_no_chart_module_repeats_a_colour_the_theme_holds():
    """The palette lives in theme.py only: no other chart module (nor the workshop's display) spells a colour."""
    hex_colour = re.compile(r"#[0-9A-Fa-f]{6}\b")
    sources = [*(ROOT / "assessment/charts").glob("*.py"), ROOT / "assessment/workshop/display.py"]
    offenders = {p.name: hex_colour.findall(p.read_text(encoding="utf-8")) for p in sources if p.name != "theme.py"}
    assert len(sources) >= 10 and not any(offenders.values()), offenders


def test_every_chart_has_a_title_axis_titles_a_summary_and_data(all_charts):
    for chart in all_charts:
        layout = chart.figure.layout
        assert chart.title and layout.title.text, chart.key
        if chart.key in ("radar", "radar_overlay"):
            assert layout.polar.radialaxis.title.text
        else:
            assert layout.xaxis.title.text and layout.yaxis.title.text, chart.key
        assert chart.summary.strip().endswith(".") and len(chart.summary) > 20, chart.key
        assert isinstance(chart.data, pd.DataFrame) and not chart.data.empty, chart.key


def test_charts_stay_small(all_charts):
    for chart in all_charts:
        assert len(chart.figure.to_json()) < 120_000, chart.key
        for trace in chart.figure.to_plotly_json()["data"]:
            assert len(trace.get("x", trace.get("r", []))) <= 60, chart.key


# ---------------------------------------------------------------- radar


def test_radar_data_and_traces_are_the_dimension_scores_and_thresholds(cake, rubric):
    chart = charts.radar_chart(cake, rubric)
    scores = [d.score for d in cake.dimensions]
    assert column(chart, "charts_col_score") == pytest.approx(scores)
    assert column(chart, "charts_col_dimension") == [d.title for d in cake.dimensions]
    score_trace, threshold_trace = chart.figure.data
    assert list(score_trace.r) == pytest.approx(scores + scores[:1])
    assert list(threshold_trace.r) == [25, 0, 50, 25]  # user_first ≥ 25, connection has none, model_change ≥ 50
    thresholds = column(chart, "charts_col_threshold")
    assert thresholds[0] == 25 and np.isnan(thresholds[1]) and thresholds[2] == 50
    assert chart.summary.startswith("Product and business model change (17.2) is the furthest below its threshold (50)")
    assert "(Connection)" in chart.summary


def test_radar_says_when_every_threshold_is_met(rubric):
    result = assess(sheet_with(rubric, answers_at(rubric, -1)), rubric)
    chart = charts.radar_chart(result, rubric)
    assert "Every dimension threshold is met" in chart.summary


# ---------------------------------------------------------------- quadrant


def _this_trace(chart: Chart):
    return next(tr for tr in chart.figure.data if "(this business)" in tr.name)


def test_quadrant_places_this_business_at_its_two_rule_dimensions(cake, others, rubric):
    """The rule names model change and user first (no overall): they are the plane; the road is a flag."""
    chart = charts.quadrant_chart(cake, others, rubric)
    this = _this_trace(chart)
    assert list(this.x) == pytest.approx([cake.dimension("user_first").score])
    assert list(this.y) == pytest.approx([cake.dimension("model_change").score])
    assert this.marker.symbol == "star-open"  # the cake shop is on no road: the third condition fails
    table = chart.data
    assert table[t("charts_col_this_business")].tolist() == [True] + [False] * len(others)
    assert table[t("charts_col_business")].tolist() == [cake.business] + [a.business for a in others]


def test_quadrant_plots_every_example_filled_only_when_the_other_conditions_hold(cake, others, rubric):
    chart = charts.quadrant_chart(cake, others, rubric)
    plotted = {
        (round(x, 6), round(y, 6), trace.marker.symbol)
        for trace in chart.figure.data if trace is not _this_trace(chart)
        for x, y in zip(trace.x, trace.y, strict=True)
    }
    road = next(c for c in rubric.meta.classification.internet_plus_when if c.score == "resource_reconfiguration")
    expected = {(round(a.dimension("user_first").score, 6), round(a.dimension("model_change").score, 6),
                 "circle" if next(c for c in a.conditions if c.score == road.score).met else "circle-open")
                for a in others}
    assert plotted == expected
    assert sum(len(tr.x) for tr in chart.figure.data) == len(others) + 1


def test_quadrant_shades_the_internet_plus_region_from_the_rule(cake, others, rubric):
    chart = charts.quadrant_chart(cake, others, rubric)
    rule = {c.score: c.at_least for c in rubric.meta.classification.internet_plus_when}
    region = next(s for s in chart.figure.layout.shapes if s.name == "internet_plus_region")
    assert (region.x0, region.y0, region.x1, region.y1) == (rule["user_first"], rule["model_change"], 100, 100)
    assert any(s.name == "plus_internet_region" for s in chart.figure.layout.shapes)
    labels = {a.text for a in chart.figure.layout.annotations}
    assert {"<b>Internet+</b>", "<b>+Internet</b>"} <= labels
    assert list(chart.figure.layout.xaxis.range) == [0, 100] and list(chart.figure.layout.yaxis.range) == [0, 100]
    assert "outside the Internet+ region" in chart.summary and f"{len(others)} other businesses" in chart.summary


def _with_rule(rubric: RubricSet, conditions: list[Condition]) -> RubricSet:
    classification = rubric.meta.classification.model_copy(update={"internet_plus_when": conditions})
    meta = rubric.meta.model_copy(update={"classification": classification})
    return rubric.model_copy(update={"meta": meta, "digest": rubric.digest + "-rule-test"})


def test_quadrant_follows_a_different_rule(rubric):
    other_rule = _with_rule(rubric, [Condition(score="overall", at_least=40),
                                     Condition(score="connection", at_least=30)])
    result = assess(sheet_with(other_rule, answers_at(other_rule, -1)), other_rule)
    chart = charts.quadrant_chart(result, [], other_rule)
    region = next(s for s in chart.figure.layout.shapes if s.name == "internet_plus_region")
    assert (region.x0, region.y0) == (40, 30)
    assert chart.figure.layout.yaxis.title.text == "Connection (0–100)"
    assert _this_trace(chart).marker.symbol == "star"
    assert "inside the Internet+ region" in chart.summary


# ---------------------------------------------------------------- growth and marginal


def _bars(chart: Chart) -> dict[str, tuple[float, str]]:
    """Each bar's label (unwrapped) → (drawn value, text)."""
    out = {}
    for trace in chart.figure.data:
        for x, y, text in zip(trace.x, trace.y, trace.text, strict=True):
            out[html.unescape(y.replace("<br>", " "))] = (x, html.unescape(text))
    return out


def _log10_int(value: int) -> float:
    """log10 of an exact (arbitrarily large) integer."""
    digits = len(str(value))
    return digits - 1 + math.log10(int(str(value)[:17]) / 10**16)


def test_a_broadcast_only_business_sees_todays_law_and_the_laws_above_in_plain_multiples(cake, rubric):
    """The cake shop: 1,800 → 5,000 people and 0 → 5 businesses, all broadcast (Sarnoff, V = n)."""
    growth = charts.growth_chart(cake, rubric)
    bars = _bars(growth)
    today, pairs, groups = (bars[k] for k in ("People: today's broadcast, at your reachable 5,000",
                                              "People: if your customers dealt with each other one to one",
                                              "People: if your customers formed groups"))
    assert today[1] == "×2.8" and today[0] == pytest.approx(5000 / 1800)
    assert pairs[1] == "×24" and pairs[0] == pytest.approx(5000 * math.log(5000) / 1800)
    assert groups[1] == "×7.8×10^1,501 (off the scale)"  # 2^5000 − 5001 over 1,800: no float holds it
    assert _log10_int(2**5000 - 5001) - math.log10(1800) == pytest.approx(1501 + math.log10(7.8), abs=0.01)
    assert groups[0] == 10.0 ** charts.growth.SCALE_DECADES  # the bar stops at the edge of the scale
    businesses = bars["Businesses: if your partners formed groups with your users"]
    assert businesses[1] == "×5.2" and businesses[0] == pytest.approx((2**5 - 6) / 5)  # none today: × broadcast at 5
    assert "Things: none connected now or within reach" in growth.summary
    assert "if your customers formed groups: ×7.8×10^1,501" in growth.summary
    marginal = _bars(charts.marginal_chart(cake, rubric))
    flat = marginal["People: today's broadcast, after 1,800 now"]
    assert flat == (pytest.approx(1.0), "1: flat, each one adds the same")  # shown, not an empty bar at log 0
    one_to_one = marginal["People: with one-to-one links, after 5,000 reachable"]
    assert one_to_one[0] == pytest.approx(5001 * math.log(5001) - 5000 * math.log(5000))
    assert marginal["Businesses: with group-forming, after 5 reachable"][0] == pytest.approx(2**5 - 1)


def test_the_growth_charts_speak_in_multiples_never_in_log10(cake, rubric):
    for chart in (charts.growth_chart(cake, rubric), charts.marginal_chart(cake, rubric)):
        layout = chart.figure.layout
        words = [layout.xaxis.title.text, layout.yaxis.title.text, *map(str, chart.data.columns), chart.summary,
                 *layout.xaxis.ticktext]
        assert not any(re.search(r"log ?10|log₁₀|log scale|power|对数", w.lower()) for w in words), words
        assert layout.xaxis.ticktext[0] in ("×1", "1") and len(chart.data) >= 6
        assert all(len(trace.x) == len(trace.text) and all(trace.text) for trace in chart.figure.data)


def test_growth_uses_each_nodes_answered_law_and_offers_only_the_laws_above(rubric):
    answers = answers_at(rubric, 0, cn_people_kind="group_forming", cn_businesses_kind="one_to_one",
                         cn_people_now=40, cn_people_reachable=300, cn_businesses_now=1, cn_businesses_reachable=2000)
    result = assess(sheet_with(rubric, answers), rubric)
    chart = charts.growth_chart(result, rubric)
    bars = _bars(chart)
    assert [k for k in bars if k.startswith("People")] == ["People: today's group-forming, at your reachable 300"]
    assert [k for k in bars if k.startswith("Businesses")] == [
        "Businesses: today's one-to-one links, at your reachable 2,000",
        "Businesses: if your partners formed groups with your users"]
    people = bars["People: today's group-forming, at your reachable 300"][0]
    assert people == 10.0 ** charts.growth.SCALE_DECADES  # 2^300 / 2^40 runs off the scale
    assert LAW_NAMES["reed"] in chart.data[t("charts_col_law")].tolist()
    assert "Things: counts not answered" in chart.summary and "Briscoe, Odlyzko & Tilly 2006" in chart.summary


def test_growth_and_marginal_build_without_counts_and_say_so(rubric):
    result = assess(sheet_with(rubric, answers_at(rubric, 1)), rubric)
    growth = charts.growth_chart(result, rubric)
    assert len(growth.figure.data) == 0
    for label in ("People", "Businesses", "Things"):
        assert f"{label}: counts not answered" in growth.summary
    assert any(a.text == "No node counts answered" for a in growth.figure.layout.annotations)
    marginal = charts.marginal_chart(result, rubric)
    assert len(marginal.figure.data) == 0 and "No node counts answered" in marginal.summary


# ---------------------------------------------------------------- priority


def test_priority_has_a_row_per_scored_question_with_its_weight_and_score(cake, rubric):
    chart = charts.priority_chart(cake, rubric)
    questions = rubric.choice_questions()
    assert len(chart.data) == len(questions)
    assert column(chart, "charts_col_weight") == [q.weight or rubric.group_of(q.id).weight for _, q in questions]
    assert column(chart, "charts_col_percent") == [line.percent for line in cake.lines]
    plotted = {(x, y) for trace in chart.figure.data for x, y in zip(trace.customdata, trace.y, strict=True)}
    assert plotted == {(line.percent, line.weight) for line in cake.lines}
    drawn_at = [(x, y) for trace in chart.figure.data for x, y in zip(trace.x, trace.y, strict=True)]
    assert len(drawn_at) == len(set(drawn_at))  # two dimensions at one spot are set apart, never on top of each other
    assert all(abs(x - true) <= 5
               for trace in chart.figure.data for x, true in zip(trace.x, trace.customdata, strict=True))
    assert column(chart, "charts_col_code")[:3] == ["U1", "U2", "U3"]
    hover = html.unescape(" ".join(h for trace in chart.figure.data for h in trace.hovertext).replace("<br>", " "))
    assert all(line.question in hover for line in cake.lines)


def test_priority_names_the_important_and_weak_question_to_act_on_first(cake, rubric):
    chart = charts.priority_chart(cake, rubric)
    weights = [line.weight for line in cake.lines]
    middle = (min(weights) + max(weights)) / 2
    corner = [line for line in cake.lines if line.percent < 50 and line.weight >= middle]
    top = max(corner, key=lambda line: line.weight * (100 - line.percent))
    assert chart.summary.startswith(f"Act first on “{top.question}”")
    assert column(chart, "charts_col_act_first") == [line in corner for line in cake.lines]
    assert any("act first" in a.text for a in chart.figure.layout.annotations)
    corner_shape = next(s for s in chart.figure.layout.shapes if s.name == "act_first")
    assert corner_shape.x1 == 50 and corner_shape.y0 == middle


def test_priority_with_partial_answers_plots_only_the_answered(rubric):
    first = rubric.choice_questions()[0][1]
    result = assess(sheet_with(rubric, {first.id: first.options[0].id}), rubric)
    chart = charts.priority_chart(result, rubric)
    assert sum(len(trace.x) for trace in chart.figure.data) == 1
    assert column(chart, "charts_col_percent")[0] == 0 and pd.isna(column(chart, "charts_col_percent")[1])
    assert first.text["en"] in chart.summary
    empty = charts.priority_chart(assess(sheet_with(rubric, {}), rubric), rubric)
    assert "No scored question is answered yet" in empty.summary and len(empty.figure.data) == 0


# ---------------------------------------------------------------- overlay


def test_radar_overlay_draws_each_business_and_names_the_leader(cake, others, rubric):
    results = [cake, *others]
    chart = charts.radar_overlay_chart(results, rubric)
    assert len(chart.figure.data) == len(results) + 1  # and the thresholds
    for trace, result in zip(chart.figure.data, results, strict=False):  # the last trace: the thresholds
        assert list(trace.r)[:-1] == pytest.approx([d.score for d in result.dimensions])
    leader = max(results, key=lambda a: a.overall)
    assert chart.summary.startswith(f"{leader.business} has the highest overall score")
    assert chart.data[t("charts_col_business")].tolist() == [a.business for a in results]
    styles = [(tr.line.color, tr.line.dash) for tr in chart.figure.data[:-1]]
    assert len(set(styles)) == len(styles)  # no two businesses look alike
    empty = charts.radar_overlay_chart([], rubric)
    assert "No businesses to compare" in empty.summary


# ---------------------------------------------------------------- workshop heatmap


def test_heatmap_colours_each_answer_by_its_score_and_escapes_names(heatmap, rubric):
    trace = heatmap.figure.data[0]
    z = np.asarray(trace.z, dtype=float)
    assert z.shape == (3, len(rubric.choice_questions()))
    first, second = (rubric.choice_questions()[i][1] for i in (0, 1))
    assert list(z[:, 0][:2]) == [0.0, 50.0] and np.isnan(z[2, 0])  # option 0 of 5 is 0 %, option 2 is 50 %
    assert z[0, 1] == 100.0 and np.isnan(z[1, 1]) and z[2, 1] == 25.0
    # The axis names the questions by number and text (shortened), not by id; the hover gives the whole text.
    assert trace.x[0].startswith("1. " + first.text["en"][:20])
    assert trace.x[1].startswith("2. " + second.text["en"][:20])
    assert all(len(html.unescape(label)) <= 30 for label in trace.x) and first.id not in trace.x[0]
    assert trace.colorscale and trace.zmin == 0 and trace.zmax == 100
    raw = heatmap.figure.to_json()
    assert "<img" not in raw and html.escape(NASTY) in trace.y[0]
    assert heatmap.data[t("ws_col_participant")].tolist()[1:] == ["Bo", "Person 3"]
    assert heatmap.summary.startswith("3 participant(s)") and "4 answers so far" in heatmap.summary
    assert heatmap.figure.layout.xaxis.title.text and heatmap.figure.layout.yaxis.title.text


# ---------------------------------------------------------------- escaping and languages


def test_a_business_name_is_never_html_inside_any_figure(rubric, others):
    sheet = sheet_with(rubric, answers_at(rubric, 1, cn_people_now=10, cn_people_reachable=20), NASTY)
    result = assess(sheet, rubric)
    nasty_other = assess(sheet_with(rubric, answers_at(rubric, 2), "<b onmouseover=x>Bold</b>"), rubric)
    figures = [*charts.results_charts(result, rubric, [*others, nasty_other]),
               charts.radar_overlay_chart([result, nasty_other], rubric)]
    for chart in figures:
        raw = chart.figure.to_json()
        texts = strings(json.loads(raw))
        assert not any("<img" in s or "<b onmouseover" in s for s in texts), chart.key
        assert "<img" not in raw and "<img" not in chart.figure.to_html(include_plotlyjs=False, full_html=False)
    quadrant = figures[1]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in s for s in strings(quadrant.figure.to_plotly_json()))
    assert NASTY in quadrant.summary  # plain text outside the figure: the page or report escapes it
    assert NASTY in quadrant.data[t("charts_col_business")].tolist()


@pytest.mark.parametrize("lang", ["zh"])
def test_the_chinese_charts_have_chinese_titles_and_axes(cake, others, rubric, lang):
    result = assess(load_answers_file(ROOT / "data/examples/cake-shop.yaml", rubric)[0], rubric, lang)
    built = [*charts.results_charts(result, rubric, others, lang), charts.radar_overlay_chart([result], rubric, lang)]
    for chart in built:
        assert CJK.search(chart.title) and CJK.search(chart.figure.layout.title.text), chart.key
        assert CJK.search(chart.summary), chart.key
        assert all(CJK.search(str(c)) for c in chart.data.columns if c != "log10"), chart.key
        if chart.key not in ("radar", "radar_overlay"):
            assert CJK.search(chart.figure.layout.xaxis.title.text) and CJK.search(chart.figure.layout.yaxis.title.text)
    assert built[0].title != charts.radar_chart(cake, rubric, "en").title
