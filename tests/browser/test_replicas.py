"""Two app replicas behind nginx on one PostgreSQL, one of them killed (SIGKILL) mid-workshop.

What runs (the README's "Many replicas" section describes exactly this):

* a throw-away PostgreSQL database (on ``DATABASE_URL``'s server in CI), two ``streamlit run app.py``
  replicas on it, and Debian's nginx in front with ``benchmarks/room/nginx.conf`` (sticky by a cookie
  nginx sets, WebSocket upgrade headers); all on 127.0.0.1, all stopped by process id;
* 30 participants speaking Streamlit's WebSocket protocol through nginx (``benchmarks/room``): 25 join
  at the start, answer every question with short pauses and reload once; 5 join only after the kill;
* a facilitator's live view and one more participant in real Chromium, both on the replica to be killed;
* once the room has given a third of its answers, that replica is killed with SIGKILL.

Then: every participant finished; every acknowledged answer is in the database with its value; the
participants of the dead replica reconnected through nginx to the other one and carried on; the
Chromium participant reopened their personal link there and found their answers; the facilitator's
live view, reconnected too, shows the latecomers without a reload.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from assessment.i18n import t
from assessment.models import RubricSet, text
from assessment.workshop import WorkshopStore
from benchmarks.room.participant import Pace, Record, take_part
from benchmarks.room.protocol import http_get
from benchmarks.room.servers import Nginx, Replica, missing_parts, postgres_database, scratch_directory
from tests.browser.conftest import browser_or_fail, settle

pytestmark = [pytest.mark.browser, pytest.mark.replicas]

EARLY, LATE = 25, 5
PACE = Pace(think=0.6, spread=0.4, arrival=5.0)
KILL_AT = 1 / 3  # of the early participants' answers


@dataclass
class Room:
    nginx: Nginx
    replicas: list[Replica]
    store: WorkshopStore
    join_code: str
    live_link: str
    workshop_id: int
    facilitator_key: str


@pytest.fixture
def room(rubric: RubricSet) -> Iterator[Room]:
    browser_or_fail()
    missing = missing_parts()
    if missing:
        message = "the replica test needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message + " — it must run in CI (.ci/run installs them)")
        pytest.skip(message)
    with scratch_directory() as directory, postgres_database() as database:
        replicas: list[Replica] = []
        nginx = None
        try:
            replicas = [Replica(database, directory), Replica(database, directory)]
            nginx = Nginx(replicas, directory)
            store = WorkshopStore(database, rubrics=[rubric])
            created = store.create_workshop(store.new_organiser_key(), "Conference Hall Ltd", rubric.id,
                                            rubric.version)
            live = f"{nginx.url}/facilitate?w={created.workshop_id}&key={created.facilitator_key}"
            yield Room(nginx, replicas, store, created.join_code, live, created.workshop_id, created.facilitator_key)
            store.dispose()
        finally:
            for process in [nginx, *replicas]:
                if process is not None:
                    process.stop()


def cookie_for(nginx: Nginx, replica: Replica) -> str:
    """A sticky cookie value nginx hashes to ``replica`` (asked of nginx itself: its X-Replica header)."""
    for _ in range(200):
        _, headers, jar = http_get(f"{nginx.url}/_stcore/health", {})
        if headers.get("x-replica") == f"127.0.0.1:{replica.port}":
            return jar["assessment_replica"].value
    raise AssertionError(f"nginx never chose replica {replica.port}")


def question_label(rubric: RubricSet, number: int) -> str:
    """The radio group's name on the join page: "<n>. <question>" within its dimension."""
    question = rubric.dimensions[0].questions[number - 1]
    return f"{number}. {text(question.text, 'en')}"


def chromium_page(browser, nginx: Nginx, cookie: str):
    """A browser whose sticky cookie nginx hashes to one replica (set before the first request)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1600})
    context.add_cookies([{"name": "assessment_replica", "value": cookie, "url": nginx.url}])
    context.set_default_timeout(60_000)
    return context, context.new_page()


def run_room(room: Room, rubric: RubricSet, records: list[Record], late_start: threading.Event) -> threading.Thread:
    """The 30 protocol participants, in a thread of their own (Playwright keeps this one)."""

    async def late(record: Record, seed: int) -> None:
        await asyncio.to_thread(late_start.wait)
        await take_part(room.nginx.url, room.join_code, record, rubric, PACE, random.Random(seed))

    async def everyone() -> None:
        await asyncio.gather(
            *(take_part(room.nginx.url, room.join_code, r, rubric, PACE, random.Random(i))
              for i, r in enumerate(records[:EARLY])),
            *(late(r, EARLY + i) for i, r in enumerate(records[EARLY:])))

    thread = threading.Thread(target=asyncio.run, args=(everyone(),), daemon=True)
    thread.start()
    return thread


def replica_of(response) -> int:
    """The port of the replica that answered, from nginx's X-Replica header (the last one tried)."""
    return int(response.headers["x-replica"].split(",")[-1].strip().rsplit(":", 1)[1])


@pytest.mark.timeout(600)
def test_a_killed_replica_loses_no_acknowledged_answer(browser, room: Room, rubric: RubricSet):
    doomed, survivor = room.replicas
    doomed_cookie = cookie_for(room.nginx, doomed)

    facilitator_context, facilitator = chromium_page(browser, room.nginx, doomed_cookie)
    assert replica_of(facilitator.goto(room.live_link)) == doomed.port
    settle(facilitator)
    person_context, person = chromium_page(browser, room.nginx, doomed_cookie)
    assert replica_of(person.goto(f"{room.nginx.url}/join?code={room.join_code}")) == doomed.port
    settle(person)
    person.get_by_role("textbox", name=t("join_name", "en")).fill("Chromium Chris")
    person.get_by_role("button", name=t("join_button", "en")).click()
    person.wait_for_url(re.compile(r"[?&]token="))  # the personal link replaces the join link
    settle(person)
    personal_link = person.url
    for number, option in ((1, 2), (2, 1)):
        person.get_by_role("radiogroup", name=question_label(rubric, number)) \
            .locator('[data-testid="stRadioOption"]').nth(option).click()
        settle(person, 300)

    records = [Record(f"Early {i + 1}") for i in range(EARLY)] + [Record(f"Late {i + 1}") for i in range(LATE)]
    late_start = threading.Event()
    thread = run_room(room, rubric, records, late_start)
    total = EARLY * len(rubric.questions())
    deadline = time.monotonic() + 120
    while sum(len(r.acknowledged) for r in records[:EARLY]) < total * KILL_AT and time.monotonic() < deadline:
        time.sleep(0.1)
    busy = {r.name for r in records[:EARLY] if len(r.acknowledged) < len(rubric.questions())}  # still answering
    doomed.kill()
    late_start.set()

    # The Chromium participant reopens their personal link: nginx sends them to the other replica.
    assert replica_of(person.goto(personal_link)) == survivor.port
    settle(person)
    for number, option in ((1, 2), (2, 1)):
        group = person.get_by_role("radiogroup", name=question_label(rubric, number))
        assert group.get_by_role("radio").nth(option).is_checked(), f"question {number} lost after the kill"
    person.get_by_role("radiogroup", name=question_label(rubric, 3)).locator('[data-testid="stRadioOption"]') \
        .nth(0).click()
    settle(person, 300)

    thread.join(timeout=240)
    assert not thread.is_alive(), "the participants did not finish within 4 minutes"

    # The facilitator's view (its replica died too) shows the latecomers, who joined after the kill.
    facilitator.wait_for_function(
        "names => names.every(n => document.querySelector('[data-testid=\"stMain\"]').innerText.includes(n))",
        arg=[r.name for r in records[EARLY:]], timeout=30_000)

    errors = {r.name: r.error for r in records if r.error}
    assert errors == {}
    assert all(r.finished and r.reloaded for r in records)
    lost = {}
    for record in records:
        stored = room.store.participant_answers(record.token)
        missing = {q: v for q, v in record.acknowledged.items() if stored.get(q) != v}
        if missing:
            lost[record.name] = missing
    assert lost == {}, "acknowledged answers missing from the database"
    assert [r.name for r in records if r.not_shown] == [], "a page showed another value than the acknowledged one"

    # Those nginx had put on the dead replica went on on the other one: reconnected, or moved by their reload.
    on_doomed = [r for r in records[:EARLY] if r.replica == f"127.0.0.1:{doomed.port}"]
    assert on_doomed, "nginx put no participant on the replica that was killed"
    # Those still answering when it died went on on the survivor (one already done may idle on its dead socket).
    assert all(r.upstreams[-1].endswith(f"127.0.0.1:{survivor.port}") for r in on_doomed if r.name in busy)
    assert any(r.reconnects for r in on_doomed), "nobody reconnected: the kill came too late to test anything"
    assert all(r.replica.endswith(f"127.0.0.1:{survivor.port}") for r in records[EARLY:])

    everyone = room.store.workshop_answers(room.workshop_id, room.facilitator_key)
    chris = everyone[everyone["display_name"] == "Chromium Chris"]
    assert set(chris["question_id"]) == {q.id for q in rubric.dimensions[0].questions[:3]}
    person_context.close()
    facilitator_context.close()
