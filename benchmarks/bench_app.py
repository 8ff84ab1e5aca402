"""The app's speed and memory against a minimal reference app, measured in one run.

Run: ``.venv/bin/python benchmarks/bench_app.py [--runs N]`` (needs /usr/bin/chromium).

Both apps are started with ``streamlit run`` on free 127.0.0.1 ports and driven
by Playwright with the system Chromium. "Settled" means the script is idle and
the DOM has not changed for 0.7 s (so the charts are drawn); a time is the
moment of the last change, from navigation start or from the click.

Targets:
* the Results page (five charts) settles within 1.25 × the reference page;
* after changing one answer, the page (with the live verdict) settles within 300 ms;
* the server's memory stays within the reference's + 60 MB.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, SETTLE_JS, start_streamlit, stop  # noqa: E402

QUIET_MS = 700


def settle_ms(page) -> float:
    """Milliseconds from navigation start to the last DOM change before 0.7 s of quiet."""
    page.wait_for_selector('[data-testid="stApp"]')
    return page.evaluate(SETTLE_JS, QUIET_MS) - QUIET_MS


def load_times(browser, url: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 2400})
        page = context.new_page()
        page.goto(url)
        times.append(settle_ms(page))
        context.close()
    return times


def answer_change_times(browser, url: str, runs: int) -> list[float]:
    """Change one answer back and forth; time from the click to the settled page."""
    context = browser.new_context(viewport={"width": 1280, "height": 2400})
    page = context.new_page()
    page.goto(url)
    settle_ms(page)
    group = page.locator('[data-testid="stMain"]').get_by_role("radiogroup").first
    times = []
    for run in range(runs):
        started = page.evaluate("() => performance.now()")
        group.locator('[data-testid="stRadioOption"]').nth(2 + run % 2).click()
        times.append(page.evaluate(SETTLE_JS, QUIET_MS) - QUIET_MS - started)
    context.close()
    return times


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app, app_url = start_streamlit(ROOT / "app.py", env={"ASSESSMENT_DATA_DIR": str(ROOT / "var" / "bench")})
    reference, reference_url = start_streamlit(ROOT / "benchmarks" / "reference_app.py")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            load_times(browser, reference_url, 1)  # warm both servers (imports, caches)
            load_times(browser, f"{app_url}/results?example=cake-shop", 1)
            reference_load, results_load = [], []
            for _ in range(args.runs):  # interleaved, so noise hits both alike
                reference_load += load_times(browser, reference_url, 1)
                results_load += load_times(browser, f"{app_url}/results?example=ride-hailing-platform", 1)
            change = answer_change_times(browser, f"{app_url}/?example=cake-shop", args.runs)
            browser.close()
        app_mb, reference_mb = rss_mb(app.pid), rss_mb(reference.pid)
    finally:
        stop(app)
        stop(reference)

    ratio = median(results_load) / median(reference_load)
    print(f"reference page settles      {median(reference_load):7.0f} ms (median of {args.runs})")
    print(f"Results page settles        {median(results_load):7.0f} ms = {ratio:.2f} × reference   (target ≤ 1.25)  "
          f"{'PASS' if ratio <= 1.25 else 'MISS'}")
    print(f"answer change settles       {median(change):7.0f} ms median, {max(change):.0f} ms max   (target ≤ 300)  "
          f"{'PASS' if median(change) <= 300 else 'MISS'}")
    print(f"server memory               {app_mb:7.0f} MB vs reference {reference_mb:.0f} MB = "
          f"+{app_mb - reference_mb:.0f} MB   (target ≤ +60)  {'PASS' if app_mb - reference_mb <= 60 else 'MISS'}")


if __name__ == "__main__":
    main()
