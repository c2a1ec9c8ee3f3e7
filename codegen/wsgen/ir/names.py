"""The one rule between a JSON property key and an IR field name (docs/schema-json.md).

Shared by the schema.json frontend, which derives field names from keys with it, and the JSON
Schema backend, which writes ``x-wsgen-name`` exactly where the rule would not give a field's
IDL name back; so a bundle read as input names every field as its IDL did.
"""

from __future__ import annotations

from wsgen.backends.naming import to_lower_camel, to_snake

__all__ = ["field_names"]


def field_names(keys: list[str]) -> dict[str, str]:
    """Property key → IR field name: snake_case when it converts back to the key exactly
    (``roomId`` → ``room_id``), else the key itself; a snake name that another key already
    uses falls back to the key, so names stay unique."""
    snake = {k: to_snake(k) for k in keys}
    proposed = {k: s if to_lower_camel(s) == k else k for k, s in snake.items()}
    counts: dict[str, int] = {}
    for name in proposed.values():
        counts[name] = counts.get(name, 0) + 1
    return {k: (n if counts[n] == 1 or n == k else k) for k, n in proposed.items()}
