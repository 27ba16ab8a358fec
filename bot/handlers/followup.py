"""Following a case until handled: its card and buttons, the status change, /tindaklanjut,
/laporanku, the history and the media of a case."""

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
    rows,
)
from bot.formatting import STATUS_TEXT, fmt_day, h, history_text, incident_text
from bot.handlers.evidence_input import received_file
from domain.audit import CaseView, Channel, view_case
from domain.errors import InvalidInput, NotFound
from domain.evidence import extension_of
from domain.incidents import (
    StaleIncident,
    allowed_transitions,
    clean_note,
    days_open,
    follow_up,
    is_overdue,
)
from domain.models import (
    EvidenceFile,
    EvidenceMedia,
    EvidenceStatus,
    Incident,
    IncidentKind,
    IncidentStatus,
    Role,
    User,
    UserStatus,
)
from domain.permissions import (
    Action,
    can_follow_up,
    require,
    require_follow_up,
    responsible_seksi,
)

__all__ = [
    "register",
    "TINDAK_LANJUT",
    "incident_card",
    "send_cards",
    "FollowButton",
    "HistoryButton",
    "MediaButton",
    "CardButton",
    "PageButton",
]

OPEN_PAGE = 30  # open cases per message of /tindaklanjut


# -- the buttons of a case ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FollowButton(RecordButton):
    """A status button on a card: move case ``incident_id`` (at ``version``) to ``to``."""

    kind = "tl"
    incident_id: int
    version: int
    to: IncidentStatus


@dataclass(frozen=True, slots=True)
class HistoryButton(RecordButton):
    """Riwayat: the card and every follow-up of a case."""

    kind = "th"
    incident_id: int


@dataclass(frozen=True, slots=True)
class MediaButton(RecordButton):
    """Lihat foto dan lokasi of a case."""

    kind = "tm"
    incident_id: int


@dataclass(frozen=True, slots=True)
class CardButton(RecordButton):
    """A case in the list of open cases: its card."""

    kind = "tc"
    incident_id: int


@dataclass(frozen=True, slots=True)
class PageButton(RecordButton):
    """Berikutnya / Sebelumnya under the open cases."""

    kind = "tp"
    page: int


def _follow_buttons(incident: Incident) -> Keyboard:
    actions = []
    for status in allowed_transitions(incident.status):
        label = (
            texts.REOPEN if incident.status is IncidentStatus.TERTANGANI else STATUS_TEXT[status]
        )
        actions.append(FollowButton(incident.id, incident.version, status).button(label))
    return [actions, [HistoryButton(incident.id).button(texts.HISTORY)]]


def _reporter(ctx: Ctx, incident: Incident) -> User | None:
    """Who reported ``incident``: the sender when it is them (a report's last step), with
    no second read."""
    if incident.reporter_id is None:
        return None
    sender = ctx.user
    if sender is not None and sender.id == incident.reporter_id:
        return sender
    return ctx.uow.users.get(incident.reporter_id)


def incident_card(
    ctx: Ctx, incident: Incident, *, with_actions: bool = True
) -> tuple[str, Keyboard]:
    """The report's text and its follow-up buttons."""
    desa = ctx.uow.desa.get(incident.desa_id)
    reporter = _reporter(ctx, incident)
    text = incident_text(incident, desa, ctx.services.settings.tz, reporter)
    if is_overdue(incident, ctx.now, ctx.services.settings.overdue_days):
        text += "\n" + texts.OVERDUE.format(days=days_open(incident, ctx.now))
    keyboard = _follow_buttons(incident) if with_actions else []
    if incident.photo_file_ids or incident.latitude is not None:
        keyboard.append([MediaButton(incident.id).button(texts.SHOW_MEDIA)])
    return text, keyboard


def send_cards(ctx: Ctx, incident: Incident) -> None:
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


def _get_incident(ctx: Ctx, incident_id: int) -> Incident:
    incident = ctx.uow.incidents.get(incident_id)
    if incident is None:
        raise NotFound(texts.INCIDENT_NOT_FOUND)
    return incident


def _view(ctx: Ctx, incident: Incident, via: CaseView, *, to_follow_up: bool = False) -> None:
    """Reporters see their own cases; staff who follow the kind and admins see all (and
    only they get the card with its buttons). Each view is an audit entry."""
    view_case(
        ctx.uow,
        user=ctx.user,
        incident=incident,
        via=via,
        channel=Channel.GROUP if ctx.request.incoming.in_group else Channel.PRIVATE,
        at=ctx.now,
        to_follow_up=to_follow_up,
    )


def _press_follow(ctx: Ctx, pressed: FollowButton) -> None:
    """A status button on a card: check it is still current, then ask for the note."""
    incident = _get_incident(ctx, pressed.incident_id)
    require_follow_up(ctx.user, incident.kind, incident.kecamatan_id)
    target = pressed.to
    if incident.version != pressed.version or target not in allowed_transitions(incident.status):
        text, keyboard = incident_card(ctx, incident)
        raise StaleButton(texts.CARD_CHANGED + "\n" + text, keyboard)
    ctx.start(
        TINDAK_LANJUT,
        FollowAnswers(
            incident_id=incident.id,
            version=incident.version,
            to=target,
            reopen=incident.status is IncidentStatus.TERTANGANI,
        ),
    )


def _press_history(ctx: Ctx, pressed: HistoryButton) -> None:
    """Riwayat: the card and every follow-up."""
    incident = _get_incident(ctx, pressed.incident_id)
    _view(ctx, incident, CaseView.HISTORY)
    events = ctx.uow.incidents.history(incident.id)
    names = {}
    for event in events:
        if event.user_id and event.user_id not in names:
            person = ctx.uow.users.get(event.user_id)
            names[event.user_id] = person.nama if person else "-"
    ctx.say(history_text(incident, events, names, ctx.services.settings.tz))


def _press_media(ctx: Ctx, pressed: MediaButton) -> None:
    """Lihat foto dan lokasi."""
    incident = _get_incident(ctx, pressed.incident_id)
    _view(ctx, incident, CaseView.MEDIA)
    files = {file.telegram_file_id: file for file in ctx.uow.evidence.for_incident(incident.id)}
    for number, file_id in enumerate(incident.photo_file_ids, start=1):
        _show_file(ctx, incident.nomor, number, file_id, files.get(file_id))
    if incident.latitude is not None and incident.longitude is not None:
        message = ctx.say(texts.LOCATION_CAPTION.format(nomor=h(incident.nomor)))
        message.location = (incident.latitude, incident.longitude)


# What Telegram shows as a photo when uploaded; other stored types are sent as documents.
_PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}


def _show_file(ctx: Ctx, nomor: str, number: int, file_id: str, file: EvidenceFile | None) -> None:
    """One of a case's files: from the office's store once there, else by its file id."""
    document = file is not None and file.media is EvidenceMedia.DOCUMENT
    name = (file.file_name if file is not None else None) or "berkas"
    if document:
        caption = texts.DOCUMENT_CAPTION.format(nomor=h(nomor), number=number, name=h(name))
    else:
        caption = texts.PHOTO_CAPTION.format(nomor=h(nomor), number=number)
    message = ctx.say(caption)
    content = _stored_bytes(ctx, file)
    if content is not None and file is not None:
        # From the office's store: the file id may no longer open anything.
        if not document and file.content_type in _PHOTO_TYPES:
            message.photo = content
        else:
            message.document = (_stored_name(name, file), content)
    elif document:
        message.document_file_id = file_id
    else:
        message.photo_file_id = file_id


def _stored_bytes(ctx: Ctx, file: EvidenceFile | None) -> bytes | None:
    store = ctx.services.evidence_store
    if store is None or file is None:
        return None
    if file.status is not EvidenceStatus.STORED or file.store_key is None:
        return None
    try:
        return store.get(file.store_key)
    except (KeyError, OSError):
        return None


def _stored_name(name: str, file: EvidenceFile) -> str:
    """The name to send a stored file under (with the extension of what it is)."""
    extension = extension_of(file.content_type)
    if name.lower().endswith("." + extension) or (
        extension == "jpg" and name.lower().endswith(".jpeg")
    ):
        return name
    if file.media is EvidenceMedia.PHOTO:
        return f"foto.{extension}"
    return f"{name}.{extension}"


def _press_card(ctx: Ctx, pressed: CardButton) -> None:
    """A case in the open list: show its card."""
    incident = _get_incident(ctx, pressed.incident_id)
    _view(ctx, incident, CaseView.CARD, to_follow_up=True)
    text, keyboard = incident_card(ctx, incident)
    ctx.say(text, keyboard)


# -- the status change -------------------------------------------------------------------


class FollowStep(enum.StrEnum):
    NOTE = "note"
    PROOF = "proof"


@dataclass(slots=True)
class FollowAnswers:
    """The change being made: which case, from which version, to which status."""

    incident_id: int | None = None
    version: int | None = None
    to: IncidentStatus | None = None
    reopen: bool = False
    note: str | None = None


def _f(ctx: Ctx) -> FollowAnswers:
    return ctx.answers(FollowAnswers)


def _note_prompt(ctx: Ctx) -> None:
    """The note (or reason, when reopening)."""
    a = _f(ctx)
    if a.incident_id is None or a.to is None:
        raise StaleDraft
    incident = _get_incident(ctx, a.incident_id)
    template = texts.FOLLOW_ASK_REASON if a.reopen else texts.FOLLOW_ASK_NOTE
    ctx.say(template.format(nomor=h(incident.nomor), status=STATUS_TEXT[a.to]))


def _note_handle(ctx: Ctx, given: Input) -> None:
    """Keep the note."""
    _f(ctx).note = clean_note(given.text)
    ctx.next()


def _proof_prompt(ctx: Ctx) -> None:
    """An optional proof photo."""
    ctx.say(texts.FOLLOW_ASK_PROOF, [[Button(texts.SKIP, "skip")]])


def _proof_handle(ctx: Ctx, given: Input) -> None:
    """Store the change with or without the photo; tell the reporter."""
    proof = received_file(ctx, given)
    if proof is None and given.text != "skip":
        raise InvalidInput(texts.CHOOSE_BUTTON)
    a = _f(ctx)
    if a.incident_id is None or a.version is None or a.to is None or a.note is None:
        raise StaleDraft
    ctx.end()
    try:
        incident = follow_up(
            ctx.uow,
            actor=ctx.user,
            incident_id=a.incident_id,
            expected_version=a.version,
            to_status=a.to,
            note=a.note,
            now=ctx.now,
            proof=proof,
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
    reporter = _reporter(ctx, incident)
    if reporter is not None and reporter.telegram_id != ctx.telegram_id:
        ctx.notify(
            reporter.telegram_id,
            texts.FOLLOW_NOTICE.format(nomor=h(incident.nomor), status=status, note=h(a.note)),
        )
    actor = ctx.user
    if actor is not None and actor.role is Role.ADMIN:
        # The seksi that follows the case hears what an admin did with it.
        staff = ctx.uow.users.list(
            incident.kecamatan_id,
            status=UserStatus.ACTIVE,
            role=Role.STAF_SEKSI,
            seksi=responsible_seksi(incident.kind),
        )
        told = {ctx.telegram_id, reporter.telegram_id if reporter is not None else None}
        notice = texts.FOLLOW_STAFF_NOTICE.format(
            nomor=h(incident.nomor), admin=h(actor.nama), status=status, note=h(a.note)
        )
        for person in staff:
            if person.telegram_id not in told:
                ctx.notify(person.telegram_id, notice)


TINDAK_LANJUT: Flow[FollowStep, FollowAnswers] = Flow(
    name="tindaklanjut",
    title="tindak lanjut laporan",
    answers=FollowAnswers,
    order=(FollowStep.NOTE, FollowStep.PROOF),
    steps={
        FollowStep.NOTE: Step(_note_prompt, _note_handle, frozenset({InputKind.TEXT})),
        FollowStep.PROOF: Step(
            _proof_prompt,
            _proof_handle,
            frozenset({InputKind.CHOICE, InputKind.PHOTO, InputKind.DOCUMENT}),
            hint=texts.FOLLOW_PROOF_HINT,
        ),
    },
)


# -- the lists -------------------------------------------------------------------------


def _tindaklanjut(ctx: Ctx, args: list[str]) -> None:
    """/tindaklanjut NOMOR shows the card; without a number, the open cases to follow."""
    require(ctx.user, Action.FOLLOW_UP)
    if args:
        incident = ctx.uow.incidents.get_by_nomor(args[0])
        if incident is None:
            raise NotFound(texts.NOMOR_NOT_FOUND.format(nomor=h(args[0].upper())))
        _view(ctx, incident, CaseView.CARD, to_follow_up=True)
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
            raise StaleButton
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
        buttons.append(CardButton(incident.id).button(incident.nomor))
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
            turn.append(PageButton(page - 1).button(texts.PREVIOUS_PAGE))
        if page + 1 < pages:
            turn.append(PageButton(page + 1).button(texts.NEXT_PAGE))
        keyboard.append(turn)
    if pressed:
        ctx.edit_pressed("\n".join(lines), keyboard)
    else:
        ctx.say("\n".join(lines), keyboard)


def _press_page(ctx: Ctx, pressed: PageButton) -> None:
    """Berikutnya / Sebelumnya under the open cases: that page, in the same message."""
    require(ctx.user, Action.FOLLOW_UP)
    _open_cases(ctx, pressed.page, pressed=True)


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
        buttons.append(HistoryButton(incident.id).button(incident.nomor))
    lines.append(texts.MY_REPORTS_FOOTER)
    ctx.say("\n".join(lines), rows(buttons, 2))


def register(registry: Registry) -> None:
    """/laporanku, /tindaklanjut, the status change and the buttons of a case."""
    registry.flow(TINDAK_LANJUT)
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
    registry.button(FollowButton, _press_follow)
    registry.button(HistoryButton, _press_history)
    registry.button(MediaButton, _press_media)
    registry.button(CardButton, _press_card)
    registry.button(PageButton, _press_page)
