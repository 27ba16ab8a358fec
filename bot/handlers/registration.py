"""/daftar (registration decided by admins) and invite links (/undang)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot import texts
from bot.conversation import (
    Button,
    CommandSpec,
    Ctx,
    Input,
    InputKind,
    Keyboard,
    Registry,
    Step,
    confirm_keyboard,
    confirmed,
    desa_buttons,
    rows,
)
from bot.conversation.callbacks import RecordButton, Verdict
from bot.conversation.dialog import Flow
from bot.formatting import fmt_moment, h, role_label, role_text
from domain.errors import InvalidInput
from domain.models import Role, Seksi, User, UserStatus
from domain.permissions import Action, require
from domain.registration import (
    INVITE_PREFIX,
    clean_jabatan,
    clean_name,
    create_invite,
    decide_registration,
    find_invite,
    redeem_invite,
    request_registration,
)

__all__ = ["register", "DaftarFlow", "UndangFlow", "UndanganFlow", "Decide"]

ROLE_LABEL: dict[Role, str] = {
    Role.ADMIN: "Admin (Camat, Sekcam, operator)",
    Role.STAF_SEKSI: "Staf seksi kecamatan",
    Role.PERANGKAT_DESA: "Perangkat desa",
}
SEKSI_SHORT: dict[Seksi, str] = {
    Seksi.PPD: "PPD",
    Seksi.PMD: "PMD",
    Seksi.KESBANG: "Kesbang",
    Seksi.TRANTIB: "Trantib",
    Seksi.PELAYANAN: "Pelayanan",
}


def _role_keyboard() -> Keyboard:
    return [[Button(label, role.value)] for role, label in ROLE_LABEL.items()]


def _seksi_keyboard() -> Keyboard:
    return [
        *rows([Button(SEKSI_SHORT[s], s.value) for s in Seksi], 3),
        [Button(texts.BACK, "back")],
    ]


def _desa_keyboard(ctx: Ctx, kecamatan_id: int) -> Keyboard:
    return [
        *desa_buttons(ctx.uow.desa.list_by_kecamatan(kecamatan_id)),
        [Button(texts.BACK, "back")],
    ]


def _choose_role(ctx: Ctx, given: Input, seksi_step: str, desa_step: str, after: str) -> None:
    role = Role(given.text) if given.text in set(Role) else None
    if role is None:
        raise InvalidInput(texts.CHOOSE_BUTTON)
    ctx.data.update(role=role.value, seksi=None, desa_id=None)
    if role is Role.STAF_SEKSI:
        ctx.goto(seksi_step)
    elif role is Role.PERANGKAT_DESA:
        ctx.goto(desa_step)
    else:
        ctx.goto(after)


def _choose_seksi(ctx: Ctx, given: Input, back: str, after: str) -> None:
    if given.text == "back":
        ctx.goto(back)
        return
    if given.text not in set(Seksi):
        raise InvalidInput(texts.CHOOSE_BUTTON)
    ctx.data["seksi"] = given.text
    ctx.goto(after)


def _choose_desa(ctx: Ctx, given: Input, back: str, after: str) -> None:
    if given.text == "back":
        ctx.goto(back)
        return
    desa = ctx.uow.desa.get(int(given.text)) if given.text.isdigit() else None
    if desa is None or desa.kecamatan_id != ctx.data.get("kecamatan_id", ctx.kecamatan.id):
        raise InvalidInput(texts.CHOOSE_BUTTON)
    ctx.data["desa_id"] = desa.id
    ctx.goto(after)


def _wanted_role(ctx: Ctx, data: Mapping[str, object]) -> str:
    """The role being asked for or invited, as :func:`role_text` words it."""
    seksi, desa_id = data.get("seksi"), data.get("desa_id")
    desa = ctx.uow.desa.get(int(str(desa_id))) if desa_id else None
    return role_text(Role(str(data["role"])), Seksi(str(seksi)) if seksi else None, desa)


# -- /daftar ---------------------------------------------------------------------------


def _daftar_kecamatan_prompt(ctx: Ctx) -> None:
    """Which kecamatan (asked only when the deployment serves several)."""
    kecamatan = ctx.uow.kecamatan.list()
    if len(kecamatan) <= 1:
        ctx.data["kecamatan_id"] = ctx.kecamatan.id
        ctx.goto("role")
        return
    ctx.say(texts.REG_ASK_KECAMATAN, rows([Button(k.nama, str(k.id)) for k in kecamatan], 2))


def _daftar_kecamatan(ctx: Ctx, given: Input) -> None:
    """Keep the chosen kecamatan."""
    chosen = {str(k.id) for k in ctx.uow.kecamatan.list()}
    if given.text not in chosen:
        raise InvalidInput(texts.CHOOSE_BUTTON)
    ctx.data["kecamatan_id"] = int(given.text)
    ctx.goto("role")


def _daftar_role_prompt(ctx: Ctx) -> None:
    """Ask the role."""
    ctx.say(texts.REG_ASK_ROLE, _role_keyboard())


def _daftar_role(ctx: Ctx, given: Input) -> None:
    """Role chosen: seksi or desa next."""
    _choose_role(ctx, given, "seksi", "desa", "nama")


def _daftar_seksi_prompt(ctx: Ctx) -> None:
    """Ask the seksi."""
    ctx.say(texts.REG_ASK_SEKSI, _seksi_keyboard())


def _daftar_desa_prompt(ctx: Ctx) -> None:
    """Ask the desa."""
    ctx.say(texts.REG_ASK_DESA, _desa_keyboard(ctx, int(ctx.data["kecamatan_id"])))


def _daftar_nama_prompt(ctx: Ctx) -> None:
    """Ask the name."""
    ctx.say(texts.REG_ASK_NAME)


def _daftar_nama(ctx: Ctx, given: Input) -> None:
    """Keep the cleaned name."""
    ctx.data["nama"] = clean_name(given.text)
    ctx.goto("jabatan")


def _daftar_jabatan_prompt(ctx: Ctx) -> None:
    """Ask the position."""
    ctx.say(texts.REG_ASK_JABATAN)


def _daftar_jabatan(ctx: Ctx, given: Input) -> None:
    """Keep the position, then show the summary."""
    ctx.data["jabatan"] = clean_jabatan(given.text)
    ctx.goto("confirm")


def _daftar_confirm_prompt(ctx: Ctx) -> None:
    """Show what will be sent."""
    ctx.say(
        texts.REG_SUMMARY.format(
            nama=h(ctx.data["nama"]),
            jabatan=h(ctx.data["jabatan"]),
            peran=h(_wanted_role(ctx, ctx.data)),
        ),
        confirm_keyboard(texts.SEND),
    )


def _daftar_confirm(ctx: Ctx, given: Input) -> None:
    """Send the request to the admins, or start over, or cancel."""
    if not confirmed(ctx, given, edit_step="role"):
        return
    data = dict(ctx.data)
    ctx.end()
    user = request_registration(
        ctx.uow,
        telegram_id=ctx.telegram_id,
        kecamatan_id=int(data["kecamatan_id"]),
        role=Role(data["role"]),
        seksi=Seksi(data["seksi"]) if data.get("seksi") else None,
        desa_id=int(data["desa_id"]) if data.get("desa_id") else None,
        nama=data["nama"],
        jabatan=data["jabatan"],
        at=ctx.now,
    )
    ctx.say(texts.REG_SENT)
    _notify_admins(ctx, user)


def _notify_admins(ctx: Ctx, user: User) -> None:
    admins = ctx.uow.users.list(user.kecamatan_id, status=UserStatus.ACTIVE, role=Role.ADMIN)
    desa = ctx.uow.desa.get(user.desa_id) if user.desa_id else None
    card = texts.REG_CARD.format(
        nama=h(user.nama), jabatan=h(user.jabatan), peran=h(role_label(user, desa))
    )
    keyboard = [
        [
            Decide(user.id, Verdict.YES).button(texts.APPROVE),
            Decide(user.id, Verdict.NO).button(texts.REJECT),
        ]
    ]
    for admin in admins:
        ctx.notify(admin.telegram_id, card, keyboard)
    if not admins:
        ctx.say(texts.REG_NO_ADMIN)


class DaftarFlow(Flow):
    """Registration request."""

    name = "daftar"
    title = "pendaftaran"
    first = "kec"
    steps = {
        "kec": Step(_daftar_kecamatan_prompt, _daftar_kecamatan),
        "role": Step(_daftar_role_prompt, _daftar_role),
        "seksi": Step(
            _daftar_seksi_prompt, lambda ctx, given: _choose_seksi(ctx, given, "role", "nama")
        ),
        "desa": Step(
            _daftar_desa_prompt, lambda ctx, given: _choose_desa(ctx, given, "role", "nama")
        ),
        "nama": Step(_daftar_nama_prompt, _daftar_nama, frozenset({InputKind.TEXT})),
        "jabatan": Step(_daftar_jabatan_prompt, _daftar_jabatan, frozenset({InputKind.TEXT})),
        "confirm": Step(_daftar_confirm_prompt, _daftar_confirm),
    }


def _daftar(ctx: Ctx, args: list[str]) -> None:
    """Start a registration unless one is already active or waiting."""
    user = ctx.user
    if user is not None and user.status is not UserStatus.REJECTED:
        ctx.say(_status_text(user))
        return
    ctx.say(texts.REG_INTRO)
    ctx.start(DaftarFlow)


def _status_text(user: User) -> str:
    if user.status is UserStatus.PENDING:
        return texts.REG_ALREADY_PENDING
    if user.status is UserStatus.DISABLED:
        return texts.REG_DISABLED
    return texts.REG_ALREADY_ACTIVE


@dataclass(frozen=True, slots=True)
class Decide(RecordButton):
    """Setujui / Tolak on a registration card."""

    kind = "rg"
    user_id: int
    verdict: Verdict


def _decide(ctx: Ctx, pressed: Decide) -> None:
    """Setujui / Tolak on a registration card."""
    approve = pressed.verdict is Verdict.YES
    user = decide_registration(
        ctx.uow, admin=ctx.user, user_id=pressed.user_id, approve=approve, at=ctx.now
    )
    desa = ctx.uow.desa.get(user.desa_id) if user.desa_id else None
    decider = ctx.user.nama if ctx.user else "-"
    outcome = texts.REG_APPROVED_BY if approve else texts.REG_REJECTED_BY
    ctx.edit_pressed(
        texts.REG_CARD.format(
            nama=h(user.nama), jabatan=h(user.jabatan), peran=h(role_label(user, desa))
        )
        + "\n\n"
        + outcome.format(admin=h(decider))
    )
    if approve:
        ctx.notify(user.telegram_id, texts.REG_WELCOME.format(peran=h(role_label(user, desa))))
        ctx.refresh_menu(user.telegram_id)
    else:
        ctx.notify(user.telegram_id, texts.REG_REJECTED)


# -- /undang ---------------------------------------------------------------------------


def _undang_role_prompt(ctx: Ctx) -> None:
    """Ask the invitee's role."""
    ctx.say(texts.INV_ASK_ROLE, _role_keyboard())


def _make_invite(ctx: Ctx) -> None:
    data = dict(ctx.data)
    ctx.end()
    invite, payload = create_invite(
        ctx.uow,
        admin=ctx.user,
        role=Role(data["role"]),
        seksi=Seksi(data["seksi"]) if data.get("seksi") else None,
        desa_id=int(data["desa_id"]) if data.get("desa_id") else None,
        at=ctx.now,
        valid_for=timedelta(hours=ctx.services.settings.invite_valid_hours),
    )
    link = f"https://t.me/{ctx.services.bot_username}?start={payload}"
    ctx.say(
        texts.INV_CREATED.format(
            peran=h(_wanted_role(ctx, data)),
            link=h(link),
            sampai=fmt_moment(invite.expires_at, ctx.services.settings.tz),
        )
    )


def _undang_role(ctx: Ctx, given: Input) -> None:
    """Role chosen; admins need nothing more."""
    _choose_role(ctx, given, "seksi", "desa", "make")


def _undang_make_prompt(ctx: Ctx) -> None:
    """Create the link (no question)."""
    _make_invite(ctx)


class UndangFlow(Flow):
    """An admin creates an invite link."""

    name = "undang"
    title = "tautan undangan"
    first = "role"
    steps = {
        "role": Step(_undang_role_prompt, _undang_role),
        "seksi": Step(
            lambda ctx: ctx.say(texts.INV_ASK_SEKSI, _seksi_keyboard()),
            lambda ctx, given: _choose_seksi(ctx, given, "role", "make"),
        ),
        "desa": Step(
            lambda ctx: ctx.say(texts.INV_ASK_DESA, _desa_keyboard(ctx, ctx.kecamatan.id)),
            lambda ctx, given: _choose_desa(ctx, given, "role", "make"),
        ),
        "make": Step(_undang_make_prompt, lambda ctx, given: None),
    }


def _undang(ctx: Ctx, args: list[str]) -> None:
    """Admins only."""
    require(ctx.user, Action.MANAGE_USERS)
    ctx.start(UndangFlow, {"kecamatan_id": ctx.kecamatan.id})


# -- redeeming an invite -----------------------------------------------------------------


def _undangan_nama(ctx: Ctx, given: Input) -> None:
    """Keep the name."""
    ctx.data["nama"] = clean_name(given.text)
    ctx.goto("jabatan")


def _undangan_jabatan(ctx: Ctx, given: Input) -> None:
    """Register with the invite's role."""
    jabatan = clean_jabatan(given.text)
    data = dict(ctx.data)
    ctx.end()
    user = redeem_invite(
        ctx.uow,
        payload=data["payload"],
        telegram_id=ctx.telegram_id,
        nama=data["nama"],
        jabatan=jabatan,
        at=ctx.now,
    )
    desa = ctx.uow.desa.get(user.desa_id) if user.desa_id else None
    ctx.say(texts.REG_WELCOME.format(peran=h(role_label(user, desa))))
    ctx.refresh_menu(user.telegram_id)


class UndanganFlow(Flow):
    """Someone opened an invite link."""

    name = "undangan"
    title = "pendaftaran dengan undangan"
    first = "nama"
    steps = {
        "nama": Step(
            lambda ctx: ctx.say(texts.REG_ASK_NAME), _undangan_nama, frozenset({InputKind.TEXT})
        ),
        "jabatan": Step(
            lambda ctx: ctx.say(texts.REG_ASK_JABATAN),
            _undangan_jabatan,
            frozenset({InputKind.TEXT}),
        ),
    }


def _open_invite(ctx: Ctx, payload: str) -> None:
    """/start inv_...: check the link first, then ask name and position."""
    user = ctx.user
    if user is not None and user.status is not UserStatus.REJECTED:
        ctx.say(_status_text(user))
        return
    invite = find_invite(ctx.uow, payload, ctx.now)
    desa = ctx.uow.desa.get(invite.desa_id) if invite.desa_id else None
    ctx.say(texts.INV_OPENED.format(peran=h(role_text(invite.role, invite.seksi, desa))))
    ctx.start(UndanganFlow, {"payload": payload})


def register(registry: Registry) -> None:
    """/daftar, /undang and the decision on a request."""
    registry.flow(DaftarFlow.typed())
    registry.flow(UndangFlow.typed())
    registry.flow(UndanganFlow.typed())
    registry.command(CommandSpec("daftar", _daftar, "Daftar sebagai perangkat desa atau staf"))
    registry.command(
        CommandSpec(
            "undang", _undang, "Buat tautan undangan pendaftaran", action=Action.MANAGE_USERS
        )
    )
    registry.button(Decide, _decide)
    registry.deep_link(INVITE_PREFIX, _open_invite)
