"""Refresh the README's screenshots (``docs/screenshots/*.png``): ``.venv/bin/python -m tests.browser.screenshots``.

The test suite saves its screenshots in a temporary folder, so running it never
changes a tracked file. This command runs the one browser test that takes them,
with ``REFRESH_SCREENSHOTS=1``, so they land in ``docs/screenshots/`` instead.
"""

from __future__ import annotations

import os
import sys

import pytest

from tests.browser.conftest import README_SCREENSHOTS, REFRESH_SCREENSHOTS, ROOT

TEST = "tests/browser/test_founder_flow.py::test_founder_goes_from_an_empty_form_to_a_classification"


def main() -> int:
    os.environ[REFRESH_SCREENSHOTS] = "1"
    os.environ.setdefault("CI", "1")  # a missing Chromium is an error here, not a skip
    os.chdir(ROOT)
    code = int(pytest.main(["-q", "-n0", "-p", "no:cacheprovider", TEST]))
    if code == 0:
        print(f"screenshots written to {README_SCREENSHOTS.relative_to(ROOT)}/")
    return code


if __name__ == "__main__":
    sys.exit(main())
