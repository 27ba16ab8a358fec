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


def survey_link(
    bot_username: str, kode: str | None = None, kecamatan_bps: str | None = None
) -> str:
    """The deep link that opens the survey, for one service or for the list of services.

    ``kecamatan_bps`` (the kecamatan's 7-digit BPS code) names the kecamatan, for a
    deployment with several: ``skm_3528040_ktp``. Without it the link is of the
    deployment's default kecamatan (``skm_ktp``). Payloads stay within Telegram's
    64 characters of A-Z a-z 0-9 _ - (7 + 32 + 5 at most).
    """
    parts = ["skm"]
    if kecamatan_bps is not None:
        parts.append(kecamatan_bps)
    if kode is not None:
        parts.append(kode)
    payload = "_".join(parts)
    return f"https://t.me/{bot_username}?start={payload}"


def qr_png(link: str) -> bytes:
    """A PNG of the QR code of ``link`` (error correction M, 10 px per module, quiet zone 4)."""
    import segno  # imported when a QR code is made, not when the bot starts

    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()
