"""The PDF report of one assessment: the HTML report's sections, in the same order and the same words.

The first page carries the business, the facts of the assessment and the verdict; then why, the scores, the
rule, what would change the verdict, the roads, the unknown answers, the recommendations, the charts (each
drawn, with its summary and data table) and every answer with its note.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pandas as pd
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, ListFlowable, ListItem, SimpleDocTemplate, Spacer

from assessment.answers import AnswerSheet
from assessment.charts import results_charts
from assessment.examples import example_assessments
from assessment.formatting import number_text, score_text
from assessment.headline import gap_words
from assessment.i18n import t, tn
from assessment.localise import AssessmentView
from assessment.models import RubricSet, text
from assessment.pdf.drawings import chart_drawing
from assessment.pdf.fonts import register
from assessment.pdf.layout import MARGIN_X, MARGIN_Y, PAGE, WIDTH, bold_then, facts, para, styles, table, verdict_box
from assessment.report import cell_text, count_rows, dimension_answers, is_number, records

_Words = Callable[..., str]


def report_pdf(sheet: AnswerSheet, result: AssessmentView, rubric: RubricSet,
               others: list[AssessmentView] | None = None) -> bytes:
    """The whole report as PDF bytes, in ``result.language``."""
    register()
    lang = result.language
    if others is None:
        others = example_assessments(rubric, lang)

    def tr(key: str, **values: Any) -> str:
        return t(key, lang, **values)

    story = [
        *_opening(result, rubric, tr), *_verdict(result, rubric, tr), *_why(result, tr), *_scores(result, tr),
        *_rule(result, rubric, tr), *_changes(result, tr), *_roads(result, tr), *_unknowns(result, tr),
        *_recommendations(result, tr), *_charts(result, rubric, others, tr), *_answers(sheet, result, rubric, tr),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_Y, bottomMargin=MARGIN_Y,
        title=tr("report_document_title", business=result.business), author=result.assessor or "",
        subject=tr("report_title"), creator="python -m assessment", lang=lang,
    )
    footer = tr("report_footer", id=result.rubric_id, version=result.rubric_version)

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        line = para(f"{footer} · {doc.page}", "footer")
        line.wrapOn(canvas, WIDTH, MARGIN_Y)
        line.drawOn(canvas, MARGIN_X, MARGIN_Y / 2 - 4)
        canvas.restoreState()

    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def _section(title: str) -> list[Flowable]:
    """A section heading that never ends a page alone."""
    return [CondPageBreak(60), para(title, "h2")]


def _opening(result: AssessmentView, rubric: RubricSet, tr: _Words) -> list[Flowable]:
    given = tr("report_not_given")
    return [
        para(tr("report_title"), "title"),
        para(result.business, "subtitle"),
        *_section(tr("report_about")),
        facts([
            (tr("report_business"), result.business),
            (tr("report_sector"), result.sector or given),
            (tr("report_assessor"), result.assessor or given),
            (tr("report_date"), result.date.isoformat() if result.date else given),
            (tr("report_rubric"), tr("report_rubric_value", title=text(rubric.meta.title, result.language),
                                     id=result.rubric_id, version=result.rubric_version)),
            (tr("report_completeness"), tr("report_completeness_value", answered=result.answered,
                                           total=result.questions, dont_know=result.dont_know)),
        ]),
    ]


def _verdict(result: AssessmentView, rubric: RubricSet, tr: _Words) -> list[Flowable]:
    within = f"{rubric.meta.classification.borderline_within:g}"
    out = [
        *_section(tr("report_verdict")),
        verdict_box(result.class_label, result.class_code),
        para(result.class_summary),
        facts([
            (tr("report_class"), result.class_label),
            (tr("report_margin"), result.headline),
            (tr("report_certainty"), result.explanation[0] if result.explanation else ""),
            (tr("report_borderline"), tr("report_borderline_yes" if result.borderline else "report_borderline_no",
                                         within=within)),
        ]),
    ]
    if result.provisional:
        out += [Spacer(1, 6), para(tr("report_provisional", answered=result.answered, total=result.questions,
                                      dont_know=result.dont_know), "note")]
    return out


def _bullets(items: list[Any], kind: str = "bullet") -> ListFlowable:
    """A bulleted (or, with ``kind="1"``, numbered) list; an item may be several flowables."""
    return ListFlowable([ListItem(item, leftIndent=12) for item in items], bulletType=kind, leftIndent=12,
                        bulletFontSize=8 if kind == "bullet" else 9, bulletFontName=styles()["body"].fontName)


def _why(result: AssessmentView, tr: _Words) -> list[Flowable]:
    return [*_section(tr("report_why")), _bullets([para(sentence) for sentence in result.explanation])]


def _scores(result: AssessmentView, tr: _Words) -> list[Flowable]:
    rows = [[d.title, score_text(d.low, d.high), f"{d.weight:g}", f"{d.answered}/{d.questions}"]
            for d in result.dimensions]
    rows.append([tr("overall"), score_text(result.overall_low, result.overall_high), "",
                 f"{result.answered}/{result.questions}"])
    header = [tr("report_dimension"), tr("report_score"), tr("report_weight"), tr("report_answered")]
    return [*_section(tr("report_scores")), para(tr("report_scores_caption"), "caption"),
            *table(header, rows, numeric=(1, 2, 3), widths=(0.52, 0.16, 0.14, 0.18))]


def _rule(result: AssessmentView, rubric: RubricSet, tr: _Words) -> list[Flowable]:
    lang = result.language
    intro = tr("report_rule_intro", internet_plus=rubric.class_label("internet_plus", lang),
               plus_internet=rubric.class_label("plus_internet", lang))
    rows = [[c.name, score_text(c.low, c.high), f">= {c.threshold:g}", gap_words(c, lang),
             tr("report_depends") if c.met is None else tr("report_yes" if c.met else "report_no")]
            for c in result.conditions]
    header = [tr("report_condition"), tr("report_value"), tr("report_threshold"), tr("report_gap"), tr("report_met")]
    return [*_section(tr("report_rule")), para(intro),
            *table(header, rows, numeric=(1, 2, 3), widths=(0.4, 0.16, 0.14, 0.14, 0.16))]


def _changes(result: AssessmentView, tr: _Words) -> list[Flowable]:
    out = _section(tr("report_changes"))
    if not result.changes:
        return [*out, para(tr("report_changes_none"))]
    intro = tn("report_changes_intro", len(result.changes), result.language, label=result.changes_to,
               overall=number_text(result.overall_after_changes))
    rows = [[str(i), c.question, c.from_answer, c.to_answer, number_text(c.overall_gain, sign=True)]
            for i, c in enumerate(result.changes, 1)]
    header = [tr("report_step"), tr("report_question"), tr("report_from"), tr("report_to"), tr("report_overall_gain")]
    return [*out, para(intro), *table(header, rows, numeric=(0, 4), widths=(0.07, 0.35, 0.22, 0.22, 0.14))]


def _roads(result: AssessmentView, tr: _Words) -> list[Flowable]:
    if not result.roads:
        return []
    rows = []
    for road in result.roads:
        name = f"{road.title} ({tr('report_road_best')})" if road.best else road.title
        if road.found:
            steps = "; ".join(f"{c.question} -> {c.to_answer}" for c in road.changes)
            path = tn("report_road_steps", len(road.changes), result.language, label=result.changes_to) + ": " + steps
        else:
            path = tr("report_road_none")
        rows.append([name, number_text(road.level, 0), path])
    header = [tr("report_road"), tr("report_road_level"), tr("report_road_path")]
    return [*_section(tr("report_roads")), *table(header, rows, numeric=(1,), widths=(0.28, 0.14, 0.58))]


def _unknowns(result: AssessmentView, tr: _Words) -> list[Flowable]:
    if not result.unknowns:
        return []
    rows = [[u.question, tr("dont_know") if u.state == "dont_know" else tr("unanswered"), number_text(u.swing)]
            for u in result.unknowns]
    header = [tr("report_question"), tr("report_answer"), tr("report_swing")]
    return [*_section(tr("report_unknowns")), para(tr("report_unknowns_intro")),
            *table(header, rows, numeric=(2,), widths=(0.6, 0.22, 0.18))]


def _recommendations(result: AssessmentView, tr: _Words) -> list[Flowable]:
    out = _section(tr("report_recommendations"))
    if not result.recommendations:
        return [*out, para(tr("report_recommendations_none"))]
    items = [[
        bold_then(rec.question, "(" + tr("report_next_gain", answer=rec.next_answer, gain=number_text(rec.gain)) + ")"),
        para(rec.recommendation),
        para(tr("report_current_answer", answer=rec.answer), "caption"),
    ] for rec in result.recommendations]
    return [*out, _bullets(items, "1")]


def _charts(result: AssessmentView, rubric: RubricSet, others: list[AssessmentView], tr: _Words) -> list[Flowable]:
    lang = result.language
    out = _section(tr("report_charts"))
    for chart in results_charts(result, rubric, others, lang):
        drawing = chart_drawing(chart, WIDTH)
        head = [para(chart.title, "h3"), *([drawing] if drawing is not None else []), para(chart.summary, "caption")]
        rows = [[cell_text(v, lang) for v in row] for row in records(chart.data)]
        numeric = [i for i, column in enumerate(chart.data.columns) if is_number(_first(chart.data[column]))]
        out += [KeepTogether(head), Spacer(1, 3), para(tr("report_chart_data", title=chart.title), "table_caption"),
                *table([str(c) for c in chart.data.columns], rows, numeric=numeric)]
    return out


def _first(values: Any) -> Any:
    """The column's first value that is there (not None nor NaN): what kind of column it is."""
    present = [v for v in values if v is not None and not pd.isna(v)]
    return present[0] if present else None


def _answers(sheet: AnswerSheet, result: AssessmentView, rubric: RubricSet, tr: _Words) -> list[Flowable]:
    out = _section(tr("report_answers"))
    header = [tr("report_question"), tr("report_answer"), tr("report_percent"), tr("report_weight"),
              tr("report_contribution"), tr("report_note")]
    for dimension in dimension_answers(result):
        rows = [[line.question, line.answer if line.answer_id else tr("unanswered"), number_text(line.percent, 0),
                 f"{line.weight:g}", number_text(line.contribution_overall, 2), line.note]
                for line in dimension["lines"]]
        out += table(header, rows, numeric=(2, 3, 4), widths=(0.3, 0.22, 0.08, 0.08, 0.1, 0.22),
                     caption=dimension["title"])
    counts = count_rows(sheet, rubric, result.language)
    if counts:
        out += table([tr("report_question"), tr("report_count")], [[c["question"], c["value"]] for c in counts],
                     numeric=(1,), widths=(0.8, 0.2), caption=tr("report_counts"))
    return out

