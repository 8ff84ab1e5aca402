"""The PDF report: it opens, its first page names the business and the verdict, in English and Chinese; what a
user typed is text; the charts are drawn from the figures' own data; the command line writes it."""

from __future__ import annotations

import html
import io
import math
import re

import pytest
from pypdf import PdfReader
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.charts.spider import SpiderChart

from assessment.answers import load_answers_file
from assessment.charts import results_charts
from assessment.examples import example_assessments
from assessment.i18n import t
from assessment.pdf import report_pdf
from assessment.pdf.drawings import chart_drawing
from assessment.pdf.fonts import CJK, markup
from assessment.pdf.layout import WIDTH
from tests.conftest import ROOT, answers_at, sheet_with
from tests.conftest import assessed as assess
from tests.test_cli import run

CAKE = ROOT / "data/examples/cake-shop.yaml"
NASTY = "<img src=x onerror=alert(1)> & <b>not bold</b>"


@pytest.fixture(scope="module")
def others(rubric):
    return {lang: example_assessments(rubric, lang) for lang in ("en", "zh")}


def _text(data: bytes) -> list[str]:
    """Each page's extracted text, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _pdf(sheet, rubric, others, lang="en"):
    result = assess(sheet, rubric, lang)
    return result, report_pdf(sheet, result, rubric, others[lang])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_first_page_names_the_business_and_the_verdict(rubric, others, lang):
    sheet, _ = load_answers_file(CAKE, rubric)
    result, data = _pdf(sheet, rubric, others, lang)
    assert data.startswith(b"%PDF-")
    first, *rest = _text(data)
    assert rest, "the report runs over several pages"
    for expected in (t("report_title", lang), result.business, t("report_verdict", lang), result.class_label,
                     result.class_summary):
        assert " ".join(expected.split()) in first, expected
    assert ("+互联网" if lang == "zh" else "+Internet") in first
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == t("report_document_title", lang, business=result.business)


def test_the_report_holds_why_rule_changes_recommendations_charts_and_every_answer(rubric, others):
    sheet, _ = load_answers_file(CAKE, rubric)
    result, data = _pdf(sheet, rubric, others)
    text = " ".join(_text(data))
    for sentence in result.explanation[1:4]:
        assert " ".join(sentence.replace("→", "->").split()) in text
    for condition in result.conditions:
        assert condition.name in text
    for rec in result.recommendations:
        assert " ".join(rec.recommendation.split())[:60] in text
    for chart in results_charts(result, rubric, others["en"]):
        assert chart.title in text and t("report_chart_data", "en", title=chart.title) in text
    for line in result.lines:
        assert " ".join(line.question.split())[:40] in text
    assert "1,800" in text and "5,000" in text  # the counts


def test_a_chinese_business_name_in_an_english_report_and_typed_markup_are_plain_text(rubric, others):
    first = rubric.choice_questions()[0][1].id
    sheet = sheet_with(rubric, answers_at(rubric, 1), "小蛋糕店 Cake & Co")
    sheet = sheet.model_copy(update={"sector": NASTY, "notes": {first: "Evidence: <a href='x'>site</a> 证据"}})
    _, data = _pdf(sheet, rubric, others)
    pages = _text(data)
    assert "小蛋糕店 Cake & Co" in pages[0] and NASTY in pages[0]
    note = "".join(["Evidence:", "<a", "href='x'>site</a>", "证据"])
    assert note in "".join("".join(pages).split())  # the note, in the answers table (wrapped in its narrow column)


def test_markup_escapes_and_puts_chinese_runs_in_the_cjk_font():
    assert markup("a < b & c") == "a &lt; b &amp; c"
    assert markup("Cake 蛋糕 shop") == f'Cake <font name="{CJK}">蛋糕</font> shop'
    assert markup("≥ 40 → done") == "&gt;= 40 -&gt; done"  # signs Helvetica lacks, spelled out


def test_a_partial_assessment_says_it_is_provisional(rubric, others):
    question = rubric.choice_questions()[0][1]
    sheet = sheet_with(rubric, {question.id: question.options[-1].id}, "Half done")
    result, data = _pdf(sheet, rubric, others)
    text = " ".join(_text(data))
    assert "1 of 25 scored questions answered (0 “don't know”): scores are ranges" in text
    assert result.class_label in _text(data)[0] and "Undetermined" in _text(data)[0]


def _widgets(drawing, kind):
    found, stack = [], list(drawing.contents)
    while stack:
        node = stack.pop()
        if isinstance(node, kind):
            found.append(node)
        stack.extend(getattr(node, "contents", []))
    return found


def test_the_charts_are_drawn_from_the_same_data_as_the_html_report(rubric, others):
    sheet, _ = load_answers_file(CAKE, rubric)
    result = assess(sheet, rubric)
    charts = {chart.key: chart for chart in results_charts(result, rubric, others["en"])}
    radar = _widgets(chart_drawing(charts["radar"], WIDTH), SpiderChart)[0]
    scores, thresholds = radar.data[-2], radar.data[-1]
    assert scores == pytest.approx([d.low for d in result.dimensions])
    table = charts["radar"].data
    assert thresholds == pytest.approx([0 if math.isnan(v) else v for v in table.iloc[:, 2]])
    figure = charts["marginal"].figure
    bars = _widgets(chart_drawing(charts["marginal"], WIDTH), HorizontalBarChart)[0]
    low = figure.layout.xaxis.range[0]
    drawn = sorted(v for series in bars.data for v in series if v is not None)
    assert drawn == pytest.approx(sorted(max(math.log10(v) - low, 0) for tr in figure.data for v in tr.x))
    assert bars.categoryAxis.categoryNames == [html.unescape(label).replace("<br>", "\n")
                                              for tr in figure.data for label in tr.y]
    quadrant = _widgets(chart_drawing(charts["quadrant"], WIDTH), LinePlot)[0]
    points = sorted(p for row in quadrant.data for p in row)
    figure = charts["quadrant"].figure
    assert points == sorted((float(x), float(y)) for tr in figure.data for x, y in zip(tr.x, tr.y, strict=True))
    growth = charts["growth"].figure
    steps = _widgets(chart_drawing(charts["growth"], WIDTH), HorizontalBarChart)[0].valueAxis
    assert steps.valueSteps == pytest.approx([math.log10(v) - growth.layout.xaxis.range[0]
                                              for v in growth.layout.xaxis.tickvals])  # plotly's decades, kept
    assert [steps.labelTextFormat(v) for v in steps.valueSteps] == list(growth.layout.xaxis.ticktext)


def test_cli_writes_the_pdf_with_the_flag_or_the_suffix(tmp_path):
    for args, out in ((["--pdf"], tmp_path / "report.out"), ([], tmp_path / "report.pdf")):
        done = run("report", str(CAKE), "--out", str(out), "--lang", "zh", *args)
        assert done.returncode == 0, done.stderr
        first = _text(out.read_bytes())[0]
        assert "Sweet Crumbs Cake Shop" in first and "+互联网" in first
    done = run("report", str(CAKE), "--out", str(tmp_path / "r.html"))
    assert done.returncode == 0 and (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_note_longer_than_a_page_and_characters_no_font_has_do_not_break_the_report(rubric, others):
    """A table row taller than a page used to stop reportlab (LayoutError); the row now splits across pages."""
    first = rubric.choice_questions()[0][1].id
    note = "Evidence https://example.com/" + "a" * 300 + " " + "word " * 1500 + "THE-END"
    sheet = sheet_with(rubric, answers_at(rubric, 1), "🍰 Cake Ω").model_copy(update={"notes": {first: note}})
    _, data = _pdf(sheet, rubric, others)
    pages = _text(data)
    assert "Cake Ω" in pages[0] and "THE-END" in pages[-1] + pages[-2] + pages[-3]


def test_table_columns_are_wide_enough_for_their_longest_word_and_ticks_stay_short(rubric, others):
    from assessment.pdf.xy import tick

    sheet, _ = load_answers_file(CAKE, rubric)
    _, data = _pdf(sheet, rubric, others)
    text = " ".join(_text(data))
    assert "Internet+" in text and not re.search(r"Interne\s+t\+|\+Intern\s+et", text)  # the class column
    assert [tick(v) for v in (0, 250, 12_500, 2.5, 361_235_994.8)] == ["0", "250", "12,500", "2.5", "3.6e+08"]
