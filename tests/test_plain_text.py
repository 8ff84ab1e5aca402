"""Issue 11, failures 7 and 8, without a browser: ``md`` makes any text plain text for Streamlit's markdown, and the
pages put rubric and user text through it (the browser proof is tests/browser/test_plain_text_in_browser.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assessment.ui.text import WORD_JOINER, md
from tests.conftest import ROOT

HOSTILE = [
    "![x](http://evil.example/x.png)", "[link](http://evil.example)", ":red[red]", ":blue-background[b]", "$x^2$",
    "$$x$$", "<img src=http://evil.example/y.png>", "<b>bold</b>", "**bold**", "# heading", "1. list", "- item",
    "> quote", "`code`", "~~strike~~", "| a | b |", "&lt;", ":material/home:", "a_b_c", "\\*",
]


SIGNS = set("\\`*_{}[]()#+-.!|<>~$:=&")


def unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).replace(WORD_JOINER, "")


@pytest.mark.parametrize("value", HOSTILE)
def test_every_markdown_sign_is_escaped_and_the_text_reads_the_same(value):
    escaped = md(value)
    assert unescaped(escaped) == value
    assert bare_signs(escaped) == [], escaped


def bare_signs(escaped: str) -> list[str]:
    """The markdown signs left without a backslash before them."""
    out, chars = [], iter(escaped)
    for char in chars:
        if char == "\\":
            next(chars, None)
        elif char in SIGNS:
            out.append(char)
    return out


@pytest.mark.parametrize("address", ["www.evil.example/login", "http://evil.example", "https://x.example/a",
                                     "mallory@evil.example", "WWW.EVIL.EXAMPLE", "evil.example/login"])
def test_no_address_can_become_a_link(address):
    escaped = md(address)
    plain = escaped.replace("\\", "")
    assert "www." not in plain.lower() and "://" not in plain and ("@" not in plain or f"@{WORD_JOINER}" in plain)
    assert unescaped(escaped) == address


def test_lines_do_not_start_new_blocks():
    assert "\n" not in md("first\n# second\n- third")


PAGES = sorted((ROOT / "assessment" / "ui").rglob("*.py"))
MARKDOWN_ELEMENT = re.compile(r"\.(tabs|expander|caption|markdown|subheader|header|title|metric|radio)\(")


def unescaped_rubric_text(line: str) -> bool:
    """A line drawing a markdown element with a rubric text (``text(...)``) not inside ``md(...)``."""
    element, rubric_text = MARKDOWN_ELEMENT.search(line), re.search(r"\btext\(", line)
    return bool(element and rubric_text and "md(" not in line[element.end():rubric_text.start()])


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(Path(p).relative_to(ROOT)))
def test_no_page_puts_a_rubric_text_into_markdown_unescaped(path):
    """A rubric text (``text(...)``) handed straight to an element that renders markdown is the bug of failure 7."""
    offending = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if unescaped_rubric_text(line)]
    assert offending == []
