"""The README's nginx example is the configuration the replica test runs, not a sketch beside it."""

from __future__ import annotations

import re
from pathlib import Path

from benchmarks.room.servers import nginx_config
from tests.conftest import ROOT

EXAMPLE_PORTS = (8080, [8501, 8502])  # what the README shows: nginx on 8080, two replicas


def deployable_part(config: str) -> str:
    """The lines between the template's "the part a deployment copies" rule and the closing rule, dedented."""
    body = config[config.index("# --- the part a deployment copies"):].split("\n", 1)[1]
    lines = body[: body.index("    # ---")].splitlines()
    return "\n".join(line.removeprefix("    ") for line in lines).strip()


def test_the_readme_shows_the_nginx_configuration_the_test_runs():
    part = deployable_part(nginx_config(Path("/tmp/nginx"), *EXAMPLE_PORTS))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", readme[readme.index("### Many replicas"):], flags=re.S)
    assert blocks, "no nginx block in the README's replica section"
    assert blocks[0].strip() == part


def test_the_configuration_is_filled_in_completely():
    config = nginx_config(Path("/tmp/nginx"), *EXAMPLE_PORTS)
    assert re.findall(r"@[A-Z]+@", config) == []
    assert "server 127.0.0.1:8501 " in config and "server 127.0.0.1:8502 " in config
    assert "listen 127.0.0.1:8080;" in config
