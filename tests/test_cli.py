"""``python -m assessment``: every command, exit codes, one clear line per problem."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.conftest import ROOT

CAKE = ROOT / "data/examples/cake-shop.yaml"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assessment", *args], cwd=cwd, capture_output=True, text=True,
                          check=False)


def test_validate_the_shipped_set():
    done = run("validate")
    assert done.returncode == 0 and "is valid" in done.stdout


BREAKAGES = {
    "syntax": ("connection.yaml", "title:\n  en: Connection", "title: [Connection\n  en: Connection",
               r"connection.yaml:\d+: YAML syntax error"),
    "unknown field": ("model_change.yaml", "    weight: ", "    wieght: 2\n    weight: ",
                      r"model_change.yaml:\d+: groups\[0\]\.wieght: unknown field"),
    "non-numeric score": ("user_first.yaml", "        score: 1\n", "        score: one\n",
                          r"user_first.yaml:\d+: questions\[0\]\.options\[1\]\.score: Input should be a valid number"),
    "zero weight": ("user_first.yaml", "    weight: 3\n", "    weight: 0\n",
                    r"user_first.yaml:\d+: questions\[0\]\.weight: Input should be greater than 0"),
    "duplicate key": ("set.yaml", 'version: "2.0"\n', 'version: "2.0"\nversion: "3.0"\n',
                      r"set.yaml:\d+: version: duplicate key 'version'"),
    "rule": ("set.yaml", "    - score: model_change", "    - score: nope",
             r"set.yaml:\d+: classification.internet_plus_when\[1\]\.score: the rule names dimension 'nope'"),
    "alias": ("set.yaml", "title:", "x: &a 1\ny: *a\ntitle:", r"set.yaml:\d+: anchor '&a' is not allowed"),
    "python tag": ("set.yaml", 'version: "2.0"', "version: !!python/object/apply:os.getcwd []",
                   r"set.yaml:\d+: tag '!!python/object/apply:os.getcwd' is not allowed"),
}


@pytest.mark.parametrize("kind", BREAKAGES)
def test_validate_a_broken_set_exits_2_with_located_messages(rubric_copy, kind):
    file, old, new, pattern = BREAKAGES[kind]
    path = rubric_copy / file
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new, 1), encoding="utf-8")
    done = run("validate", str(rubric_copy))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stdout == ""
    import re

    assert re.search(pattern, done.stderr.splitlines()[0]), done.stderr


def test_rubrics_option_applies_to_every_command(rubric_copy):
    (rubric_copy / "set.yaml").write_text("id: [\n", encoding="utf-8")
    for args in (["score", str(CAKE)], ["template"], ["export", str(CAKE), "--out", "x"]):
        done = run("--rubrics", str(rubric_copy), *args)
        assert done.returncode == 2 and done.stderr.startswith("set.yaml:"), args


def test_score_prints_verdict_margin_changes_and_recommendations():
    done = run("score", str(CAKE))
    assert done.returncode == 0
    out = done.stdout
    assert out.startswith("Sweet Crumbs Cake Shop — +Internet: 50.0 points short of the Internet+ boundary on "
                          "Resources reconfigured (best road).")
    for heading in ("Scores", "Why", "What would change the verdict", "Roads to Internet+", "Next steps, nearest first",
                    "Where connection effects could grow"):
        assert heading in out


def test_score_json_is_the_full_result():
    result = json.loads(run("score", str(CAKE), "--json").stdout)
    assert result["class_code"] == "plus_internet" and result["changes"] and result["recommendations"]
    assert {d["id"] for d in result["dimensions"]} == {"user_first", "connection", "model_change"}


def test_score_in_chinese():
    done = run("score", str(CAKE), "--lang", "zh")
    assert "+互联网" in done.stdout.splitlines()[0]


def test_score_bad_answers_exits_2_with_a_line_per_problem(tmp_path):
    data = yaml.safe_load(CAKE.read_text(encoding="utf-8"))
    data["answers"]["made_up"] = "x"
    first = next(iter(data["answers"]))
    data["answers"][first] = "not_an_option"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    done = run("score", str(bad))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2
    assert any("answers.made_up: unknown question id" in line for line in lines)
    assert any(f"answers.{first}: 'not_an_option' is not an option" in line for line in lines)


def test_score_missing_file_exits_2(tmp_path):
    done = run("score", str(tmp_path / "nope.yaml"))
    assert done.returncode == 2 and "cannot read the file" in done.stderr and "Traceback" not in done.stderr


def test_score_old_version_warns_but_scores(tmp_path):
    data = yaml.safe_load(CAKE.read_text(encoding="utf-8"))
    data["rubric"]["version"] = "0.1"
    old = tmp_path / "old.yaml"
    old.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    done = run("score", str(old))
    assert done.returncode == 0 and "warning: answered against version 0.1" in done.stderr


def test_template_yaml_lists_every_question_and_loads_back(tmp_path, rubric):
    done = run("template")
    text = done.stdout
    for _, question in rubric.questions():
        assert f"  {question.id}: null" in text
    data = yaml.safe_load(text)
    data["business"] = "Filled in"
    filled = tmp_path / "filled.yaml"
    filled.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert run("score", str(filled)).returncode == 0


def test_template_csv_batch_and_export_round_trip(tmp_path, rubric):
    template = tmp_path / "template.csv"
    assert run("template", "--format", "csv", "--out", str(template)).returncode == 0
    frame = pd.read_csv(template, encoding="utf-8-sig", dtype=str)
    assert len(frame) == 1
    # fill the template with the cake shop's answers, twice, and batch-score it
    cake = yaml.safe_load(CAKE.read_text(encoding="utf-8"))
    rows = pd.DataFrame([{"business": "Cake A", **cake["answers"]}, {"business": "=Cake B", **cake["answers"]}])
    responses = tmp_path / "responses.csv"
    rows.to_csv(responses, index=False)
    scored_path = tmp_path / "scored.csv"
    done = run("batch", str(responses), "--out", str(scored_path))
    assert done.returncode == 0, done.stderr
    scored = pd.read_csv(scored_path, encoding="utf-8-sig")
    assert list(scored["class_code"]) == ["plus_internet", "plus_internet"]
    assert list(scored["business"]) == ["Cake A", "'=Cake B"]

    out_dir = tmp_path / "export"
    done = run("export", str(CAKE), "--out", str(out_dir))
    assert done.returncode == 0
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == ["sweet-crumbs-cake-shop-answers.csv", "sweet-crumbs-cake-shop-summary.csv"]


def test_batch_with_bad_cells_exits_2(tmp_path):
    responses = tmp_path / "r.csv"
    responses.write_text("business,uf_user_relationship\nA,sometimes\n", encoding="utf-8")
    done = run("batch", str(responses), "--out", str(tmp_path / "o.csv"))
    assert done.returncode == 2 and "column uf_user_relationship" in done.stderr
    assert "row 2 ('sometimes')" in done.stderr
    assert not (tmp_path / "o.csv").exists()


def test_a_ragged_batch_csv_exits_2_with_the_row_numbers_and_writes_nothing(tmp_path):
    responses = tmp_path / "r.csv"
    responses.write_text("business,uf_user_relationship\nX,contact_list,Y,till_only\nZ,contact_list\n",
                         encoding="utf-8")
    done = run("batch", str(responses), "--out", str(tmp_path / "s.csv"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == ("r.csv: 1 row(s) do not have the header's 2 fields: row 2 (4 fields); "
                                   "every row needs one value per column (leave a cell empty for no answer)")
    assert list(tmp_path.iterdir()) == [responses]  # no output, no leftover temporary file


def test_schema_is_json_schema():
    schema = json.loads(run("schema").stdout)
    assert schema["$schema"].startswith("https://json-schema.org/") and "Dimension" in schema["$defs"]


def test_unknown_command_is_a_usage_error():
    done = run("frobnicate")
    assert done.returncode == 2 and "invalid choice" in done.stderr


def test_score_json_has_the_range_and_the_questions_that_decide_it(tmp_path, rubric):
    sheet = {"business": "Unknown Co", "rubric": {"id": rubric.id, "version": rubric.version},
             "answers": {q.id: "dont_know" for _, q in rubric.choice_questions()}}
    path = tmp_path / "unknown.yaml"
    path.write_text(yaml.safe_dump(sheet), encoding="utf-8")
    result = json.loads(run("score", str(path), "--json").stdout)
    assert result["class_code"] == "undetermined" and result["determined"] is False
    assert (result["overall_low"], result["overall_high"]) == (0.0, 100.0) and result["margin"] is None
    assert len(result["unknowns"]) == 25 and result["unknowns"][0]["swing"] > 0
    text = run("score", str(path)).stdout
    assert text.startswith("Unknown Co — Undetermined: 25 unknown answers")
    assert "Unknown answers, by how far each could move overall" in text


def test_score_says_when_the_unknowns_cannot_flip_the_verdict(tmp_path):
    data = yaml.safe_load(CAKE.read_text(encoding="utf-8"))
    data["answers"]["uf_onboarding"] = "dont_know"
    path = tmp_path / "cake.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    done = run("score", str(path))
    assert "+Internet whatever the 1 unanswered or “don't know” question turns out to be" in done.stdout
    assert json.loads(run("score", str(path), "--json").stdout)["determined"] is True


def test_a_closed_pipe_is_not_an_error():
    done = subprocess.run(["bash", "-c", f"set -o pipefail; {sys.executable} -m assessment schema | head -1"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout == "{\n" and "Traceback" not in done.stderr


def test_outputs_go_into_new_folders_and_unwritable_ones_are_refused(tmp_path):
    report = tmp_path / "new" / "dir" / "r.html"
    assert run("report", str(CAKE), "--out", str(report)).returncode == 0 and report.exists()
    template = tmp_path / "other" / "t.yaml"
    assert run("template", "--out", str(template)).returncode == 0 and template.exists()
    blocked = tmp_path / "file"
    blocked.write_text("x")
    done = run("report", str(CAKE), "--out", str(blocked / "r.html"))
    assert done.returncode == 2 and "Traceback" not in done.stderr and str(blocked) in done.stderr


def test_chinese_output_is_chinese_and_aligned_by_display_width():
    from wcwidth import wcswidth

    out = run("score", str(CAKE), "--lang", "zh").stdout
    scores = out.split("\n\n")[1].splitlines()
    assert scores[0] == "分数" and scores[-1].lstrip().startswith("总分")
    for english in ("Scores", "Overall", "weight", "answered", "points short of", "Why", "Roads"):
        assert english not in out, english
    ends = {wcswidth(line.split("  （")[0].rstrip()) for line in scores[1:]}
    assert len(ends) == 1, scores  # every score ends in the same terminal column
    assert "：传统企业+互联网：" not in out  # no doubled colon


def test_numbers_print_as_integers_and_plurals_agree(tmp_path, rubric):
    template = run("template").stdout
    assert "1,000,000,000,000" in template and "1e+12" not in template
    out = run("score", str(CAKE)).stdout
    assert "1,800 → 5,000 nodes" in out and "1800.0" not in out
    responses = tmp_path / "one.csv"
    responses.write_text("business,uf_user_relationship\nSolo,contact_list\n", encoding="utf-8")
    done = run("batch", str(responses), "--out", str(tmp_path / "o.csv"))
    assert done.stdout.startswith("scored 1 business →")
    noted = tmp_path / "noted.yaml"
    noted.write_text("business: N\nrubric: {id: internet_plus, version: '2.0'}\nanswers: {}\n"
                     "notes: {uf_onboarding: why}\n")
    assert run("check", str(noted)).stdout.endswith("0/25 scored questions answered, 1 note\n")


def test_growth_lines_read_a_value_of_one_as_one_and_none_as_zero(rubric):
    """One node under Sarnoff is worth 1 (log10 = 0.0): once misread as a missing value and printed as 0."""
    from assessment.cli_text import render_text
    from tests.conftest import answers_at, assessed, sheet_with

    answers = answers_at(rubric, 0, cn_things_now=1, cn_things_reachable=1000, cn_people_now=0, cn_people_reachable=20)
    lines = render_text(assessed(sheet_with(rubric, answers), rubric)).splitlines()
    things = next(line for line in lines if line.strip().startswith("Things"))
    people = next(line for line in lines if line.strip().startswith("People"))
    assert "value 1 → 1 thousand" in things
    assert "value 0 → 20" in people
