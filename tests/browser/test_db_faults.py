"""Issue 11, item 12, in a real browser: the database goes away while a participant answers, then comes back.

SQLite: another program holds an exclusive lock on the app's database file past the busy timeout.
PostgreSQL: a throw-away server of the test's own (initdb/pg_ctl on 127.0.0.1, stopped by its process id) is
stopped and started again. Both times the participant's page says the answer was not saved and is kept, keeps
it selected, and saves it on its own once the database is back — without a reload (a mark set in the page's
JavaScript survives). With ``CI`` set, missing PostgreSQL binaries fail the test instead of skipping it.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assessment.workshop import WorkshopStore
from assessment.workshop.settings import SQLITE_FILE
from tests.browser.conftest import browser_or_fail, start_streamlit, stop
from tests.browser.helpers import Q1, Q2, answer, create_workshop, join_as, open_page
from tests.workshop.conftest import LocalPostgres, _pg_bin

ROOT = Path(__file__).resolve().parents[2]
NOT_SAVED = re.compile(r"Not saved — the database is (busy|unavailable); your answer is kept on this page")
MARK = "window.__noReload = 'still here'"
WAITING = re.compile(r"The database is unavailable .* This page tries again every few seconds")


def _answered(url: str, token: str) -> dict[str, object]:
    with WorkshopStore(url) as store:
        return store.participant_answers(token)


def _token(page) -> str:
    return re.search(r"[?&]token=([^&]+)", page.url).group(1)  # type: ignore[union-attr]


def _answer_while_down(participant, question: str, option: int) -> None:
    """Answer, then wait for the page to say it is kept (a locked SQLite answers after its busy timeout)."""
    participant.evaluate(MARK)
    answer(participant, question, option)
    participant.get_by_text(NOT_SAVED).first.wait_for(timeout=60_000)
    group = participant.get_by_role("radiogroup", name=question)
    assert group.locator("input[type=radio]").nth(option).is_checked()  # still chosen on the page


def _saved_without_reload(participant, question: str, option: int) -> None:
    participant.get_by_text(NOT_SAVED).first.wait_for(state="detached", timeout=60_000)
    assert participant.evaluate("window.__noReload") == "still here"
    group = participant.get_by_role("radiogroup", name=question)
    assert group.locator("input[type=radio]").nth(option).is_checked()


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    browser_or_fail()
    process, url = start_streamlit(ROOT / "app.py", env={"ASSESSMENT_DATA_DIR": str(tmp_path), "DATABASE_URL": ""})
    try:
        yield url, tmp_path / SQLITE_FILE
    finally:
        stop(process)


def test_an_exclusive_sqlite_lock_is_shown_then_the_answer_saves_without_reload(browser, sqlite_app) -> None:
    url, database = sqlite_app
    context = browser.new_context(viewport={"width": 1280, "height": 2400})
    context.set_default_timeout(60_000)
    try:
        facilitator = context.new_page()
        join_link, _ = create_workshop(facilitator, url, "Locked Bakery")
        participant = join_as(context, join_link, "Ana")
        token = _token(participant)
        holder = sqlite3.connect(str(database), isolation_level=None, timeout=30)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            _answer_while_down(participant, Q1, 1)
            assert holder.execute("SELECT count(*) FROM answers").fetchone() == (0,)  # nothing got past the lock
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        _saved_without_reload(participant, Q1, 1)
        assert len(_answered(f"sqlite:///{database}", token)) == 1
    finally:
        context.close()


class PausablePostgres(LocalPostgres):
    """The throw-away server, stopped (fast shutdown, by its process id) and started again on the same port."""

    def pause(self) -> None:
        assert self.pid is not None
        os.kill(self.pid, signal.SIGINT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("PostgreSQL did not stop within 30 s")
        self.pid = None

    def resume(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c max_connections=300"
        subprocess.run([*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l",
                        str(self.root / "server.log"), "-w", "-t", "60", "-o", options, "start"],
                       check=True, capture_output=True, timeout=120)
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])


@pytest.fixture
def postgres() -> Iterator[PausablePostgres]:
    bindir = _pg_bin()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("no PostgreSQL binaries under /usr/lib/postgresql: CI must run the outage test")
        pytest.skip("no PostgreSQL binaries under /usr/lib/postgresql (install postgresql to run this test)")
    server = PausablePostgres(bindir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def test_postgresql_stopped_and_started_again_is_shown_then_saved_without_reload(browser, postgres) -> None:
    browser_or_fail()
    process, url = start_streamlit(ROOT / "app.py", env={"DATABASE_URL": postgres.url})
    context = browser.new_context(viewport={"width": 1280, "height": 2400})
    context.set_default_timeout(60_000)
    try:
        facilitator = context.new_page()
        join_link, facilitate_link = create_workshop(facilitator, url, "Outage Bakery")
        participant = join_as(context, join_link, "Ben")
        token = _token(participant)
        answer(participant, Q1, 2)
        open_page(facilitator, facilitate_link, "")
        facilitator.evaluate(MARK)
        postgres.pause()
        try:
            _answer_while_down(participant, Q2, 1)
            facilitator.get_by_text(WAITING).first.wait_for(timeout=30_000)  # the live view says it waits
        finally:
            postgres.resume()
        _saved_without_reload(participant, Q2, 1)
        facilitator.get_by_text(WAITING).first.wait_for(state="detached", timeout=30_000)
        assert facilitator.evaluate("window.__noReload") == "still here"
        assert len(_answered(postgres.url, token)) == 2  # the answer before the outage and the one during it
    finally:
        context.close()
        stop(process)
