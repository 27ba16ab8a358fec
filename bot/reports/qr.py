"""QR codes (PNG) of the survey links, printed and put on the service desks."""

from __future__ import annotations

import io

__all__ = ["qr_png", "survey_link"]


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
