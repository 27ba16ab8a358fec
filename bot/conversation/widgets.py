"""Pieces many flows share: the summary's Kirim / Ubah / Batal, cancelling, desa buttons."""

from __future__ import annotations

import enum
from collections.abc import Sequence

from bot import texts
from bot.conversation.context import Button, Ctx, Keyboard, rows
from bot.conversation.flow import Input
from domain.errors import InvalidInput
from domain.models import Desa

__all__ = ["confirm_keyboard", "confirmed", "cancel", "desa_buttons", "back_row"]


def confirm_keyboard(accept: str) -> Keyboard:
    """The buttons under a summary: ``accept`` (Kirim or Simpan), Ubah, Batal."""
    return [
        [Button(accept, "ok"), Button(texts.EDIT, "edit")],
        [Button(texts.CANCEL_BUTTON, "cancel")],
    ]


def cancel(ctx: Ctx) -> None:
    """End the conversation, storing nothing, and say so."""
    ctx.end()
    ctx.say(texts.CANCELLED)


def confirmed(ctx: Ctx, given: Input, *, edit_step: enum.StrEnum) -> bool:
    """Handle a press under :func:`confirm_keyboard`; True only for the accept button.

    Ubah goes to ``edit_step``; Batal ends the conversation, storing nothing.
    """
    if given.text == "edit":
        ctx.goto(edit_step)
        return False
    if given.text == "cancel":
        cancel(ctx)
        return False
    if given.text != "ok":
        raise InvalidInput(texts.CHOOSE_BUTTON)
    return True


def desa_buttons(desa: Sequence[Desa], per_row: int = 2) -> Keyboard:
    """One button per desa (value: its id)."""
    return rows([Button(d.nama, str(d.id)) for d in desa], per_row)


def back_row() -> list[Button]:
    """The Kembali button under a question (handled by ``ctx.back()``)."""
    return [Button(texts.BACK, "back")]
