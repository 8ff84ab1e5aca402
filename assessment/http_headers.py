"""The security headers every response carries: no framing, and a content security policy.

``streamlit run app.py`` cannot add response headers (Streamlit 1.67 has no setting for them), so they come
from two places that both read :data:`SECURITY_HEADERS`: ``serve.py`` (the app in Streamlit's ASGI mode,
``st.App``, with :class:`SecurityHeaders` as its middleware) and the nginx configuration for replicas
(benchmarks/room/nginx.conf, copied into the README; a test keeps it equal to this dict).

The policy is what the app needs and no more: scripts only from the app itself (plus the one inline line of
Streamlit's index.html, by its hash), styles from the app and inline (Streamlit's components set ``style``),
images and fonts from the app or ``data:``/``blob:``, the WebSocket and fetches to the app only, no plugins,
and no page may frame it. Nothing is ever fetched from another host.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

# Streamlit's index.html has one inline script, ``window.prerenderReady = false``; this is its hash
# (tests/test_http_headers.py checks it against the installed Streamlit).
INLINE_SCRIPT_HASHES = ("'sha256-THxz9J9+wf7rhwR2YkXJoSZ13UCmYyC+3lNDv2+8ugA='",)
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' " + " ".join(INLINE_SCRIPT_HASHES),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # a private link (?a=…) never leaves in a Referer
}

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every HTTP response (replacing any of the same name)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(name.lower().encode("latin-1"), value.encode("latin-1"))
                        for name, value in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        names = {name for name, _ in self.headers}

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(n, v) for n, v in message.get("headers", []) if bytes(n).lower() not in names]
                message["headers"] = kept + self.headers
            await send(message)

        await self.app(scope, receive, with_headers)
