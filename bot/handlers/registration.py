"""/daftar: a registration request, decided by the admins (Setujui / Tolak on its card).

The role, seksi and desa questions are shared with the invite link (bot/handlers/invites.py).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from bot import texts
from bot.conversation import (
    Button,
    CommandSpec,
    Ctx,
    Flow,
    Input,
    InputKind,
    Keyboard,
    RecordButton,
    Registry,
    StaleDraft,
    Step,
    back_row,
    confirm_keyboard,
    confirmed,
    desa_buttons,
    desa_choice,
    rows,
)
from bot.conversation.callbacks import Verdict
from bot.formatting import h, role_label, role_text
from domain.errors import InvalidInput
from domain.models import Kecamatan, Role, Seksi, User, UserStatus
from domain.registration import (
    clean_jabatan,
    clean_name,
    decide_registration,
    request_registration,
)

__all__ = [
    "register",
    "DAFTAR",
    "DaftarStep",
    "DaftarAnswers",
    "WantedRole",
    "Decide",
    "role_keyboard",
    "seksi_keyboard",
    "desa_keyboard",
    "choose_role",
    "choose_seksi",
    "choose_desa",
    "asked_of",
    "wanted_role",
    "status_text",
]

ROLE_LABEL: dict[Role, str] = {
    Role.ADMIN: "Admin (Camat, Sekcam, operator)",
    Role.STAF_SEKSI: "Staf seksi kecamatan",
    Role.PERANGKAT_DESA: "Perangkat desa",
}


# -- the role being asked for (or invited): shared with the invite link -----------------


@dataclass(slots=True)
class WantedRole:
    """A role with its seksi or desa, in the kecamatan it is for."""

    kecamatan_id: int | None = None
    role: Role | None = None
    seksi: Seksi | None = None  # of a staf seksi
    desa_id: int | None = None  # of a perangkat desa


def role_keyboard() -> Keyboard:
    return [[Button(label, role.value)] for role, label in ROLE_LABEL.items()]


def seksi_keyboard() -> Keyboard:
    # The official names (one per row): a newcomer may not know what "PPD" stands for.
    return [*rows([Button(s.full_name, s.value) for s in Seksi], 1), back_row()]


def desa_keyboard(ctx: Ctx, kecamatan_id: int) -> Keyboard:
    return [*desa_buttons(ctx.uow.desa.list_by_kecamatan(kecamatan_id)), back_row()]


def asked_of(role: Role, answers: Callable[[Ctx], WantedRole]) -> Callable[[Ctx], bool]:
    """``Step.applies`` of the seksi or desa question: asked of that ``role`` only."""
    return lambda ctx: answers(ctx).role is role


def choose_role(ctx: Ctx, given: Input, wanted: WantedRole) -> None:
    """Keep the role (its seksi and desa are asked again); then its seksi or desa, if any."""
    if given.text not in set(Role):
        raise InvalidInput(texts.CHOOSE_BUTTON)
    wanted.role = Role(given.text)
    wanted.seksi = wanted.desa_id = None
    ctx.next()


def choose_seksi(ctx: Ctx, given: Input, wanted: WantedRole) -> None:
    """Keep the seksi, or back to the role."""
    if given.text == "back":
        ctx.back()
        return
    if given.text not in set(Seksi):
        raise InvalidInput(texts.CHOOSE_BUTTON)
    wanted.seksi = Seksi(given.text)
    ctx.next()


def choose_desa(ctx: Ctx, given: Input, wanted: WantedRole) -> None:
    """Keep a desa of the kecamatan, or back to the role."""
    if given.text == "back":
        ctx.back()
        return
    wanted.desa_id = desa_choice(ctx, given, wanted.kecamatan_id).id
    ctx.next()


def wanted_role(ctx: Ctx, wanted: WantedRole) -> str:
    """The role being asked for or invited, as :func:`role_text` words it."""
    if wanted.role is None:
        raise StaleDraft
    desa = ctx.uow.desa.get(wanted.desa_id) if wanted.desa_id else None
    return role_text(wanted.role, wanted.seksi, desa)


def status_text(user: User) -> str:
    """Why someone registered (or waiting, or disabled) cannot register again."""
    if user.status is UserStatus.PENDING:
        return texts.REG_ALREADY_PENDING
    if user.status is UserStatus.DISABLED:
        return texts.REG_DISABLED
    return texts.REG_ALREADY_ACTIVE


# -- /daftar ---------------------------------------------------------------------------


class DaftarStep(enum.StrEnum):
    KAB = "kab"
    KEC = "kec"
    ROLE = "role"
    SEKSI = "seksi"
    DESA = "desa"
    NAMA = "nama"
    JABATAN = "jabatan"
    CONFIRM = "confirm"


@dataclass(slots=True)
class DaftarAnswers(WantedRole):
    """The request as far as it has been answered."""

    kabupaten: str | None = None  # its code ("35.28"), where the deployment spans several
    nama: str | None = None
    jabatan: str | None = None


def _d(ctx: Ctx) -> DaftarAnswers:
    return ctx.answers(DaftarAnswers)


def _kecamatan_id(ctx: Ctx) -> int:
    kecamatan_id = _d(ctx).kecamatan_id
    if kecamatan_id is None:
        raise StaleDraft
    return kecamatan_id


def _kabupaten_of(kecamatan: Kecamatan) -> str:
    """The kabupaten's code: the kecamatan's first two parts (35.28.08 -> 35.28)."""
    return kecamatan.kode.rsplit(".", 1)[0]


def _kabupaten_list(ctx: Ctx) -> dict[str, str]:
    """The kabupaten served, code -> name, by code."""
    return {_kabupaten_of(k): k.kabupaten for k in ctx.uow.kecamatan.list()}


def _several_kabupaten(ctx: Ctx) -> bool:
    return len(_kabupaten_list(ctx)) > 1


def _kabupaten_prompt(ctx: Ctx) -> None:
    """Which kabupaten (asked only when the deployment serves several)."""
    if not _several_kabupaten(ctx):
        ctx.next()
        return
    buttons = [Button(nama, kode) for kode, nama in _kabupaten_list(ctx).items()]
    ctx.say(texts.REG_ASK_KABUPATEN, rows(buttons, 2))


def _kabupaten_handle(ctx: Ctx, given: Input) -> None:
    """Keep the chosen kabupaten; its kecamatan are asked next."""
    if given.text not in _kabupaten_list(ctx):
        raise InvalidInput(texts.CHOOSE_BUTTON)
    _d(ctx).kabupaten = given.text
    _d(ctx).kecamatan_id = None
    ctx.next()


def _kecamatan_choices(ctx: Ctx) -> list[Kecamatan]:
    """The kecamatan one may choose: all, or those of the chosen kabupaten."""
    kabupaten = _d(ctx).kabupaten
    kecamatan = ctx.uow.kecamatan.list()
    if kabupaten is None or not _several_kabupaten(ctx):
        return kecamatan
    return [k for k in kecamatan if _kabupaten_of(k) == kabupaten]


def _kecamatan_prompt(ctx: Ctx) -> None:
    """Which kecamatan (asked only when the deployment serves several)."""
    if len(ctx.uow.kecamatan.list()) <= 1:
        _d(ctx).kecamatan_id = ctx.kecamatan.id
        ctx.next()
        return
    buttons = [Button(k.nama, str(k.id)) for k in _kecamatan_choices(ctx)]
    back = [back_row()] if _several_kabupaten(ctx) else []
    ctx.say(texts.REG_ASK_KECAMATAN, [*rows(buttons, 2), *back])


def _kecamatan_handle(ctx: Ctx, given: Input) -> None:
    """Keep the chosen kecamatan, or back to the kabupaten."""
    if given.text == "back" and _several_kabupaten(ctx):
        ctx.back()
        return
    chosen = {str(k.id) for k in _kecamatan_choices(ctx)}
    if given.text not in chosen:
        raise InvalidInput(texts.CHOOSE_BUTTON)
    _d(ctx).kecamatan_id = int(given.text)
    ctx.next()


def _role_prompt(ctx: Ctx) -> None:
    """Ask the role."""
    ctx.say(texts.REG_ASK_ROLE, role_keyboard())


def _seksi_prompt(ctx: Ctx) -> None:
    """Ask the seksi."""
    ctx.say(texts.REG_ASK_SEKSI, seksi_keyboard())


def _desa_prompt(ctx: Ctx) -> None:
    """Ask the desa."""
    ctx.say(texts.REG_ASK_DESA, desa_keyboard(ctx, _kecamatan_id(ctx)))


def _nama_prompt(ctx: Ctx) -> None:
    """Ask the name."""
    ctx.say(texts.REG_ASK_NAME)


def _nama_handle(ctx: Ctx, given: Input) -> None:
    """Keep the cleaned name."""
    _d(ctx).nama = clean_name(given.text)
    ctx.next()


def _jabatan_prompt(ctx: Ctx) -> None:
    """Ask the position."""
    ctx.say(texts.REG_ASK_JABATAN)


def _jabatan_handle(ctx: Ctx, given: Input) -> None:
    """Keep the position, then show the summary."""
    _d(ctx).jabatan = clean_jabatan(given.text)
    ctx.next()


def _confirm_prompt(ctx: Ctx) -> None:
    """Show what will be sent."""
    a = _d(ctx)
    if a.nama is None or a.jabatan is None or a.kecamatan_id is None:
        raise StaleDraft
    where = ""
    if len(ctx.uow.kecamatan.list()) > 1:
        kecamatan = ctx.uow.kecamatan.get(a.kecamatan_id)
        if kecamatan is None:
            raise StaleDraft
        where = texts.REG_SUMMARY_KECAMATAN.format(
            kecamatan=h(kecamatan.nama), kabupaten=h(kecamatan.kabupaten)
        )
    summary = texts.REG_SUMMARY.format(
        nama=h(a.nama), jabatan=h(a.jabatan), peran=h(wanted_role(ctx, a)), kecamatan=where
    )
    ctx.say(summary, confirm_keyboard(texts.SEND))


def _confirm_handle(ctx: Ctx, given: Input) -> None:
    """Send the request to the admins; Ubah asks again from the kecamatan (where there
    are several; else from the role); Batal cancels."""
    if not confirmed(ctx, given, edit_step=DaftarStep.KAB):
        return
    a = _d(ctx)
    if a.kecamatan_id is None or a.role is None or a.nama is None or a.jabatan is None:
        raise StaleDraft
    ctx.end()
    user = request_registration(
        ctx.uow,
        telegram_id=ctx.telegram_id,
        kecamatan_id=a.kecamatan_id,
        role=a.role,
        seksi=a.seksi,
        desa_id=a.desa_id or None,
        nama=a.nama,
        jabatan=a.jabatan,
        at=ctx.now,
    )
    ctx.say(texts.REG_SENT)
    _notify_admins(ctx, user)


def registration_card(ctx: Ctx, user: User, username: str | None = None) -> str:
    """The request as admins see it: who, which role, which Telegram account; an admin
    request is marked as one."""
    desa = ctx.uow.desa.get(user.desa_id) if user.desa_id else None
    account = (
        texts.REG_ACCOUNT.format(username=h(username), id=user.telegram_id)
        if username
        else texts.REG_ACCOUNT_NO_USERNAME.format(id=user.telegram_id)
    )
    card = texts.REG_CARD.format(
        nama=h(user.nama),
        jabatan=h(user.jabatan),
        peran=h(role_label(user, desa)),
        akun=account,
    )
    if user.role is Role.ADMIN:
        card += "\n\n" + texts.REG_CARD_ADMIN
    return card


def _notify_admins(ctx: Ctx, user: User) -> None:
    admins = ctx.uow.users.list(user.kecamatan_id, status=UserStatus.ACTIVE, role=Role.ADMIN)
    card = registration_card(ctx, user, ctx.request.incoming.username)
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


_TEXT = frozenset({InputKind.TEXT})
DAFTAR: Flow[DaftarStep, DaftarAnswers] = Flow(
    name="daftar",
    title="pendaftaran",
    answers=DaftarAnswers,
    order=(
        DaftarStep.KAB,
        DaftarStep.KEC,
        DaftarStep.ROLE,
        DaftarStep.SEKSI,
        DaftarStep.DESA,
        DaftarStep.NAMA,
        DaftarStep.JABATAN,
    ),
    summary=DaftarStep.CONFIRM,
    steps={
        DaftarStep.KAB: Step(_kabupaten_prompt, _kabupaten_handle, applies=_several_kabupaten),
        DaftarStep.KEC: Step(_kecamatan_prompt, _kecamatan_handle),
        DaftarStep.ROLE: Step(_role_prompt, lambda ctx, given: choose_role(ctx, given, _d(ctx))),
        DaftarStep.SEKSI: Step(
            _seksi_prompt,
            lambda ctx, given: choose_seksi(ctx, given, _d(ctx)),
            applies=asked_of(Role.STAF_SEKSI, _d),
        ),
        DaftarStep.DESA: Step(
            _desa_prompt,
            lambda ctx, given: choose_desa(ctx, given, _d(ctx)),
            applies=asked_of(Role.PERANGKAT_DESA, _d),
        ),
        DaftarStep.NAMA: Step(_nama_prompt, _nama_handle, _TEXT),
        DaftarStep.JABATAN: Step(_jabatan_prompt, _jabatan_handle, _TEXT),
        DaftarStep.CONFIRM: Step(_confirm_prompt, _confirm_handle),
    },
)


def _daftar(ctx: Ctx, args: list[str]) -> None:
    """Start a registration unless one is already active or waiting."""
    user = ctx.user
    if user is not None and user.status is not UserStatus.REJECTED:
        ctx.say(status_text(user))
        return
    ctx.say(texts.REG_INTRO)
    ctx.start(DAFTAR)


# -- the decision ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decide(RecordButton):
    """Setujui / Tolak on a registration card (also on the user list of /pengguna)."""

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
    ctx.edit_pressed(registration_card(ctx, user) + "\n\n" + outcome.format(admin=h(decider)))
    if approve:
        ctx.notify(user.telegram_id, texts.REG_WELCOME.format(peran=h(role_label(user, desa))))
        ctx.refresh_menu(user.telegram_id)
    else:
        ctx.notify(user.telegram_id, texts.REG_REJECTED)


def register(registry: Registry) -> None:
    """/daftar and the decision on a request."""
    registry.flow(DAFTAR)
    registry.command(CommandSpec("daftar", _daftar, "Daftar sebagai perangkat desa atau staf"))
    registry.button(Decide, _decide)
