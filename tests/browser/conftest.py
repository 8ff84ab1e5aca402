"""A real browser against a real ``streamlit run``: Playwright driving the system Chromium.

The app is started once per session on a free 127.0.0.1 port and stopped by its
process id. With ``CI`` set, a missing browser fails the tests instead of
skipping them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
SETTLE_JS = """
(quietMs) => new Promise((resolve) => {
  let last = performance.now();
  const observer = new MutationObserver(() => { last = performance.now(); });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  const tick = () => {
    const running = document.querySelector('[data-testid="stStatusWidget"]');
    const skeleton = document.querySelector('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]');
    if (!running && !skeleton && performance.now() - last >= quietMs) {
      observer.disconnect(); resolve(performance.now());
    }
    else { setTimeout(tick, 50); }
  };
  tick();
})
"""


def browser_or_fail() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    message = f"no Chromium at {CHROMIUM} (install Debian's 'chromium' package)"
    if os.environ.get("CI"):
        pytest.fail(message + " — browser tests must run in CI")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_streamlit(script: Path | str, env: dict[str, str] | None = None,
                    cwd: Path = ROOT) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run`` on 127.0.0.1 and wait until it answers its health check.

    Its output goes to a log file, not a pipe: nothing reads a pipe while tests run, and a server whose pipe
    filled up (64 KB of log over a long session) would block on its next log line, mid-request.
    """
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    handle, log_name = tempfile.mkstemp(prefix="streamlit-", suffix=".log")
    with os.fdopen(handle, "wb") as log:  # the child keeps its own descriptor
        process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    process.log_path = Path(log_name)  # type: ignore[attr-defined]  # stop() removes it
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.log_path.read_text(errors="replace")  # type: ignore[attr-defined]
            process.log_path.unlink(missing_ok=True)  # type: ignore[attr-defined]
            raise RuntimeError(f"streamlit exited: {output}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError("streamlit did not start within 60 s")


def stop(process: subprocess.Popen) -> None:
    """Stop the server and its children by process (group) id."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    log_path = getattr(process, "log_path", None)
    if log_path is not None:
        log_path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("app-data")


@pytest.fixture(scope="session")
def app_url(data_dir: Path) -> Iterator[str]:
    browser_or_fail()
    process, url = start_streamlit(ROOT / "serve.py", env={"ASSESSMENT_DATA_DIR": str(data_dir)})
    try:
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="session")
def browser():
    path = browser_or_fail()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 2400}, accept_downloads=True)
    context.set_default_timeout(30_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


def settle(page, quiet_ms: int = 700) -> None:
    """Wait until the script is idle and the DOM has not changed for ``quiet_ms``."""
    page.wait_for_selector('[data-testid="stApp"]')
    page.evaluate(SETTLE_JS, quiet_ms)


README_SCREENSHOTS = ROOT / "docs" / "screenshots"
REFRESH_SCREENSHOTS = "REFRESH_SCREENSHOTS"
"""Set (to 1) to write the README's screenshots instead of throw-away ones: ``python -m tests.browser.screenshots``."""


@pytest.fixture(scope="session")
def screenshots_dir(tmp_path_factory) -> Path:
    """Where the founder flow saves its screenshots: a temporary folder, so tests never change a tracked file."""
    if os.environ.get(REFRESH_SCREENSHOTS) == "1":
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return README_SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")
