"""Well-known protobuf types that have their own JSON form, as small Python values.

Generated code uses these for ``google.protobuf.*`` fields. Timestamp and Duration keep
``seconds``/``nanos`` exactly (no float, no local time); their JSON forms follow the proto3 JSON
mapping: RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits, and ``"<seconds>[.<frac>]s"``.
Parsers raise ``ValueError``; the codec turns that into a ``DecodeError`` with a JSON path.
This module imports nothing from the rest of the runtime.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any as _Any

__all__ = [
    "Any",
    "Duration",
    "Empty",
    "FieldMask",
    "Timestamp",
]

_NANOS = 1_000_000_000
# 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range protobuf allows for Timestamp.
_MIN_SECONDS = -62_135_596_800
_MAX_SECONDS = 253_402_300_799
# ±10,000 years, protobuf's Duration range.
_MAX_DURATION = 315_576_000_000

# RFC 3339 §5.6 date-time; the "T" and "Z" are upper case, an offset is mandatory (a string
# without one must never be read as local time).
# re.ASCII: \d would also match non-ASCII digits ("٢٠٢٠"), which would then be written back
# as other text
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})",
    re.ASCII,
)
_DURATION = re.compile(r"(-)?(\d+)(?:\.(\d{1,9}))?s", re.ASCII)


def _fraction(nanos: int) -> str:
    """0, 3, 6 or 9 fractional digits, as protobuf writes them."""
    if nanos == 0:
        return ""
    if nanos % 1_000_000 == 0:
        return f".{nanos // 1_000_000:03d}"
    if nanos % 1_000 == 0:
        return f".{nanos // 1_000:06d}"
    return f".{nanos:09d}"


def _nanos_of(frac: str | None) -> int:
    return int((frac or "").ljust(9, "0")) if frac else 0


@dataclass(frozen=True, slots=True, order=True)
class Timestamp:
    """A point in time: seconds since the Unix epoch (UTC) and 0 ≤ nanos < 10⁹."""

    seconds: int = 0
    nanos: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.nanos < _NANOS:
            raise ValueError(f"Timestamp nanos must be in [0, 999999999], got {self.nanos}")
        if not _MIN_SECONDS <= self.seconds <= _MAX_SECONDS:
            raise ValueError("Timestamp must be between 0001-01-01 and 9999-12-31 (UTC)")

    @classmethod
    def from_datetime(cls, value: _dt.datetime) -> Timestamp:
        """An aware datetime; naive ones are refused rather than guessed as local time."""
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime: attach a timezone (e.g. datetime.UTC)")
        delta = value - _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
        seconds = delta.days * 86_400 + delta.seconds
        return cls(seconds, delta.microseconds * 1_000)

    def to_datetime(self) -> _dt.datetime:
        """An aware UTC datetime (microsecond precision: datetime cannot hold nanos)."""
        epoch = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
        return epoch + _dt.timedelta(seconds=self.seconds, microseconds=self.nanos // 1_000)

    def to_rfc3339(self) -> str:
        """``2023-11-14T22:13:20.123456789Z``."""
        days, rest = divmod(self.seconds, 86_400)
        date = _dt.date(1970, 1, 1) + _dt.timedelta(days=days)
        hh, rest = divmod(rest, 3_600)
        mm, ss = divmod(rest, 60)
        return f"{date.isoformat()}T{hh:02d}:{mm:02d}:{ss:02d}{_fraction(self.nanos)}Z"

    @classmethod
    def from_rfc3339(cls, text: str) -> Timestamp:
        """Parse RFC 3339 with a ``Z`` or ``±hh:mm`` offset; the offset is applied."""
        m = _RFC3339.fullmatch(text)
        if m is None:
            raise ValueError(
                f"not an RFC 3339 timestamp with offset (YYYY-MM-DDTHH:MM:SS[.f]Z): {text!r}"
            )
        year, month, day, hh, mm, ss = (int(m.group(i)) for i in range(1, 7))
        try:
            _dt.datetime(year, month, day, hh, mm, ss)
        except ValueError as exc:
            raise ValueError(f"invalid date or time in {text!r}: {exc}") from None
        seconds = calendar.timegm((year, month, day, hh, mm, ss, 0, 0, 0))
        offset = m.group(8)
        if offset != "Z":
            sign = 1 if offset[0] == "+" else -1
            oh, om = int(offset[1:3]), int(offset[4:6])
            if oh > 23 or om > 59:
                raise ValueError(f"invalid UTC offset in {text!r}")
            seconds -= sign * (oh * 3_600 + om * 60)
        return cls(seconds, _nanos_of(m.group(7)))


@dataclass(frozen=True, slots=True, order=True)
class Duration:
    """A signed span of time; ``seconds`` and ``nanos`` never have opposite signs."""

    seconds: int = 0
    nanos: int = 0

    def __post_init__(self) -> None:
        if not -_NANOS < self.nanos < _NANOS:
            raise ValueError(f"Duration nanos must be in (-10⁹, 10⁹), got {self.nanos}")
        if (self.seconds > 0 and self.nanos < 0) or (self.seconds < 0 and self.nanos > 0):
            raise ValueError("Duration seconds and nanos must have the same sign")
        if abs(self.seconds) > _MAX_DURATION:
            raise ValueError(f"Duration must be within ±{_MAX_DURATION} s")

    @classmethod
    def from_nanos(cls, total: int) -> Duration:
        sign = -1 if total < 0 else 1
        seconds, nanos = divmod(abs(total), _NANOS)
        return cls(sign * seconds, sign * nanos)

    @classmethod
    def from_timedelta(cls, value: _dt.timedelta) -> Duration:
        micros = (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
        return cls.from_nanos(micros * 1_000)

    def to_timedelta(self) -> _dt.timedelta:
        return _dt.timedelta(seconds=self.seconds, microseconds=self.nanos // 1_000)

    def total_nanos(self) -> int:
        return self.seconds * _NANOS + self.nanos

    def to_json_string(self) -> str:
        """``"1.500s"``, ``"-0.000000001s"``, ``"3s"``."""
        sign = "-" if self.seconds < 0 or self.nanos < 0 else ""
        return f"{sign}{abs(self.seconds)}{_fraction(abs(self.nanos))}s"

    @classmethod
    def from_json_string(cls, text: str) -> Duration:
        m = _DURATION.fullmatch(text)
        if m is None:
            raise ValueError(f'not a protobuf JSON duration like "1.5s": {text!r}')
        if len(m.group(2)) > 12:
            raise ValueError(f"Duration out of range (±{_MAX_DURATION} s): {text!r}")
        seconds, nanos = int(m.group(2)), _nanos_of(m.group(3))
        if seconds > _MAX_DURATION:
            raise ValueError(f"Duration out of range (±{_MAX_DURATION} s): {text!r}")
        if m.group(1):
            seconds, nanos = -seconds, -nanos
        return cls(seconds, nanos)


@dataclass(frozen=True, slots=True)
class Empty:
    """``google.protobuf.Empty``: always ``{}`` in JSON."""


def _camel(path: str) -> str:
    parts = path.split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def _snake(path: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), path)


@dataclass(frozen=True, slots=True)
class FieldMask:
    """Field paths in proto (snake_case) form; JSON joins them in lowerCamel with commas."""

    paths: tuple[str, ...] = ()

    def to_json_string(self) -> str:
        return ",".join(".".join(_camel(p) for p in path.split(".")) for path in self.paths)

    @classmethod
    def from_json_string(cls, text: str) -> FieldMask:
        if not text:
            return cls(())
        paths = []
        for path in text.split(","):
            if not path or "_" in path:
                raise ValueError(f"invalid FieldMask path {path!r}")
            paths.append(".".join(_snake(p) for p in path.split(".")))
        return cls(tuple(paths))


@dataclass(frozen=True, slots=True)
class Any:
    """``google.protobuf.Any`` kept as JSON: the ``@type`` URL and the other keys as they are.

    wsgen does not resolve type URLs; decode ``fields`` with the generated class the URL names.
    """

    type_url: str
    fields: dict[str, _Any] = field(default_factory=dict)
