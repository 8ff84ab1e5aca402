"""One participant, as a person in the room behaves: join with the code, answer every question with a
pause to read and think, reload the page once, carry on after a dropped connection.

The widgets are found by the keys the join page gives them (``assessment/ui/pages/join.py``:
``join_name`` in the ``join`` form, ``w_<question id>`` per answer, ``w_<question id>_dont_know``
beside a count), never by position.

An answer counts as *acknowledged* when the run its change started finishes successfully
(:mod:`benchmarks.room.protocol`), no error is shown, and the widget still shows the value (the app
re-seeds a widget from the database when a save fails). Whatever the page shows after a reload or a
reconnect is compared with what was acknowledged, and at the end the database is too.
"""

from __future__ import annotations

import asyncio
import math
import random
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from streamlit.proto.WidgetStates_pb2 import WidgetState

from assessment.models import ChoiceQuestion, CountQuestion, RubricSet
from assessment.vocabulary import DONT_KNOW
from benchmarks.room.protocol import BrowserTab, Disconnected, Page, Run, shown_value

ANSWER_PREFIX = "w"  # assessment/ui/pages/join.py: PREFIX, through questions.widget_key
NAME_KEY = "join_name"
SUBMIT_PREFIX = "FormSubmitter:join"


@dataclass(frozen=True)
class Pace:
    """Human pauses: a log-normal think time before each answer (median ``think`` s), a join within
    ``arrival`` s of the start, and one reload somewhere in the middle of the questions."""

    think: float = 5.0
    spread: float = 0.5
    arrival: float = 20.0

    def pause(self, rng: random.Random) -> float:
        return min(self.think * 4, max(self.think / 4, rng.lognormvariate(math.log(self.think), self.spread)))


@dataclass
class Answer:
    question_id: str
    key: str  # the widget's user key
    stored: object  # what the database should hold: an option id, DONT_KNOW or a float
    index: int | None  # option position (choice questions)
    number: float | None  # the count typed (count questions)


@dataclass
class Record:
    """What one participant did and saw."""

    name: str
    token: str = ""
    replica: str = ""  # the upstream that served the first page, from the proxy's X-Replica header
    upstreams: list[str] = field(default_factory=list)  # …and every later page load or reconnect
    acknowledged: dict[str, object] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)  # answer acknowledgements, seconds
    join_seconds: float = math.nan
    reload_seconds: float = math.nan
    discarded: int = 0  # changes the app answered by showing another value (e.g. the first after a reconnect)
    interrupted: int = 0  # changes whose run the dropped socket cut off
    not_shown: list[str] = field(default_factory=list)  # acknowledged answers a later page did not show
    shown: int = 0  # acknowledged answers a later page (re)drew from the database with the same value
    reconnects: int = 0
    reloaded: bool = False
    finished: bool = False
    error: str = ""


def plan(rubric: RubricSet, rng: random.Random) -> list[Answer]:
    """Every question once, in page order: a random option (sometimes "don't know"), or a count."""
    answers = []
    for _, question in rubric.questions():
        key = f"{ANSWER_PREFIX}_{question.id}"
        if isinstance(question, ChoiceQuestion):
            unknown = rng.random() < 0.1  # "don't know" is drawn after the options
            index = len(question.options) if unknown else rng.randrange(len(question.options))
            stored = question.options[index].id if index < len(question.options) else DONT_KNOW
            answers.append(Answer(question.id, key, stored, index, None))
        elif isinstance(question, CountQuestion):
            if rng.random() < 0.15:
                answers.append(Answer(question.id, key, DONT_KNOW, None, None))
            else:
                number = float(min(int(question.max_value), int(10 ** rng.uniform(0, 6))))
                answers.append(Answer(question.id, key, number, None, number))
    return answers


def _change(answer: Answer, page: Page) -> tuple[str, WidgetState, object]:
    """The widget to change, its new state, and what it then shows."""
    if answer.index is not None:
        _, radio = page.widgets[answer.key]
        label = radio.options[answer.index]  # type: ignore[attr-defined]
        return answer.key, WidgetState(string_value=label), label
    if answer.number is None:
        return f"{answer.key}_dont_know", WidgetState(bool_value=True), True
    return answer.key, WidgetState(double_value=answer.number), answer.number


def _shown(answer: Answer, page: Page) -> tuple[bool, object]:
    """(the server set the widget this run, the value it shows) for the widget that holds ``answer``."""
    key = answer.key if answer.stored != DONT_KNOW or answer.index is not None else f"{answer.key}_dont_know"
    kind, proto = page.widgets[key]
    return bool(getattr(proto, "set_value", False)), shown_value(kind, proto)


def _expected(answer: Answer, page: Page) -> object:
    return _change(answer, page)[2]


def check_shown(record: Record, answers: list[Answer], page: Page) -> None:
    """Every acknowledged answer the server (re)drew this run must show the acknowledged value."""
    for answer in answers:
        if answer.question_id not in record.acknowledged or answer.key not in page.widgets:
            continue
        was_set, value = _shown(answer, page)
        if was_set and value != _expected(answer, page):
            record.not_shown.append(answer.question_id)
        elif was_set:
            record.shown += 1


async def join(tab: BrowserTab, record: Record) -> Page:
    """Open the join link, give a name, press Join: returns the page with the questions."""
    first = await tab.load()
    record.replica = tab.headers.get("x-replica", "")
    submit = next(key for key in first.page.widgets if key.startswith(SUBMIT_PREFIX))
    run = await tab.rerun({NAME_KEY: WidgetState(string_value=record.name)}, trigger=submit)
    record.join_seconds = run.seconds
    token = parse_qs(tab.query).get("token", [""])[0]
    if not token:
        raise RuntimeError(f"joining gave no personal link: {run.page.errors or tab.query}")
    record.token = token
    return run.page


async def answer_one(tab: BrowserTab, record: Record, answer: Answer, answers: list[Answer], page: Page) -> Page:
    """Change one widget; returns the page the run drew. Acknowledged only if the page agrees."""
    key, state, expected = _change(answer, page)
    run: Run = await tab.rerun({key: state})
    check_shown(record, answers, run.page)
    if run.page.errors:
        record.discarded += 1
        return run.page
    was_set, value = _shown(answer, run.page)
    if was_set and value != expected:
        record.discarded += 1  # the app put another value in: not saved
        return run.page
    record.acknowledged[answer.question_id] = answer.stored
    record.latencies.append(run.seconds)
    return run.page


async def take_part(base_url: str, join_code: str, record: Record, rubric: RubricSet, pace: Pace,
                    rng: random.Random, done: asyncio.Event | None = None) -> None:
    """Join, answer everything (reloading once), stay until ``done`` is set; errors end up in the record."""
    tab = BrowserTab(base_url, "join", f"code={join_code}")
    answers = plan(rubric, rng)
    reload_after = rng.randrange(len(answers) // 3, 2 * len(answers) // 3)
    try:
        await asyncio.sleep(rng.uniform(0, pace.arrival))
        page = await join(tab, record)
        await _answer_all(tab, record, answers, page, reload_after, pace, rng)
        record.finished = len(record.acknowledged) == len(answers)
        if done is not None:
            await done.wait()
    except (Disconnected, RuntimeError, KeyError, StopIteration) as exc:
        record.error = f"{type(exc).__name__}: {exc}"
    finally:
        record.reconnects, record.upstreams = tab.reconnects, tab.upstreams
        await tab.close()


async def _answer_all(tab: BrowserTab, record: Record, answers: list[Answer], page: Page, reload_after: int,
                      pace: Pace, rng: random.Random) -> None:
    """Answer in page order; a change that was not acknowledged is made again after the next pause."""
    pending = list(answers)
    tries = 0
    while pending and tries < len(answers) * 4:
        tries += 1
        await asyncio.sleep(pace.pause(rng))
        if not tab.connected:
            await tab.reconnect()  # as the frontend does; nothing is sent until the next change
        try:
            if not record.reloaded and len(record.acknowledged) >= reload_after:
                run = await tab.load()  # a reload: the personal link, a new session, answers from the database
                record.reloaded, record.reload_seconds, page = True, run.seconds, run.page
                check_shown(record, answers, page)
                continue
            answer = pending[0]
            page = await answer_one(tab, record, answer, answers, page)
        except Disconnected:
            record.interrupted += 1  # the socket dropped mid-run: reconnect, then try again
            continue
        if answer.question_id in record.acknowledged:
            pending.pop(0)
