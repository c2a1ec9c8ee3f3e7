"""Diagnostics: what the compiler says about the user's IDL.

A diagnostic points into the user's file (``path:line:col`` or ``path#/json/pointer``), has a
stable code (``WSG123``), and may carry ``note:`` and ``hint:`` lines. Passes collect all their
diagnostics, sort them, and the pipeline stops between passes when any is an error
(``CompileError``). Rendering is plain text, one line per diagnostic plus its notes.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from wsgen.ir.model import Span

__all__ = ["CompileError", "Diagnostic", "Severity", "render_diagnostics"]


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One message about the IDL. ``message`` is lowercase, has no trailing period and quotes
    the offending name in double quotes; ``hint`` says what to do."""

    span: Span | None
    code: str
    message: str
    severity: Severity = Severity.ERROR
    notes: tuple[tuple[Span | None, str], ...] = ()
    hint: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        s = self.span
        return (
            s.file if s else "",
            s.line if s else 0,
            s.col if s else 0,
            s.pointer if s else "",
            self.code,
            self.message,
        )

    def render(self, root: str = "") -> str:
        """Text for a terminal; ``root`` (the IDL folder as the user typed it) prefixes paths so
        they can be opened from where the command ran."""
        where = f"{_where(self.span, root)}: " if self.span else ""
        code = f" [{self.code}]" if self.code else ""
        lines = [f"{where}{self.severity.value}: {self.message}{code}"]
        for span, text in self.notes:
            lines.append(f"{_where(span, root)}: note: {text}" if span else f"note: {text}")
        if self.hint:
            lines.append(f"hint: {self.hint}")
        return "\n".join(lines)


class CompileError(Exception):
    """Raised between passes when a pass produced errors; carries every diagnostic of that pass."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics, key=Diagnostic.sort_key))
        super().__init__(render_diagnostics(self.diagnostics))


def render_diagnostics(diagnostics: Iterable[Diagnostic], root: str = "") -> str:
    """All diagnostics, sorted by position, one block each."""
    return "\n".join(d.render(root) for d in sorted(diagnostics, key=Diagnostic.sort_key))


def _where(span: Span, root: str) -> str:
    """``span`` as the user can open it: under ``root``; an empty file means the root itself."""
    text = str(span)
    if not span.file:
        return root or "."
    if root:
        return f"{root.rstrip('/')}/{text}"
    return text
