"""Logging for the bot and the CLI: one format, and the bot token never printed."""

from __future__ import annotations

import logging

from bot.config import Settings

__all__ = ["RedactingFilter", "setup_logging"]

REDACTED = "[TOKEN-DISEMBUNYIKAN]"


class RedactingFilter(logging.Filter):
    """Replaces every occurrence of the secrets in a record's message and traceback."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def _clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        if not self._secrets:
            return True
        message = record.getMessage()
        cleaned = self._clean(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if cleaned != message or record.args:
            record.msg = cleaned
            record.args = None
        return True


def setup_logging(settings: Settings) -> None:
    """Configure the root logger once; safe to call again (tests, console)."""
    root = logging.getLogger()
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    # A new handler each time, so that it writes to the current standard error.
    for old in [h for h in root.handlers if getattr(h, "_iku_bot", False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._iku_bot = True  # type: ignore[attr-defined]
    handler.addFilter(RedactingFilter([token]))
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # Alembic announces its dialect on every start; operators need only its problems.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # APScheduler announces every job it adds and runs; the bot logs what the jobs do.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
