"""The HTML report's size and offline open time, against baselines measured in the same run; the PDF's build time.

Run: ``.venv/bin/python benchmarks/bench_report.py [--runs N] [--example NAME]`` (needs /usr/bin/chromium).

Each page is a file opened in a fresh, offline headless-Chromium context (no cache, no network; a request that
leaves fails the run). "Open" is the time from navigation start to the moment the last of the report's charts has
drawn its SVG (a MutationObserver installed before the page's own scripts records it), median of N runs.

Baselines, in the same run and the same browser:
* **one script of the same size**: a minimal page whose single inline script is a string literal as long as the
  report file, opened to its load event — what reading and parsing that many bytes costs on this machine;
* **the full-bundle report**: the same report with the whole of plotly.js inlined, as it was before issue 10.

Targets (issue 10): the report is at most 2 MB and opens in at most 2 s offline.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import plotly.offline  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from assessment.answers import load_answers_file  # noqa: E402
from assessment.examples import example_assessments  # noqa: E402
from assessment.localise import localise  # noqa: E402
from assessment.pdf import report_pdf  # noqa: E402
from assessment.report import report_html  # noqa: E402
from assessment.rubrics import DEFAULT_RUBRICS, load_rubric_dir  # noqa: E402
from assessment.scoring import assess  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

MAX_BYTES = 2 * 1024 * 1024
MAX_OPEN_MS = 2000
# Before the page's scripts: note when the expected number of charts have drawn (or, with none expected, the load).
WATCH = """
(() => {
  const expected = %d;
  const done = () => { if (window.__drawn === undefined) window.__drawn = performance.now(); };
  if (expected === 0) { window.addEventListener("load", () => done()); return; }
  new MutationObserver(() => {
    if (document.querySelectorAll(".js-plotly-plot .main-svg").length >= expected) done();
  }).observe(document, {subtree: true, childList: true});
})();
"""


def open_ms(browser, path: Path, charts: int, runs: int) -> list[float]:
    """Milliseconds from navigation start to the last chart drawn (or the load event), once per fresh context."""
    times = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        context.set_offline(True)
        requests: list[str] = []
        context.on("request", lambda request, seen=requests: seen.append(request.url))
        context.add_init_script(WATCH % charts)
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_function("() => window.__drawn !== undefined", timeout=60_000)
        times.append(page.evaluate("() => window.__drawn"))
        leaked = [url for url in requests if not url.startswith(("file:", "data:", "blob:"))]
        if leaked:
            raise SystemExit(f"{path.name} sent requests offline: {leaked}")
        context.close()
    return times


def full_bundle(source: str) -> str:
    """The report with plotly's whole library inlined instead of the partial bundle (as before issue 10)."""
    start = source.index("<script>") + len("<script>")
    end = source.index("</script>", start)
    library = re.sub(r"</(script)", r"<\\/\1", plotly.offline.get_plotlyjs(), flags=re.IGNORECASE)
    return source[:start] + library + source[end:]


def same_size_page(size: int) -> str:
    """A minimal page with one inline script (a string literal) making the file ``size`` bytes long."""
    head = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>baseline</title><script>var s="'
    tail = '";</script></head><body><p>baseline</p></body></html>'
    return head + "x" * max(size - len(head) - len(tail), 0) + tail


def timed(action, repeat: int = 3) -> tuple[object, float]:
    """The action's result and its median wall time in ms."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    return result, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--example", default="cake-shop")
    args = parser.parse_args()
    rubric = load_rubric_dir(DEFAULT_RUBRICS)
    sheet, _ = load_answers_file(ROOT / "data" / "examples" / f"{args.example}.yaml", rubric)
    result = localise(assess(sheet, rubric), rubric, "en")
    others = example_assessments(rubric, "en")
    source, html_ms = timed(lambda: report_html(sheet, result, rubric, others))
    pdf, pdf_ms = timed(lambda: report_pdf(sheet, result, rubric, others))
    charts = str(source).count("Plotly.newPlot(")
    with tempfile.TemporaryDirectory() as folder:
        pages = {"report": Path(folder) / "report.html", "full": Path(folder) / "full-bundle.html",
                 "baseline": Path(folder) / "baseline.html"}
        pages["report"].write_text(str(source), encoding="utf-8")
        pages["full"].write_text(full_bundle(str(source)), encoding="utf-8")
        pages["baseline"].write_text(same_size_page(pages["report"].stat().st_size), encoding="utf-8")
        sizes = {name: path.stat().st_size for name, path in pages.items()}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            report = open_ms(browser, pages["report"], charts, args.runs)
            full = open_ms(browser, pages["full"], charts, args.runs)
            baseline = open_ms(browser, pages["baseline"], 0, args.runs)
            browser.close()
    _print(args, sizes, [statistics.median(v) for v in (report, full, baseline)], len(bytes(pdf)), html_ms, pdf_ms)


def _print(args, sizes: dict[str, int], medians: list[float], pdf_bytes: int, html_ms: float, pdf_ms: float) -> None:
    report, full, baseline = medians
    mb = 1024 * 1024
    print(f"HTML report of {args.example}: {sizes['report'] / mb:.2f} MB ({sizes['report']:,} bytes), "
          f"median of {args.runs} offline opens in headless Chromium")
    print(f"  size  {sizes['report'] / mb:6.2f} MB = {sizes['report'] / sizes['full']:.2f} × the full-bundle report "
          f"({sizes['full'] / mb:.2f} MB)   (target ≤ 2 MB)  {'PASS' if sizes['report'] <= MAX_BYTES else 'MISS'}")
    print(f"  open  {report:6.0f} ms (last chart drawn) = {report / baseline:.2f} × one script of the same size "
          f"({baseline:.0f} ms to load), {report / full:.2f} × the full-bundle report ({full:.0f} ms)   "
          f"(target ≤ 2 s)  {'PASS' if report <= MAX_OPEN_MS else 'MISS'}")
    print(f"PDF report: {pdf_bytes / 1024:.0f} KB, built in {pdf_ms:.0f} ms = {pdf_ms / html_ms:.2f} × the HTML "
          f"report's build ({html_ms:.0f} ms), the same assessment and examples")


if __name__ == "__main__":
    main()
