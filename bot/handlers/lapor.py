"""/lapor: a conflict or trantibum report, question by question, then a summary to send."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta

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
from bot.handlers.evidence_input import dump_received, load_received, received_file
from bot.handlers.followup import send_cards
from bot.handlers.incident_steps import IncidentSteps
from domain.errors import InvalidInput
from domain.incidents import (
    LAINNYA,
    MAX_PHOTOS,
    IncidentDraft,
    category_label,
    check_event_date,
    parse_date,
    submit_incident,
)
from domain.models import EvidenceMedia, IncidentKind, KonflikStage, Role
from domain.permissions import Action, require

__all__ = ["register", "LAPOR", "LaporStep", "LaporAnswers"]


class LaporStep(enum.StrEnum):
    KIND = "kind"
    DESA = "desa"
    DATE = "date"
    STAGE = "stage"
    CATEGORY = "category"
    DETAIL = "detail"
    DESC = "desc"
    LOCATION = "location"
    PHOTOS = "photos"
    SUMMARY = "summary"
    WHICH = "which"


@dataclass(slots=True)
class LaporAnswers:
    """The report as far as it has been answered."""

    kind: IncidentKind | None = None
    desa_id: int | None = None
    event_date: date | None = None
    stage: KonflikStage | None = None
    category: str | None = None
    category_detail: str | None = None
    description: str | None = None
    location: list[float] | None = None  # [latitude, longitude]
    photos: list[str] = field(default_factory=list)  # Telegram file ids
    # What is known of each: [file id, unique id, foto/dokumen, file name] (evidence_input).
    files: list[list[str]] = field(default_factory=list)


def _a(ctx: Ctx) -> LaporAnswers:
    return ctx.answers(LaporAnswers)


def _own_desa(ctx: Ctx) -> bool:
    """A perangkat desa reports for their own desa only (the desa is not asked)."""
    user = ctx.user
    return user is not None and user.role is Role.PERANGKAT_DESA and user.desa_id is not None


def _kind(ctx: Ctx) -> IncidentKind:
    kind = _a(ctx).kind
    if kind is None:
        raise StaleDraft
    return kind


# The questions /koreksi asks too.
_SHARED: IncidentSteps[LaporAnswers] = IncidentSteps(_a, _kind, LaporStep.DETAIL)


def _incident_draft(ctx: Ctx) -> IncidentDraft:
    a = _a(ctx)
    if a.kind is None or a.desa_id is None or a.event_date is None:
        raise StaleDraft
    if a.category is None or a.description is None:
        raise StaleDraft
    return IncidentDraft(
        kind=a.kind,
        desa_id=a.desa_id,
        event_date=a.event_date,
        category=a.category,
        description=a.description,
        stage=a.stage,
        category_detail=a.category_detail,
        latitude=a.location[0] if a.location else None,
        longitude=a.location[1] if a.location else None,
        photo_file_ids=tuple(a.photos),
        files=tuple(load_received(stored) for stored in a.files),
    )


# -- the questions ---------------------------------------------------------------------


def _kind_prompt(ctx: Ctx) -> None:
    """Konflik sosial or trantibum."""
    ctx.say(
        texts.LAPOR_ASK_KIND,
        [
            [Button(IncidentKind.KONFLIK.label, IncidentKind.KONFLIK.value)],
            [Button(IncidentKind.TRANTIBUM.label, IncidentKind.TRANTIBUM.value)],
        ],
    )


def _kind_handle(ctx: Ctx, given: Input) -> None:
    """Keep the kind; a change of kind clears the category and the stage."""
    if given.text not in set(IncidentKind):
        raise InvalidInput(texts.CHOOSE_BUTTON)
    a = _a(ctx)
    kind = IncidentKind(given.text)
    if a.kind is not kind:
        a.category = a.category_detail = a.stage = None
    a.kind = kind
    ctx.next()


def _date_prompt(ctx: Ctx) -> None:
    """Hari ini, kemarin, or a typed date."""
    ctx.say(
        texts.LAPOR_ASK_DATE.format(days=ctx.services.settings.incident_max_age_days),
        [[Button(texts.TODAY, "today"), Button(texts.YESTERDAY, "yesterday")], back_row()],
    )


def _date_handle(ctx: Ctx, given: Input) -> None:
    """A button or dd-mm-yyyy; not in the future, not too old."""
    today = ctx.now.date()
    if given.kind is InputKind.CHOICE:
        if given.text == "back":
            ctx.back()
            return
        if given.text not in ("today", "yesterday"):
            raise InvalidInput(texts.CHOOSE_BUTTON)
        day = today if given.text == "today" else today - timedelta(days=1)
    else:
        day = parse_date(given.text)
    user = ctx.user
    admin = user is not None and user.role is Role.ADMIN  # an admin may enter a late report
    check_event_date(day, today, ctx.services.settings.incident_max_age_days, admin=admin)
    _a(ctx).event_date = day
    ctx.next()


def _location_prompt(ctx: Ctx) -> None:
    """An optional Telegram location."""
    ctx.say(texts.LAPOR_ASK_LOCATION, [[Button(texts.SKIP, "skip")]])


def _location_handle(ctx: Ctx, given: Input) -> None:
    """Keep the location, or none."""
    a = _a(ctx)
    if given.kind is InputKind.LOCATION and given.latitude is not None:
        assert given.longitude is not None
        a.location = [given.latitude, given.longitude]
    elif given.text == "skip":
        a.location = None
    else:
        raise InvalidInput(texts.CHOOSE_BUTTON)
    ctx.next()


def _photos_prompt(ctx: Ctx) -> None:
    """Up to three photos or documents, then Selesai."""
    a = _a(ctx)
    count = len(a.photos)
    last = load_received(a.files[-1]) if a.files else None
    if count == 0:
        ctx.say(texts.LAPOR_ASK_PHOTOS.format(max=MAX_PHOTOS), [[Button(texts.SKIP, "done")]])
    elif last is not None and last.media is EvidenceMedia.DOCUMENT:
        ctx.say(
            texts.LAPOR_MORE_FILES.format(
                count=count, name=h(last.file_name or "berkas"), max=MAX_PHOTOS
            ),
            [[Button(texts.DONE, "done")]],
        )
    else:
        ctx.say(
            texts.LAPOR_MORE_PHOTOS.format(count=count, max=MAX_PHOTOS),
            [[Button(texts.DONE, "done")]],
        )


def _photos_handle(ctx: Ctx, given: Input) -> None:
    """Add a photo or document (at most three), or finish."""
    a = _a(ctx)
    file = received_file(ctx, given)
    if file is not None:
        if len(a.photos) >= MAX_PHOTOS:
            raise InvalidInput(texts.LAPOR_TOO_MANY_PHOTOS.format(max=MAX_PHOTOS))
        a.photos.append(file.file_id)
        a.files.append(dump_received(file))
        if len(a.photos) >= MAX_PHOTOS:
            ctx.to_summary()
        else:
            ctx.stay()
        return
    if given.text != "done":
        raise InvalidInput(texts.CHOOSE_BUTTON)
    ctx.to_summary()


# -- the summary -----------------------------------------------------------------------


def _summary_text(ctx: Ctx) -> str:
    draft = _incident_draft(ctx)
    desa = ctx.uow.desa.get(draft.desa_id)
    lines = [
        texts.LAPOR_SUMMARY_HEADER,
        f"Jenis: {h(draft.kind.label)}",
        f"Desa: {h(desa.nama if desa else '-')}",
        f"Tanggal kejadian: {fmt_day(draft.event_date)}",
    ]
    if draft.stage is not None:
        potensi = draft.stage is KonflikStage.POTENSI
        lines.append(f"Tahap: {texts.STAGE_POTENSI if potensi else texts.STAGE_TERJADI}")
    lines += [
        f"Kategori: {h(category_label(draft.kind, draft.category, draft.category_detail))}",
        f"Uraian: {h(draft.description)}",
        f"Lokasi: {texts.YES if draft.latitude is not None else texts.NO}",
        f"Foto: {len(draft.photo_file_ids)}",
    ]
    return "\n".join(lines)


def _summary_prompt(ctx: Ctx) -> None:
    """Everything entered, with Kirim / Ubah / Batal."""
    ctx.say(_summary_text(ctx), confirm_keyboard(texts.SEND))


def _summary_handle(ctx: Ctx, given: Input) -> None:
    """Send, change one answer, or cancel."""
    if not confirmed(ctx, given, edit_step=LaporStep.WHICH):
        return
    incident = submit_incident(
        ctx.uow,
        reporter=ctx.user,
        draft=_incident_draft(ctx),
        now=ctx.now,
        max_age_days=ctx.services.settings.incident_max_age_days,
    )
    ctx.end()
    ctx.say(texts.LAPOR_SENT.format(nomor=h(incident.nomor)))
    send_cards(ctx, incident)


def _which_prompt(ctx: Ctx) -> None:
    """Which answer to change (those asked in this report)."""
    choices = [Button(label, step.value) for step, label in LAPOR.changeable(ctx)]
    ctx.say(texts.LAPOR_ASK_WHICH, [*rows(choices, 3), [Button(texts.BACK, "back")]])


def _which_handle(ctx: Ctx, given: Input) -> None:
    """Ask that question again; it returns to the summary."""
    if given.text == "back":
        ctx.to_summary()
        return
    ctx.change(given.text)
    if given.text == LaporStep.PHOTOS:
        _a(ctx).photos = []
        _a(ctx).files = []


_CHOICE_TEXT = frozenset({InputKind.CHOICE, InputKind.TEXT})
LAPOR: Flow[LaporStep, LaporAnswers] = Flow(
    name="lapor",
    title="laporan kejadian",
    answers=LaporAnswers,
    order=(
        LaporStep.KIND,
        LaporStep.DESA,
        LaporStep.DATE,
        LaporStep.STAGE,
        LaporStep.CATEGORY,
        LaporStep.DETAIL,
        LaporStep.DESC,
        LaporStep.LOCATION,
        LaporStep.PHOTOS,
    ),
    summary=LaporStep.SUMMARY,
    steps={
        LaporStep.KIND: Step(
            _kind_prompt, _kind_handle, label="Jenis", answered=lambda a: a.kind is not None
        ),
        LaporStep.DESA: Step(
            _SHARED.desa_prompt,
            _SHARED.desa_handle,
            label="Desa",
            applies=lambda ctx: not _own_desa(ctx),
            answered=lambda a: a.desa_id is not None,
        ),
        LaporStep.DATE: Step(
            _date_prompt,
            _date_handle,
            _CHOICE_TEXT,
            label="Tanggal",
            answered=lambda a: a.event_date is not None,
        ),
        LaporStep.STAGE: Step(
            _SHARED.stage_prompt,
            _SHARED.stage_handle,
            label="Tahap",
            applies=lambda ctx: _a(ctx).kind is IncidentKind.KONFLIK,
            answered=lambda a: a.stage is not None,
        ),
        LaporStep.CATEGORY: Step(
            _SHARED.category_prompt,
            _SHARED.category_handle,
            label="Kategori",
            answered=lambda a: a.category is not None,
        ),
        LaporStep.DETAIL: Step(
            _SHARED.detail_prompt,
            _SHARED.detail_handle,
            frozenset({InputKind.TEXT}),
            applies=lambda ctx: _a(ctx).category == LAINNYA,
            answered=lambda a: a.category_detail is not None,
        ),
        LaporStep.DESC: Step(
            _SHARED.desc_prompt,
            _SHARED.desc_handle,
            frozenset({InputKind.TEXT}),
            hint=texts.LAPOR_DESC_HINT,
            label="Uraian",
            answered=lambda a: a.description is not None,
        ),
        LaporStep.LOCATION: Step(
            _location_prompt,
            _location_handle,
            frozenset({InputKind.CHOICE, InputKind.LOCATION}),
            hint=texts.LAPOR_LOCATION_HINT,
            label="Lokasi",
        ),
        LaporStep.PHOTOS: Step(
            _photos_prompt,
            _photos_handle,
            frozenset({InputKind.CHOICE, InputKind.PHOTO, InputKind.DOCUMENT}),
            hint=texts.LAPOR_PHOTO_HINT,
            label="Foto",
        ),
        LaporStep.SUMMARY: Step(_summary_prompt, _summary_handle),
        LaporStep.WHICH: Step(_which_prompt, _which_handle),
    },
)


def _lapor(ctx: Ctx, args: list[str]) -> None:
    """Start a report (officers only; a perangkat desa's own desa is filled in)."""
    require(ctx.user, Action.REPORT_INCIDENT)
    own = ctx.user.desa_id if ctx.user is not None and _own_desa(ctx) else None
    ctx.start(LAPOR, LaporAnswers(desa_id=own))


def register(registry: Registry) -> None:
    """/lapor."""
    registry.flow(LAPOR)
    registry.command(
        CommandSpec(
            "lapor", _lapor, "Laporkan konflik sosial atau trantibum", action=Action.REPORT_INCIDENT
        )
    )
