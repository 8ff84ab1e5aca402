"""Issue 11, item 5 in the app: each hostile answers file and each damaged rubric zip, uploaded on its page,
gives a message naming the file and line (or the archive entry) instead of "This app has encountered an error"."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from assessment.rubrics import DEFAULT_RUBRICS, load_rubric_dir
from tests.conftest import ROOT
from tests.test_app import markdown_table, plain
from tests.test_hardening_parsing import corrupt

RUBRIC = load_rubric_dir(DEFAULT_RUBRICS)
(_, CHOICE), *_ = RUBRIC.choice_questions()
(_, COUNT), *_ = RUBRIC.count_questions()
HEAD = f"business: Hostile\nrubric: {{id: {RUBRIC.id}, version: '{RUBRIC.version}'}}\n"
ANSWERS = {  # name → (file content, the line named in the message)
    "impossible date": (HEAD + "date: 2026-02-30\n", 3),
    "empty file": ("", 1),
    "400-digit count": (HEAD + f"answers:\n  {COUNT.id}: {'4' * 400}\n", 4),
    "hex choice": (HEAD + f"answers:\n  {CHOICE.id}: 0x{'f' * 4_000}\n", 4),
    "complex key": (HEAD + "answers:\n  ? [a]\n  : b\n", 4),
    "two documents": (HEAD + "answers: {}\n---\nbusiness: Other\n", 4),
    "infinite count": (HEAD + f"answers:\n  {COUNT.id}: .inf\n", 4),
}


def _page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(f"assessment/ui/pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("case", ANSWERS)
def test_a_hostile_answers_file_gives_its_file_and_line_on_the_page(case):
    content, line = ANSWERS[case]
    at = _page("assess")
    at.file_uploader(key="answers_upload").set_value(("hostile.yaml", content.encode(), "application/x-yaml")).run()
    assert not at.exception, at.exception
    messages = " ".join(plain(e.value) for e in at.error)
    assert f"hostile.yaml:{line}:" in messages, messages


def test_a_5000_digit_json_number_gives_its_file_and_line_on_the_page():
    text = json.dumps({"business": "Hostile", "rubric": {"id": RUBRIC.id, "version": RUBRIC.version},
                       "answers": {COUNT.id: 0}}, indent=1).replace(f'"{COUNT.id}": 0', f'"{COUNT.id}": {"9" * 5_000}')
    at = _page("assess")
    at.file_uploader(key="answers_upload").set_value(("hostile.json", text.encode(), "application/json")).run()
    assert not at.exception, at.exception
    assert "a number 5,000 characters long" in " ".join(plain(e.value) for e in at.error)


@pytest.mark.parametrize("kind", ["bad CRC", "bad deflate data", "size smaller than the data",
                                  "size larger than the data", "encrypted"])
def test_a_damaged_rubric_zip_is_named_on_the_rubrics_page_and_the_shipped_set_stays(kind):
    at = _page("rubrics")
    at.file_uploader(key="rubric_upload").set_value([("mine.zip", bytes(corrupt(kind)), "application/zip")]).run()
    assert not at.exception, at.exception
    assert "mine.zip: 's/set.yaml' in the archive cannot be read" in " ".join(plain(e.value) for e in at.error)
    assert "custom_rubric_sources" not in at.session_state


def _counting(monkeypatch, module, name: str) -> list[str]:
    """Replace ``module.name`` with a wrapper that records each call's file name, and return the record."""
    calls: list[str] = []
    real = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(str(args[1] if len(args) > 1 else kwargs.get("name", "")))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_compare_parses_uploaded_answers_once_per_upload_not_on_every_rerun(monkeypatch):
    """Issue 11, item 2: Compare parsed its uploaded answers files on every rerun (a 0.3 MB file cost 18 s on
    upload and 21 s again on an unrelated click). Each file is now parsed once per upload."""
    import assessment.answers

    calls = _counting(monkeypatch, assessment.answers, "parse_answers")
    at = _page("compare")
    calls.clear()  # the page's examples were read on the way in
    files = [(name, (ROOT / "data/examples" / name).read_bytes(), "application/x-yaml")
             for name in ("cake-shop.yaml", "bank-online-banking.yaml")]
    at.file_uploader(key="compare_upload").set_value(files).run()
    assert sorted(calls) == ["bank-online-banking.yaml", "cake-shop.yaml"]
    at.multiselect(key="compare_examples").set_value([]).run()  # unrelated clicks: no file is parsed again
    at.run()
    assert not at.exception, at.exception
    assert len(calls) == 2
    _, *rows = markdown_table(at, "Business")
    assert len(rows) == 2  # the two uploaded businesses, still compared without being parsed again
    at.file_uploader(key="compare_upload").set_value(files[:1]).run()  # a new upload is parsed: once again
    assert calls[2:] == ["cake-shop.yaml"]


def test_the_batch_upload_is_scored_once_per_upload_not_on_every_rerun(monkeypatch):
    """The same for Compare's batch scoring: the upload is scored once, the table and download kept across reruns."""
    import assessment.batch

    calls = _counting(monkeypatch, assessment.batch, "score_upload")
    at = _page("compare")
    csv = f"business,{CHOICE.id}\nA,{CHOICE.options[0].id}\nB,{CHOICE.options[-1].id}\n".encode()
    at.file_uploader(key="batch_upload").set_value(("r.csv", csv, "text/csv")).run()
    at.multiselect(key="compare_examples").set_value([]).run()
    at.run()
    assert not at.exception, at.exception
    assert len(calls) == 1
    assert "Download the scored CSV" in [b.label for b in at.get("download_button")]


def test_an_infinite_weight_in_an_uploaded_rubric_is_refused_and_every_page_still_works():
    """Issue 11, item 4 in the app: a set with `weight: .inf` was "valid and now active", then every page showed
    ValueError and the switch back to the shipped set was gone until a reload."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in DEFAULT_RUBRICS.glob("*.yaml"):
            text = path.read_text(encoding="utf-8")
            archive.writestr(path.name, text.replace("    weight: 1.5\n", "    weight: .inf\n")
                             if path.name == "set.yaml" else text)
    line = next(n for n, text in enumerate((DEFAULT_RUBRICS / "set.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if text == "    weight: 1.5")
    at = _page("rubrics")
    at.file_uploader(key="rubric_upload").set_value([("inf.zip", buffer.getvalue(), "application/zip")]).run()
    assert not at.exception, at.exception
    errors = " ".join(plain(e.value) for e in at.error)
    assert f"set.yaml:{line}" in errors and "not a finite number" in errors, errors
    assert "custom_rubric_sources" not in at.session_state
    for name in ("assess", "results", "compare", "export"):
        at.switch_page(f"assessment/ui/pages/{name}.py").run()
        assert not at.exception, (name, at.exception)
