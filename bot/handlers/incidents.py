"""/lapor (guided incident report), /laporanku, follow-up until handled, /nihil."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot import texts
from bot.conversation.dialog import (
    Button,
    Ctx,
    Flow,
    Input,
    InputKind,
    Keyboard,
    Step,
    cancel,
    confirm_keyboard,
    confirmed,
    desa_buttons,
    rows,
)
from bot.conversation.engine import CommandSpec, Registry
from bot.formatting import STATUS_TEXT, fmt_day, h, history_text, incident_text
from domain.errors import InvalidInput, NotFound
from domain.incidents import (
    CATEGORIES,
    LAINNYA,
    MAX_PHOTOS,
    IncidentDraft,
    StaleIncident,
    allowed_transitions,
    category_label,
    check_event_date,
    clean_category_detail,
    clean_description,
    clean_note,
    days_open,
    follow_up,
    is_overdue,
    parse_date,
    submit_incident,
    submit_nil_report,
    week_of,
)
from domain.models import (
    Incident,
    IncidentKind,
    IncidentStatus,
    KonflikStage,
    Role,
    UserStatus,
)
from domain.permissions import (
    Action,
    can_follow_up,
    require,
    require_follow_up,
    responsible_seksi,
)

__all__ = ["register", "LaporFlow", "TindakLanjutFlow", "NihilFlow", "incident_card"]

_EDIT = "edit"  # data key: the step to return to the summary after


# -- helpers -----------------------------------------------------------------------------


def _back() -> list[Button]:
    return [Button(texts.BACK, "back")]


def _then(ctx: Ctx, step: str) -> None:
    """Go to ``step``, or back to the summary when the user is changing one answer."""
    if ctx.data.pop(_EDIT, None):
        ctx.goto("summary")
    else:
        ctx.goto(step)


def _kind(ctx: Ctx) -> IncidentKind:
    return IncidentKind(ctx.data["kind"])


def _draft(ctx: Ctx) -> IncidentDraft:
    data = ctx.data
    location = data.get("location")
    return IncidentDraft(
        kind=IncidentKind(data["kind"]),
        desa_id=int(data["desa_id"]),
        event_date=date.fromisoformat(data["event_date"]),
        category=data["category"],
        description=data["description"],
        stage=KonflikStage(data["stage"]) if data.get("stage") else None,
        category_detail=data.get("category_detail"),
        latitude=location[0] if location else None,
        longitude=location[1] if location else None,
        photo_file_ids=tuple(data.get("photos", [])),
    )


# -- /lapor steps ------------------------------------------------------------------------


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
    """Keep the kind; a change of kind clears the category."""
    if given.text not in set(IncidentKind):
        raise InvalidInput(texts.CHOOSE_BUTTON)
    if ctx.data.get("kind") != given.text:
        for key in ("category", "category_detail", "stage"):
            ctx.data.pop(key, None)
        if ctx.data.pop(_EDIT, None):
            ctx.data["kind"] = given.text
            ctx.goto("stage")
            return
    ctx.data["kind"] = given.text
    _then(ctx, "desa")


def _desa_prompt(ctx: Ctx) -> None:
    """Which desa (a perangkat desa reports for their own desa only)."""
    user = ctx.user
    if user is not None and user.role is Role.PERANGKAT_DESA and user.desa_id is not None:
        ctx.data["desa_id"] = user.desa_id
        ctx.goto("date")
        return
    desa = ctx.uow.desa.list_by_kecamatan(ctx.kecamatan.id)
    ctx.say(texts.LAPOR_ASK_DESA, [*desa_buttons(desa), _back()])


def _desa_handle(ctx: Ctx, given: Input) -> None:
    """Keep a desa of this kecamatan."""
    if given.text == "back":
        ctx.goto("kind")
        return
    desa = ctx.uow.desa.get(int(given.text)) if given.text.isdigit() else None
    if desa is None or desa.kecamatan_id != ctx.kecamatan.id:
        raise InvalidInput(texts.CHOOSE_BUTTON)
    ctx.data["desa_id"] = desa.id
    _then(ctx, "date")


def _date_prompt(ctx: Ctx) -> None:
    """Hari ini, kemarin, or a typed date."""
    ctx.say(
        texts.LAPOR_ASK_DATE.format(days=ctx.services.settings.incident_max_age_days),
        [[Button(texts.TODAY, "today"), Button(texts.YESTERDAY, "yesterday")], _back()],
    )


def _date_handle(ctx: Ctx, given: Input) -> None:
    """A button or dd-mm-yyyy; not in the future, not too old."""
    today = ctx.now.date()
    if given.kind is InputKind.CHOICE:
        if given.text == "back":
            user = ctx.user
            own = user is not None and user.role is Role.PERANGKAT_DESA
            ctx.goto("kind" if own else "desa")
            return
        if given.text not in ("today", "yesterday"):
            raise InvalidInput(texts.CHOOSE_BUTTON)
        day = today if given.text == "today" else today - timedelta(days=1)
    else:
        day = parse_date(given.text)
    check_event_date(day, today, ctx.services.settings.incident_max_age_days)
    ctx.data["event_date"] = day.isoformat()
    _then(ctx, "stage")


def _stage_prompt(ctx: Ctx) -> None:
    """Potensi or terjadi (conflicts only)."""
    if _kind(ctx) is not IncidentKind.KONFLIK:
        ctx.data.pop("stage", None)
        _then(ctx, "category")
        return
    ctx.say(
        texts.LAPOR_ASK_STAGE,
        [
            [Button(texts.STAGE_POTENSI, KonflikStage.POTENSI.value)],
            [Button(texts.STAGE_TERJADI, KonflikStage.TERJADI.value)],
            _back(),
        ],
    )


def _stage_handle(ctx: Ctx, given: Input) -> None:
    """Keep the stage."""
    if given.text == "back":
        ctx.goto("date")
        return
    if given.text not in set(KonflikStage):
        raise InvalidInput(texts.CHOOSE_BUTTON)
    ctx.data["stage"] = given.text
    _then(ctx, "category")


def _category_prompt(ctx: Ctx) -> None:
    """The categories of the kind, with Lainnya."""
    choices = [Button(label, code) for code, label in CATEGORIES[_kind(ctx)].items()]
    ctx.say(texts.LAPOR_ASK_CATEGORY, [*rows(choices, 1), _back()])


def _category_handle(ctx: Ctx, given: Input) -> None:
    """Keep the category; Lainnya asks for its name."""
    if given.text == "back":
        ctx.goto("stage" if _kind(ctx) is IncidentKind.KONFLIK else "date")
        return
    if given.text not in CATEGORIES[_kind(ctx)]:
        raise InvalidInput(texts.CHOOSE_BUTTON)
    ctx.data["category"] = given.text
    if given.text == LAINNYA:
        ctx.goto("detail")
        return
    ctx.data.pop("category_detail", None)
    _then(ctx, "desc")


def _detail_prompt(ctx: Ctx) -> None:
    """The name of a category outside the list."""
    ctx.say(texts.LAPOR_ASK_DETAIL)


def _detail_handle(ctx: Ctx, given: Input) -> None:
    """Keep the category's text."""
    ctx.data["category_detail"] = clean_category_detail(given.text)
    _then(ctx, "desc")


def _desc_prompt(ctx: Ctx) -> None:
    """What happened."""
    ctx.say(texts.LAPOR_ASK_DESC)


def _desc_handle(ctx: Ctx, given: Input) -> None:
    """Keep the description (15-1000 characters)."""
    ctx.data["description"] = clean_description(given.text)
    _then(ctx, "location")


def _location_prompt(ctx: Ctx) -> None:
    """An optional Telegram location."""
    ctx.say(texts.LAPOR_ASK_LOCATION, [[Button(texts.SKIP, "skip")]])


def _location_handle(ctx: Ctx, given: Input) -> None:
    """Keep the location, or none."""
    if given.kind is InputKind.LOCATION:
        ctx.data["location"] = [given.latitude, given.longitude]
    elif given.text == "skip":
        ctx.data.pop("location", None)
    else:
        raise InvalidInput(texts.CHOOSE_BUTTON)
    _then(ctx, "photos")


def _photos_prompt(ctx: Ctx) -> None:
    """Up to three photos, then Selesai."""
    count = len(ctx.data.get("photos", []))
    if count == 0:
        ctx.say(texts.LAPOR_ASK_PHOTOS.format(max=MAX_PHOTOS), [[Button(texts.SKIP, "done")]])
    else:
        ctx.say(
            texts.LAPOR_MORE_PHOTOS.format(count=count, max=MAX_PHOTOS),
            [[Button(texts.DONE, "done")]],
        )


def _photos_handle(ctx: Ctx, given: Input) -> None:
    """Add a photo (at most three), or finish."""
    if given.kind is InputKind.PHOTO and given.file_id:
        photos = list(ctx.data.get("photos", []))
        if len(photos) >= MAX_PHOTOS:
            raise InvalidInput(texts.LAPOR_TOO_MANY_PHOTOS.format(max=MAX_PHOTOS))
        photos.append(given.file_id)
        ctx.data["photos"] = photos
        if len(photos) >= MAX_PHOTOS:
            ctx.data.pop(_EDIT, None)
            ctx.goto("summary")
        else:
            ctx.goto("photos")
        return
    if given.text != "done":
        raise InvalidInput(texts.CHOOSE_BUTTON)
    ctx.data.pop(_EDIT, None)
    ctx.goto("summary")


def _summary_text(ctx: Ctx) -> str:
    draft = _draft(ctx)
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
    if not confirmed(ctx, given, edit_step="which"):
        return
    draft = _draft(ctx)
    ctx.end()
    incident = submit_incident(
        ctx.uow,
        reporter=ctx.user,
        draft=draft,
        now=ctx.now,
        max_age_days=ctx.services.settings.incident_max_age_days,
    )
    ctx.say(texts.LAPOR_SENT.format(nomor=h(incident.nomor)))
    _send_cards(ctx, incident)


_CHANGEABLE = (
    ("kind", "Jenis"),
    ("desa", "Desa"),
    ("date", "Tanggal"),
    ("stage", "Tahap"),
    ("category", "Kategori"),
    ("desc", "Uraian"),
    ("location", "Lokasi"),
    ("photos", "Foto"),
)


def _which_prompt(ctx: Ctx) -> None:
    """Which answer to change."""
    user = ctx.user
    own_desa = user is not None and user.role is Role.PERANGKAT_DESA
    choices = [
        Button(label, step)
        for step, label in _CHANGEABLE
        if not (step == "desa" and own_desa)
        and not (step == "stage" and _kind(ctx) is not IncidentKind.KONFLIK)
    ]
    ctx.say(texts.LAPOR_ASK_WHICH, [*rows(choices, 3), [Button(texts.BACK, "back")]])


def _which_handle(ctx: Ctx, given: Input) -> None:
    """Jump to that step; it returns to the summary."""
    if given.text == "back":
        ctx.goto("summary")
        return
    if given.text not in {step for step, _ in _CHANGEABLE}:
        raise InvalidInput(texts.CHOOSE_BUTTON)
    if given.text == "photos":
        ctx.data["photos"] = []
    ctx.data[_EDIT] = True
    ctx.goto(given.text)


class LaporFlow(Flow):
    """A conflict or trantibum report."""

    name = "lapor"
    title = "laporan kejadian"
    first = "kind"
    steps = {
        "kind": Step(_kind_prompt, _kind_handle),
        "desa": Step(_desa_prompt, _desa_handle),
        "date": Step(
            _date_prompt,
            _date_handle,
            frozenset({InputKind.CHOICE, InputKind.TEXT}),
        ),
        "stage": Step(_stage_prompt, _stage_handle),
        "category": Step(_category_prompt, _category_handle),
        "detail": Step(_detail_prompt, _detail_handle, frozenset({InputKind.TEXT})),
        "desc": Step(
            _desc_prompt, _desc_handle, frozenset({InputKind.TEXT}), hint=texts.LAPOR_DESC_HINT
        ),
        "location": Step(
            _location_prompt,
            _location_handle,
            frozenset({InputKind.CHOICE, InputKind.LOCATION}),
            hint=texts.LAPOR_LOCATION_HINT,
        ),
        "photos": Step(
            _photos_prompt,
            _photos_handle,
            frozenset({InputKind.CHOICE, InputKind.PHOTO}),
            hint=texts.LAPOR_PHOTO_HINT,
        ),
        "summary": Step(_summary_prompt, _summary_handle),
        "which": Step(_which_prompt, _which_handle),
    }


def _lapor(ctx: Ctx, args: list[str]) -> None:
    """Start a report (officers only)."""
    require(ctx.user, Action.REPORT_INCIDENT)
    ctx.start(LaporFlow)


# -- cards and follow-up -----------------------------------------------------------------


def _follow_buttons(incident: Incident) -> Keyboard:
    actions = []
    for status in allowed_transitions(incident.status):
        if incident.status is IncidentStatus.TERTANGANI:
            label = texts.REOPEN
        else:
            label = STATUS_TEXT[status]
        actions.append(Button(label, data=f"r:tl:{incident.id}:{incident.version}:{status.value}"))
    return [actions, [Button(texts.HISTORY, data=f"r:th:{incident.id}")]]


def incident_card(
    ctx: Ctx, incident: Incident, *, with_actions: bool = True
) -> tuple[str, Keyboard]:
    """The report's text and its follow-up buttons."""
    desa = ctx.uow.desa.get(incident.desa_id)
    reporter = ctx.uow.users.get(incident.reporter_id) if incident.reporter_id else None
    text = incident_text(incident, desa, ctx.services.settings.tz, reporter)
    if is_overdue(incident, ctx.now, ctx.services.settings.overdue_days):
        text += "\n" + texts.OVERDUE.format(days=days_open(incident, ctx.now))
    keyboard = _follow_buttons(incident) if with_actions else []
    if incident.photo_file_ids or incident.latitude is not None:
        keyboard.append([Button(texts.SHOW_MEDIA, data=f"r:tm:{incident.id}")])
    return text, keyboard


def _send_cards(ctx: Ctx, incident: Incident) -> None:
    """The responsible seksi's staff get the card; without any, the admins do."""
    users = ctx.uow.users
    seksi = responsible_seksi(incident.kind)
    staff = users.list(
        incident.kecamatan_id, status=UserStatus.ACTIVE, role=Role.STAF_SEKSI, seksi=seksi
    )
    if not staff:
        staff = users.list(incident.kecamatan_id, status=UserStatus.ACTIVE, role=Role.ADMIN)
    text, keyboard = incident_card(ctx, incident)
    for person in staff:
        if person.telegram_id != ctx.telegram_id:
            ctx.notify(person.telegram_id, texts.CARD_NEW + "\n" + text, keyboard)


def _get_incident(ctx: Ctx, raw: str) -> Incident:
    incident = ctx.uow.incidents.get(int(raw)) if raw.isdigit() else None
    if incident is None:
        raise NotFound(texts.INCIDENT_NOT_FOUND)
    return incident


def _press_follow(ctx: Ctx, args: list[str]) -> None:
    """A status button on a card: check it is still current, then ask for the note."""
    if len(args) != 3 or not args[1].isdigit() or args[2] not in set(IncidentStatus):
        ctx.toast = texts.STALE_BUTTON
        return
    incident = _get_incident(ctx, args[0])
    require_follow_up(ctx.user, incident.kind, incident.kecamatan_id)
    target = IncidentStatus(args[2])
    if incident.version != int(args[1]) or target not in allowed_transitions(incident.status):
        ctx.toast = texts.STALE_BUTTON
        text, keyboard = incident_card(ctx, incident)
        ctx.say(texts.CARD_CHANGED + "\n" + text, keyboard)
        return
    ctx.start(
        TindakLanjutFlow,
        {
            "incident_id": incident.id,
            "version": incident.version,
            "to": target.value,
            "reopen": incident.status is IncidentStatus.TERTANGANI,
        },
    )


def _press_history(ctx: Ctx, args: list[str]) -> None:
    """Riwayat: the card and every follow-up."""
    if len(args) != 1:
        ctx.toast = texts.STALE_BUTTON
        return
    incident = _get_incident(ctx, args[0])
    _require_view(ctx, incident)
    events = ctx.uow.incidents.history(incident.id)
    names = {}
    for event in events:
        if event.user_id and event.user_id not in names:
            person = ctx.uow.users.get(event.user_id)
            names[event.user_id] = person.nama if person else "-"
    ctx.say(history_text(events, names, ctx.services.settings.tz))


def _press_media(ctx: Ctx, args: list[str]) -> None:
    """Lihat foto dan lokasi."""
    if len(args) != 1:
        ctx.toast = texts.STALE_BUTTON
        return
    incident = _get_incident(ctx, args[0])
    _require_view(ctx, incident)
    for number, file_id in enumerate(incident.photo_file_ids, start=1):
        message = ctx.say(texts.PHOTO_CAPTION.format(nomor=h(incident.nomor), number=number))
        message.photo_file_id = file_id
    if incident.latitude is not None and incident.longitude is not None:
        message = ctx.say(texts.LOCATION_CAPTION.format(nomor=h(incident.nomor)))
        message.location = (incident.latitude, incident.longitude)


def _require_view(ctx: Ctx, incident: Incident) -> None:
    """Reporters see their own cases; staff who follow the kind and admins see all."""
    user = ctx.user
    if user is not None and incident.reporter_id == user.id and user.status is UserStatus.ACTIVE:
        return
    require_follow_up(user, incident.kind, incident.kecamatan_id)


def _note_prompt(ctx: Ctx) -> None:
    """The note (or reason, when reopening)."""
    incident = _get_incident(ctx, str(ctx.data["incident_id"]))
    target = STATUS_TEXT[IncidentStatus(ctx.data["to"])]
    template = texts.FOLLOW_ASK_REASON if ctx.data.get("reopen") else texts.FOLLOW_ASK_NOTE
    ctx.say(template.format(nomor=h(incident.nomor), status=target))


def _note_handle(ctx: Ctx, given: Input) -> None:
    """Keep the note."""
    ctx.data["note"] = clean_note(given.text)
    ctx.goto("proof")


def _proof_prompt(ctx: Ctx) -> None:
    """An optional proof photo."""
    ctx.say(texts.FOLLOW_ASK_PROOF, [[Button(texts.SKIP, "skip")]])


def _proof_handle(ctx: Ctx, given: Input) -> None:
    """Store the change with or without the photo; tell the reporter."""
    photo = None
    if given.kind is InputKind.PHOTO:
        photo = given.file_id
    elif given.text != "skip":
        raise InvalidInput(texts.CHOOSE_BUTTON)
    data = dict(ctx.data)
    ctx.end()
    try:
        incident = follow_up(
            ctx.uow,
            actor=ctx.user,
            incident_id=int(data["incident_id"]),
            expected_version=int(data["version"]),
            to_status=IncidentStatus(data["to"]),
            note=data["note"],
            now=ctx.now,
            photo_file_id=photo,
        )
    except StaleIncident as stale:
        # Nothing was written; the conversation ends (committed by the engine) and the
        # card is shown as it is now.
        text, keyboard = incident_card(ctx, stale.current)
        ctx.say(h(str(stale)))
        ctx.say(text, keyboard)
        return
    status = STATUS_TEXT[incident.status]
    ctx.say(texts.FOLLOW_DONE.format(nomor=h(incident.nomor), status=status))
    reporter = ctx.uow.users.get(incident.reporter_id) if incident.reporter_id else None
    if reporter is not None and reporter.telegram_id != ctx.telegram_id:
        ctx.notify(
            reporter.telegram_id,
            texts.FOLLOW_NOTICE.format(
                nomor=h(incident.nomor), status=status, note=h(data["note"])
            ),
        )


class TindakLanjutFlow(Flow):
    """A status change with its note and optional proof."""

    name = "tindaklanjut"
    title = "tindak lanjut laporan"
    first = "note"
    steps = {
        "note": Step(_note_prompt, _note_handle, frozenset({InputKind.TEXT})),
        "proof": Step(
            _proof_prompt,
            _proof_handle,
            frozenset({InputKind.CHOICE, InputKind.PHOTO}),
            hint=texts.FOLLOW_PROOF_HINT,
        ),
    }


OPEN_PAGE = 30  # open cases per message of /tindaklanjut


def _tindaklanjut(ctx: Ctx, args: list[str]) -> None:
    """/tindaklanjut NOMOR shows the card; without a number, the open cases to follow."""
    require(ctx.user, Action.FOLLOW_UP)
    if args:
        incident = ctx.uow.incidents.get_by_nomor(args[0])
        if incident is None:
            raise NotFound(texts.NOMOR_NOT_FOUND.format(nomor=h(args[0].upper())))
        require_follow_up(ctx.user, incident.kind, incident.kecamatan_id)
        text, keyboard = incident_card(ctx, incident)
        ctx.say(text, keyboard)
        return
    _open_cases(ctx, 0)


def _open_cases(ctx: Ctx, page: int, *, pressed: bool = False) -> None:
    """A page of the open cases the user follows up, oldest (overdue) first.

    The cases are counted by the database and only the page is read, with the photos
    and desa of all its cases at once: the statements do not grow with the cases.
    A page that no longer exists (the cases were handled meanwhile) is a stale button.
    """
    kinds = [k for k in IncidentKind if can_follow_up(ctx.user, k, ctx.kecamatan.id)]
    # Kesbang follows conflicts, Trantib trantibum, admins both: one kind, or every kind.
    kind = kinds[0] if len(kinds) == 1 else None
    incidents = ctx.uow.incidents
    total = incidents.count_open(ctx.kecamatan.id, kind=kind) if kinds else 0
    pages = -(-total // OPEN_PAGE)
    cases = (
        incidents.list_open(ctx.kecamatan.id, kind, limit=OPEN_PAGE, offset=page * OPEN_PAGE)
        if page < pages
        else []
    )
    if not cases:  # none at all, or not on this page any more
        if pressed:
            ctx.toast = texts.STALE_BUTTON
        else:
            ctx.say(texts.NO_OPEN_CASES)
        return
    desa = {d.id: d.nama for d in ctx.uow.desa.list_by_kecamatan(ctx.kecamatan.id)}
    overdue_days = ctx.services.settings.overdue_days
    lines = [texts.OPEN_CASES_HEADER]
    buttons = []
    for incident in cases:
        late = texts.OVERDUE_MARK if is_overdue(incident, ctx.now, overdue_days) else ""
        lines.append(
            f"{h(incident.nomor)} - {h(desa.get(incident.desa_id, '-'))} - "
            f"{STATUS_TEXT[incident.status]}, {days_open(incident, ctx.now)} hari{late}"
        )
        buttons.append(Button(incident.nomor, data=f"r:tc:{incident.id}"))
    keyboard = rows(buttons, 2)
    if pages > 1:
        first = page * OPEN_PAGE + 1
        lines.append(
            texts.OPEN_CASES_PAGE.format(
                page=page + 1,
                pages=pages,
                first=first,
                last=first + len(cases) - 1,
                total=total,
            )
        )
        turn = []
        if page > 0:
            turn.append(Button(texts.PREVIOUS_PAGE, data=f"r:tp:{page - 1}"))
        if page + 1 < pages:
            turn.append(Button(texts.NEXT_PAGE, data=f"r:tp:{page + 1}"))
        keyboard.append(turn)
    if pressed:
        ctx.edit_pressed("\n".join(lines), keyboard)
    else:
        ctx.say("\n".join(lines), keyboard)


def _press_page(ctx: Ctx, args: list[str]) -> None:
    """Berikutnya / Sebelumnya under the open cases: that page, in the same message."""
    require(ctx.user, Action.FOLLOW_UP)
    if len(args) != 1 or not re.fullmatch(r"[0-9]{1,6}", args[0]):
        ctx.toast = texts.STALE_BUTTON
        return
    _open_cases(ctx, int(args[0]), pressed=True)


def _press_card(ctx: Ctx, args: list[str]) -> None:
    """A case in the open list: show its card."""
    if len(args) != 1:
        ctx.toast = texts.STALE_BUTTON
        return
    incident = _get_incident(ctx, args[0])
    require_follow_up(ctx.user, incident.kind, incident.kecamatan_id)
    text, keyboard = incident_card(ctx, incident)
    ctx.say(text, keyboard)


def _laporanku(ctx: Ctx, args: list[str]) -> None:
    """One's own reports and their status, newest first."""
    require(ctx.user, Action.REPORT_INCIDENT)
    assert ctx.user is not None
    mine = ctx.uow.incidents.list_by_reporter(ctx.user.id, limit=20)
    if not mine:
        ctx.say(texts.MY_REPORTS_NONE)
        return
    lines = [texts.MY_REPORTS_HEADER]
    buttons = []
    for incident in mine:
        desa = ctx.uow.desa.get(incident.desa_id)
        lines.append(
            f"{h(incident.nomor)} - {h(incident.kind.label)}, {h(desa.nama if desa else '-')}, "
            f"{fmt_day(incident.event_date)}: <b>{STATUS_TEXT[incident.status]}</b>"
        )
        buttons.append(Button(incident.nomor, data=f"r:th:{incident.id}"))
    lines.append(texts.MY_REPORTS_FOOTER)
    ctx.say("\n".join(lines), rows(buttons, 2))


# -- /nihil ------------------------------------------------------------------------------


def _nihil_prompt(ctx: Ctx) -> None:
    """Ask to confirm."""
    user = ctx.user
    assert user is not None
    desa = ctx.uow.desa.get(user.desa_id) if user.desa_id else None
    start, end = week_of(ctx.now.date())
    ctx.say(
        texts.NIHIL_ASK.format(
            desa=h(desa.nama if desa else "-"), start=fmt_day(start), end=fmt_day(end)
        ),
        [[Button(texts.NIHIL_CONFIRM, "yes"), Button(texts.CANCEL_BUTTON, "no")]],
    )


def _nihil_handle(ctx: Ctx, given: Input) -> None:
    """Record the nil report once for the week."""
    if given.text == "no":
        cancel(ctx)
        return
    if given.text != "yes":
        raise InvalidInput(texts.CHOOSE_BUTTON)
    ctx.end()
    result = submit_nil_report(ctx.uow, user=ctx.user, now=ctx.now)
    span = {"start": fmt_day(result.week_start), "end": fmt_day(result.week_end)}
    ctx.say((texts.NIHIL_DONE if result.created else texts.NIHIL_ALREADY).format(**span))


class NihilFlow(Flow):
    """Confirm a weekly nil report."""

    name = "nihil"
    title = "laporan nihil"
    first = "confirm"
    steps = {"confirm": Step(_nihil_prompt, _nihil_handle)}


def _nihil(ctx: Ctx, args: list[str]) -> None:
    """Perangkat desa only."""
    require(ctx.user, Action.NIL_REPORT)
    ctx.start(NihilFlow)


def register(registry: Registry) -> None:
    """/lapor, /laporanku, /tindaklanjut, /nihil and the card buttons."""
    registry.flow(LaporFlow)
    registry.flow(TindakLanjutFlow)
    registry.flow(NihilFlow)
    registry.command(
        CommandSpec(
            "lapor", _lapor, "Laporkan konflik sosial atau trantibum", action=Action.REPORT_INCIDENT
        )
    )
    registry.command(
        CommandSpec(
            "laporanku", _laporanku, "Laporan saya dan statusnya", action=Action.REPORT_INCIDENT
        )
    )
    registry.command(
        CommandSpec(
            "tindaklanjut", _tindaklanjut, "Tindak lanjuti laporan", action=Action.FOLLOW_UP
        )
    )
    registry.command(
        CommandSpec("nihil", _nihil, "Laporan nihil minggu ini", action=Action.NIL_REPORT)
    )
    registry.record("tl", _press_follow)
    registry.record("th", _press_history)
    registry.record("tm", _press_media)
    registry.record("tc", _press_card)
    registry.record("tp", _press_page)
