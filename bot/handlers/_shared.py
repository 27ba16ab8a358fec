"""What /idm and /tematik share: the desa buttons of the kecamatan and desa names."""

from __future__ import annotations

from typing import TypeVar

from bot.conversation import Ctx, Keyboard, desa_buttons

__all__ = ["desa_name", "desa_keyboard"]

T = TypeVar("T")


def desa_name(ctx: Ctx, desa_id: int) -> str:
    """The desa's name ('-' when unknown)."""
    desa = ctx.uow.desa.get(desa_id)
    return desa.nama if desa is not None else "-"


def desa_keyboard(ctx: Ctx) -> Keyboard:
    """One button per desa of the user's kecamatan."""
    return desa_buttons(ctx.uow.desa.list_by_kecamatan(ctx.kecamatan.id))
