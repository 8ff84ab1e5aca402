"""The answers file: what loads, what is reported, and that nothing valid is dropped."""

from __future__ import annotations

import json

import pytest

from assessment.answers import AnswerSheet, dump_answers, parse_answers
from assessment.problems import InputError
from tests.conftest import answers_at, sheet_with


def answers_yaml(rubric, answers: str, version: str | None = None) -> str:
    return (
        "business: Corner Bakery\nsector: Food\nassessor: Ana\ndate: 2026-11-01\n"
        f"rubric:\n  id: {rubric.id}\n  version: \"{version or rubric.version}\"\n"
        f"answers:\n{answers}"
    )


def test_round_trip_yaml_and_json(rubric):
    sheet = sheet_with(rubric, answers_at(rubric, 2, cn_people_now=120.0, cn_people_reachable=5000.0), "Café Zoë 咖啡")
    for fmt, name in (("yaml", "a.yaml"), ("json", "a.json")):
        loaded, problems = parse_answers(dump_answers(sheet, fmt).encode(), name, rubric)
        assert problems == []
        assert loaded.business == "Café Zoë 咖啡" and loaded.answers == sheet.answers


def test_unknown_ids_and_bad_values_are_reported_and_the_rest_kept(rubric):
    first = rubric.choice_questions()[0][1]
    second = rubric.choice_questions()[1][1]
    text = answers_yaml(
        rubric,
        f"  {first.id}: {first.options[1].id}\n  no_such_question: x\n  {second.id}: maybe\n  cn_people_now: lots\n",
    )
    sheet, problems = parse_answers(text, "mine.yaml", rubric)
    assert sheet.answers == {first.id: first.options[1].id}
    messages = [str(p) for p in problems]
    assert messages[0] == ("mine.yaml:10: answers.no_such_question: unknown question id 'no_such_question' "
                           f"(not in rubric set {rubric.id} {rubric.version})")
    assert messages[1].startswith(f"mine.yaml:11: answers.{second.id}: 'maybe' is not an option of this question "
                                  "(allowed: ")
    assert messages[2] == "mine.yaml:12: answers.cn_people_now: expected a number, got 'lots'"


def test_a_different_rubric_version_is_a_warning_not_a_loss(rubric):
    first = rubric.choice_questions()[0][1]
    sheet, problems = parse_answers(answers_yaml(rubric, f"  {first.id}: {first.options[0].id}\n", "0.9"), "old.yaml",
                                    rubric)
    assert sheet.answers == {first.id: first.options[0].id}
    (problem,) = problems
    assert problem.severity == "warning" and problem.path == "rubric.version" and problem.line == 7
    assert "version 0.9" in problem.message and rubric.version in problem.message


def test_null_answers_are_simply_unanswered(rubric):
    first = rubric.choice_questions()[0][1]
    sheet, problems = parse_answers(answers_yaml(rubric, f"  {first.id}: null\n"), "t.yaml", rubric)
    assert sheet.answers == {} and problems == []


def test_counts_outside_range_or_boolean_are_refused(rubric):
    sheet, problems = parse_answers(answers_yaml(rubric, "  cn_people_now: -5\n  cn_things_now: true\n"), "t.yaml",
                                    rubric)
    assert sheet.answers == {}
    assert "outside 0" in problems[0].message and "expected a number" in problems[1].message


@pytest.mark.parametrize(
    "content, expected",
    [
        ("business: [unclosed\n", "t.yaml:2: YAML syntax error"),
        ("- just\n- a list\n", "t.yaml:1: expected a mapping"),
        ("sector: x\nrubric: {id: a, version: '1'}\n", "t.yaml:1: business: required field is missing"),
        ("business: '  '\nrubric: {id: a, version: '1'}\n", "t.yaml:1: business: the business name is empty"),
        ("business: x\nrubric: {id: a, version: '1'}\ncolour: red\n", "t.yaml:3: colour: unknown field"),
        ("business: !!python/object:os.system x\n", "t.yaml:1: tag '!!python/object:os.system' is not allowed"),
    ],
)
def test_unreadable_answer_files_say_what_and_where(rubric, content, expected):
    with pytest.raises(InputError) as caught:
        parse_answers(content, "t.yaml", rubric)
    assert str(caught.value.problems[0]).startswith(expected)


def test_json_answers_with_syntax_error_and_duplicates(rubric):
    with pytest.raises(InputError, match=r"t.json:2: JSON syntax error"):
        parse_answers('{"business": "x",\n ]', "t.json", rubric)
    with pytest.raises(InputError, match="duplicate key 'business'"):
        parse_answers(json.dumps({"business": "x"})[:-1] + ', "business": "y"}', "t.json", rubric)


def test_saved_file_is_safe_yaml_without_python_tags(rubric):
    sheet = sheet_with(rubric, answers_at(rubric, 1), "=HYPERLINK(\"http://x\")")
    text = dump_answers(sheet)
    assert "!!python" not in text
    assert AnswerSheet.model_validate(__import__("yaml").safe_load(text)).business == sheet.business
