"""/tematik: desa tematik recorded (desa, theme, year, reference, proof), listed, and
ended."""

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
    Registry,
    Step,
    cancel,
    confirm_keyboard,
    confirmed,
    desa_choice,
    needed,
    rows,
)
from bot.formatting import h
from bot.handlers._shared import desa_keyboard, desa_name
from domain.errors import InvalidInput
from domain.models import DesaTematik, Tema
from domain.permissions import Action, require
from domain.records import (
    TEMA_LABEL,
    YEAR_MIN,
    clean_reference,
    clean_tema_lainnya,
    end_tematik,
    parse_year,
    record_tematik,
)

__all__ = ["register", "TEMATIK", "TematikStep", "TematikAnswers"]


class TematikStep(enum.StrEnum):
    MENU = "menu"
    DESA = "desa"
    TEMA = "tema"
    LAINNYA = "lainnya"
    TAHUN = "tahun"
    REF = "ref"
    DOK = "dok"
    CONFIRM = "confirm"
    PICK = "pick"
    ENDOK = "endok"


@dataclass(slots=True)
class TematikAnswers:
    """A designation to record (desa .. proof), or the one to end (``tematik_id``)."""

    desa_id: int | None = None
    tema: Tema | None = None
    lainnya: str | None = None  # the name of a theme outside the list
    tahun: int | None = None
    referensi: str | None = None
    dok: str | None = None  # the proof's Telegram file id
    dok_name: str | None = None  # its file name (None: a photo)
    tematik_id: int | None = None


def _a(ctx: Ctx) -> TematikAnswers:
    return ctx.answers(TematikAnswers)


def _tema_text(tema: Tema, lainnya: str | None) -> str:
    """'Wisata', or the typed name of a theme outside the list."""
    return lainnya if tema is Tema.LAINNYA and lainnya else TEMA_LABEL[tema]


# -- the menu and the list ---------------------------------------------------------------


def _menu_prompt(ctx: Ctx) -> None:
    """Record, list or end."""
    ctx.say(
        texts.TEMATIK_MENU,
        [
            [Button(texts.TEMATIK_RECORD, "rec")],
            [Button(texts.TEMATIK_LIST, "list"), Button(texts.TEMATIK_END, "end")],
        ],
    )


def _menu(ctx: Ctx, given: Input) -> None:
    """Start recording, show the list (and finish), or choose one to end."""
    if given.text == "rec":
        ctx.next()
    elif given.text == "list":
        ctx.end()
        ctx.say(_list_text(ctx))
    elif given.text == "end":
        ctx.goto(TematikStep.PICK)
    else:
        raise InvalidInput(texts.CHOOSE_BUTTON)


def _year_list(ctx: Ctx, tahun: int) -> str:
    items = ctx.uow.tematik.list_active(ctx.kecamatan.id, tahun)
    if not items:
        return texts.TEMATIK_LIST_NONE.format(tahun=tahun)
    lines = [texts.TEMATIK_LIST_HEADER.format(tahun=tahun)]
    for number, item in enumerate(items, start=1):
        lines.append(
            texts.TEMATIK_LIST_LINE.format(
                n=number,
                desa=h(desa_name(ctx, item.desa_id)),
                tema=h(_tema_text(item.tema, item.tema_lainnya)),
                referensi=h(item.referensi),
            )
        )
    count = ctx.uow.tematik.count_desa(ctx.kecamatan.id, tahun)
    lines.append(texts.TEMATIK_LIST_COUNT.format(count=count))
    return "\n".join(lines)


def _list_text(ctx: Ctx) -> str:
    """This year's designations, and next year's when some are already recorded."""
    this = ctx.now.year
    parts = [_year_list(ctx, this)]
    if ctx.uow.tematik.list_active(ctx.kecamatan.id, this + 1):
        parts.append(_year_list(ctx, this + 1))
    return "\n\n".join(parts)


# -- recording one -----------------------------------------------------------------------


def _desa_prompt(ctx: Ctx) -> None:
    """Which desa of the kecamatan."""
    ctx.say(texts.TEMATIK_ASK_DESA, desa_keyboard(ctx))


def _desa(ctx: Ctx, given: Input) -> None:
    """Keep the desa."""
    _a(ctx).desa_id = desa_choice(ctx, given).id
    ctx.next()


def _tema_prompt(ctx: Ctx) -> None:
    """One button per theme."""
    ctx.say(texts.TEMATIK_ASK_TEMA, rows([Button(TEMA_LABEL[t], t.value) for t in Tema], 3))


def _tema(ctx: Ctx, given: Input) -> None:
    """Keep the theme; Lainnya asks its name next."""
    if given.text not in set(Tema):
        raise InvalidInput(texts.CHOOSE_BUTTON)
    a = _a(ctx)
    a.tema = Tema(given.text)
    a.lainnya = None
    ctx.next()  # LAINNYA for Lainnya, else TAHUN


def _lainnya_prompt(ctx: Ctx) -> None:
    """The name of a theme outside the list."""
    ctx.say(texts.TEMATIK_ASK_LAINNYA)


def _lainnya(ctx: Ctx, given: Input) -> None:
    """Keep the theme's name."""
    _a(ctx).lainnya = clean_tema_lainnya(given.text)
    ctx.next()


def _tahun_prompt(ctx: Ctx) -> None:
    """This year or next year (a designation may be decided ahead), or typed."""
    this = ctx.now.year
    ctx.say(
        texts.TEMATIK_ASK_YEAR.format(first=YEAR_MIN, last=this + 1),
        [[Button(str(this), str(this)), Button(str(this + 1), str(this + 1))]],
    )


def _tahun(ctx: Ctx, given: Input) -> None:
    """Keep the year (2015 .. next year)."""
    _a(ctx).tahun = parse_year(given.text, ctx.now.year + 1)
    ctx.next()


def _ref_prompt(ctx: Ctx) -> None:
    """The SK or other reference of the designation."""
    ctx.say(texts.TEMATIK_ASK_REF)


def _ref(ctx: Ctx, given: Input) -> None:
    """Keep the reference."""
    _a(ctx).referensi = clean_reference(given.text)
    ctx.next()


def _dok_prompt(ctx: Ctx) -> None:
    """A photo or file of the SK, or skip."""
    ctx.say(texts.TEMATIK_ASK_DOC, [[Button(texts.SKIP, "skip")]])


def _dok(ctx: Ctx, given: Input) -> None:
    """Keep the proof's file id (the file itself stays on Telegram)."""
    a = _a(ctx)
    if given.kind is InputKind.CHOICE:
        if given.text != "skip":
            raise InvalidInput(texts.CHOOSE_BUTTON)
        a.dok, a.dok_name = None, None
    elif given.kind is InputKind.PHOTO:
        a.dok, a.dok_name = given.file_id, None
    else:
        a.dok, a.dok_name = given.file_id, given.file_name or "dokumen"
    ctx.next()


def _confirm_prompt(ctx: Ctx) -> None:
    """Show what will be recorded."""
    a = _a(ctx)
    if not a.dok:
        bukti = texts.TEMATIK_PROOF_NONE
    elif a.dok_name:
        bukti = texts.TEMATIK_PROOF_FILE.format(name=h(a.dok_name))
    else:
        bukti = texts.TEMATIK_PROOF_PHOTO
    ctx.say(
        texts.TEMATIK_SUMMARY.format(
            desa=h(desa_name(ctx, needed(a.desa_id))),
            tema=h(_tema_text(needed(a.tema), a.lainnya)),
            tahun=needed(a.tahun),
            referensi=h(needed(a.referensi)),
            bukti=bukti,
        ),
        confirm_keyboard(texts.SAVE),
    )


def _confirm(ctx: Ctx, given: Input) -> None:
    """Record the designation and say how many desa count for the year."""
    if not confirmed(ctx, given, edit_step=TematikStep.DESA):
        return
    a = _a(ctx)
    ctx.end()
    item = record_tematik(
        ctx.uow,
        user=ctx.user,
        desa_id=needed(a.desa_id),
        tema=needed(a.tema),
        tahun=needed(a.tahun),
        referensi=needed(a.referensi),
        now=ctx.now,
        tema_lainnya=a.lainnya,
        document_file_id=a.dok,
    )
    ctx.say(
        texts.TEMATIK_SAVED.format(
            desa=h(desa_name(ctx, item.desa_id)),
            tema=h(_tema_text(item.tema, item.tema_lainnya)),
            tahun=item.tahun,
            count=ctx.uow.tematik.count_desa(ctx.kecamatan.id, item.tahun),
        )
    )


# -- ending one --------------------------------------------------------------------------


def _endable(ctx: Ctx) -> list[DesaTematik]:
    this = ctx.now.year
    return [
        *ctx.uow.tematik.list_active(ctx.kecamatan.id, this),
        *ctx.uow.tematik.list_active(ctx.kecamatan.id, this + 1),
    ]


def _pick_prompt(ctx: Ctx) -> None:
    """The active designations (this year and next) as buttons; none: finish."""
    items = _endable(ctx)
    if not items:
        ctx.end()
        ctx.say(texts.TEMATIK_NONE_TO_END.format(this=ctx.now.year, next=ctx.now.year + 1))
        return
    keyboard: Keyboard = [
        [
            Button(
                f"{desa_name(ctx, item.desa_id)} - "
                f"{_tema_text(item.tema, item.tema_lainnya)} {item.tahun}",
                str(item.id),
            )
        ]
        for item in items
    ]
    keyboard.append([Button(texts.CANCEL_BUTTON, "cancel")])
    ctx.say(texts.TEMATIK_ASK_WHICH, keyboard)


def _pick(ctx: Ctx, given: Input) -> None:
    """Keep the chosen designation, then confirm."""
    if given.text == "cancel":
        cancel(ctx)
        return
    if not given.text.isdigit() or int(given.text) not in {i.id for i in _endable(ctx)}:
        raise InvalidInput(texts.TEMATIK_GONE)
    _a(ctx).tematik_id = int(given.text)
    ctx.goto(TematikStep.ENDOK)


def _endok_prompt(ctx: Ctx) -> None:
    """Ask before ending (it may have been ended meanwhile: then finish)."""
    item = ctx.uow.tematik.get(needed(_a(ctx).tematik_id))
    if item is None or not item.active:
        ctx.end()
        ctx.say(texts.TEMATIK_GONE)
        return
    ctx.say(
        texts.TEMATIK_ASK_END.format(
            desa=h(desa_name(ctx, item.desa_id)),
            tema=h(_tema_text(item.tema, item.tema_lainnya)),
            tahun=item.tahun,
        ),
        [[Button(texts.TEMATIK_END_YES, "yes"), Button(texts.CANCEL_BUTTON, "cancel")]],
    )


def _endok(ctx: Ctx, given: Input) -> None:
    """End it and say the year's new count."""
    if given.text == "cancel":
        cancel(ctx)
        return
    if given.text != "yes":
        raise InvalidInput(texts.CHOOSE_BUTTON)
    tematik_id = needed(_a(ctx).tematik_id)
    ctx.end()
    item = end_tematik(ctx.uow, user=ctx.user, tematik_id=tematik_id, now=ctx.now)
    ctx.say(
        texts.TEMATIK_ENDED.format(
            desa=h(desa_name(ctx, item.desa_id)),
            tema=h(_tema_text(item.tema, item.tema_lainnya)),
            tahun=item.tahun,
            count=ctx.uow.tematik.count_desa(ctx.kecamatan.id, item.tahun),
        )
    )


TEMATIK: Flow[TematikStep, TematikAnswers] = Flow(
    name="tematik",
    title=texts.TEMATIK_TITLE,
    answers=TematikAnswers,
    # Recording one; ending one (PICK, then ENDOK) branches off at MENU.
    order=(
        TematikStep.MENU,
        TematikStep.DESA,
        TematikStep.TEMA,
        TematikStep.LAINNYA,
        TematikStep.TAHUN,
        TematikStep.REF,
        TematikStep.DOK,
    ),
    summary=TematikStep.CONFIRM,
    steps={
        TematikStep.MENU: Step(_menu_prompt, _menu),
        TematikStep.DESA: Step(_desa_prompt, _desa),
        TematikStep.TEMA: Step(_tema_prompt, _tema),
        TematikStep.LAINNYA: Step(
            _lainnya_prompt,
            _lainnya,
            frozenset({InputKind.TEXT}),
            applies=lambda ctx: _a(ctx).tema is Tema.LAINNYA,
        ),
        TematikStep.TAHUN: Step(
            _tahun_prompt, _tahun, frozenset({InputKind.CHOICE, InputKind.TEXT})
        ),
        TematikStep.REF: Step(_ref_prompt, _ref, frozenset({InputKind.TEXT})),
        TematikStep.DOK: Step(
            _dok_prompt,
            _dok,
            frozenset({InputKind.CHOICE, InputKind.PHOTO, InputKind.DOCUMENT}),
            hint=texts.TEMATIK_DOC_HINT,
        ),
        TematikStep.CONFIRM: Step(_confirm_prompt, _confirm),
        TematikStep.PICK: Step(_pick_prompt, _pick),
        TematikStep.ENDOK: Step(_endok_prompt, _endok),
    },
)


def _tematik(ctx: Ctx, args: list[str]) -> None:
    """Staf Seksi PMD and admins only."""
    require(ctx.user, Action.RECORD_TEMATIK)
    ctx.start(TEMATIK)


def register(registry: Registry) -> None:
    """/tematik with its conversation."""
    registry.flow(TEMATIK)
    registry.command(
        CommandSpec(
            "tematik",
            _tematik,
            "Catat, lihat, atau akhiri desa tematik",
            action=Action.RECORD_TEMATIK,
        )
    )
