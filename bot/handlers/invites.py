"""/undang: an admin creates an invite link; following it registers with the invite's role."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta

from bot import texts
from bot.conversation import (
    CommandSpec,
    Ctx,
    Flow,
    Input,
    InputKind,
    Registry,
    StaleDraft,
    Step,
)
from bot.formatting import fmt_moment, h, role_label, role_text
from bot.handlers.registration import (
    WantedRole,
    asked_of,
    choose_desa,
    choose_role,
    choose_seksi,
    desa_keyboard,
    role_keyboard,
    seksi_keyboard,
    status_text,
    wanted_role,
)
from domain.models import Role, UserStatus
from domain.permissions import Action, require
from domain.registration import (
    INVITE_PREFIX,
    clean_jabatan,
    clean_name,
    create_invite,
    find_invite,
    redeem_invite,
)

__all__ = [
    "register",
    "UNDANG",
    "UndangStep",
    "UndangAnswers",
    "UNDANGAN",
    "UndanganStep",
    "UndanganAnswers",
]


# -- /undang ---------------------------------------------------------------------------


class UndangStep(enum.StrEnum):
    ROLE = "role"
    SEKSI = "seksi"
    DESA = "desa"
    MAKE = "make"


@dataclass(slots=True)
class UndangAnswers(WantedRole):
    """The role the link invites to (in the admin's kecamatan)."""


def _u(ctx: Ctx) -> UndangAnswers:
    return ctx.answers(UndangAnswers)


def _role_prompt(ctx: Ctx) -> None:
    """Ask the invitee's role."""
    ctx.say(texts.INV_ASK_ROLE, role_keyboard())


def _seksi_prompt(ctx: Ctx) -> None:
    """Ask the invitee's seksi."""
    ctx.say(texts.INV_ASK_SEKSI, seksi_keyboard())


def _desa_prompt(ctx: Ctx) -> None:
    """Ask the invitee's desa."""
    ctx.say(texts.INV_ASK_DESA, desa_keyboard(ctx, ctx.kecamatan.id))


def _make_prompt(ctx: Ctx) -> None:
    """Create the link (no question) and end."""
    a = _u(ctx)
    if a.role is None:
        raise StaleDraft
    ctx.end()
    invite, payload = create_invite(
        ctx.uow,
        admin=ctx.user,
        role=a.role,
        seksi=a.seksi,
        desa_id=a.desa_id or None,
        at=ctx.now,
        valid_for=timedelta(hours=ctx.services.settings.invite_valid_hours),
    )
    link = f"https://t.me/{ctx.services.bot_username}?start={payload}"
    ctx.say(
        texts.INV_CREATED.format(
            peran=h(wanted_role(ctx, a)),
            link=h(link),
            sampai=fmt_moment(invite.expires_at, ctx.services.settings.tz),
        )
    )


def _make_handle(ctx: Ctx, given: Input) -> None:
    """Never asked: the link is made as soon as the step is reached."""


UNDANG: Flow[UndangStep, UndangAnswers] = Flow(
    name="undang",
    title="tautan undangan",
    answers=UndangAnswers,
    order=(UndangStep.ROLE, UndangStep.SEKSI, UndangStep.DESA),
    summary=UndangStep.MAKE,  # after the questions: the link, without confirmation
    steps={
        UndangStep.ROLE: Step(_role_prompt, lambda ctx, given: choose_role(ctx, given, _u(ctx))),
        UndangStep.SEKSI: Step(
            _seksi_prompt,
            lambda ctx, given: choose_seksi(ctx, given, _u(ctx)),
            applies=asked_of(Role.STAF_SEKSI, _u),
        ),
        UndangStep.DESA: Step(
            _desa_prompt,
            lambda ctx, given: choose_desa(ctx, given, _u(ctx)),
            applies=asked_of(Role.PERANGKAT_DESA, _u),
        ),
        UndangStep.MAKE: Step(_make_prompt, _make_handle),
    },
)


def _undang(ctx: Ctx, args: list[str]) -> None:
    """Admins only."""
    require(ctx.user, Action.MANAGE_USERS)
    ctx.start(UNDANG, UndangAnswers(kecamatan_id=ctx.kecamatan.id))


# -- following an invite link ------------------------------------------------------------


class UndanganStep(enum.StrEnum):
    NAMA = "nama"
    JABATAN = "jabatan"


@dataclass(slots=True)
class UndanganAnswers:
    """The invite followed, and the name given."""

    payload: str | None = None  # the deep link's payload, inv_...
    nama: str | None = None


def _i(ctx: Ctx) -> UndanganAnswers:
    return ctx.answers(UndanganAnswers)


def _nama_prompt(ctx: Ctx) -> None:
    """Ask the name."""
    ctx.say(texts.REG_ASK_NAME)


def _nama_handle(ctx: Ctx, given: Input) -> None:
    """Keep the name."""
    _i(ctx).nama = clean_name(given.text)
    ctx.next()


def _jabatan_prompt(ctx: Ctx) -> None:
    """Ask the position."""
    ctx.say(texts.REG_ASK_JABATAN)


def _jabatan_handle(ctx: Ctx, given: Input) -> None:
    """Register with the invite's role."""
    jabatan = clean_jabatan(given.text)
    a = _i(ctx)
    if a.payload is None or a.nama is None:
        raise StaleDraft
    ctx.end()
    user = redeem_invite(
        ctx.uow,
        payload=a.payload,
        telegram_id=ctx.telegram_id,
        nama=a.nama,
        jabatan=jabatan,
        at=ctx.now,
    )
    desa = ctx.uow.desa.get(user.desa_id) if user.desa_id else None
    ctx.say(texts.REG_WELCOME.format(peran=h(role_label(user, desa))))
    ctx.refresh_menu(user.telegram_id)


_TEXT = frozenset({InputKind.TEXT})
UNDANGAN: Flow[UndanganStep, UndanganAnswers] = Flow(
    name="undangan",
    title="pendaftaran dengan undangan",
    answers=UndanganAnswers,
    order=(UndanganStep.NAMA, UndanganStep.JABATAN),
    steps={
        UndanganStep.NAMA: Step(_nama_prompt, _nama_handle, _TEXT),
        UndanganStep.JABATAN: Step(_jabatan_prompt, _jabatan_handle, _TEXT),
    },
)


def _open_invite(ctx: Ctx, payload: str) -> None:
    """/start inv_...: check the link first, then ask name and position."""
    user = ctx.user
    if user is not None and user.status is not UserStatus.REJECTED:
        ctx.say(status_text(user))
        return
    invite = find_invite(ctx.uow, payload, ctx.now)
    desa = ctx.uow.desa.get(invite.desa_id) if invite.desa_id else None
    ctx.say(texts.INV_OPENED.format(peran=h(role_text(invite.role, invite.seksi, desa))))
    ctx.start(UNDANGAN, UndanganAnswers(payload=payload))


def register(registry: Registry) -> None:
    """/undang and the invite deep link."""
    registry.flow(UNDANG)
    registry.flow(UNDANGAN)
    registry.command(
        CommandSpec(
            "undang", _undang, "Buat tautan undangan pendaftaran", action=Action.MANAGE_USERS
        )
    )
    registry.deep_link(INVITE_PREFIX, _open_invite)
