"""/rtl: the SKM follow-up plan. Admins see a period's proposals and items and confirm a
proposal (kegiatan, owner, due date); owners report progress and completion."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

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
    Step,
    confirm_keyboard,
    confirmed,
    needed,
    rows,
)
from bot.formatting import fmt_day, h
from domain.errors import InvalidInput
from domain.incidents import parse_date
from domain.models import Role, User, UserStatus
from domain.permissions import Forbidden
from domain.rtl import (
    KEGIATAN_MAX,
    KEGIATAN_MIN,
    NOTE_MAX,
    NOTE_MIN,
    STATUS_TEXT,
    RtlItem,
    SkmPeriod,
    StaleRtl,
    cancel_rtl,
    check_due,
    clean_kegiatan,
    clean_rtl_note,
    complete_rtl,
    confirm_rtl,
    open_proposals,
    owner_candidates,
    report_progress,
    rtl_figures,
    unsur_label,
)
from domain.skm import UNSUR_INFO

__all__ = ["register", "RTL_PLAN", "RTL_NOTE", "ProposalButton", "ItemButton", "ItemAct"]


class ItemAct(enum.StrEnum):
    PROGRESS = "p"
    DONE = "d"
    CANCEL = "c"  # an admin cancels the item (with a reason)


@dataclass(frozen=True, slots=True)
class ProposalButton(RecordButton):
    """Tetapkan: confirm the proposal of ``unsur`` for a period."""

    kind = "rtp"
    tahun: int
    bagian: str
    unsur: str


@dataclass(frozen=True, slots=True)
class ItemButton(RecordButton):
    """Laporkan kemajuan / Selesai on an owner's item at ``version``."""

    kind = "rti"
    item_id: int
    version: int
    act: ItemAct


def _active(ctx: Ctx) -> User:
    user = ctx.user
    if user is None or user.status is not UserStatus.ACTIVE:
        raise Forbidden(texts.RTL_UNREGISTERED)
    return user


def _is_admin(user: User) -> bool:
    return user.role is Role.ADMIN


def _today(ctx: Ctx) -> date:
    return ctx.now.astimezone(ctx.services.settings.tz).date()


def _name(ctx: Ctx, user_id: int) -> str:
    person = ctx.uow.users.get(user_id)
    return person.nama if person is not None else "-"


# -- the admin's view -----------------------------------------------------------------------


def _admin_view(ctx: Ctx, period: SkmPeriod) -> None:
    """The period's figures, items and the proposals with their Tetapkan buttons."""
    items = ctx.uow.rtl.list_for_period(ctx.kecamatan.id, period.tahun, period.bagian)
    lines = [
        texts.RTL_HEADER.format(periode=h(period.label)),
        texts.RTL_FIGURES.format(ringkas=h(rtl_figures(items).text)),
    ]
    if items:
        lines.append(texts.RTL_ITEMS_HEADER)
        for number, item in enumerate(items, start=1):
            lines.append(
                texts.RTL_ITEM_LINE.format(
                    n=number,
                    unsur=h(unsur_label(item.unsur)),
                    kegiatan=h(item.kegiatan),
                    pj=h(_name(ctx, item.owner_id)),
                    batas=fmt_day(item.due),
                    status=h(_status(item)),
                )
            )
    else:
        lines.append(texts.RTL_ITEMS_NONE)
    keyboard: Keyboard = [
        [
            ItemButton(item.id, item.version, ItemAct.CANCEL).button(
                texts.RTL_CANCEL_BUTTON.format(unsur=unsur_label(item.unsur))
            )
        ]
        for item in items
        if item.is_open
    ]
    today = _today(ctx)
    if today <= period.period.end:
        lines.append(texts.RTL_PROPOSALS_NOT_YET.format(akhir=fmt_day(period.period.end)))
    else:
        proposals = open_proposals(
            ctx.uow, kecamatan_id=ctx.kecamatan.id, skm_period=period, today=today
        )
        if proposals:
            lines.append(texts.RTL_PROPOSALS_HEADER)
            for proposal in proposals:
                label = unsur_label(proposal.unsur)
                nrr = f"{proposal.nrr_printed}".replace(".", ",")
                lines.append(texts.RTL_PROPOSAL_LINE.format(unsur=h(label), nrr=nrr))
                keyboard.append(
                    [
                        ProposalButton(period.tahun, period.bagian, proposal.unsur).button(
                            texts.RTL_SET_BUTTON.format(unsur=label)
                        )
                    ]
                )
        else:
            lines.append(texts.RTL_PROPOSALS_NONE)
    ctx.say("\n".join(lines), keyboard or None)


def _status(item: RtlItem) -> str:
    if item.done_on is not None:
        return f"{STATUS_TEXT[item.status]} {fmt_day(item.done_on)}"
    if item.cancel_reason:
        return f"{STATUS_TEXT[item.status]}: {item.cancel_reason}"
    return STATUS_TEXT[item.status]


# -- the owner's view -----------------------------------------------------------------------


def _item_keyboard(item: RtlItem) -> Keyboard:
    return [
        [
            ItemButton(item.id, item.version, ItemAct.PROGRESS).button(texts.RTL_PROGRESS_BUTTON),
            ItemButton(item.id, item.version, ItemAct.DONE).button(texts.RTL_DONE_BUTTON),
        ]
    ]


def _item_text(item: RtlItem, today: date) -> str:
    return texts.RTL_MINE_ITEM.format(
        unsur=h(unsur_label(item.unsur)),
        periode=h(item.skm_period.label),
        kegiatan=h(item.kegiatan),
        batas=fmt_day(item.due),
        terlambat=texts.RTL_MINE_LATE if item.due < today else "",
    )


def _owner_view(ctx: Ctx, user: User, *, quiet: bool) -> None:
    """One message per open item of the user, with its buttons."""
    items = [i for i in ctx.uow.rtl.list_for_owner(user.id) if i.is_open]
    if not items:
        if not quiet:
            ctx.say(texts.RTL_MINE_NONE)
        return
    ctx.say(texts.RTL_MINE_HEADER)
    today = _today(ctx)
    for item in items:
        ctx.say(_item_text(item, today), _item_keyboard(item))


def _rtl(ctx: Ctx, args: list[str]) -> None:
    """Admins: a period's plan (and their own items); others: their own items."""
    user = _active(ctx)
    if _is_admin(user):
        _admin_view(ctx, SkmPeriod.parse(args, _today(ctx)))
        _owner_view(ctx, user, quiet=True)
    else:
        _owner_view(ctx, user, quiet=False)


# -- confirming a proposal --------------------------------------------------------------------


class PlanStep(enum.StrEnum):
    KEGIATAN = "kegiatan"
    OWNER = "owner"
    DUE = "due"
    CONFIRM = "confirm"


@dataclass(slots=True)
class PlanAnswers:
    """The proposal being confirmed and what the admin gave it."""

    tahun: int | None = None
    bagian: str | None = None
    unsur: str | None = None
    kegiatan: str | None = None
    owner_id: int | None = None
    due: date | None = None


def _p(ctx: Ctx) -> PlanAnswers:
    return ctx.answers(PlanAnswers)


def _period_of(a: PlanAnswers) -> SkmPeriod:
    return SkmPeriod(needed(a.tahun), needed(a.bagian))


def _press_proposal(ctx: Ctx, pressed: ProposalButton) -> None:
    """Tetapkan: an admin only, and only while the unsur is still proposed."""
    user = _active(ctx)
    if not _is_admin(user):
        raise Forbidden(texts.RTL_ADMIN_ONLY)
    try:
        period = SkmPeriod(pressed.tahun, pressed.bagian)
    except ValueError:  # not a period this bot makes buttons for
        raise StaleButton from None
    if pressed.unsur not in UNSUR_INFO:
        raise StaleButton
    proposed = open_proposals(
        ctx.uow, kecamatan_id=ctx.kecamatan.id, skm_period=period, today=_today(ctx)
    )
    if pressed.unsur not in {p.unsur for p in proposed}:
        raise StaleButton(texts.RTL_ALREADY_SET.format(unsur=h(unsur_label(pressed.unsur))))
    ctx.start(RTL_PLAN, PlanAnswers(tahun=period.tahun, bagian=period.bagian, unsur=pressed.unsur))


def _kegiatan_prompt(ctx: Ctx) -> None:
    a = _p(ctx)
    ctx.say(
        texts.RTL_ASK_KEGIATAN.format(
            unsur=h(unsur_label(needed(a.unsur))),
            periode=h(_period_of(a).label),
            min=KEGIATAN_MIN,
            max=KEGIATAN_MAX,
        )
    )


def _kegiatan(ctx: Ctx, given: Input) -> None:
    _p(ctx).kegiatan = clean_kegiatan(given.text)
    ctx.next()


def _owner_prompt(ctx: Ctx) -> None:
    """The active users of the kecamatan as buttons."""
    people = owner_candidates(ctx.uow, ctx.kecamatan.id)
    if not people:
        ctx.end()
        ctx.say(texts.RTL_NO_OWNER)
        return
    ctx.say(texts.RTL_ASK_OWNER, rows([Button(p.nama, str(p.id)) for p in people], 2))


def _owner(ctx: Ctx, given: Input) -> None:
    people = {str(p.id): p for p in owner_candidates(ctx.uow, ctx.kecamatan.id)}
    if given.text not in people:
        raise InvalidInput(texts.CHOOSE_BUTTON)
    _p(ctx).owner_id = people[given.text].id
    ctx.next()


def _due_prompt(ctx: Ctx) -> None:
    period = _period_of(_p(ctx))
    example = max(_today(ctx), period.period.end) + timedelta(days=30)
    ctx.say(
        texts.RTL_ASK_DUE.format(
            contoh=example.strftime("%d-%m-%Y"), akhir=fmt_day(period.period.end)
        )
    )


def _due(ctx: Ctx, given: Input) -> None:
    a = _p(ctx)
    a.due = check_due(parse_date(given.text), _period_of(a), _today(ctx))
    ctx.next()


def _confirm_prompt(ctx: Ctx) -> None:
    a = _p(ctx)
    ctx.say(
        texts.RTL_SUMMARY.format(
            periode=h(_period_of(a).label),
            unsur=h(unsur_label(needed(a.unsur))),
            kegiatan=h(needed(a.kegiatan)),
            pj=h(_name(ctx, needed(a.owner_id))),
            batas=fmt_day(needed(a.due)),
        ),
        confirm_keyboard(texts.SAVE),
    )


def _confirm(ctx: Ctx, given: Input) -> None:
    """Store the item and tell the owner in the same transaction."""
    if not confirmed(ctx, given, edit_step=PlanStep.KEGIATAN):
        return
    a = _p(ctx)
    period = _period_of(a)
    unsur = needed(a.unsur)
    ctx.end()
    try:
        item = confirm_rtl(
            ctx.uow,
            user=ctx.user,
            kecamatan_id=ctx.kecamatan.id,
            skm_period=period,
            unsur=unsur,
            kegiatan=needed(a.kegiatan),
            owner_id=needed(a.owner_id),
            due=needed(a.due),
            today=_today(ctx),
            now=ctx.now,
        )
    except StaleRtl:  # planned meanwhile: nothing was written
        ctx.say(texts.RTL_ALREADY_SET.format(unsur=h(unsur_label(unsur))))
        return
    owner = ctx.uow.users.get(item.owner_id)
    assert owner is not None
    label = h(unsur_label(item.unsur))
    if owner.telegram_id == ctx.telegram_id:
        ctx.say(texts.RTL_SAVED_SELF.format(unsur=label))
        return
    ctx.notify(
        owner.telegram_id,
        texts.RTL_OWNER_TOLD.format(
            periode=h(period.label),
            unsur=label,
            kegiatan=h(item.kegiatan),
            batas=fmt_day(item.due),
        ),
    )
    ctx.say(texts.RTL_SAVED.format(unsur=label, pj=h(owner.nama)))


RTL_PLAN: Flow[PlanStep, PlanAnswers] = Flow(
    name="rtl",
    title=texts.RTL_TITLE,
    answers=PlanAnswers,
    order=(PlanStep.KEGIATAN, PlanStep.OWNER, PlanStep.DUE),
    summary=PlanStep.CONFIRM,
    steps={
        PlanStep.KEGIATAN: Step(_kegiatan_prompt, _kegiatan, frozenset({InputKind.TEXT})),
        PlanStep.OWNER: Step(_owner_prompt, _owner),
        PlanStep.DUE: Step(_due_prompt, _due, frozenset({InputKind.TEXT})),
        PlanStep.CONFIRM: Step(_confirm_prompt, _confirm),
    },
)


# -- progress and completion ------------------------------------------------------------------


class NoteStep(enum.StrEnum):
    NOTE = "note"


@dataclass(slots=True)
class NoteAnswers:
    """The item, the version the button was made for, and what is reported."""

    item_id: int | None = None
    version: int | None = None
    act: ItemAct | None = None


def _n(ctx: Ctx) -> NoteAnswers:
    return ctx.answers(NoteAnswers)


def _stale(ctx: Ctx, item: RtlItem | None) -> StaleButton:
    today = _today(ctx)
    if item is not None and item.is_open:
        return StaleButton(texts.RTL_STALE + "\n\n" + _item_text(item, today), _item_keyboard(item))
    return StaleButton(texts.RTL_STALE)


def _press_item(ctx: Ctx, pressed: ItemButton) -> None:
    """Laporkan kemajuan / Selesai: the owner only, and only for the item as it is now."""
    user = _active(ctx)
    item = ctx.uow.rtl.get(pressed.item_id)
    if item is None or item.kecamatan_id != user.kecamatan_id:
        raise _stale(ctx, None)
    if pressed.act is ItemAct.CANCEL:
        if not _is_admin(user):
            raise Forbidden(texts.RTL_ADMIN_ONLY)
    elif item.owner_id != user.id:
        raise Forbidden(texts.RTL_NOT_OWNER)
    if item.version != pressed.version or not item.is_open:
        raise _stale(ctx, item)
    ctx.start(RTL_NOTE, NoteAnswers(item_id=item.id, version=item.version, act=pressed.act))


def _note_prompt(ctx: Ctx) -> None:
    a = _n(ctx)
    item = ctx.uow.rtl.get(needed(a.item_id))
    if item is None:
        ctx.end()
        ctx.say(texts.RTL_STALE)
        return
    template = {
        ItemAct.DONE: texts.RTL_ASK_DONE,
        ItemAct.PROGRESS: texts.RTL_ASK_PROGRESS,
        ItemAct.CANCEL: texts.RTL_ASK_CANCEL,
    }[needed(a.act)]
    ctx.say(template.format(unsur=h(unsur_label(item.unsur)), min=NOTE_MIN, max=NOTE_MAX))


def _admins(ctx: Ctx, user: User) -> list[User]:
    return [
        person
        for person in ctx.uow.users.list(
            ctx.kecamatan.id, status=UserStatus.ACTIVE, role=Role.ADMIN
        )
        if person.id != user.id
    ]


def _note(ctx: Ctx, given: Input) -> None:
    """Store the note (and the completion); the admins are told."""
    a = _n(ctx)
    note = clean_rtl_note(given.text)
    item_id, version, act = needed(a.item_id), needed(a.version), needed(a.act)
    user = _active(ctx)
    ctx.end()
    today = _today(ctx)
    try:
        if act is ItemAct.DONE:
            item = complete_rtl(
                ctx.uow,
                user=user,
                item_id=item_id,
                version=version,
                note=note,
                today=today,
                now=ctx.now,
            )
        elif act is ItemAct.CANCEL:
            item = cancel_rtl(
                ctx.uow, user=user, item_id=item_id, version=version, reason=note, now=ctx.now
            )
        else:
            item = report_progress(
                ctx.uow, user=user, item_id=item_id, version=version, note=note, now=ctx.now
            )
    except StaleRtl:  # changed or closed since the button: nothing was written
        ctx.say(texts.RTL_STALE)
        return
    label = h(unsur_label(item.unsur))
    period = h(item.skm_period.label)
    if act is ItemAct.CANCEL:
        ctx.say(texts.RTL_CANCELLED.format(unsur=label))
        owner = ctx.uow.users.get(item.owner_id)
        if owner is not None and owner.id != user.id and owner.status is UserStatus.ACTIVE:
            ctx.notify(
                owner.telegram_id,
                texts.RTL_OWNER_CANCELLED.format(unsur=label, periode=period, alasan=h(note)),
            )
        return
    if act is ItemAct.DONE:
        done_on = needed(item.done_on)
        tepat = (
            texts.RTL_DONE_ON_TIME
            if item.on_time
            else texts.RTL_DONE_LATE.format(batas=fmt_day(item.due))
        )
        ctx.say(texts.RTL_DONE_SAVED.format(unsur=label, tanggal=fmt_day(done_on), tepat=tepat))
        told = texts.RTL_ADMIN_DONE.format(
            unsur=label,
            periode=period,
            nama=h(user.nama),
            tanggal=fmt_day(done_on),
            catatan=h(note),
        )
    else:
        ctx.say(texts.RTL_PROGRESS_SAVED.format(unsur=label), _item_keyboard(item))
        told = texts.RTL_ADMIN_PROGRESS.format(
            unsur=label, periode=period, nama=h(user.nama), catatan=h(note)
        )
    for admin in _admins(ctx, user):
        ctx.notify(admin.telegram_id, told)


RTL_NOTE: Flow[NoteStep, NoteAnswers] = Flow(
    name="rtlnote",
    title=texts.RTL_TITLE,
    answers=NoteAnswers,
    order=(NoteStep.NOTE,),
    steps={NoteStep.NOTE: Step(_note_prompt, _note, frozenset({InputKind.TEXT}))},
)


def register(registry: Registry) -> None:
    """/rtl with its two conversations and buttons."""
    registry.flow(RTL_PLAN)
    registry.flow(RTL_NOTE)
    registry.command(CommandSpec("rtl", _rtl, texts.RTL_DESCRIPTION, registered=True))
    registry.button(ProposalButton, _press_proposal)
    registry.button(ItemButton, _press_item)
