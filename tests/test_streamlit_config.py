"""The app's Streamlit settings: no grid hands out its own, unprotected CSV download."""

from __future__ import annotations

import tomllib

import pytest
from streamlit import config
from streamlit.proto.NewSession_pb2 import Config
from streamlit.runtime.app_session import _populate_config_msg

from tests.conftest import ROOT

CONFIG = ROOT / ".streamlit" / "config.toml"


def test_config_file_disables_the_grids_data_export():
    settings = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert settings["client"]["disableDataExport"] is True
    # A name this Streamlit does not know would be ignored with a warning: check it is a real option.
    assert "client.disableDataExport" in config._config_options_template


@pytest.fixture
def project_config(monkeypatch):
    """Streamlit's options as `streamlit run app.py` reads them (from the project folder)."""
    monkeypatch.chdir(ROOT)
    config.get_config_options(force_reparse=True)
    yield
    monkeypatch.undo()
    config.get_config_options(force_reparse=True)


def test_the_browser_is_told_to_hide_grid_downloads(project_config):
    assert config.get_option("client.disableDataExport") is True
    message = Config()
    _populate_config_msg(message)  # the settings each new browser session receives
    assert message.disable_data_export is True
