"""Evidence links for an answer: web addresses the assessor cites, kept and shown as plain text.

A link is accepted when pydantic's URL parser reads it as an ``http`` or ``https``
address with a host; it is stored as typed (trimmed), never fetched and never
turned into markup, so a link cannot run or load anything in the app, the
exports or the report.
"""

from __future__ import annotations

from pydantic import HttpUrl, TypeAdapter, ValidationError

LINK_MAX = 2000
LINKS_PER_ANSWER = 20
ANSWER_NOTE_MAX = 5000
_URL = TypeAdapter(HttpUrl)


def link_problem(link: object) -> str | None:
    """Why ``link`` is not an evidence link, or None when it is one."""
    if not isinstance(link, str) or not link.strip():
        return "expected a web address"
    text = link.strip()
    if len(text) > LINK_MAX:
        return f"a link may be at most {LINK_MAX} characters"
    if any(ch.isspace() for ch in text):
        return f"{text[:80]!r} holds a space: one link per line"
    try:
        _URL.validate_python(text)
    except ValidationError:
        return f"{text[:80]!r} is not an http(s) web address"
    return None


def parse_links(typed: str) -> tuple[list[str], list[str]]:
    """The links typed one per line: the valid ones (trimmed, without repeats), and a message for each other."""
    links: list[str] = []
    problems: list[str] = []
    for line in typed.splitlines():
        text = line.strip()
        if not text:
            continue
        problem = link_problem(text)
        if problem:
            problems.append(problem)
        elif text not in links:
            links.append(text)
    if len(links) > LINKS_PER_ANSWER:
        problems.append(f"at most {LINKS_PER_ANSWER} links per answer")
        links = links[:LINKS_PER_ANSWER]
    return links, problems


def check_evidence(evidence: dict[str, list[str]]) -> dict[str, list[str]]:
    """``evidence`` as a model keeps it (questions with no links left out); ValueError names the first bad link."""
    out: dict[str, list[str]] = {}
    for question_id, links in evidence.items():
        if len(links) > LINKS_PER_ANSWER:
            raise ValueError(f"{question_id}: at most {LINKS_PER_ANSWER} links per answer")
        for link in links:
            problem = link_problem(link)
            if problem:
                raise ValueError(f"{question_id}: {problem}")
        if links:
            out[question_id] = [link.strip() for link in links]
    return out


def links_text(links: list[str]) -> str:
    """Links as one cell of a table or a CSV: separated by spaces (a link holds none)."""
    return " ".join(links)
