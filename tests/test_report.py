"""The HTML report: offline, escaped, complete, printable, with a proper outline, in both languages."""

from __future__ import annotations

import html
import itertools
import re
import subprocess
import sys
from html.parser import HTMLParser

import pandas as pd
import plotly.offline
import pytest

from assessment.answers import load_answers_file
from assessment.examples import example_assessments
from assessment.i18n import t
from assessment.localise import AssessmentView as Assessment
from assessment.models import RubricSet
from assessment.report import PLOTLY_BUNDLE, REPORT_TRACES, report_html
from tests.conftest import ROOT, answers_at, sheet_with
from tests.conftest import assessed as assess

NASTY = "<img src=x onerror=alert(1)>"
CAKE = ROOT / "data/examples/cake-shop.yaml"


class Page(HTMLParser):
    """What the browser would see: elements with their attributes, text outside scripts, scripts."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in: list[str] = []
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        (self.scripts if self._in and self._in[-1] in ("script", "style") else self.text).append(data)

    def attrs(self, name: str) -> list[str]:
        return [a[name] or "" for _, a in self.tags if name in a]

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for name, a in self.tags if name == tag]


@pytest.fixture(scope="module")
def others(rubric: RubricSet) -> list[Assessment]:
    return example_assessments(rubric, "en")


@pytest.fixture(scope="module")
def cake_report(rubric, others) -> tuple[Assessment, str]:
    sheet, _ = load_answers_file(CAKE, rubric)
    result = assess(sheet, rubric)
    return result, report_html(sheet, result, rubric, others)


def test_the_report_is_offline(cake_report):
    _, source = cake_report
    page = Page(source)
    links = page.attrs("src") + page.attrs("href")
    assert not [link for link in links if re.match(r"\s*(https?:)?//", link, re.I)]
    assert not page.all("link") and not page.all("img") and not page.all("iframe")
    assert all("src" not in attrs for attrs in page.all("script"))
    # not even inside plotly.js does a URL sit in an attribute-like src=/href=
    assert not re.search(r"""(?:src|href)\s*=\s*\\?["'`]?\s*(?:https?:)?//""", source, re.I)
    style = source[source.index("<style>") : source.index("</style>")]
    assert "@import" not in style and "url(" not in style and "@font-face" not in style  # no web fonts, no remote CSS


def test_plotly_js_is_embedded_once_inline_and_every_chart_uses_it(cake_report):
    _, source = cake_report
    header = PLOTLY_BUNDLE.read_text(encoding="utf-8")[:400]
    assert source.count(header) == 1
    assert plotly.offline.get_plotlyjs()[:400] not in source  # the partial bundle, not plotly's whole library
    assert len(Page(source).all("script")) == 1 + 5  # the library, then one script per chart
    assert source.count("Plotly.newPlot(") == 5
    for key in ("radar", "quadrant", "growth", "marginal", "priority"):
        assert f'id="chart-{key}"' in source


def test_the_document_declares_language_charset_and_title(cake_report, rubric, others):
    result, source = cake_report
    assert source.startswith("<!DOCTYPE html>") and '<html lang="en">' in source
    assert '<meta charset="utf-8">' in source
    assert f"<title>{html.escape(result.business)} — Internet+ assessment report</title>" in source


def test_the_report_holds_the_verdict_why_rule_changes_recommendations_and_answers(cake_report, rubric):
    result, source = cake_report
    text = html.unescape(" ".join(Page(source).text))
    for expected in [result.business, result.sector, result.assessor, "2026-11-26", "internet_plus", "version 2.0",
                     result.class_label, result.class_summary, "No: more than 5 points",
                     "+Internet: 50.0 points short of the Internet+ boundary on Resources reconfigured (best road)."]:
        assert expected in text, expected
    for sentence in result.explanation:
        assert sentence in text
    for condition in result.conditions:
        assert condition.name in text
    assert f"{len(result.changes)} steps of one option each would make it Internet+ for certain" in text
    for road in result.roads:
        assert road.title in text
    for change in result.changes:
        assert change.question in text and change.to_answer in text
    for rec in result.recommendations:
        assert rec.recommendation in text
    for line in result.lines:
        assert line.question in text and line.answer in text
    for count in ("1,800", "5,000"):
        assert count in text


def test_the_charts_come_with_title_summary_and_data_table(cake_report, rubric, others):
    from assessment.charts import results_charts

    result, source = cake_report
    text = html.unescape(" ".join(Page(source).text))
    for chart in results_charts(result, rubric, others):
        assert chart.title in text and chart.summary in text
        assert t("report_chart_data", "en", title=chart.title) in text
    page = Page(source)
    plots = [a for a in page.all("div") if a.get("role") == "img"]
    assert len(plots) == 5 and all(a.get("aria-labelledby") and a.get("aria-describedby") for a in plots)


def test_user_typed_text_is_escaped_in_the_body_and_in_the_figures(rubric, others):
    sheet = sheet_with(rubric, answers_at(rubric, 1, cn_people_now=10, cn_people_reachable=20), NASTY)
    sheet = sheet.model_copy(update={"sector": "<script>alert('s')</script>", "assessor": '"><svg onload=alert(2)>'})
    result = assess(sheet, rubric)
    source = report_html(sheet, result, rubric, others)
    page = Page(source)
    assert not page.all("img") and not page.all("svg")
    assert "<img" not in source and "<svg onload" not in source and "<script>alert" not in source
    text = " ".join(page.text)
    assert NASTY in text and "<script>alert('s')</script>" in text and '"><svg onload=alert(2)>' in text
    figures = [s for s in page.scripts if "Plotly.newPlot" in s]
    assert figures and any("&lt;img src=x onerror=alert(1)&gt;" in s for s in figures)
    assert not any("\\u003cimg" in s or "<img" in s for s in figures)  # not even JSON-encoded raw markup


def test_print_stylesheet_is_present(cake_report):
    _, source = cake_report
    style = source[source.index("<style>") : source.index("</style>")]
    assert "@media print" in style and "size: A4" in style
    assert re.search(r"thead\s*{\s*display:\s*table-header-group", style)
    assert re.search(r"\.modebar[^{]*{\s*display:\s*none", style)
    assert re.search(r"(figure|\.plot)[^{]*{[^}]*break-inside:\s*avoid", style)
    assert '"displayModeBar": false' in source


def test_headings_form_an_outline_and_tables_have_scoped_headers(cake_report):
    _, source = cake_report
    page = Page(source)
    levels = [int(tag[1]) for tag, _ in page.tags if re.fullmatch(r"h[1-6]", tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    headers = page.all("th")
    assert headers and all(a.get("scope") in ("col", "row") for a in headers)
    assert len(page.all("table")) >= 10


def test_the_chinese_report_is_in_chinese(rubric, others):
    sheet, _ = load_answers_file(CAKE, rubric)
    result = assess(sheet, rubric, "zh")
    source = report_html(sheet, result, rubric, others)
    assert '<html lang="zh">' in source
    for key in ("report_title", "report_verdict", "report_changes", "report_recommendations", "report_answers"):
        assert t(key, "zh") in source
    assert "+互联网" in source and "What would change the verdict" not in source


def test_a_partial_assessment_is_marked_provisional(rubric, others):
    first = rubric.choice_questions()[0][1]
    sheet = sheet_with(rubric, {first.id: first.options[-1].id}, "Half done")
    result = assess(sheet, rubric)
    source = report_html(sheet, result, rubric, others)
    assert "1 of 25 scored questions answered (0 “don't know”): scores are ranges" in html.unescape(source)
    assert t("unanswered", "en") in html.unescape(source) and "Undetermined" in html.unescape(source)
    for unknown in result.unknowns:
        assert unknown.question in html.unescape(source)
    assert "not answered" in source


def test_cli_writes_the_report(tmp_path):
    out = tmp_path / "r.html"
    done = subprocess.run([sys.executable, "-m", "assessment", "report", str(CAKE), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    source = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in source and "Sweet Crumbs Cake Shop" in source and source.count("Plotly.newPlot(") == 5


def test_the_report_is_at_most_two_megabytes(rubric, others):
    """Issue 10: the report was 4.9 MB with the whole of plotly.js inside."""
    for example in ("cake-shop", "mobile-wallet"):
        sheet, _ = load_answers_file(ROOT / f"data/examples/{example}.yaml", rubric)
        for lang in ("en", "zh"):
            size = len(report_html(sheet, assess(sheet, rubric, lang), rubric, others).encode("utf-8"))
            assert size <= 2 * 1024 * 1024, (example, lang, size)


def test_the_partial_bundle_is_the_plotly_js_version_plotly_py_writes_figures_for():
    head = PLOTLY_BUNDLE.read_text(encoding="utf-8")[:200]
    assert f"plotly.js v{plotly.offline.get_plotlyjs_version()} " in head
    for trace in REPORT_TRACES:
        assert trace in head


def test_every_chart_of_the_report_is_a_trace_type_the_bundle_draws(cake_report, rubric, others):
    from assessment.charts import results_charts

    result, _ = cake_report
    types = {trace.type for chart in results_charts(result, rubric, others) for trace in chart.figure.data}
    assert types and types <= REPORT_TRACES


def test_a_chart_the_bundle_cannot_draw_is_refused_not_left_blank(cake_report, rubric, others):
    import plotly.graph_objects as go

    from assessment.charts import Chart
    from assessment.report import _chart_block

    heatmap = Chart("heatmap", "t", go.Figure(go.Heatmap(z=[[1, 2]])), "s", pd.DataFrame({"a": [1]}))
    with pytest.raises(ValueError, match="heatmap"):
        _chart_block(heatmap, "en")
