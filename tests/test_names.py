"""Issue 11, failure 9: invisible and look-alike names. One rule (assessment/names.py) in every path: answers
files and the CLI, the founder's form, the saved work's changes, the workshop's store and join page."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from assessment.answers import parse_answers
from assessment.names import NameRefused, clean_name
from assessment.problems import InputError
from assessment.saved_work import WorkChange
from assessment.ui import workshop_state
from assessment.workshop import WorkshopStore
from assessment.workshop.errors import InvalidText
from tests.conftest import ROOT

CAKE = ROOT / "data/examples/cake-shop.yaml"
EMPTY_LOOKING = ["\u200b", "\u3164", "\u2060\ufeff", "\u115f\u1160", "\uffa0 \u200b", "\u2800"]
REFUSED = {
    "NUL": "A\x00B", "BEL": "A\x07B", "CR": "A\rB", "C1": "A\x85B", "DEL": "A\x7fB",
    "RLO": "Ali\u202ece", "LRI": "\u2066Alice", "LRM": "Alice\u200e", "ALM": "Ali\u061cce",
    "tag": "Alice\U000e0041",
}


def test_a_zero_width_space_makes_the_same_name_not_a_second_one():
    assert clean_name("Al\u200bice", "name", 80) == "Alice"
    assert clean_name("  Ali\u2060ce\ufeff ", "name", 80) == "Alice"
    assert clean_name("Cafe\u0301", "name", 80) == "Caf\u00e9"  # NFC: the composed and decomposed é are one name


@pytest.mark.parametrize("name", EMPTY_LOOKING)
def test_a_name_of_only_invisible_characters_is_refused(name):
    with pytest.raises(NameRefused, match="is empty"):
        clean_name(name, "name", 80)


@pytest.mark.parametrize("kind", REFUSED)
def test_control_bidi_and_tag_characters_are_refused_naming_the_character(kind):
    with pytest.raises(NameRefused) as refused:
        clean_name(REFUSED[kind], "name", 80)
    char = next(c for c in REFUSED[kind] if not c.isalpha())
    assert f"U+{ord(char):04X}" in str(refused.value)
    assert refused.value.message("zh") != str(refused.value)  # said in the page's language too


def _answers_file(tmp_path, business: str):
    data = yaml.safe_load(CAKE.read_text(encoding="utf-8"))
    data["business"] = business
    path = tmp_path / "named.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("business", ["\u200b\u3164", "Cake\x07Shop", "Cake\u202eShop"])
def test_an_answers_file_with_a_refused_name_is_a_located_problem(tmp_path, rubric, business):
    path = _answers_file(tmp_path, business)
    with pytest.raises(InputError) as refused:
        parse_answers(path.read_bytes(), path.name, rubric)
    problem = refused.value.problems[0]
    assert (problem.file, problem.path) == ("named.yaml", "business") and problem.line


def test_an_answers_file_keeps_the_cleaned_name(tmp_path, rubric):
    path = _answers_file(tmp_path, "Al\u200bice's Cakes")
    sheet, _ = parse_answers(path.read_bytes(), path.name, rubric)
    assert sheet.business == "Alice's Cakes"


@pytest.mark.parametrize("business", ["\u200b", "Cake\x00Shop"])
def test_the_cli_refuses_a_refused_name_with_exit_2_file_and_field(tmp_path, business):
    path = _answers_file(tmp_path, business)
    done = subprocess.run([sys.executable, "-m", "assessment", "score", str(path)], check=False, cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "named.yaml" in done.stderr and "business" in done.stderr


def test_a_change_of_name_follows_the_rule():
    assert WorkChange.naming("business", "Al\u200bice").fields == {"business": "Alice"}
    assert WorkChange(fields={"assessor": "  Bo\u200bb "}).fields == {"assessor": "Bob"}
    with pytest.raises(NameRefused):
        WorkChange.naming("business", "Cake\u202eShop")
    with pytest.raises(ValueError, match="control character"):
        WorkChange(fields={"business": "Cake\rShop"})


def test_the_workshop_store_refuses_invisible_names_and_keeps_one_alice(tmp_path, rubric):
    with WorkshopStore(f"sqlite:///{tmp_path / 'w.db'}", rubrics=[rubric]) as store:
        organiser = store.new_organiser_key()
        with pytest.raises(InvalidText):
            store.create_workshop(organiser, "\u3164", rubric.id, rubric.version)
        created = store.create_workshop(organiser, "Corner\u200b Bakery", rubric.id, rubric.version)
        for name in ("\u200b", "\u2060\ufeff", "Ali\u061cce", "Alice\U000e0041", "A\rB"):
            with pytest.raises(InvalidText):
                store.join(created.join_code, name)
        first, second = store.join(created.join_code, "Alice"), store.join(created.join_code, "Al\u200bice")
        shown = [store.resume(joined.resume_token) for joined in (first, second)]
        assert [info.display_name for info in shown if info] == ["Alice", "Alice"]
        assert shown[0] and shown[0].workshop.business == "Corner Bakery"


def _app(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    if page:
        at.switch_page(f"assessment/ui/pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def test_assess_refuses_an_invisible_business_name_with_a_message_and_saves_the_same_alice(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESSMENT_DATA_DIR", str(tmp_path))
    workshop_state.store.clear()
    at = _app("")
    at.text_input(key="meta_business").input("\u200b\u3164").run()
    assert not at.exception, at.exception
    assert any("Business name is empty" in e.value for e in at.error)
    assert at.session_state["founder_work"].business == ""
    at.text_input(key="meta_business").input("Cake\u202eShop").run()
    assert any("U+202E" in e.value.replace("\\", "") for e in at.error)
    at.text_input(key="meta_business").input("Al\u200bice").run()
    assert not at.error and at.session_state["founder_work"].business == "Alice"


def test_joining_a_workshop_with_an_invisible_name_is_refused_in_the_page(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESSMENT_DATA_DIR", str(tmp_path))
    workshop_state.store.clear()
    facilitator = _app("workshops")
    facilitator.text_input(key="ws_business").input("Corner Bakery")
    facilitator.button[0].click().run()
    created = facilitator.session_state["ws_created"]
    for name in ("\u200b\u200b", "\u3164", "Ali\u202ece"):
        participant = _app("join", code=created.join_code)
        participant.text_input(key="join_name").input(name)
        participant.button[0].click().run()
        assert not participant.exception, participant.exception
        assert any("display name" in e.value for e in participant.error), name
        assert "join_token" not in str(participant.query_params)
