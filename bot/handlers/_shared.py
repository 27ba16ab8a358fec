"""What /idm and /tematik share: the desa buttons of the kecamatan, desa names, and
the answers a step needs."""

from __future__ import annotations

from typing import TypeVar

from bot import texts
from bot.conversation import Ctx, Input, Keyboard, StaleDraft, desa_buttons
from domain.errors import InvalidInput
from domain.models import Desa

__all__ = ["desa_choice", "desa_name", "desa_keyboard", "needed"]

T = TypeVar("T")


def needed(value: T | None) -> T:
    """An answer the current step needs (missing: the draft is not what it should be)."""
    if value is None:
        raise StaleDraft
    return value


def desa_choice(ctx: Ctx, given: Input) -> Desa:
    """The desa of a pressed desa button (only a desa of the user's kecamatan)."""
    desa = ctx.uow.desa.get(int(given.text)) if given.text.isdigit() else None
    if desa is None or desa.kecamatan_id != ctx.kecamatan.id:
        raise InvalidInput(texts.CHOOSE_BUTTON)
    return desa


def desa_name(ctx: Ctx, desa_id: int) -> str:
    """The desa's name ('-' when unknown)."""
    desa = ctx.uow.desa.get(desa_id)
    return desa.nama if desa is not None else "-"


def desa_keyboard(ctx: Ctx) -> Keyboard:
    """One button per desa of the user's kecamatan."""
    return desa_buttons(ctx.uow.desa.list_by_kecamatan(ctx.kecamatan.id))
