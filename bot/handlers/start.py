"""/start: the greeting, or what a deep link asks for (/start skm_ktp, /start inv_...)."""

from __future__ import annotations

from bot import texts
from bot.conversation import CommandSpec, Ctx, Registry
from bot.formatting import h, role_label
from domain.models import UserStatus

__all__ = ["register"]


def register(registry: Registry) -> None:
    """/start and what it does with a deep link."""

    def start(ctx: Ctx, args: list[str]) -> None:
        """Greet, or follow a deep link (/start skm_ktp, /start inv_...)."""
        if args:
            handler = registry.for_payload(args[0])
            if handler is not None:
                handler(ctx, args[0])
                return
        ctx.say(texts.START.format(kecamatan=h(ctx.kecamatan.nama)))
        user = ctx.user
        if user is not None and user.status is UserStatus.ACTIVE:
            desa = ctx.uow.desa.get(user.desa_id) if user.desa_id else None
            ctx.say(texts.START_USER.format(nama=h(user.nama), peran=h(role_label(user, desa))))
        else:
            ctx.say(texts.START_CITIZEN)

    registry.command(CommandSpec("start", start, "Mulai"))
