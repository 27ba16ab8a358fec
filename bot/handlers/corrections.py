"""/koreksi NOMOR and /batalkan NOMOR: an admin corrects a submitted report, or voids a
duplicate by pointing it to the report it repeats. The reporter and the responsible
seksi are told (outbox), in the transaction of the change."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from bot import texts
from bot.conversation import (
    Button,
    CommandSpec,
    Ctx,
    Flow,
    Input,
    InputKind,
    Registry,
    StaleDraft,
    Step,
    back_row,
    confirm_keyboard,
    confirmed,
    rows,
)
from bot.formatting import fmt_day, h
from bot.handlers.incident_steps import IncidentSteps
from domain.corrections import (
    Changes,
    CorrectionResult,
    clean_reason,
    correct_incident,
    field_names,
    require_admin_of,
    void_duplicate,
)
from domain.errors import InvalidInput, NotFound
from domain.incidents import (
    LAINNYA,
    category_label,
    parse_date,
)
from domain.models import Incident, IncidentKind, KonflikStage, Role, UserStatus
from domain.permissions import Action

__all__ = ["register", "KOREKSI", "BATALKAN", "KoreksiAnswers", "BatalkanAnswers"]


class Field(enum.StrEnum):
    KIND = "kind"
    DESA = "desa"
    DATE = "date"
    CATEGORY = "category"
    DESC = "desc"


_FIELD_LABELS = {
    Field.KIND: "Jenis",
    Field.DESA: "Desa",
    Field.DATE: "Tanggal kejadian",
    Field.CATEGORY: "Kategori",
    Field.DESC: "Uraian",
}


class KoreksiStep(enum.StrEnum):
    FIELD = "field"
    KIND = "kind"
    DESA = "desa"
    DATE = "date"
    STAGE = "stage"
    CATEGORY = "category"
    DETAIL = "detail"
    DESC = "desc"
    REASON = "reason"
    SUMMARY = "summary"


@dataclass(slots=True)
class KoreksiAnswers:
    """The correction as far as it has been answered."""

    incident_id: int = 0
    version: int = 0
    field: Field | None = None
    kind: IncidentKind | None = None
    desa_id: int | None = None
    event_date: date | None = None
    stage: KonflikStage | None = None
    category: str | None = None
    category_detail: str | None = None
    description: str | None = None
    reason: str | None = None


def _a(ctx: Ctx) -> KoreksiAnswers:
    return ctx.answers(KoreksiAnswers)


def _incident(ctx: Ctx, incident_id: int) -> Incident:
    incident = ctx.uow.incidents.get(incident_id)
    if incident is None:
        raise StaleDraft
    return incident


def _kind(ctx: Ctx) -> IncidentKind:
    a = _a(ctx)
    return a.kind or _incident(ctx, a.incident_id).kind


# The questions of /lapor, on the correction's answers.
_SHARED: IncidentSteps[KoreksiAnswers] = IncidentSteps(_a, _kind, KoreksiStep.DETAIL)


def _field_prompt(ctx: Ctx) -> None:
    incident = _incident(ctx, _a(ctx).incident_id)
    choices = [Button(label, f.value) for f, label in _FIELD_LABELS.items()]
    ctx.say(
        texts.KOREKSI_ASK_FIELD.format(nomor=h(incident.nomor)),
        [*rows(choices, 2), [Button(texts.CANCEL_BUTTON, "cancel")]],
    )


def _field_handle(ctx: Ctx, given: Input) -> None:
    if given.text == "cancel":
        ctx.end()
        ctx.say(texts.KOREKSI_CANCELLED)
        return
    if given.text not in set(Field):
        raise InvalidInput(texts.CHOOSE_BUTTON)
    a = _a(ctx)
    a.field = Field(given.text)
    a.kind = a.desa_id = a.event_date = a.stage = None
    a.category = a.category_detail = a.description = None
    ctx.next()


def _kind_prompt(ctx: Ctx) -> None:
    ctx.say(
        texts.LAPOR_ASK_KIND,
        [[Button(k.label, k.value)] for k in IncidentKind] + [back_row()],
    )


def _kind_handle(ctx: Ctx, given: Input) -> None:
    if given.text == "back":
        ctx.back()
        return
    if given.text not in set(IncidentKind):
        raise InvalidInput(texts.CHOOSE_BUTTON)
    a = _a(ctx)
    kind = IncidentKind(given.text)
    if kind is _incident(ctx, a.incident_id).kind:
        raise InvalidInput(texts.KOREKSI_SAME_KIND)
    a.kind = kind
    ctx.next()


def _date_prompt(ctx: Ctx) -> None:
    ctx.say(texts.KOREKSI_ASK_DATE, [back_row()])


def _date_handle(ctx: Ctx, given: Input) -> None:
    if given.kind is InputKind.CHOICE:
        if given.text == "back":
            ctx.back()
            return
        raise InvalidInput(texts.CHOOSE_BUTTON)
    day = parse_date(given.text)
    if day > ctx.now.date():
        raise InvalidInput("Tanggal kejadian tidak boleh di masa depan.")
    _a(ctx).event_date = day
    ctx.next()


def _reason_prompt(ctx: Ctx) -> None:
    ctx.say(texts.KOREKSI_ASK_REASON)


def _reason_handle(ctx: Ctx, given: Input) -> None:
    _a(ctx).reason = clean_reason(given.text)
    ctx.next()


def _changes(a: KoreksiAnswers) -> Changes:
    return Changes(
        kind=a.kind,
        desa_id=a.desa_id,
        event_date=a.event_date,
        category=a.category,
        category_detail=a.category_detail,
        stage=a.stage,
        description=a.description,
    )


def _value_text(ctx: Ctx, a: KoreksiAnswers) -> str:
    incident = _incident(ctx, a.incident_id)
    kind = a.kind or incident.kind
    parts: list[str] = []
    if a.kind is not None:
        parts.append(a.kind.label)
    if a.desa_id is not None:
        desa = ctx.uow.desa.get(a.desa_id)
        parts.append(desa.nama if desa else "-")
    if a.event_date is not None:
        parts.append(fmt_day(a.event_date))
    if a.category is not None:
        parts.append(category_label(kind, a.category, a.category_detail))
    if a.description is not None:
        parts.append(a.description)
    return ", ".join(parts)


def _summary_prompt(ctx: Ctx) -> None:
    a = _a(ctx)
    if a.field is None or a.reason is None:
        raise StaleDraft
    incident = _incident(ctx, a.incident_id)
    ctx.say(
        texts.KOREKSI_SUMMARY.format(
            nomor=h(incident.nomor),
            field=_FIELD_LABELS[a.field],
            value=h(_value_text(ctx, a)),
            reason=h(a.reason),
        ),
        confirm_keyboard(texts.SEND),
    )


def _summary_handle(ctx: Ctx, given: Input) -> None:
    if not confirmed(ctx, given, edit_step=KoreksiStep.FIELD):
        return
    a = _a(ctx)
    if a.reason is None:
        raise StaleDraft
    result = correct_incident(
        ctx.uow,
        admin=ctx.user,
        incident_id=a.incident_id,
        expected_version=a.version,
        changes=_changes(a),
        reason=a.reason,
        now=ctx.now,
    )
    ctx.end()
    ctx.say(texts.KOREKSI_DONE.format(nomor=h(result.incident.nomor)))
    _tell(ctx, result, voided=False)


def _stage_applies(ctx: Ctx) -> bool:
    a = _a(ctx)
    return a.field is Field.KIND and a.kind is IncidentKind.KONFLIK


KOREKSI: Flow[KoreksiStep, KoreksiAnswers] = Flow(
    name="koreksi",
    title="koreksi laporan",
    answers=KoreksiAnswers,
    order=(
        KoreksiStep.FIELD,
        KoreksiStep.KIND,
        KoreksiStep.DESA,
        KoreksiStep.DATE,
        KoreksiStep.STAGE,
        KoreksiStep.CATEGORY,
        KoreksiStep.DETAIL,
        KoreksiStep.DESC,
        KoreksiStep.REASON,
    ),
    summary=KoreksiStep.SUMMARY,
    steps={
        KoreksiStep.FIELD: Step(_field_prompt, _field_handle),
        KoreksiStep.KIND: Step(
            _kind_prompt, _kind_handle, applies=lambda ctx: _a(ctx).field is Field.KIND
        ),
        KoreksiStep.DESA: Step(
            _SHARED.desa_prompt,
            _SHARED.desa_handle,
            applies=lambda ctx: _a(ctx).field is Field.DESA,
        ),
        KoreksiStep.DATE: Step(
            _date_prompt,
            _date_handle,
            frozenset({InputKind.CHOICE, InputKind.TEXT}),
            applies=lambda ctx: _a(ctx).field is Field.DATE,
        ),
        KoreksiStep.STAGE: Step(_SHARED.stage_prompt, _SHARED.stage_handle, applies=_stage_applies),
        KoreksiStep.CATEGORY: Step(
            _SHARED.category_prompt,
            _SHARED.category_handle,
            applies=lambda ctx: _a(ctx).field in (Field.KIND, Field.CATEGORY),
        ),
        KoreksiStep.DETAIL: Step(
            _SHARED.detail_prompt,
            _SHARED.detail_handle,
            frozenset({InputKind.TEXT}),
            applies=lambda ctx: _a(ctx).category == LAINNYA,
        ),
        KoreksiStep.DESC: Step(
            _SHARED.desc_prompt,
            _SHARED.desc_handle,
            frozenset({InputKind.TEXT}),
            applies=lambda ctx: _a(ctx).field is Field.DESC,
        ),
        KoreksiStep.REASON: Step(_reason_prompt, _reason_handle, frozenset({InputKind.TEXT})),
        KoreksiStep.SUMMARY: Step(_summary_prompt, _summary_handle),
    },
)


# -- /batalkan -------------------------------------------------------------------------


class BatalkanStep(enum.StrEnum):
    ORIGINAL = "original"
    REASON = "reason"
    SUMMARY = "summary"


@dataclass(slots=True)
class BatalkanAnswers:
    """The void as far as it has been answered."""

    incident_id: int = 0
    version: int = 0
    original: str | None = None
    reason: str | None = None


def _b(ctx: Ctx) -> BatalkanAnswers:
    return ctx.answers(BatalkanAnswers)


def _original_prompt(ctx: Ctx) -> None:
    incident = _incident(ctx, _b(ctx).incident_id)
    ctx.say(texts.BATALKAN_ASK_ORIGINAL.format(nomor=h(incident.nomor)))


def _original_handle(ctx: Ctx, given: Input) -> None:
    incident = _incident(ctx, _b(ctx).incident_id)
    original = ctx.uow.incidents.get_by_nomor(given.text.strip())
    if original is None or original.kecamatan_id != incident.kecamatan_id:
        raise InvalidInput(texts.CORRECTION_UNKNOWN.format(nomor=h(given.text.strip().upper())))
    if original.id == incident.id:
        raise InvalidInput("Laporan tidak dapat menjadi duplikat dirinya sendiri.")
    _b(ctx).original = original.nomor
    ctx.next()


def _void_reason_handle(ctx: Ctx, given: Input) -> None:
    _b(ctx).reason = clean_reason(given.text)
    ctx.next()


def _void_summary_prompt(ctx: Ctx) -> None:
    b = _b(ctx)
    if b.original is None or b.reason is None:
        raise StaleDraft
    incident = _incident(ctx, b.incident_id)
    ctx.say(
        texts.BATALKAN_SUMMARY.format(
            nomor=h(incident.nomor), original=h(b.original), reason=h(b.reason)
        ),
        confirm_keyboard(texts.SEND),
    )


def _void_summary_handle(ctx: Ctx, given: Input) -> None:
    if not confirmed(ctx, given, edit_step=BatalkanStep.ORIGINAL):
        return
    b = _b(ctx)
    if b.original is None or b.reason is None:
        raise StaleDraft
    result = void_duplicate(
        ctx.uow,
        admin=ctx.user,
        incident_id=b.incident_id,
        expected_version=b.version,
        original_nomor=b.original,
        reason=b.reason,
        now=ctx.now,
    )
    ctx.end()
    ctx.say(texts.BATALKAN_DONE.format(nomor=h(result.incident.nomor), original=h(b.original)))
    _tell(ctx, result, voided=True)


BATALKAN: Flow[BatalkanStep, BatalkanAnswers] = Flow(
    name="batalkan",
    title="pembatalan laporan duplikat",
    answers=BatalkanAnswers,
    order=(BatalkanStep.ORIGINAL, BatalkanStep.REASON),
    summary=BatalkanStep.SUMMARY,
    steps={
        BatalkanStep.ORIGINAL: Step(
            _original_prompt, _original_handle, frozenset({InputKind.TEXT})
        ),
        BatalkanStep.REASON: Step(_reason_prompt, _void_reason_handle, frozenset({InputKind.TEXT})),
        BatalkanStep.SUMMARY: Step(_void_summary_prompt, _void_summary_handle),
    },
)


# -- notices ---------------------------------------------------------------------------


def _tell(ctx: Ctx, result: CorrectionResult, *, voided: bool) -> None:
    """The reporter and the responsible seksi's staff (both seksi on a change of kind)."""
    incident = result.incident
    if voided:
        text = texts.BATALKAN_NOTICE.format(
            nomor=h(incident.nomor),
            original=h(result.corrections[0].new_value or "-"),
            reason=h(result.reason),
        )
    else:
        changed = field_names(result.corrections)
        text = texts.KOREKSI_NOTICE.format(
            nomor=h(incident.nomor),
            old=h(result.before.nomor),
            fields=h(changed),
            reason=h(result.reason),
        )
    told = {ctx.telegram_id}
    if result.reporter_id is not None:
        reporter = ctx.uow.users.get(result.reporter_id)
        if reporter is not None and reporter.telegram_id not in told:
            ctx.notify(reporter.telegram_id, text)
            told.add(reporter.telegram_id)
    for seksi in result.seksi:
        staff = ctx.uow.users.list(
            incident.kecamatan_id, status=UserStatus.ACTIVE, role=Role.STAF_SEKSI, seksi=seksi
        )
        for person in staff:
            if person.telegram_id not in told:
                ctx.notify(person.telegram_id, text)
                told.add(person.telegram_id)


# -- the commands ----------------------------------------------------------------------


def _target(ctx: Ctx, args: list[str], usage: str) -> Incident:
    if not args:
        raise InvalidInput(usage)
    incident = ctx.uow.incidents.get_by_nomor(args[0])
    if incident is None or incident.kecamatan_id != ctx.kecamatan.id:
        raise NotFound(texts.CORRECTION_UNKNOWN.format(nomor=h(args[0].strip().upper())))
    if incident.voided:
        raise InvalidInput(texts.CORRECTION_VOIDED.format(nomor=h(incident.nomor)))
    return incident


def _koreksi(ctx: Ctx, args: list[str]) -> None:
    require_admin_of(ctx.user, ctx.kecamatan.id)
    incident = _target(ctx, args, texts.KOREKSI_USAGE)
    ctx.start(KOREKSI, KoreksiAnswers(incident_id=incident.id, version=incident.version))


def _batalkan(ctx: Ctx, args: list[str]) -> None:
    require_admin_of(ctx.user, ctx.kecamatan.id)
    incident = _target(ctx, args, texts.BATALKAN_USAGE)
    ctx.start(BATALKAN, BatalkanAnswers(incident_id=incident.id, version=incident.version))


def register(registry: Registry) -> None:
    """/koreksi and /batalkan (admins)."""
    registry.flow(KOREKSI)
    registry.flow(BATALKAN)
    registry.command(
        CommandSpec(
            "koreksi", _koreksi, "Koreksi laporan kejadian (admin)", action=Action.MANAGE_USERS
        )
    )
    registry.command(
        CommandSpec(
            "batalkan",
            _batalkan,
            "Batalkan laporan duplikat (admin)",
            action=Action.MANAGE_USERS,
        )
    )
