"""An assessment as a terminal reads it, in the assessment's language, columns aligned by display width."""

from __future__ import annotations

from assessment.formatting import big_number, multiple_text, number, pad, plain_number, score_text, width
from assessment.i18n import t, tn
from assessment.localise import AssessmentView, ChangeView
from assessment.network import LAW_NAMES, GrowthRow, scenarios, whatif


def render_text(result: AssessmentView) -> str:
    """Verdict, scores, why, unknowns, steps, roads, next steps and growth."""
    lang = result.language
    out = [f"{result.business} — {_verdict_words(result)}",
           t("cli_header", lang, id=result.rubric_id, version=result.rubric_version, answered=result.answered,
             total=result.questions, dont_know=result.dont_know),
           "", *_scores(result)]
    out += ["", t("why", lang)] + [f"  - {line}" for line in result.explanation]
    if result.unknowns:
        out += ["", t("cli_unknowns", lang)]
        out += [f"  - [{u.question_id}] {u.question} {t('cli_unknown_swing', lang, swing=f'{u.swing:.1f}')}"
                for u in result.unknowns]
    if result.changes:
        out += ["", tn("cli_changes", len(result.changes), lang, label=result.changes_to)]
        out += _steps(result.changes, lang)
    out += _roads(result)
    if result.recommendations:
        out += ["", t("recommendations_title", lang)]
        out += [f"  {i}. [{r.question_id}] {t('cli_next', lang, gain=f'{r.gain:.1f}', recommendation=r.recommendation)}"
                for i, r in enumerate(result.recommendations, 1)]
    if result.growth:
        out += ["", t("cli_growth", lang)]
        labels = [row.node_label for row in result.growth]
        column = max(width(label) for label in labels) + 2
        for row in result.growth:
            out += _growth_lines(row, column, lang)
    return "\n".join(out)


def _verdict_words(result: AssessmentView) -> str:
    """The headline the app, the CSV and the report use; overall's range while undetermined; the borderline flag."""
    lang = result.language
    words = result.headline
    if result.margin is None:
        words += f" {t('overall', lang)} {score_text(result.overall_low, result.overall_high)}"
    return words + (t("cli_borderline", lang) if result.borderline else "")


def _scores(result: AssessmentView) -> list[str]:
    lang = result.language
    names = [d.title for d in result.dimensions] + [t("overall", lang)]
    column = max(width(name) for name in names) + 2
    out = [t("cli_scores", lang)]
    for d in result.dimensions:
        detail = t("cli_dimension", lang, weight=f"{d.weight:g}", answered=d.answered, questions=d.questions)
        out.append(f"  {pad(d.title, column)}{score_text(d.low, d.high):>11}  {detail}")
    out.append(f"  {pad(t('overall', lang), column)}{score_text(result.overall_low, result.overall_high):>11}")
    return out


def _steps(changes: list[ChangeView], lang: str) -> list[str]:
    return [f"  {i}. [{c.question_id}] {c.question}\n     {c.from_answer} → {c.to_answer}\n"
            f"     {t('change_gain', lang, gain=f'{c.overall_gain:+.1f}')}" for i, c in enumerate(changes, 1)]


def _roads(result: AssessmentView) -> list[str]:
    if not result.roads:
        return []
    lang = result.language
    out = ["", t("roads_title", lang)]
    for road in result.roads:
        mark = f" ({t('road_best', lang)})" if road.best else ""
        where = "—" if road.level is None else f"{road.level:.0f}%"
        path = tn("cli_road_steps", len(road.changes), lang) if road.found else t("cli_road_none", lang)
        out.append(f"  {road.title}{mark}: {where} · {path}")
    return out


def _growth_lines(row: GrowthRow, column: int, lang: str) -> list[str]:
    label = "  " + pad(row.node_label, column)
    if row.n_now is None or row.n_reachable is None:
        return [label + t("cli_growth_no_counts", lang)]
    if row.n_reachable < 1:
        return [label + t("cli_growth_none", lang)]
    lines = [label + t("cli_growth_line", lang, now=number(row.n_now), reachable=number(row.n_reachable),
                       law=LAW_NAMES[row.law], assumed=t("cli_growth_assumed", lang) if row.law_assumed else "",
                       value_now=big_number(_zero_if_none(row.log10_value_now), lang),
                       value_reachable=big_number(_zero_if_none(row.log10_value_reachable), lang))]
    if row.log10_marginal_reachable is not None:
        next_value = big_number(row.log10_marginal_reachable, lang)
        lines.append("  " + " " * column + t("cli_growth_next", lang, value=next_value))
    for scenario in scenarios(row)[1:]:  # the laws above today's, as the growth chart shows them
        words = t("cli_growth_whatif", lang, whatif=whatif(row.node, scenario.law, lang),
                  multiple=multiple_text(scenario.log10_multiple_reachable, lang),
                  next=plain_number(scenario.log10_next_reachable, lang))
        lines.append("  " + " " * column + words)
    return lines


def _zero_if_none(log10: float | None) -> float:
    """A stored log10; None stands for a value of 0 (log10 −inf), which big_number reads as '0'."""
    return float("-inf") if log10 is None else log10
