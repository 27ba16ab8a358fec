"""Pieces many flows share: the summary's Kirim / Ubah / Batal, cancelling, desa buttons."""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from typing import TypeVar

from bot import texts
from bot.conversation.context import Button, Ctx, Keyboard, StaleDraft, rows
from bot.conversation.flow import Input, InputKind
from domain.errors import InvalidInput
from domain.models import Desa

__all__ = [
    "confirm_keyboard",
    "confirmed",
    "cancel",
    "choice",
    "desa_buttons",
    "desa_choice",
    "back_row",
    "needed",
]

T = TypeVar("T")


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


def choice(given: Input, allowed: Collection[str]) -> str:
    """The pressed value, if it is one of ``allowed`` (else the question is asked again)."""
    if given.kind is not InputKind.CHOICE or given.text not in allowed:
        raise InvalidInput(texts.CHOOSE_BUTTON)
    return given.text


def desa_choice(ctx: Ctx, given: Input, kecamatan_id: int | None = None) -> Desa:
    """The desa of a pressed desa button: only a desa of ``kecamatan_id`` (by default the
    user's kecamatan) is accepted."""
    desa = ctx.uow.desa.get(int(given.text)) if given.text.isdigit() else None
    wanted = ctx.kecamatan.id if kecamatan_id is None else kecamatan_id
    if desa is None or desa.kecamatan_id != wanted:
        raise InvalidInput(texts.CHOOSE_BUTTON)
    return desa


def needed(value: T | None) -> T:
    """An answer the current step needs (missing: the draft is not what it should be)."""
    if value is None:
        raise StaleDraft
    return value
