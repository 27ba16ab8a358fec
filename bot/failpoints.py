"""Fail points: named places where a test may kill this process on purpose.

The end-to-end tests run the real ``iku-bot`` process and ask it, through the
environment variable ``IKU_FAILPOINTS`` (names separated by commas), to die with
SIGKILL at a chosen point: the instant after a report's commit, before a message is
marked sent, after the digest is claimed. Without the variable nothing happens; the
check is a set lookup. Names used by the bot:

- ``before_commit:<what>`` and ``after_commit:<what>`` around the transaction of an
  update, where ``<what>`` is ``cmd:<command>``, ``step:<flow>.<step>`` (the step
  that received the answer) or ``btn:<record button kind>``;
- ``outbox:before_send`` and ``outbox:after_send`` around one outbox delivery
  (after_send: Telegram has the message, the outbox does not know yet);
- ``digest:after_claim`` and ``digest:after_part``.
"""

from __future__ import annotations

import logging
import os
import signal
from functools import cache

__all__ = ["ENV", "hit", "active"]

ENV = "IKU_FAILPOINTS"

log = logging.getLogger(__name__)


@cache
def active() -> frozenset[str]:
    """The fail points named in the environment (read once per process)."""
    raw = os.environ.get(ENV, "")
    return frozenset(name.strip() for name in raw.split(",") if name.strip())


def hit(name: str) -> None:
    """Die here, at once and without cleanup, when ``name`` is an active fail point."""
    points = active()
    if points and name in points:
        log.warning("Titik gagal %s: proses dihentikan paksa (pengujian).", name)
        logging.shutdown()
        os.kill(os.getpid(), signal.SIGKILL)
