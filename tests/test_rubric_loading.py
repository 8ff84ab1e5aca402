"""A broken rubric is refused with every problem: file, path inside it and line."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from assessment.models import LANGUAGES, ChoiceQuestion, CountQuestion
from assessment.problems import InputError
from assessment.rubrics import files_from_zip, load_rubric_dir, load_rubric_sources, rubric_json_schema
from assessment.safe_yaml import MAX_DEPTH, read_document


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_rubric_dir(directory)
    return [str(p) for p in caught.value.problems]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content, f"{old!r} not in {path.name}"
    path.write_text(content.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[occurrence - 1]


# --- the shipped set -------------------------------------------------------------


def test_shipped_set_has_three_dimensions_of_eight_or_more_questions_each_tied_to_the_essay(rubric):
    """Rubric 2.0 dropped two connection questions that readers could not answer alike
    (switching loss) or that became a road (open interfaces); the six counts are questions too."""
    assert [d.id for d in rubric.dimensions] == ["user_first", "connection", "model_change"]
    for dimension in rubric.dimensions:
        scored = [q for q in dimension.questions if isinstance(q, ChoiceQuestion)]
        assert len(dimension.questions) >= 8 and len(scored) >= 7, dimension.id
        assert all(q.essay_idea and q.literature for q in scored), dimension.id


def test_every_shipped_text_is_in_english_and_chinese(rubric):
    def texts(obj):
        if isinstance(obj, dict) and "en" in obj and set(obj) <= set(LANGUAGES):
            yield obj
        elif isinstance(obj, dict):
            for value in obj.values():
                yield from texts(value)
        elif isinstance(obj, list):
            for value in obj:
                yield from texts(value)

    found = list(texts(rubric.model_dump()))
    assert len(found) > 200
    assert all(set(t) == {"en", "zh"} and t["zh"].strip() for t in found)


def test_shipped_options_are_evidence_not_agreement_scales(rubric):
    for _, question in rubric.choice_questions():
        for option in question.options:
            assert not re.search(r"\b(strongly )?(dis)?agree\b", option.label["en"], re.I), option.label


def test_every_question_names_its_essay_idea_and_covers_the_essay(rubric):
    ideas = {q.essay_idea for _, q in rubric.choice_questions()}
    assert None not in ideas
    joined = " ".join(ideas).lower()
    for idea in ("user relationship", "free", "product experience", "connect", "faster than",
                 "shar", "nature of the product", "business model", "reconfigur"):
        assert idea in joined, idea


def test_connection_dimension_feeds_the_growth_model(rubric):
    counts = {(q.node, q.horizon) for _, q in rubric.count_questions()}
    assert counts == {(n, h) for n in ("people", "businesses", "things") for h in ("now", "reachable")}
    kinds = {q.node: {o.law for o in q.options} for _, q in rubric.choice_questions() if q.node}
    assert set(kinds) == {"people", "businesses", "things"}
    assert all({"sarnoff", "reed"} <= laws for laws in kinds.values())
    assert any(q.network_effect for _, q in rubric.choice_questions())


def test_missing_translation_falls_back_to_english(rubric_copy):
    edit(rubric_copy / "user_first.yaml", "  zh: 用户至上\n", "", 1)
    loaded = load_rubric_dir(rubric_copy)
    from assessment.models import text

    assert text(loaded.dimensions[0].title, "zh") == "User first"


# --- one test per kind of breakage ----------------------------------------------------


def test_yaml_syntax_error_names_file_and_line(rubric_copy):
    path = rubric_copy / "connection.yaml"
    edit(path, "title:\n  en: Connection", "title: [Connection\n  en: Connection")
    (message,) = problems_of(rubric_copy)
    assert message.startswith("connection.yaml:") and "YAML syntax error" in message
    assert re.match(r"connection\.yaml:\d+:", message)


def test_unknown_field_points_at_it(rubric_copy):
    path = rubric_copy / "model_change.yaml"
    edit(path, "    weight: ", "    wieght: 2\n    weight: ")
    messages = problems_of(rubric_copy)
    line = line_of(path, "wieght")
    assert f"model_change.yaml:{line}: groups[0].wieght: unknown field (check its spelling)" in messages


def test_non_numeric_score_has_the_exact_path_and_line(rubric_copy):
    path = rubric_copy / "connection.yaml"
    content = path.read_text(encoding="utf-8")
    data = yaml.safe_load(content)
    target = data["questions"][3]["options"][1]
    # replace the score line of questions[3].options[1], found through the parsed document
    doc = read_document(content, "connection.yaml")
    line = doc.lines[("questions", 3, "options", 1, "score")]
    lines = content.splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].replace(f"score: {target['score']:g}", "score: high")
    path.write_text("".join(lines), encoding="utf-8")
    messages = problems_of(rubric_copy)
    assert any(m.startswith(f"connection.yaml:{line}: questions[3].options[1].score: Input should be a valid number")
               for m in messages), messages


def test_missing_score_and_zero_weight_are_both_reported(rubric_copy):
    path = rubric_copy / "user_first.yaml"
    edit(path, "        score: 0\n", "", 1)
    edit(path, "    weight: 3\n", "    weight: 0\n", 1)
    messages = problems_of(rubric_copy)
    assert any("questions[0].options[0].score: required field is missing" in m for m in messages), messages
    assert any("questions[0].weight: Input should be greater than 0" in m for m in messages), messages
    assert all(m.startswith("user_first.yaml:") for m in messages)


def test_negative_weight_is_refused(rubric_copy):
    edit(rubric_copy / "set.yaml", "    weight: 1.5", "    weight: -1")
    (message,) = problems_of(rubric_copy)
    assert "set.yaml:" in message and "dimensions[2].weight" in message


def test_duplicate_yaml_key_is_detected(rubric_copy):
    path = rubric_copy / "set.yaml"
    edit(path, 'version: "2.0"\n', 'version: "2.0"\nversion: "3.0"\n')
    (message,) = problems_of(rubric_copy)
    assert message == (f"set.yaml:{line_of(path, 'version', 2)}: version: duplicate key 'version' "
                       f"(first at line {line_of(path, 'version')}); YAML would silently keep the last one")


def test_duplicate_question_and_option_ids(rubric_copy):
    path = rubric_copy / "model_change.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    first_q = data["questions"][0]["id"]
    second_q = data["questions"][1]["id"]
    edit(path, f"id: {second_q}\n", f"id: {first_q}\n")
    option_ids = [o["id"] for o in data["questions"][0]["options"]]
    edit(path, f"id: {option_ids[1]}\n", f"id: {option_ids[0]}\n")
    messages = problems_of(rubric_copy)
    assert any(f"questions[1].id: duplicate question id '{first_q}' (first at model_change.yaml: questions[0])" in m
               for m in messages), messages
    assert any(f"questions[0].options[1].id: duplicate option id '{option_ids[0]}' (first at options[0])" in m
               for m in messages), messages


def test_duplicate_question_id_across_files(rubric_copy):
    uf_first = yaml.safe_load((rubric_copy / "user_first.yaml").read_text(encoding="utf-8"))["questions"][0]["id"]
    mc_first = yaml.safe_load((rubric_copy / "model_change.yaml").read_text(encoding="utf-8"))["questions"][0]["id"]
    edit(rubric_copy / "model_change.yaml", f"id: {mc_first}\n", f"id: {uf_first}\n")
    messages = problems_of(rubric_copy)
    assert any(m.startswith("model_change.yaml:")
               and f"duplicate question id '{uf_first}' (first at user_first.yaml" in m for m in messages)


def test_rule_naming_a_missing_dimension(rubric_copy):
    path = rubric_copy / "set.yaml"
    edit(path, "    - score: model_change", "    - score: model_chnage")
    (message,) = problems_of(rubric_copy)
    line = line_of(path, "model_chnage")
    assert message.startswith(f"set.yaml:{line}: classification.internet_plus_when[1].score: "
                              "the rule names dimension 'model_chnage', which does not exist")


def test_file_over_one_megabyte(rubric_copy):
    path = rubric_copy / "connection.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "#" * 1_000_001, encoding="utf-8")
    (message,) = problems_of(rubric_copy)
    assert message.startswith("connection.yaml: file is") and "1 MB" in message


def test_anchors_and_aliases_are_refused_without_expanding(rubric_copy):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    path = rubric_copy / "user_first.yaml"
    path.write_text(bomb + path.read_text(encoding="utf-8"), encoding="utf-8")
    messages = problems_of(rubric_copy)
    assert messages[0] == "user_first.yaml:1: anchor '&a' is not allowed (rubrics need no anchors or aliases)"
    assert any("alias '*a' is not allowed" in m for m in messages)


def test_absurd_nesting_is_refused(rubric_copy):
    path = rubric_copy / "connection.yaml"
    path.write_text("deep: " + "[" * 5000 + "]" * 5000 + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    (message,) = problems_of(rubric_copy)
    # libyaml's scanner may meet its own flow-depth limit before our event walk reaches MAX_DEPTH
    assert message in (f"connection.yaml:1: nesting deeper than {MAX_DEPTH} levels",
                       "connection.yaml:1: YAML syntax error: "
                       "while increasing flow level exceeded maximum nesting depth")


def test_python_tag_is_refused_and_nothing_runs(rubric_copy, tmp_path):
    marker = tmp_path / "ran"
    path = rubric_copy / "set.yaml"
    edit(path, 'version: "2.0"', f"version: !!python/object/apply:os.system ['touch {marker}']")
    (message,) = problems_of(rubric_copy)
    assert message == (f"set.yaml:{line_of(path, 'python/object')}: "
                       "tag '!!python/object/apply:os.system' is not allowed; nothing was run")
    assert not marker.exists()


def test_all_problems_of_all_files_at_once(rubric_copy):
    edit(rubric_copy / "user_first.yaml", "    weight: 3\n", "    weight: 0\n", 1)
    edit(rubric_copy / "connection.yaml", "    weight: 1.5\n", "    weight: heavy\n", 1)
    edit(rubric_copy / "model_change.yaml", "        score: 0\n", "        score: null\n", 1)
    messages = problems_of(rubric_copy)
    files = {m.split(":", 1)[0] for m in messages}
    assert files == {"user_first.yaml", "connection.yaml", "model_change.yaml"}


def test_a_broken_set_file_does_not_hide_the_dimension_files_problems(rubric_copy):
    edit(rubric_copy / "set.yaml", "    weight: 1.5", "    weight: -1")
    edit(rubric_copy / "connection.yaml", "    weight: 1.5\n", "    weight: heavy\n", 1)
    messages = problems_of(rubric_copy)
    assert any(m.startswith("set.yaml:") and "dimensions[2].weight" in m for m in messages)
    assert any(m.startswith("connection.yaml:") and "weight: Input should be a valid number" in m for m in messages)


def test_options_must_be_ordered_lowest_first(rubric_copy):
    path = rubric_copy / "user_first.yaml"
    edit(path, "        score: 0\n", "        score: 9\n", 1)
    messages = problems_of(rubric_copy)
    assert any("questions[0]: Value error" not in m and "ordered from the lowest score" in m for m in messages)


def test_missing_dimension_file(rubric_copy):
    (rubric_copy / "connection.yaml").unlink()
    (message,) = problems_of(rubric_copy)
    assert message.startswith("set.yaml:")
    assert "dimensions[1].file: file 'connection.yaml' is not in the rubric set" in message


def test_dimension_id_must_match_set(rubric_copy):
    edit(rubric_copy / "connection.yaml", "id: connection\n", "id: connexion\n")
    messages = problems_of(rubric_copy)
    assert any(m.startswith("connection.yaml:1: id: dimension id 'connexion' does not match 'connection'")
               for m in messages)


def test_english_text_is_required(rubric_copy):
    edit(rubric_copy / "user_first.yaml", "  en: User first\n", "")
    messages = problems_of(rubric_copy)
    assert any("title: an English text ('en') is required" in m for m in messages), messages


def test_zip_upload_goes_through_the_same_checks(rubric_copy):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in rubric_copy.glob("*.yaml"):
            archive.writestr(f"my-set/{path.name}", path.read_bytes())
    loaded = load_rubric_sources(files_from_zip(buffer.getvalue()))
    assert loaded.id == "internet_plus"
    with pytest.raises(InputError, match="not a valid zip"):
        files_from_zip(b"not a zip")


def test_zip_bomb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("set.yaml", b"#" * 6_000_000)
    with pytest.raises(InputError, match="unpacks to"):
        files_from_zip(buffer.getvalue())


def test_digest_changes_with_content(rubric, rubric_copy):
    assert load_rubric_dir(rubric_copy).digest == rubric.digest
    edit(rubric_copy / "set.yaml", "  borderline_within: 5", "  borderline_within: 8")
    assert load_rubric_dir(rubric_copy).digest != rubric.digest


def test_json_schema_describes_both_file_kinds():
    schema = rubric_json_schema()
    assert {"RubricSetFile", "Dimension", "Option"} <= set(schema["$defs"])
    option = schema["$defs"]["Option"]
    assert option["additionalProperties"] is False and "score" in option["required"]
    assert CountQuestion.__name__ in schema["$defs"]
