"""Compiled rubric sets stay bounded in memory, however many distinct sets are uploaded."""

from __future__ import annotations

import gc
import tracemalloc

from assessment.engine import compile_rubric
from assessment.models import DIGEST_CACHE_SIZE
from assessment.rubrics import DEFAULT_RUBRICS, load_rubric_sources


def distinct_sets(count: int):
    files = {p.name: p.read_bytes() for p in DEFAULT_RUBRICS.glob("*.yaml")}
    for i in range(count):
        changed = files["set.yaml"].replace(b'title:\n  en: "+Internet', f'title:\n  en: "Set {i} +Internet'.encode())
        yield load_rubric_sources({**files, "set.yaml": changed})


def test_two_hundred_uploaded_sets_keep_memory_bounded():
    """Compiling set after distinct set, memory stops growing once the cache is full: an
    unbounded cache would keep ~30 kB per set (3 MB over the last 100 here)."""
    tracemalloc.start()
    at = {}
    for count, rubric in enumerate(distinct_sets(200), 1):
        assert compile_rubric(rubric) is compile_rubric(rubric)  # the second call is a cache hit
        if count in (100, 200):
            gc.collect()
            at[count] = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(compile_rubric.cache) == DIGEST_CACHE_SIZE
    assert at[200] - at[100] < 50_000, f"memory grew by {at[200] - at[100]:,} bytes over the last 100 sets"
