"""wsgen's runtime: what generated Python imports (never the compiler, never a third party).

Modules: ``codec`` (proto3 JSON codec, ``DecodeError``), ``wkt`` (Timestamp, Duration, …),
``framing`` (envelope / flat frames, control frames), ``router`` (typed dispatch),
``ids`` (ULID frame ids). Import them directly; this package imports nothing eagerly.
"""

from __future__ import annotations

__all__: list[str] = []
