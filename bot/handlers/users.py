"""/pengguna: the users of the kecamatan, to approve, deactivate or activate again."""

from __future__ import annotations

from dataclasses import dataclass

from bot import texts
from bot.conversation import CommandSpec, Ctx, Keyboard, RecordButton, Registry
from bot.conversation.callbacks import Switch, Verdict
from bot.formatting import h, user_line
from bot.handlers.registration import Decide
from domain.models import UserStatus
from domain.permissions import Action, require
from domain.registration import set_active

__all__ = ["register", "SetActive"]


@dataclass(frozen=True, slots=True)
class SetActive(RecordButton):
    """Nonaktifkan / Aktifkan on the user list."""

    kind = "us"
    user_id: int
    switch: Switch


def _users_view(ctx: Ctx) -> tuple[str, Keyboard]:
    users = ctx.uow.users.list(ctx.kecamatan.id)
    if not users:
        return texts.USERS_NONE, []
    lines = [texts.USERS_HEADER.format(kecamatan=h(ctx.kecamatan.nama))]
    keyboard: Keyboard = []
    for number, user in enumerate(users, start=1):
        desa = ctx.uow.desa.get(user.desa_id) if user.desa_id else None
        lines.append(f"{number}. {user_line(user, desa)}")
        if user.status is UserStatus.PENDING:
            keyboard.append(
                [
                    Decide(user.id, Verdict.YES).button(f"{number}. {texts.APPROVE}"),
                    Decide(user.id, Verdict.NO).button(f"{number}. {texts.REJECT}"),
                ]
            )
        elif user.status is UserStatus.ACTIVE and ctx.user is not None and user.id != ctx.user.id:
            keyboard.append([SetActive(user.id, Switch.OFF).button(f"{number}. {texts.DISABLE}")])
        elif user.status is UserStatus.DISABLED:
            keyboard.append([SetActive(user.id, Switch.ON).button(f"{number}. {texts.ENABLE}")])
    return "\n".join(lines), keyboard


def _pengguna(ctx: Ctx, args: list[str]) -> None:
    """List the users of the kecamatan with their actions."""
    require(ctx.user, Action.MANAGE_USERS)
    text, keyboard = _users_view(ctx)
    ctx.say(text, keyboard or None)


def _set_active(ctx: Ctx, pressed: SetActive) -> None:
    """Nonaktifkan / Aktifkan on the user list."""
    user = set_active(
        ctx.uow,
        admin=ctx.user,
        user_id=pressed.user_id,
        active=pressed.switch is Switch.ON,
        at=ctx.now,
    )
    ctx.toast = (
        texts.USER_ENABLED if user.status is UserStatus.ACTIVE else texts.USER_DISABLED
    ).format(nama=user.nama)
    text, keyboard = _users_view(ctx)
    ctx.edit_pressed(text, keyboard or None)
    if user.status is UserStatus.DISABLED:
        ctx.notify(user.telegram_id, texts.USER_DISABLED_NOTICE)
    else:
        ctx.notify(user.telegram_id, texts.USER_ENABLED_NOTICE)
    ctx.refresh_menu(user.telegram_id)


def register(registry: Registry) -> None:
    """/pengguna and its Nonaktifkan / Aktifkan buttons."""
    registry.command(
        CommandSpec(
            "pengguna",
            _pengguna,
            "Daftar pengguna, setujui, nonaktifkan",
            action=Action.MANAGE_USERS,
        )
    )
    registry.button(SetActive, _set_active)
