"""Issue 11, failure 14 (headers): no framing and a content security policy, from ``serve.py`` (Streamlit's ASGI
mode with our middleware) and from the nginx configuration for replicas. ``streamlit run app.py`` cannot send
them (README, "Text from users and rubric authors")."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import streamlit

from assessment.http_headers import CONTENT_SECURITY_POLICY, INLINE_SCRIPT_HASHES, SECURITY_HEADERS, SecurityHeaders
from benchmarks.room.servers import nginx_config
from tests.browser.conftest import start_streamlit, stop
from tests.conftest import ROOT


def test_the_policy_forbids_framing_and_other_hosts():
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["frame-ancestors"] == "'none'" and SECURITY_HEADERS["X-Frame-Options"] == "DENY"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    for name in ("script-src", "img-src", "connect-src", "style-src", "font-src"):
        sources = directives[name].split()
        assert "*" not in sources and not any(s.startswith(("http", "https:")) for s in sources), name
    assert "'unsafe-eval'" not in CONTENT_SECURITY_POLICY and "'unsafe-inline'" not in directives["script-src"]


def test_the_inline_script_hash_matches_the_installed_streamlit():
    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script>(.*?)</script>", index, flags=re.S)
    hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts}
    assert hashes == set(INLINE_SCRIPT_HASHES)


def test_the_middleware_adds_each_header_once():
    sent: list[dict] = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x-frame-options", b"SAMEORIGIN")]})
        await send({"type": "http.response.body", "body": b""})

    async def send(message):
        sent.append(message)

    # In a thread of its own: a browser test in this worker may hold Playwright's event loop in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, SecurityHeaders(app)({"type": "http"}, None, send)).result()
    headers = [(n.decode(), v.decode()) for n, v in sent[0]["headers"]]
    assert sorted(headers) == sorted((n.lower(), v) for n, v in SECURITY_HEADERS.items())


def test_the_nginx_configuration_sends_the_same_headers():
    config = nginx_config(Path("/tmp/nginx"), 8080, [8501])
    added = dict(re.findall(r'add_header (\S+) "([^"]*)" always;', config))
    assert {name: added.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS
    assert all(f"proxy_hide_header {name};" in config for name in SECURITY_HEADERS)


def test_the_started_app_sends_the_headers_on_every_response(tmp_path):
    process, url = start_streamlit(ROOT / "serve.py", env={"ASSESSMENT_DATA_DIR": str(tmp_path)})
    try:
        for path in ("/", "/_stcore/health", "/?page=rubrics"):
            with urllib.request.urlopen(url + path, timeout=10) as response:
                assert response.status == 200
                for name, value in SECURITY_HEADERS.items():
                    assert response.headers.get_all(name) == [value], (path, name)
    finally:
        stop(process)
