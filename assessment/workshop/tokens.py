"""Join codes, facilitator and organiser keys, resume tokens: made, normalised, hashed, compared.

A join code is read aloud and typed in a room, so it is short and uses no
characters that look alike (0/O/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B, U/V); it is
still unguessable online (≥ 40 bits, plus :class:`JoinThrottle`). Keys and
tokens are bearer secrets of ≥ 128 bits; the database keeps only their
SHA-256, so a copy of the database opens nothing. A workshop's facilitator key
is derived from its organiser's key, so the organiser can link to one workshop
without handing over the key to all of them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import re
import secrets
from typing import TypeGuard

JOIN_ALPHABET = "34679ACDEFHJKMNPRTUWXY"
"""22 characters: no look-alikes, upper case only (input is case-insensitive)."""
JOIN_CODE_LENGTH = 10
JOIN_GROUP = 4
SECRET_BYTES = 24
"""192 bits for keys and tokens (the floor is 128)."""
MIN_SECRET_LENGTH = 22
"""Shortest accepted key or token text: 22 URL-safe base64 characters carry 132 bits."""


def join_code_bits(length: int = JOIN_CODE_LENGTH, alphabet: str = JOIN_ALPHABET) -> float:
    """Entropy of a random join code: length × log2(alphabet size)."""
    return length * math.log2(len(alphabet))


def new_join_code() -> str:
    """A fresh join code in its canonical form (no dashes): ``normalise_join_code`` of what people type."""
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def format_join_code(code: str) -> str:
    """The code as shown: groups of four joined by dashes, e.g. ``ACDE-FHJK-MN``."""
    return "-".join(code[i : i + JOIN_GROUP] for i in range(0, len(code), JOIN_GROUP))


def normalise_join_code(typed: str) -> str | None:
    """The canonical code for what someone typed (any case, dashes or spaces anywhere), or None
    when it cannot be a code at all."""
    if not isinstance(typed, str):
        return None
    code = "".join(ch for ch in typed.upper() if ch not in "- \t")
    if len(code) != JOIN_CODE_LENGTH or any(ch not in JOIN_ALPHABET for ch in code):
        return None
    return code


def new_secret() -> str:
    """A facilitator key, organiser key or participant resume token."""
    return secrets.token_urlsafe(SECRET_BYTES)


def derived_facilitator_key(organiser_key: str, join_code: str) -> str:
    """A workshop's facilitator key, derived from its organiser's key and its join code (HMAC-SHA256).

    The organiser can make it again for any of their workshops (the store keeps only its hash), so the
    list of workshops links with it instead of the organiser key; a facilitator key tells nothing of the
    organiser key it came from."""
    mac = hmac.new(organiser_key.encode("utf-8"), b"facilitator:" + join_code.encode("ascii"), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode("ascii")


def secret_hash(secret: str) -> str:
    """What the database stores for a key or token: its SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def plausible_secret(secret: object) -> TypeGuard[str]:
    """A key or token worth hashing: a string of sensible length (anything else is refused unseen)."""
    return isinstance(secret, str) and MIN_SECRET_LENGTH <= len(secret) <= 256


def hash_matches(secret: str, stored_hash: str | None) -> bool:
    """Constant-time comparison of a presented secret with a stored hash."""
    if stored_hash is None:
        # Compare anyway, so "no such workshop" takes as long as "wrong key".
        hmac.compare_digest(secret_hash(secret), "0" * 64)
        return False
    return hmac.compare_digest(secret_hash(secret), stored_hash)


_KEY_IN_TEXT = re.compile(r"(?:organiser[-_ ]key:\s*|[?&]organiser=)([A-Za-z0-9_-]{22,256})")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]{22,256}")


def organiser_key_file(key: str, workshops_link: str) -> str:
    """The text of the file a facilitator keeps to find their workshops again (read back by
    :func:`read_organiser_key`). It holds the key itself: whoever has the file has the workshops."""
    return (
        "+Internet or Internet+: organiser key\n"
        "Keep this file private: it opens every workshop created under it.\n"
        "To find your workshops again, open the link below, or upload this file on the Workshops page.\n\n"
        f"workshops: {workshops_link}\n"
        f"organiser-key: {key}\n"
    )


def read_organiser_key(text: str) -> str | None:
    """The organiser key in a key file, a workshops link or the key pasted on its own; None if none."""
    found = _KEY_IN_TEXT.search(text)
    if found:
        return found.group(1)
    stripped = text.strip()
    return stripped if _BARE_KEY.fullmatch(stripped) else None
