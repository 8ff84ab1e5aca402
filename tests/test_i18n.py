"""The tool's own labels: every key in every language, and user values inserted literally."""

from assessment.i18n import _catalog, missing_translations, t


def test_every_label_has_every_language():
    assert missing_translations() == {"zh": []}


def test_labels_load_from_several_files_without_clashes():
    assert "explain_verdict" in _catalog()


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
