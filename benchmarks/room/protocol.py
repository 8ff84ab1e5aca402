"""A Streamlit browser tab without the browser: the app's own WebSocket protocol, spoken as the frontend speaks it.

What Chromium does with a Streamlit 1.67 page (recorded with Playwright and repeated here):

* ``GET`` the page (the HTML sets the ``_streamlit_xsrf`` cookie, and a sticky proxy sets its own);
* open ``/_stcore/stream`` with the cookies, ``Origin`` and the sub-protocols
  ``["streamlit", <xsrf cookie>, <last session id, on a reconnect only>]``;
* send a ``BackMsg.rerun_script`` (``ClientState``: query string, page, every active widget's state,
  ``context_info``) and read ``ForwardMsg``s (``new_session``, ``delta``s, ``page_info_changed``,
  ``script_finished``) until the run ends;
* a user's change is one more ``rerun_script`` carrying every widget's state with the changed value;
* when the socket drops, ping ``/_stcore/health`` until it answers, then reopen the socket with the
  last session id, and send nothing until the user acts again.

A run's *acknowledgement* is its ``script_finished: FINISHED_SUCCESSFULLY`` message (a run that ends
``FINISHED_EARLY_FOR_RERUN``, as after ``st.rerun()``, is followed by the run that does finish): the
moment the browser's "running" indicator stops. Widget callbacks, where the app saves an answer,
run before the script body, so the save has been committed by then.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect

XSRF_COOKIE = "_streamlit_xsrf"
WIDGET_KINDS = ("radio", "number_input", "checkbox", "text_input", "button", "selectbox", "text_area")
FINISHED = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
RUN_TIMEOUT_S = 60.0


class Disconnected(Exception):
    """The WebSocket closed (the server died or restarted) before the run finished."""


@dataclass
class Page:
    """What one finished run drew: widgets by their user key, error alerts, the page's query string."""

    widgets: dict[str, tuple[str, object]] = field(default_factory=dict)  # key → (kind, element proto)
    errors: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    query_string: str = ""


@dataclass
class Run:
    """One rerun: when it was requested, when it was acknowledged, what it drew."""

    sent: float
    finished: float
    page: Page

    @property
    def seconds(self) -> float:
        return self.finished - self.sent


def user_key(widget_id: str) -> str:
    """``$$ID-<hash>-<key>`` → ``<key>`` (the key a page gave the widget)."""
    parts = widget_id.split("-", 2)
    return parts[2] if len(parts) == 3 and widget_id.startswith("$$ID") else widget_id


def http_get(url: str, cookies: dict[str, str], timeout: float = 10.0) -> tuple[int, dict[str, str], SimpleCookie]:
    """A plain GET with our cookies; returns (status, headers, cookies set)."""
    request = urllib.request.Request(url, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            status, headers = response.status, response.headers
    except urllib.error.HTTPError as exc:
        status, headers = exc.code, exc.headers
    jar: SimpleCookie = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return status, {k.lower(): v for k, v in headers.items()}, jar


class BrowserTab:
    """One participant's tab on ``base_url`` (``http://127.0.0.1:port``), at page ``path`` with ``query``."""

    def __init__(self, base_url: str, path: str, query: str = ""):
        self.base_url = base_url.rstrip("/")
        self.path = path.strip("/")
        self.query = query
        self.cookies: dict[str, str] = {}
        self.headers: dict[str, str] = {}
        self.session_id = ""
        self.page_hash = ""
        self.states: dict[str, WidgetState] = {}  # widget id → state, as the frontend's WidgetStateManager
        self.ids: dict[str, str] = {}  # user key → widget id (the last run's)
        self.reconnects = 0
        self.upstreams: list[str] = []  # the proxy's X-Replica of every page load and successful reconnect
        self._ws: ClientConnection | None = None
        self._inbox: asyncio.Queue[ForwardMsg | None] = asyncio.Queue()
        self._reader: asyncio.Task | None = None

    # --- connection -------------------------------------------------------------------------------
    async def load(self) -> Run:
        """Open (or reload) the page: GET the HTML, a new socket, the first run. Like F5: a new session."""
        await self.close()
        self.session_id, self.states, self.ids = "", {}, {}
        url = f"{self.base_url}/{self.path}" + (f"?{self.query}" if self.query else "")
        try:
            status, self.headers, jar = await asyncio.to_thread(http_get, url, self.cookies)
        except OSError as exc:
            raise Disconnected(f"GET {url}: {exc}") from exc
        if status != 200:
            raise Disconnected(f"GET {url} answered {status}")
        self.cookies |= {name: morsel.value for name, morsel in jar.items()}
        self.upstreams.append(self.headers.get("x-replica", ""))
        try:
            await self._open()
        except (OSError, websockets.exceptions.WebSocketException) as exc:
            raise Disconnected(f"no WebSocket at {self.base_url}: {exc}") from exc
        return await self.rerun()

    async def reconnect(self, timeout: float = 90.0) -> None:
        """What the frontend does when its socket drops: ping the health check, reopen with the session id."""
        deadline = time.monotonic() + timeout
        delay = 0.2
        while True:
            try:
                status, headers, _ = await asyncio.to_thread(http_get, f"{self.base_url}/_stcore/health",
                                                             self.cookies, 3.0)
                if status == 200:
                    await self._open(resume=True)
                    self.reconnects += 1
                    self.upstreams.append(headers.get("x-replica", ""))
                    return
            except (OSError, Disconnected, websockets.exceptions.WebSocketException):
                pass
            if time.monotonic() > deadline:
                raise Disconnected(f"no server at {self.base_url} for {timeout:.0f} s")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    @property
    def connected(self) -> bool:
        return self._ws is not None and self._reader is not None and not self._reader.done()

    async def close(self) -> None:
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader
        self._ws = self._reader = None

    async def _open(self, resume: bool = False) -> None:
        await self.close()
        split = urlsplit(self.base_url)
        xsrf = self.cookies.get(XSRF_COOKIE, "PLACEHOLDER_AUTH_TOKEN")
        protocols = ["streamlit", xsrf] + ([self.session_id] if resume and self.session_id else [])
        self._ws = await ws_connect(
            f"ws://{split.netloc}/_stcore/stream",
            subprotocols=protocols,  # type: ignore[arg-type]
            additional_headers={"Origin": self.base_url,
                                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())},
            max_size=None, compression=None, open_timeout=10,
        )
        self._inbox = asyncio.Queue()
        self._reader = asyncio.create_task(self._read(self._ws))

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for frame in ws:
                message = ForwardMsg()
                message.ParseFromString(frame if isinstance(frame, bytes) else frame.encode())
                self._inbox.put_nowait(message)
        except websockets.exceptions.ConnectionClosed:
            pass
        finally:
            self._inbox.put_nowait(None)

    # --- runs -------------------------------------------------------------------------------------
    async def rerun(self, changed: dict[str, WidgetState] | None = None, trigger: str | None = None) -> Run:
        """Send every widget's state (with ``changed`` by user key, and a button ``trigger``), wait for the end."""
        if not self.connected:
            raise Disconnected("not connected")
        states = dict(self.states)
        for key, state in (changed or {}).items():
            state.id = self.ids[key]
            states[state.id] = state
        if trigger is not None:
            states[self.ids[trigger]] = WidgetState(id=self.ids[trigger], trigger_value=True)
        message = BackMsg(rerun_script=self._client_state(list(states.values())))
        sent = time.perf_counter()
        assert self._ws is not None
        try:
            await self._ws.send(message.SerializeToString())
        except websockets.exceptions.ConnectionClosed as exc:
            raise Disconnected(str(exc)) from exc
        self.states = {k: v for k, v in states.items() if not v.trigger_value}
        page = await self._collect()
        return Run(sent, time.perf_counter(), page)

    def _client_state(self, widgets: list[WidgetState]) -> ClientState:
        state = ClientState(query_string=self.query, page_script_hash=self.page_hash,
                            page_name="" if self.page_hash else self.path)
        state.widget_states.widgets.extend(widgets)
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "Europe/Berlin", -60, "en-US"
        info.url, info.is_embedded, info.color_scheme = f"{self.base_url}/{self.path}", False, "light"
        return state

    async def _collect(self) -> Page:
        """Read messages until a run finishes successfully; keep what that run drew."""
        page = Page(query_string=self.query)
        seen: set[str] = set()
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while True:
            try:
                message = await asyncio.wait_for(self._inbox.get(), max(0.1, deadline - time.monotonic()))
            except TimeoutError as exc:
                raise Disconnected(f"no end of run within {RUN_TIMEOUT_S:.0f} s") from exc
            if message is None:
                raise Disconnected("socket closed during the run")
            kind = message.WhichOneof("type")
            if kind == "new_session":
                page, seen = Page(query_string=self.query), set()
                self.session_id = message.new_session.initialize.session_id or self.session_id
            elif kind == "navigation":
                self.page_hash = message.navigation.page_script_hash or self.page_hash  # the page now shown
            elif kind == "page_info_changed":
                self.query = page.query_string = message.page_info_changed.query_string
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                self._element(message.delta.new_element, page, seen)
            elif kind == "script_finished" and message.script_finished == FINISHED:
                # The frontend forgets the state of widgets the run did not draw.
                self.states = {i: s for i, s in self.states.items() if i in seen}
                return page

    def _element(self, element, page: Page, seen: set[str]) -> None:
        kind = element.WhichOneof("type")
        if kind == "alert" and element.alert.format == element.alert.ERROR:
            page.errors.append(element.alert.body)
        elif kind == "markdown":
            page.texts.append(element.markdown.body)
        elif kind in WIDGET_KINDS:
            proto = getattr(element, kind)
            key = user_key(proto.id)
            page.widgets[key] = (kind, proto)
            self.ids[key] = proto.id
            seen.add(proto.id)
            state = initial_state(kind, proto, first=proto.id not in self.states)
            if state is not None:
                self.states[proto.id] = state


def initial_state(kind: str, proto, first: bool) -> WidgetState | None:
    """The state the frontend keeps for a widget it draws: the server's value when the server sets
    one (``set_value``), the widget's default when it is new, else None (keep what the user chose)."""
    if kind == "button":
        return None
    if not (first or getattr(proto, "set_value", False)):
        return None
    state = WidgetState(id=proto.id)
    if kind == "radio":
        if proto.set_value and proto.HasField("raw_value"):
            state.string_value = proto.raw_value
        elif not proto.set_value and proto.HasField("default"):
            state.string_value = proto.options[proto.default]
    elif kind == "number_input":
        value = proto.value if proto.set_value else proto.default
        if (proto.set_value and proto.HasField("value")) or (not proto.set_value and proto.HasField("default")):
            state.double_value = value
    elif kind == "checkbox":
        state.bool_value = proto.value if proto.set_value else proto.default
    elif kind in ("text_input", "text_area"):
        if proto.set_value and proto.HasField("value"):
            state.string_value = proto.value
        elif proto.HasField("default"):
            state.string_value = proto.default
    return state


def shown_value(kind: str, proto) -> object:
    """The value a widget shows when the server set it this run (``set_value``); None when cleared."""
    if kind == "radio":
        return proto.raw_value if proto.HasField("raw_value") else None
    if kind == "number_input":
        return proto.value if proto.HasField("value") else None
    if kind == "checkbox":
        return proto.value
    return getattr(proto, "value", None)
