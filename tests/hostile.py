"""Hostile inputs that once cost minutes of CPU (issue 11), built in memory for the tests and benchmarks."""

from __future__ import annotations

import io
import zipfile

from assessment.rubrics import DEFAULT_RUBRICS

SET_YAML = (DEFAULT_RUBRICS / "set.yaml").read_text(encoding="utf-8")
DIMENSION_FILES = ("user_first.yaml", "connection.yaml", "model_change.yaml")


def long_flow_list(size: int = 660_000, head: str = SET_YAML) -> str:
    """``head`` followed by one flow list of zeros, ``size`` characters in all."""
    items = max(1, (size - len(head) - 20) // 3)
    return f"{head}\nextra: [{'0, ' * items}0]\n"


def unknown_keys(count: int = 60_000) -> str:
    """A mapping of ``count`` keys no rubric knows."""
    return "".join(f"k{i:05d}: 1\n" for i in range(count))


def misspelt_set() -> str:
    """The shipped set.yaml with ``title:`` misspelt, so every dimension file is parsed as well."""
    assert SET_YAML.startswith("id:") and "\ntitle:" in SET_YAML
    return SET_YAML.replace("\ntitle:", "\ntitel:", 1)


def hostile_zip() -> bytes:
    """A few kilobytes: a misspelt set.yaml and three 0.66 MB dimension files ending in flow lists."""
    files = {"set.yaml": misspelt_set()} | {name: long_flow_list(head=f"id: {name[:-5]}") for name in DIMENSION_FILES}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in files.items():
            archive.writestr(f"my-set/{name}", text)
    return buffer.getvalue()
