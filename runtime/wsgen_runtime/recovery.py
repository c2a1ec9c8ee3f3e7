"""The recovery decision table: what a client does about an error (docs/errors.md).

Theory of operation. Every error has one resolved action (``ErrorInfo.action``, see
``errors.resolve_action`` for the precedence). ``decide`` turns it into concrete steps:

| action          | reconnect after a close | resend the failed frame | tell the user |
| --------------- | ----------------------- | ----------------------- | ------------- |
| retry           | yes, with backoff       | yes                     | no            |
| reauthenticate  | yes, with a new token   | yes                     | no            |
| notify          | yes, with backoff       | no                      | yes           |
| degrade         | yes, with backoff       | no                      | no            |
| fatal           | no                      | no                      | yes           |

Two rows change with state the caller passes in:
- re-authentication is tried once: when the last attempt already re-authenticated, the
  decision becomes notify with ``login`` set (send the user to the login page);
- a close code in 4500-4999 means "do not reconnect", whatever the reason text says: reconnect
  is off, retry becomes fatal and reauthenticate becomes notify + login.

A retry-after hint (close reason ``retry=MS`` or ``retryAfterMs`` in an error frame) is the
least delay before the next attempt; the backoff may wait longer, never shorter.

Sans-I/O and clock-free: a pure function the client calls, so the table is testable and the
generated TypeScript twin can be checked against the same vectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wsgen_runtime.errors import ErrorInfo, RecoveryAction

__all__ = ["DECISION_TABLE", "Decision", "decide"]

_A = RecoveryAction

# action → (reconnect, resend, notify): the table above, as data.
DECISION_TABLE: dict[RecoveryAction, tuple[bool, bool, bool]] = {
    _A.RETRY: (True, True, False),
    _A.REAUTHENTICATE: (True, True, False),
    _A.NOTIFY: (True, False, True),
    _A.DEGRADE: (True, False, False),
    _A.FATAL: (False, False, True),
}


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do about ``info``. ``retry_after_ms`` is set only when something is retried."""

    info: ErrorInfo
    action: RecoveryAction
    reconnect: bool
    resend: bool
    notify: bool
    login: bool = False
    retry_after_ms: int | None = None

    def to_json(self) -> dict[str, Any]:
        """A stable, language-neutral form (the cross-language vectors compare it)."""
        return {
            "code": self.info.code,
            "name": self.info.name,
            "action": self.action.value,
            "reconnect": self.reconnect,
            "resend": self.resend,
            "notify": self.notify,
            "login": self.login,
            "retryAfterMs": self.retry_after_ms,
        }


def decide(
    info: ErrorInfo,
    *,
    close_code: int | None = None,
    retry_after_ms: int | None = None,
    reauthenticated: bool = False,
) -> Decision:
    """The decision for ``info``; ``close_code`` when it arrived with a close,
    ``reauthenticated`` when the connection attempt that failed used a refreshed token."""
    action = info.action
    login = False
    final = close_code is not None and 4500 <= close_code <= 4999
    if action is _A.REAUTHENTICATE and (reauthenticated or final):
        action, login = _A.NOTIFY, True
    elif action is _A.RETRY and final:
        action = _A.FATAL
    reconnect, resend, notify = DECISION_TABLE[action]
    if login or final:
        reconnect = False
    hint = retry_after_ms if (reconnect or resend) else None
    return Decision(info, action, reconnect, resend, notify, login, hint)
