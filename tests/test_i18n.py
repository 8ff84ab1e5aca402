"""The tool's own labels: strict entries (every language, nothing else, no empty text); user values stay literal."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.i18n import LABELS_DIR, Label, _catalog, load_catalog, missing_translations, t
from assessment.models import LANGUAGES
from assessment.problems import InputError


def refusal(tmp_path: Path, **files: str) -> list[str]:
    """Write label files into ``tmp_path`` and return the problems loading them raises."""
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_catalog(tmp_path)
    return [str(problem) for problem in caught.value.problems]


def test_every_label_has_every_language():
    assert missing_translations() == {"zh": []}


def test_a_label_holds_exactly_the_known_languages():
    assert set(Label.model_fields) == set(LANGUAGES)


def test_every_shipped_label_file_passes_the_strict_model():
    catalog = load_catalog(LABELS_DIR)
    assert len(catalog) > 300
    for key, entry in catalog.items():
        assert set(entry) == set(LANGUAGES), key
        assert all(text.strip() for text in entry.values()), key


def test_labels_load_from_several_files_without_clashes():
    assert "explain_verdict" in _catalog()


def test_the_two_labels_a_comma_cut_short_read_in_full():
    assert t("start_from", "en") == "Start from an example, or load saved answers"
    assert t("ws_anonymous", "en") == "Anonymous (show participants as P1, P2 …)"
    assert t("start_from", "zh") == "从示例开始，或载入已保存的答案"
    assert t("ws_anonymous", "zh") == "匿名（以 P1、P2 … 显示参与者）"


def test_a_comma_in_a_flow_mapping_is_refused_with_file_and_line(tmp_path):
    """The accident of issue 8: ``{en: A, b, zh: …}`` made ``b`` a key and cut the English text to ``A``."""
    text = ("# labels\nok: {en: Fine, zh: 好}\n"
            "start_from: {en: Start from an example, or load saved answers, zh: 从示例}\n")
    problems = refusal(tmp_path, app=text)
    assert len(problems) == 1
    where = "app.yaml:3: start_from.or load saved answers"
    assert problems[0].startswith(f"{where}: unknown language 'or load saved answers' (known: en, zh)")
    assert "quote a text that holds a comma" in problems[0]


def test_a_missing_language_is_refused(tmp_path):
    problems = refusal(tmp_path, core="a: {en: One, zh: 一}\nb:\n  en: Only English\n")
    assert problems == [
        "core.yaml:2: b.zh: no text in this language; every label needs one in each of en, zh"
    ]


def test_an_unknown_language_code_is_refused(tmp_path):
    problems = refusal(tmp_path, core="a:\n  en: One\n  zh: 一\n  fr: Un\n")
    assert problems == ["core.yaml:4: a.fr: unknown language 'fr' (known: en, zh)"]


@pytest.mark.parametrize("text", ['""', '"   "', "null"])
def test_an_empty_text_is_refused(tmp_path, text):
    problems = refusal(tmp_path, core=f"a: {{en: One, zh: {text}}}\n")
    assert problems == ["core.yaml:1: a.zh: empty text"]


def test_a_value_that_is_not_text_is_refused(tmp_path):
    problems = refusal(tmp_path, core="a: {en: 12, zh: 十二}\nb: Just a string\n")
    assert problems == [
        "core.yaml:1: a.en: expected a text (quote it)",
        "core.yaml:2: b: expected a mapping of language to text (en, zh)",
    ]


def test_languages_must_fill_in_the_same_fields(tmp_path):
    problems = refusal(tmp_path, core="a: {en: 'Hello {name}', zh: 你好}\n")
    assert problems == ["core.yaml:1: a: the languages fill in different {fields} (en: name; zh: none)"]


def test_a_broken_template_is_refused(tmp_path):
    problems = refusal(tmp_path, core="a: {en: 'Hello {', zh: '你好 {'}\n")
    assert len(problems) == 1 and problems[0].startswith("core.yaml:1: a: not a valid template")


def test_a_key_that_is_not_a_plain_name_is_refused(tmp_path):
    problems = refusal(tmp_path, core="a: {en: One, zh: 一}\nNot A Key: {en: Two, zh: 二}\n")
    assert len(problems) == 1 and problems[0].startswith("core.yaml:2: Not A Key: a label key is lower-case")


def test_a_key_defined_in_two_files_is_refused(tmp_path):
    problems = refusal(tmp_path, app="a: {en: One, zh: 一}\n", core="b: {en: Two, zh: 二}\n\na: {en: Uno, zh: 一}\n")
    assert problems == ["core.yaml:3: a: label 'a' is also defined in app.yaml"]


def test_every_problem_of_every_file_is_reported_at_once(tmp_path):
    problems = refusal(tmp_path, app="a: {en: One}\n", core="b: {en: '', zh: 二}\n")
    assert [p.split(":")[0:2] for p in problems] == [["app.yaml", "1"], ["core.yaml", "1"]]


def test_user_values_are_not_templates():
    sentence = t("explain_verdict", "en", business="{summary} <b>", label="+Internet", summary="S")
    assert sentence.startswith("{summary} <b> is classified +Internet")


def test_unknown_language_falls_back_to_english():
    assert t("overall", "fr") == "Overall"


def test_every_label_is_a_text_in_each_language_and_nothing_else():
    """A comma in an unquoted flow mapping splits a label: ``{en: Yes, clear everything}`` read as
    ``{en: True, "clear everything": None}`` (the confirm button said "True")."""
    wrong = {key: entry for key, entry in _catalog().items()
             if set(entry) - {"en", "zh"} or not all(isinstance(text, str) for text in entry.values())}
    assert wrong == {}
