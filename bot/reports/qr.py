"""QR codes (PNG) of the survey links, printed and put on the service desks."""

from __future__ import annotations

import io
import re

__all__ = ["qr_png", "survey_link", "bot_username"]

# Telegram usernames of bots: 5-32 letters, digits or underscores, ending in "bot".
_BOT_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{1,29}[Bb][Oo][Tt]")


def bot_username(text: str) -> str | None:
    """A bot's username as typed (with or without "@"); None when it cannot be one."""
    name = text.strip().removeprefix("@")
    return name if _BOT_USERNAME.fullmatch(name) else None


def survey_link(bot_username: str, kode: str | None = None) -> str:
    """The deep link that opens the survey, for one service or for the list of services."""
    payload = "skm" if kode is None else f"skm_{kode}"
    return f"https://t.me/{bot_username}?start={payload}"


def qr_png(link: str) -> bytes:
    """A PNG of the QR code of ``link`` (error correction M, 10 px per module, quiet zone 4)."""
    import segno  # imported when a QR code is made, not when the bot starts

    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()
