"""The code stays readable: small modules and functions, and one meaning per public name."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from tests.conftest import ROOT

CORE = sorted((ROOT / "assessment").rglob("*.py"))
PAGE_PROTOCOL = {"page"}  # every page module's entry point: one name, one meaning


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_no_module_of_the_core_is_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in CORE if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_no_function_is_over_60_lines():
    long = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for path in CORE for node in ast.walk(_tree(path))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > 60
    ]
    assert long == []


def test_no_public_name_is_defined_twice_with_two_meanings():
    """A name a module defines (not imports) at the top level, and that does not start with _."""
    defined: dict[str, list[str]] = defaultdict(list)
    for path in CORE:
        for node in _tree(path).body:
            names = [node.name] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else [
                target.id for target in getattr(node, "targets", [getattr(node, "target", None)])
                if isinstance(target, ast.Name)]
            for name in names:
                if not name.startswith("_") and name not in PAGE_PROTOCOL and name != "__all__":
                    defined[name].append(str(path.relative_to(ROOT)))
    assert {name: files for name, files in defined.items() if len(files) > 1} == {}


def test_no_two_test_modules_share_a_file_name():
    """The test folders are not packages: two test files of the same name stop the whole run at collection
    ("import file mismatch"), which a run of one folder alone never shows."""
    names: dict[str, list[str]] = defaultdict(list)
    for path in (ROOT / "tests").rglob("test_*.py"):
        names[path.name].append(str(path.relative_to(ROOT)))
    assert {name: paths for name, paths in names.items() if len(paths) > 1} == {}
