"""Frame ids: ULIDs (docs/protocol.md, envelope ``id``).

A ULID is 26 Crockford base32 characters: a 48-bit millisecond Unix time, then 80 random bits.
``UlidFactory`` is monotonic: ids made in the same millisecond increment the random part, so
ids from one sender always sort by creation order. Clock and randomness are injectable so tests
need no real time.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable

__all__ = ["ALPHABET", "UlidFactory", "is_frame_id", "new_ulid", "ulid_time_ms"]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
_DECODE = {c: i for i, c in enumerate(ALPHABET)}
_RANDOM_BITS = 80
_MAX_TIME = 2**48 - 1
_FRAME_ID_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-")


def _encode(value: int) -> str:
    chars = []
    for _ in range(26):
        value, digit = divmod(value, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


class UlidFactory:
    """Makes monotonic ULIDs; thread-safe."""

    def __init__(
        self,
        clock_ms: Callable[[], int] = lambda: time.time_ns() // 1_000_000,
        random_bits: Callable[[int], int] = secrets.randbits,
    ) -> None:
        self._clock_ms = clock_ms
        self._random_bits = random_bits
        self._last_ms = -1
        self._last_random = 0
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            now = self._clock_ms()
            if not 0 <= now <= _MAX_TIME:
                raise ValueError(f"time {now} ms does not fit a ULID")
            if now <= self._last_ms:
                # Same (or an earlier, skewed) millisecond: keep the last time, count up.
                now = self._last_ms
                rand = self._last_random + 1
                if rand >= 2**_RANDOM_BITS:
                    raise OverflowError("more than 2**80 ULIDs in one millisecond")
            else:
                rand = self._random_bits(_RANDOM_BITS)
            self._last_ms, self._last_random = now, rand
            return _encode((now << _RANDOM_BITS) | rand)


new_ulid = UlidFactory()
"""The process-wide monotonic ULID source: ``new_ulid()`` → ``'01M8YF0Z1KN7T3W9QH2Y4R8VMC'``."""


def ulid_time_ms(ulid: str) -> int:
    """The millisecond timestamp inside a ULID."""
    if len(ulid) != 26 or any(c not in _DECODE for c in ulid.upper()):
        raise ValueError(f"not a ULID: {ulid!r}")
    value = 0
    for c in ulid.upper():
        value = value * 32 + _DECODE[c]
    return value >> _RANDOM_BITS


def is_frame_id(text: str) -> bool:
    """The protocol's id rule: 1 to 64 characters of ``[0-9A-Za-z_-]``; receivers treat ids as
    opaque, so any such string is accepted (not only ULIDs)."""
    return 1 <= len(text) <= 64 and all(c in _FRAME_ID_CHARS for c in text)
