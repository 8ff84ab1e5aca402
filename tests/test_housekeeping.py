"""Streamlit's collection after every run skips the objects alive since start-up (frozen once per process)."""

from __future__ import annotations

import gc

from assessment.ui import housekeeping


def test_startup_objects_are_frozen_once(monkeypatch):
    monkeypatch.setattr(housekeeping, "_frozen", False)
    gc.unfreeze()
    try:
        housekeeping.freeze_startup_objects()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # modules, pandas, plotly…: out of every later collection's way
        housekeeping.freeze_startup_objects()
        assert gc.get_freeze_count() == frozen  # the second call does nothing
        made_later = [object() for _ in range(1000)]
        assert gc.get_freeze_count() == frozen and made_later  # what runs make later is still collected
    finally:
        gc.unfreeze()
