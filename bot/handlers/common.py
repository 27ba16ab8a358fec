"""/bantuan, /batal and /profil."""

from __future__ import annotations

from bot import texts
from bot.conversation import CommandSpec, Ctx, Registry, cancel
from bot.formatting import h, role_label
from domain.models import UserStatus
from domain.registration import STATUS_LABEL

__all__ = ["register"]


def register(registry: Registry) -> None:
    """/profil, /bantuan, /batal."""

    def profil(ctx: Ctx, args: list[str]) -> None:
        """One's own registration."""
        user = ctx.user
        if user is None:
            ctx.say(texts.PROFILE_NONE)
            return
        desa = ctx.uow.desa.get(user.desa_id) if user.desa_id else None
        ctx.say(
            texts.PROFILE.format(
                nama=h(user.nama),
                jabatan=h(user.jabatan),
                peran=h(role_label(user, desa)),
                kecamatan=h(ctx.kecamatan.nama),
                status=STATUS_LABEL[user.status],
            )
        )

    def bantuan(ctx: Ctx, args: list[str]) -> None:
        """The commands this user may use; mid-conversation, the current question again."""
        lines = [texts.HELP_HEADER]
        lines += [f"/{spec.name} - {h(spec.description)}" for spec in registry.visible_to(ctx.user)]
        if ctx.user is None or ctx.user.status is not UserStatus.ACTIVE:
            lines += ["", texts.HELP_UNREGISTERED]
        lines += ["", texts.HELP_FOOTER]
        ctx.say("\n".join(lines))
        draft = ctx.draft
        if draft is not None and draft.flow in registry.flows:
            ctx.say(texts.RESUME.format(title=registry.flows[draft.flow].title))
            ctx.stay()

    def batal(ctx: Ctx, args: list[str]) -> None:
        """Cancel the conversation in progress."""
        if ctx.draft is None:
            ctx.say(texts.NOTHING_TO_CANCEL)
            return
        cancel(ctx)

    registry.command(CommandSpec("profil", profil, "Profil dan peran Anda"))
    registry.command(CommandSpec("bantuan", bantuan, "Bantuan", private_only=False))
    registry.command(CommandSpec("batal", batal, "Batalkan isian yang sedang berjalan"))
