"""/layanan: the SKM services of the kecamatan, adding one, and (de)activating them."""

from __future__ import annotations

import enum
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
    StaleButton,
    StaleDraft,
    Step,
    back_row,
    choice,
)
from bot.conversation.callbacks import Switch
from bot.formatting import h
from bot.reports.qr import survey_link
from domain.errors import InvalidInput
from domain.permissions import Action, require
from domain.usecases import (
    SERVICE_CODE,
    add_service,
    confirm_example_service,
    remove_example_service,
    update_service,
)

__all__ = ["register", "LAYANAN", "LayananStep", "LayananAnswers", "ServiceAdd", "ServiceSwitch"]

BACK = "back"  # the value of back_row()'s Kembali
SKIP = "skip"


# -- the list of services and its buttons -----------------------------------------------


@dataclass(frozen=True, slots=True)
class ServiceAdd(RecordButton):
    """Tambah layanan, under the list of services."""

    kind = "la"


@dataclass(frozen=True, slots=True)
class ServiceSwitch(RecordButton):
    """Nonaktifkan / Aktifkan a service."""

    kind = "ly"
    service_id: int
    switch: Switch


class ExampleAction(enum.StrEnum):
    """What an admin does with an example service from the office's data."""

    CONFIRM = "ok"
    REMOVE = "rm"


@dataclass(frozen=True, slots=True)
class ExampleButton(RecordButton):
    """Konfirmasi / Hapus contoh under an example service."""

    kind = "lc"
    service_id: int
    action: ExampleAction


def _population_text(population: int | None) -> str:
    return "-" if population is None else f"{population:,}".replace(",", ".")


def _services_view(ctx: Ctx) -> tuple[str, Keyboard]:
    services = ctx.uow.skm.list_services(ctx.kecamatan.id)
    lines = [texts.SERVICES_HEADER.format(kecamatan=h(ctx.kecamatan.nama))]
    keyboard: Keyboard = []
    if not services:
        lines.append(texts.SERVICES_NONE)
    for number, service in enumerate(services, start=1):
        lines.append(
            texts.SERVICE_LINE.format(
                number=number,
                nama=h(service.nama),
                kode=h(service.kode),
                populasi=_population_text(service.population),
                status=texts.SERVICE_ACTIVE if service.active else texts.SERVICE_INACTIVE,
            )
            + (texts.SERVICE_EXAMPLE_MARK if service.example else "")
        )
        if service.example:
            keyboard.append(
                [
                    ExampleButton(service.id, ExampleAction.CONFIRM).button(
                        f"{number}. {texts.SERVICE_CONFIRM}"
                    ),
                    ExampleButton(service.id, ExampleAction.REMOVE).button(
                        f"{number}. {texts.SERVICE_REMOVE}"
                    ),
                ]
            )
        elif service.active:
            keyboard.append(
                [ServiceSwitch(service.id, Switch.OFF).button(f"{number}. {texts.DISABLE}")]
            )
        else:
            keyboard.append(
                [ServiceSwitch(service.id, Switch.ON).button(f"{number}. {texts.ENABLE}")]
            )
    if any(service.example for service in services):
        lines += ["", texts.SERVICES_EXAMPLES_NOTE]
    if services:
        lines += ["", texts.SERVICES_FOOTER]
    keyboard.append([ServiceAdd().button(texts.SERVICE_ADD)])
    return "\n".join(lines), keyboard


def _layanan(ctx: Ctx, args: list[str]) -> None:
    """The services of the kecamatan, with add and (de)activate buttons."""
    require(ctx.user, Action.MANAGE_SERVICES)
    text, keyboard = _services_view(ctx)
    ctx.say(text, keyboard)


def _add_service(ctx: Ctx, pressed: ServiceAdd) -> None:
    """Start the flow that adds a service."""
    require(ctx.user, Action.MANAGE_SERVICES)
    ctx.start(LAYANAN, LayananAnswers(kecamatan_id=ctx.kecamatan.id))


def _switch_service(ctx: Ctx, pressed: ServiceSwitch) -> None:
    """(De)activate a service of this kecamatan."""
    require(ctx.user, Action.MANAGE_SERVICES)
    service = ctx.uow.skm.get_service(pressed.service_id)
    if service is None or service.kecamatan_id != ctx.kecamatan.id:
        raise StaleButton
    changed = update_service(
        ctx.uow,
        kecamatan_id=ctx.kecamatan.id,
        kode=service.kode,
        active=pressed.switch is Switch.ON,
        actor=f"tg:{ctx.telegram_id}",
    )
    done = texts.SERVICE_ENABLED if changed.active else texts.SERVICE_DISABLED
    ctx.toast = done.format(nama=changed.nama)
    text, keyboard = _services_view(ctx)
    ctx.edit_pressed(text, keyboard)


# -- adding a service ---------------------------------------------------------------------


class LayananStep(enum.StrEnum):
    KODE = "kode"
    NAMA = "nama"
    POPULASI = "populasi"


@dataclass(slots=True)
class LayananAnswers:
    """The new service as far as it has been answered."""

    kecamatan_id: int | None = None
    kode: str | None = None
    nama: str | None = None


def _a(ctx: Ctx) -> LayananAnswers:
    return ctx.answers(LayananAnswers)


def _kecamatan_id(ctx: Ctx) -> int:
    kecamatan_id = _a(ctx).kecamatan_id
    if kecamatan_id is None:
        raise StaleDraft
    return kecamatan_id


def _example(ctx: Ctx, pressed: ExampleButton) -> None:
    """Confirm an example service, or remove it (its responses, if any, are kept)."""
    require(ctx.user, Action.MANAGE_SERVICES)
    service = ctx.uow.skm.get_service(pressed.service_id)
    if service is None or service.kecamatan_id != ctx.kecamatan.id or not service.example:
        text, keyboard = _services_view(ctx)  # decided meanwhile: the list as it is now
        raise StaleButton(text, keyboard)
    actor = f"tg:{ctx.telegram_id}"
    if pressed.action is ExampleAction.CONFIRM:
        confirm_example_service(
            ctx.uow, kecamatan_id=ctx.kecamatan.id, kode=service.kode, actor=actor
        )
        ctx.toast = texts.SERVICE_CONFIRMED.format(nama=service.nama)
    else:
        removal = remove_example_service(
            ctx.uow, kecamatan_id=ctx.kecamatan.id, kode=service.kode, actor=actor
        )
        ctx.toast = (
            texts.SERVICE_REMOVED.format(nama=service.nama)
            if removal.deleted
            else texts.SERVICE_REMOVED_KEPT.format(nama=service.nama, jumlah=removal.responses)
        )
    text, keyboard = _services_view(ctx)
    ctx.edit_pressed(text, keyboard)


def _kode_prompt(ctx: Ctx) -> None:
    """Ask the code."""
    ctx.say(texts.SERVICE_ASK_KODE)


def _kode(ctx: Ctx, given: Input) -> None:
    """A free, well-formed code (checked now rather than after three questions)."""
    kode = given.text.strip().lower()
    if not SERVICE_CODE.fullmatch(kode):
        raise InvalidInput(texts.SERVICE_BAD_KODE)
    taken = ctx.uow.skm.get_service_by_code(_kecamatan_id(ctx), kode)
    if taken is not None:
        raise InvalidInput(texts.SERVICE_KODE_TAKEN.format(kode=h(kode), nama=h(taken.nama)))
    _a(ctx).kode = kode
    ctx.next()


def _nama_prompt(ctx: Ctx) -> None:
    """Ask the name."""
    ctx.say(texts.SERVICE_ASK_NAMA, [back_row()])


def _nama(ctx: Ctx, given: Input) -> None:
    """A free name (the use case checks its length again)."""
    if given.kind is InputKind.CHOICE:
        choice(given, {BACK})
        ctx.back()
        return
    nama = " ".join(given.text.split())
    taken = ctx.uow.skm.find_service_by_name(_kecamatan_id(ctx), nama)
    if taken is not None:
        raise InvalidInput(texts.SERVICE_NAMA_TAKEN.format(nama=h(taken.nama)))
    _a(ctx).nama = nama
    ctx.next()


def _populasi_prompt(ctx: Ctx) -> None:
    """Ask the yearly population (optional)."""
    ctx.say(texts.SERVICE_ASK_POPULASI, [[Button(texts.SKIP, SKIP)], back_row()])


def _populasi(ctx: Ctx, given: Input) -> None:
    """A whole number (dots as thousands separators allowed), or Lewati; then add."""
    population: int | None = None
    if given.kind is InputKind.CHOICE:
        if choice(given, {SKIP, BACK}) == BACK:
            ctx.back()
            return
    else:
        digits = given.text.strip().replace(".", "").replace(" ", "")
        if not digits.isascii() or not digits.isdigit():
            raise InvalidInput(texts.SERVICE_BAD_POPULASI)
        population = int(digits)
    a = _a(ctx)
    kecamatan_id = _kecamatan_id(ctx)
    if a.kode is None or a.nama is None:
        raise StaleDraft
    ctx.end()
    service = add_service(
        ctx.uow,
        kecamatan_id=kecamatan_id,
        kode=a.kode,
        nama=a.nama,
        population=population,
        actor=f"tg:{ctx.telegram_id}",
    )
    link = survey_link(ctx.services.bot_username, service.kode)
    ctx.say(texts.SERVICE_ADDED.format(nama=h(service.nama), kode=h(service.kode), link=h(link)))


_CHOICE_TEXT = frozenset({InputKind.TEXT, InputKind.CHOICE})
LAYANAN: Flow[LayananStep, LayananAnswers] = Flow(
    name="layanan",
    title="layanan baru",
    answers=LayananAnswers,
    order=(LayananStep.KODE, LayananStep.NAMA, LayananStep.POPULASI),
    steps={
        LayananStep.KODE: Step(
            _kode_prompt, _kode, frozenset({InputKind.TEXT}), hint=texts.SERVICE_BAD_KODE
        ),
        LayananStep.NAMA: Step(_nama_prompt, _nama, _CHOICE_TEXT, hint=texts.SERVICE_ASK_NAMA),
        LayananStep.POPULASI: Step(
            _populasi_prompt, _populasi, _CHOICE_TEXT, hint=texts.SERVICE_POPULASI_HINT
        ),
    },
)


def register(registry: Registry) -> None:
    """/layanan, its add and (de)activate buttons, and the flow that adds a service."""
    registry.flow(LAYANAN)
    registry.command(
        CommandSpec(
            "layanan",
            _layanan,
            "Daftar layanan SKM: tambah, aktifkan, nonaktifkan",
            action=Action.MANAGE_SERVICES,
        )
    )
    registry.button(ServiceAdd, _add_service)
    registry.button(ServiceSwitch, _switch_service)
    registry.button(ExampleButton, _example)
