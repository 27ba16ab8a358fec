"""/pengguna: the users of the kecamatan, to approve, deactivate or activate again."""

from __future__ import annotations

from dataclasses import dataclass

from bot import texts
from bot.conversation import CommandSpec, Ctx, Keyboard, RecordButton, Registry, StaleButton
from bot.conversation.callbacks import Switch, Verdict
from bot.formatting import h, role_label, user_line
from bot.handlers.registration import Decide
from domain.models import User, UserStatus
from domain.permissions import Action, require
from domain.registration import set_active

__all__ = ["register", "SetActive"]


@dataclass(frozen=True, slots=True)
class SetActive(RecordButton):
    """Nonaktifkan / Aktifkan on the user list."""

    kind = "us"
    user_id: int
    switch: Switch


@dataclass(frozen=True, slots=True)
class AskDisable(RecordButton):
    """Nonaktifkan on the user list: asks first, saying what the person will lose."""

    kind = "ua"
    user_id: int


@dataclass(frozen=True, slots=True)
class KeepActive(RecordButton):
    """Batal under that question."""

    kind = "ub"
    user_id: int


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
            keyboard.append([AskDisable(user.id).button(f"{number}. {texts.DISABLE}")])
        elif user.status is UserStatus.DISABLED:
            keyboard.append([SetActive(user.id, Switch.ON).button(f"{number}. {texts.ENABLE}")])
    return "\n".join(lines), keyboard


def _pengguna(ctx: Ctx, args: list[str]) -> None:
    """List the users of the kecamatan with their actions."""
    require(ctx.user, Action.MANAGE_USERS)
    text, keyboard = _users_view(ctx)
    ctx.say(text, keyboard or None)


def _active_user(ctx: Ctx, user_id: int) -> User:
    require(ctx.user, Action.MANAGE_USERS)
    user = ctx.uow.users.get(user_id)
    if user is None or ctx.user is None or user.kecamatan_id != ctx.user.kecamatan_id:
        raise StaleButton
    if user.status is not UserStatus.ACTIVE:  # decided meanwhile: the list as it is now
        text, keyboard = _users_view(ctx)
        raise StaleButton(text, keyboard or None)
    return user


def _ask_disable(ctx: Ctx, pressed: AskDisable) -> None:
    """Before anything changes: who, and what they will no longer be able to do."""
    user = _active_user(ctx, pressed.user_id)
    desa = ctx.uow.desa.get(user.desa_id) if user.desa_id else None
    ctx.say(
        texts.USER_DISABLE_ASK.format(
            nama=h(user.nama),
            peran=h(role_label(user, desa)),
            hilang=texts.USER_DISABLE_LOSES[user.role.value],
        ),
        [
            [SetActive(user.id, Switch.OFF).button(texts.USER_DISABLE_CONFIRM)],
            [KeepActive(user.id).button(texts.CANCEL_BUTTON)],
        ],
    )


def _keep_active(ctx: Ctx, pressed: KeepActive) -> None:
    """Batal: nothing changes, the question goes."""
    user = _active_user(ctx, pressed.user_id)
    ctx.edit_pressed(texts.USER_DISABLE_KEPT.format(nama=h(user.nama)))


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
    registry.button(AskDisable, _ask_disable)
    registry.button(KeepActive, _keep_active)
