"""Which client is asking: the address the join throttle counts against.

Streamlit gives the address of the connection (None for a loopback one). Behind
a reverse proxy that address is the proxy's, and the client's own is in the
``X-Forwarded-For`` header the proxy adds (``X-Real-IP`` when it sets only that).
A header is believed only when the connection comes from a trusted proxy
(``ASSESSMENT_TRUSTED_PROXIES``; loopback by default): anyone else could write
any address there. In ``X-Forwarded-For`` the right-most address that is not a
trusted proxy is the client (the entries to its left are the client's to forge).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK = "loopback"
"""The key of a client on this machine (Streamlit hides loopback addresses)."""


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((text or "").strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None, proxies: Sequence[Network]) -> bool:
    return address is not None and any(address.version == net.version and address in net for net in proxies)


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


def client_address(peer: str | None, headers: Mapping[str, str], proxies: Sequence[Network]) -> str:
    """The client's address as text: the connection's, or the forwarded one when the connection is a trusted proxy."""
    connection = _address(peer) or ipaddress.ip_address("127.0.0.1")  # Streamlit says None for loopback
    if not _trusted(connection, proxies):
        return str(connection) if peer else LOOPBACK
    forwarded = [_address(part) for part in _header(headers, "x-forwarded-for").split(",")]
    for hop in reversed(forwarded):
        if hop is None:
            break  # not written by a proxy of ours: believe nothing to its left
        if not _trusted(hop, proxies):
            return str(hop)
    real = _address(_header(headers, "x-real-ip"))
    if real is not None:
        return str(real)
    return str(connection) if peer else LOOPBACK
