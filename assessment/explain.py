"""The "Why" of a verdict in plain sentences, most important first.

The first three sentences carry the verdict: what it is (and whether the
unknown answers could change it), the condition that decides it, and the road
the business is furthest along. The rest retrace every number.
"""

from __future__ import annotations

from assessment.i18n import t, tn
from assessment.localise import AssessmentView, ConditionView
from assessment.models import RubricSet
from assessment.vocabulary import ClassCode


def explain(result: AssessmentView, rubric: RubricSet, lang: str) -> list[str]:
    return [
        _verdict(result, lang),
        _deciding(result, lang),
        _road(result, lang),
        *_overall(result, lang),
        *(_condition(check, lang) for check in result.conditions),
        *_strongest_weakest(result, lang),
        *_changes(result, lang),
    ]


def _verdict(result: AssessmentView, lang: str) -> str:
    sentence = t("explain_verdict", lang, business=result.business, label=result.class_label,
                 summary=result.class_summary)
    unknown = result.questions - result.answered
    if result.class_code == ClassCode.UNDETERMINED:
        names = "; ".join(u.question for u in result.unknowns[:5])
        return sentence + " " + tn("explain_undetermined", unknown, lang, questions=names)
    if unknown:
        return sentence + " " + tn("explain_whatever_unknowns", unknown, lang, label=result.class_label)
    return sentence


def _deciding(result: AssessmentView, lang: str) -> str:
    """The weakest condition: the one the verdict turns on (and the margin is measured on)."""
    if result.deciding_condition is not None:
        check = result.conditions[result.deciding_condition]
        if result.class_code == ClassCode.INTERNET_PLUS:
            return t("explain_deciding_met", lang, name=check.name, value=_n(check.low),
                     threshold=f"{check.threshold:g}", gap=_n(check.gap))
        return t("explain_deciding_unmet", lang, name=check.name, value=_n(check.high),
                 threshold=f"{check.threshold:g}", gap=_n(-check.gap))
    open_ = [c for c in result.conditions if c.met is None]
    return t("explain_deciding_open", lang, names=", ".join(c.name for c in open_))


def _road(result: AssessmentView, lang: str) -> str:
    best = next((r for r in result.roads if r.best), None)
    if best is None:
        return t("explain_no_road", lang)
    return t("explain_best_road", lang, road=best.title, answer=best.answer, level=f"{best.level:.0f}")


def _overall(result: AssessmentView, lang: str) -> list[str]:
    if result.overall is not None:
        parts = " + ".join(f"{d.title} {d.low:.1f} × {d.weight:g}" for d in result.dimensions)
        weights = sum(d.weight for d in result.dimensions)
        out = [t("explain_overall", lang, parts=parts, weights=f"{weights:g}", overall=_n(result.overall))]
    else:
        out = [t("explain_overall_range", lang, low=_n(result.overall_low), high=_n(result.overall_high))]
    if result.margin is not None:
        out.append(result.headline)  # the distance to the boundary, in the words the page, CSV and report use
    if result.borderline:
        out.append(t("explain_borderline", lang))
    return out


def _condition(check: ConditionView, lang: str) -> str:
    threshold = f"{check.threshold:g}"
    if check.met is None:
        return t("explain_condition_open", lang, name=check.name, low=_n(check.low), high=_n(check.high),
                 threshold=threshold)
    value = _n(check.low) if check.low == check.high else f"{_n(check.low)}–{_n(check.high)}"
    key = "explain_condition_met" if check.met else "explain_condition_unmet"
    return t(key, lang, name=check.name, value=value, threshold=threshold, gap=_n(abs(check.gap)))


def _strongest_weakest(result: AssessmentView, lang: str) -> list[str]:
    answered = [line for line in result.lines if line.state == "answered" and line.counts]
    if not answered:
        return []
    strongest = sorted(answered, key=lambda line: -line.contribution_overall)[:3]
    weakest = sorted(answered, key=lambda line: (line.percent or 0.0, -line.weight))[:3]
    return [
        t("explain_strongest", lang,
          items="; ".join(f"{x.question} → {x.answer} (+{x.contribution_overall:.1f})" for x in strongest)),
        t("explain_weakest", lang, items="; ".join(f"{x.question} → {x.answer} ({x.percent:.0f}%)" for x in weakest)),
    ]


def _changes(result: AssessmentView, lang: str) -> list[str]:
    if not result.changes:
        return []
    return [tn("explain_changes", len(result.changes), lang, label=result.changes_to)]


def _n(value: float) -> str:
    return f"{value:.1f}"
