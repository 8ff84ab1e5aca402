"""Once per server process: keep Streamlit's garbage collection after every run cheap.

Streamlit collects all generations after each script run (``runner.postScriptGC``), so
memory never builds up between reruns. With plotly, pandas, scipy and the rubric loaded
that is some 150,000 objects and ~100 ms a run, and an answer on Assess (a keyed rerun of
fragments: two runs) paid it twice before its fragments began. The objects alive once the
app has started (modules, the compiled rubric) live as long as the process anyway;
``gc.freeze`` moves them out of the collector's way, so each run's collection scans only
what that run made.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_frozen = False


def freeze_startup_objects() -> None:
    """Freeze what is alive after the first run's imports, once; later calls do nothing."""
    global _frozen  # noqa: PLW0603 - a once-flag under the lock; tests reset it by name
    with _lock:
        if _frozen:
            return
        gc.collect()
        gc.freeze()
        _frozen = True
