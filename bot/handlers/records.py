"""/idm (a desa's IDM typed in, or imported from a Kemendesa JSON or CSV file) and
/tematik (desa tematik recorded, listed and ended)."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from typing import Any

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
    cancel,
    confirm_keyboard,
    confirmed,
    desa_buttons,
    rows,
)
from bot.conversation.dialog import Flow
from bot.conversation.flow import MAX_DOCUMENT
from bot.formatting import h
from bot.reports.iku import fmt_decimal
from domain.errors import ImportFailed, ImportProblem, InvalidInput
from domain.idm import IdmStatus, NextStatus, compute_idm, idm_status, score_to_decimal
from domain.importing import parse_idm_csv, parse_kemendesa_json
from domain.models import Desa, DesaTematik, IdmRecord, Tema
from domain.permissions import Action, require
from domain.records import (
    TEMA_LABEL,
    YEAR_MIN,
    clean_reference,
    clean_tema_lainnya,
    end_tematik,
    parse_index,
    parse_year,
    record_idm,
    record_tematik,
)
from domain.rounding import round_half_up
from domain.usecases import import_idm

__all__ = ["register", "IdmFlow", "TematikFlow"]

FOUR_PLACES = Decimal("0.0001")


# -- shared ------------------------------------------------------------------------------


def _plain(value: Decimal) -> str:
    """A typed or exact value as it is, with a decimal comma (no exponent)."""
    return format(value, "f").replace(".", ",")


def _score(value: Decimal) -> str:
    """An IDM score as printed in reports: 4 decimals, half-up, decimal comma."""
    return fmt_decimal(round_half_up(value, 4))


def _score_exact(value: Decimal) -> str:
    """'<b>0,7512</b> (tepatnya 0,75123333333333)', the exact part only when it differs."""
    shown = round_half_up(value, 4)
    text = f"<b>{fmt_decimal(shown)}</b>"
    if shown != value:
        text += texts.IDM_SCORE_EXACT.format(exact=_plain(value.normalize()))
    return text


def _next_text(step: NextStatus) -> str:
    """What the desa still needs for the next status (nothing above Mandiri)."""
    if step.target is None or step.minimum_score is None:
        return texts.IDM_TOP
    # Rounded up: rounding down would promise a status the desa would still miss.
    needed = step.needed.quantize(FOUR_PLACES, rounding=ROUND_CEILING)
    return texts.IDM_NEXT.format(
        target=step.target.label,
        minimum=_plain(step.minimum_score),
        needed=_plain(needed),
    )


def _desa_choice(ctx: Ctx, given: Input) -> Desa:
    """The desa of a pressed desa button (only a desa of the user's kecamatan)."""
    desa = ctx.uow.desa.get(int(given.text)) if given.text.isdigit() else None
    if desa is None or desa.kecamatan_id != ctx.kecamatan.id:
        raise InvalidInput(texts.CHOOSE_BUTTON)
    return desa


def _desa_name(ctx: Ctx, desa_id: int) -> str:
    desa = ctx.uow.desa.get(desa_id)
    return desa.nama if desa is not None else "-"


def _desa_keyboard(ctx: Ctx) -> Keyboard:
    return desa_buttons(ctx.uow.desa.list_by_kecamatan(ctx.kecamatan.id))


def _confirm_keyboard() -> Keyboard:
    return confirm_keyboard(texts.SAVE)


# -- /idm: typed in --------------------------------------------------------------------

INDEX_NEXT = {"iks": "ike", "ike": "ikl", "ikl": "confirm", "idm": "confirm"}


def _how_prompt(ctx: Ctx) -> None:
    """Typed in or from a file?"""
    ctx.say(
        texts.IDM_ASK_HOW,
        [[Button(texts.IDM_MANUAL, "manual"), Button(texts.IDM_FILE, "file")]],
    )


def _how(ctx: Ctx, given: Input) -> None:
    """Go to the year (typed in) or to the file."""
    if given.text == "manual":
        ctx.goto("year")
    elif given.text == "file":
        ctx.goto("file")
    else:
        raise InvalidInput(texts.CHOOSE_BUTTON)


def _year_prompt(ctx: Ctx) -> None:
    """This year or last year, or typed."""
    this = ctx.now.year
    ctx.say(
        texts.IDM_ASK_YEAR.format(first=YEAR_MIN, last=this),
        [[Button(str(this), str(this)), Button(str(this - 1), str(this - 1))]],
    )


def _year(ctx: Ctx, given: Input) -> None:
    """Keep the year (2015 .. this year)."""
    ctx.data["tahun"] = parse_year(given.text, ctx.now.year)
    ctx.goto("desa")


def _idm_desa(ctx: Ctx, given: Input) -> None:
    """Keep the desa."""
    ctx.data["desa_id"] = _desa_choice(ctx, given).id
    ctx.goto("mode")


def _mode_prompt(ctx: Ctx) -> None:
    """Three indices or the IDM alone?"""
    ctx.say(
        texts.IDM_ASK_MODE,
        [[Button(texts.IDM_MODE_THREE, "three")], [Button(texts.IDM_MODE_ONLY, "idm")]],
    )


def _mode(ctx: Ctx, given: Input) -> None:
    """Forget values of the other mode, then ask the first value."""
    if given.text not in ("three", "idm"):
        raise InvalidInput(texts.CHOOSE_BUTTON)
    for key in ("iks", "ike", "ikl", "idm"):
        ctx.data.pop(key, None)
    ctx.data["mode"] = given.text
    ctx.goto("iks" if given.text == "three" else "idm")


def _index_step(key: str) -> Step:
    """Ask one index (IKS, IKE, IKL or IDM) as typed text."""
    name = key.upper()

    def prompt(ctx: Ctx) -> None:
        ctx.say(
            texts.IDM_ASK_INDEX.format(
                name=name,
                long=texts.IDM_INDEX_NAMES[name],
                desa=h(_desa_name(ctx, int(ctx.data["desa_id"]))),
                tahun=ctx.data["tahun"],
            )
        )

    def handle(ctx: Ctx, given: Input) -> None:
        ctx.data[key] = str(parse_index(given.text, name))
        ctx.goto(INDEX_NEXT[key])

    return Step(prompt, handle, frozenset({InputKind.TEXT}))


def _typed(data: dict[str, Any], key: str) -> Decimal | None:
    value = data.get(key)
    return None if value is None else Decimal(str(value))


def _idm_confirm_prompt(ctx: Ctx) -> None:
    """Show the values and the IDM they give."""
    data = ctx.data
    lines: list[str] = []
    exact: Fraction
    if data["mode"] == "three":
        iks, ike, ikl = (Decimal(data[k]) for k in ("iks", "ike", "ikl"))
        lines += [f"IKS: {_plain(iks)}", f"IKE: {_plain(ike)}", f"IKL: {_plain(ikl)}"]
        exact = compute_idm(iks, ike, ikl)
    else:
        exact = Fraction(Decimal(data["idm"]))
    lines.append(
        texts.IDM_SUMMARY_SCORE.format(
            score=_score(score_to_decimal(exact)), status=idm_status(exact).label
        )
    )
    ctx.say(
        texts.IDM_SUMMARY.format(
            desa=h(_desa_name(ctx, int(data["desa_id"]))),
            tahun=data["tahun"],
            values="\n".join(lines),
        ),
        _confirm_keyboard(),
    )


def _idm_confirm(ctx: Ctx, given: Input) -> None:
    """Store the IDM and say its status and what the next status needs."""
    if not confirmed(ctx, given, edit_step="year"):
        return
    data = dict(ctx.data)
    ctx.end()
    entry = record_idm(
        ctx.uow,
        user=ctx.user,
        desa_id=int(data["desa_id"]),
        tahun=int(data["tahun"]),
        now=ctx.now,
        iks=_typed(data, "iks"),
        ike=_typed(data, "ike"),
        ikl=_typed(data, "ikl"),
        idm=_typed(data, "idm"),
    )
    result = entry.result
    lines = [
        texts.IDM_SAVED.format(desa=h(_desa_name(ctx, result.desa_id)), tahun=result.tahun),
        texts.IDM_SCORE.format(score=_score_exact(result.score)),
        texts.IDM_STATUS.format(status=result.status.label),
    ]
    if entry.previous is not None:
        lines.append(
            texts.IDM_PREVIOUS.format(
                score=_score(entry.previous.score), status=entry.previous.status.label
            )
        )
    lines.append(_next_text(entry.next))
    ctx.say("\n".join(lines))


# -- /idm: from a file -------------------------------------------------------------------


def _megabytes(size: int) -> str:
    """'1,1 MB' (rounded up, so that a file just over the limit does not read '1,0 MB')."""
    return f"{math.ceil(size / 100_000) / 10:.1f} MB".replace(".", ",")


def _parse_file(name: str, content: bytes) -> list[IdmRecord]:
    """Records of a Kemendesa JSON (one desa-year) or of a CSV table."""
    if name.lower().endswith(".json"):
        return [parse_kemendesa_json(content, name)]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed([ImportProblem(name, texts.IDM_FILE_NOT_UTF8)]) from None
    return parse_idm_csv(text, name)


def _match(ctx: Ctx, name: str, records: list[IdmRecord]) -> list[ImportProblem]:
    """What stops these records from being stored for the user's kecamatan."""
    problems: list[ImportProblem] = []
    seen: set[tuple[int, int]] = set()
    if not records:
        problems.append(ImportProblem(name, texts.IDM_FILE_EMPTY))
    for record in records:
        desa = ctx.uow.desa.find_by_code(record.kode_desa)
        message = None
        column = "kode_desa"
        if desa is None:
            message = texts.IDM_FILE_UNKNOWN_DESA.format(kode=record.kode_desa)
        elif desa.kecamatan_id != ctx.kecamatan.id:
            message = texts.IDM_FILE_OTHER_KECAMATAN.format(
                kode=record.kode_desa, nama=desa.nama, kecamatan=ctx.kecamatan.nama
            )
        elif not YEAR_MIN <= record.tahun <= ctx.now.year:
            # The same years as a typed IDM: a future year is a typo, not a result.
            message = texts.IDM_FILE_YEAR.format(
                tahun=record.tahun, first=YEAR_MIN, last=ctx.now.year
            )
            column = "tahun"
        elif (desa.id, record.tahun) in seen:
            # A CSV may name one desa by its BPS code and again by its Kemendagri code.
            message = texts.IDM_FILE_TWICE.format(nama=desa.nama, tahun=record.tahun)
        else:
            seen.add((desa.id, record.tahun))
        if message is not None:
            field = column if record.line is not None else None  # CSV lines have columns
            problems.append(ImportProblem(name, message, line=record.line, field=field))
    return problems


def _to_json(record: IdmRecord) -> dict[str, Any]:
    """A parsed record as the draft keeps it (decimals as strings), to survive a restart."""

    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "kode": record.kode_desa,
        "tahun": record.tahun,
        "score": str(record.score),
        "status": record.status.value,
        "iks": text(record.iks),
        "ike": text(record.ike),
        "ikl": text(record.ikl),
        "published": record.status_published,
        "nama": record.nama_desa,
        "line": record.line,
    }


def _from_json(item: dict[str, Any], source: str) -> IdmRecord:
    """The record back from the draft."""

    def number(value: Any) -> Decimal | None:
        return None if value is None else Decimal(str(value))

    return IdmRecord(
        kode_desa=str(item["kode"]),
        tahun=int(item["tahun"]),
        score=Decimal(str(item["score"])),
        status=IdmStatus(item["status"]),
        iks=number(item.get("iks")),
        ike=number(item.get("ike")),
        ikl=number(item.get("ikl")),
        status_published=item.get("published"),
        source=source,
        nama_desa=item.get("nama"),
        line=item.get("line"),
    )


def _stored_records(data: dict[str, Any]) -> tuple[str, list[IdmRecord]]:
    source = str(data["source"])
    return source, [_from_json(item, source) for item in data["records"]]


def _file_prompt(ctx: Ctx) -> None:
    """Ask for the file."""
    ctx.say(texts.IDM_ASK_FILE)


def _file(ctx: Ctx, given: Input) -> None:
    """Check and parse the file, match its desa, and keep the records for the preview."""
    require(ctx.user, Action.RECORD_IDM)
    name = given.file_name or "berkas"
    # Messages of errors are plain text: the engine escapes them (they quote the file).
    if not name.lower().endswith((".json", ".csv")):
        raise InvalidInput(texts.IDM_FILE_EXTENSION.format(name=name))
    size = given.file_size if given.file_size is not None else len(given.content or b"")
    if size > MAX_DOCUMENT:
        raise InvalidInput(texts.IDM_FILE_TOO_LARGE.format(name=name, size=_megabytes(size)))
    if given.content is None:
        raise InvalidInput(texts.IDM_FILE_UNREADABLE.format(name=name))
    records = _parse_file(name, given.content)  # ImportFailed lists every problem
    problems = _match(ctx, name, records)
    if problems:
        raise ImportFailed(problems)
    ctx.data["source"] = name
    ctx.data["records"] = [_to_json(record) for record in records]
    ctx.goto("preview")


def _preview_prompt(ctx: Ctx) -> None:
    """Each record with the value it replaces (or 'baru'), then Simpan / Batal."""
    source, records = _stored_records(ctx.data)
    lines = []
    for number, record in enumerate(records, start=1):
        desa = ctx.uow.desa.find_by_code(record.kode_desa)
        current = ctx.uow.idm.get(desa.id, record.tahun) if desa is not None else None
        lines.append(
            texts.IDM_PREVIEW_LINE.format(
                n=number,
                desa=h(desa.nama if desa is not None else record.kode_desa),
                tahun=record.tahun,
                score=_score(record.score),
                status=record.status.label,
                current=(
                    texts.IDM_PREVIEW_NEW
                    if current is None
                    else texts.IDM_PREVIEW_CURRENT.format(
                        score=_score(current.score), status=current.status.label
                    )
                ),
            )
        )
    ctx.say(
        texts.IDM_PREVIEW.format(name=h(source), count=len(records), lines="\n".join(lines)),
        [[Button(texts.SAVE, "save"), Button(texts.CANCEL_BUTTON, "cancel")]],
    )


def _preview(ctx: Ctx, given: Input) -> None:
    """Store every record of the file (all or nothing), cancel, or take a corrected file."""
    if given.kind is InputKind.DOCUMENT:
        _file(ctx, given)
        return
    if given.text == "cancel":
        cancel(ctx)
        return
    if given.text != "save":
        raise InvalidInput(texts.CHOOSE_BUTTON)
    require(ctx.user, Action.RECORD_IDM)  # the import use case does not check the user
    source, records = _stored_records(dict(ctx.data))
    ctx.end()
    summary = import_idm(
        ctx.uow,
        [(source, records)],
        kecamatan_id=ctx.kecamatan.id,
        actor=f"tg:{ctx.telegram_id}",
    )
    inserted = sum(f.inserted for f in summary.files)
    updated = sum(f.updated for f in summary.files)
    lines = [
        texts.IDM_IMPORTED_LINE.format(
            desa=h(desa.nama),
            tahun=record.tahun,
            score=_score(record.score),
            status=record.status.label,
        )
        for desa, record in summary.items
    ]
    ctx.say(
        texts.IDM_IMPORTED.format(
            name=h(source), inserted=inserted, updated=updated, lines="\n".join(lines)
        )
    )


class IdmFlow(Flow):
    """A desa's IDM for a year, typed in or imported from a file."""

    name = "idm"
    title = texts.IDM_TITLE
    first = "how"
    steps = {
        "how": Step(_how_prompt, _how),
        "year": Step(_year_prompt, _year, frozenset({InputKind.CHOICE, InputKind.TEXT})),
        "desa": Step(lambda ctx: ctx.say(texts.IDM_ASK_DESA, _desa_keyboard(ctx)), _idm_desa),
        "mode": Step(_mode_prompt, _mode),
        "iks": _index_step("iks"),
        "ike": _index_step("ike"),
        "ikl": _index_step("ikl"),
        "idm": _index_step("idm"),
        "confirm": Step(_idm_confirm_prompt, _idm_confirm),
        "file": Step(
            _file_prompt, _file, frozenset({InputKind.DOCUMENT}), hint=texts.IDM_FILE_HINT
        ),
        "preview": Step(
            _preview_prompt, _preview, frozenset({InputKind.CHOICE, InputKind.DOCUMENT})
        ),
    }


def _idm(ctx: Ctx, args: list[str]) -> None:
    """Staf Seksi PPD and admins only."""
    require(ctx.user, Action.RECORD_IDM)
    ctx.start(IdmFlow)


# -- /tematik ----------------------------------------------------------------------------


def _tema_text(tema: Tema, lainnya: str | None) -> str:
    """'Wisata', or the typed name of a theme outside the list."""
    return lainnya if tema is Tema.LAINNYA and lainnya else TEMA_LABEL[tema]


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
        ctx.goto("desa")
    elif given.text == "list":
        ctx.end()
        ctx.say(_list_text(ctx))
    elif given.text == "end":
        ctx.goto("pick")
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
                desa=h(_desa_name(ctx, item.desa_id)),
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


def _tematik_desa(ctx: Ctx, given: Input) -> None:
    """Keep the desa."""
    ctx.data["desa_id"] = _desa_choice(ctx, given).id
    ctx.goto("tema")


def _tema_prompt(ctx: Ctx) -> None:
    """One button per theme."""
    ctx.say(texts.TEMATIK_ASK_TEMA, rows([Button(TEMA_LABEL[t], t.value) for t in Tema], 3))


def _tema(ctx: Ctx, given: Input) -> None:
    """Keep the theme; Lainnya asks its name."""
    if given.text not in set(Tema):
        raise InvalidInput(texts.CHOOSE_BUTTON)
    tema = Tema(given.text)
    ctx.data["tema"] = tema.value
    ctx.data.pop("lainnya", None)
    ctx.goto("lainnya" if tema is Tema.LAINNYA else "tahun")


def _lainnya(ctx: Ctx, given: Input) -> None:
    """Keep the theme's name."""
    ctx.data["lainnya"] = clean_tema_lainnya(given.text)
    ctx.goto("tahun")


def _tahun_prompt(ctx: Ctx) -> None:
    """This year or next year (a designation may be decided ahead), or typed."""
    this = ctx.now.year
    ctx.say(
        texts.TEMATIK_ASK_YEAR.format(first=YEAR_MIN, last=this + 1),
        [[Button(str(this), str(this)), Button(str(this + 1), str(this + 1))]],
    )


def _tahun(ctx: Ctx, given: Input) -> None:
    """Keep the year (2015 .. next year)."""
    ctx.data["tahun"] = parse_year(given.text, ctx.now.year + 1)
    ctx.goto("ref")


def _ref(ctx: Ctx, given: Input) -> None:
    """Keep the reference."""
    ctx.data["referensi"] = clean_reference(given.text)
    ctx.goto("dok")


def _dok_prompt(ctx: Ctx) -> None:
    """A photo or file of the SK, or skip."""
    ctx.say(texts.TEMATIK_ASK_DOC, [[Button(texts.SKIP, "skip")]])


def _dok(ctx: Ctx, given: Input) -> None:
    """Keep the proof's file id (the file itself stays on Telegram)."""
    if given.kind is InputKind.CHOICE:
        if given.text != "skip":
            raise InvalidInput(texts.CHOOSE_BUTTON)
        ctx.data.update(dok=None, dok_name=None)
    elif given.kind is InputKind.PHOTO:
        ctx.data.update(dok=given.file_id, dok_name=None)
    else:
        ctx.data.update(dok=given.file_id, dok_name=given.file_name or "dokumen")
    ctx.goto("confirm")


def _tematik_confirm_prompt(ctx: Ctx) -> None:
    """Show what will be recorded."""
    data = ctx.data
    if not data.get("dok"):
        bukti = texts.TEMATIK_PROOF_NONE
    elif data.get("dok_name"):
        bukti = texts.TEMATIK_PROOF_FILE.format(name=h(data["dok_name"]))
    else:
        bukti = texts.TEMATIK_PROOF_PHOTO
    ctx.say(
        texts.TEMATIK_SUMMARY.format(
            desa=h(_desa_name(ctx, int(data["desa_id"]))),
            tema=h(_tema_text(Tema(data["tema"]), data.get("lainnya"))),
            tahun=data["tahun"],
            referensi=h(data["referensi"]),
            bukti=bukti,
        ),
        _confirm_keyboard(),
    )


def _tematik_confirm(ctx: Ctx, given: Input) -> None:
    """Record the designation and say how many desa count for the year."""
    if not confirmed(ctx, given, edit_step="desa"):
        return
    data = dict(ctx.data)
    ctx.end()
    item = record_tematik(
        ctx.uow,
        user=ctx.user,
        desa_id=int(data["desa_id"]),
        tema=Tema(data["tema"]),
        tahun=int(data["tahun"]),
        referensi=str(data["referensi"]),
        now=ctx.now,
        tema_lainnya=data.get("lainnya"),
        document_file_id=data.get("dok"),
    )
    ctx.say(
        texts.TEMATIK_SAVED.format(
            desa=h(_desa_name(ctx, item.desa_id)),
            tema=h(_tema_text(item.tema, item.tema_lainnya)),
            tahun=item.tahun,
            count=ctx.uow.tematik.count_desa(ctx.kecamatan.id, item.tahun),
        )
    )


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
                f"{_desa_name(ctx, item.desa_id)} - "
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
    ctx.data["tematik_id"] = int(given.text)
    ctx.goto("endok")


def _endok_prompt(ctx: Ctx) -> None:
    """Ask before ending (it may have been ended meanwhile: then finish)."""
    item = ctx.uow.tematik.get(int(ctx.data["tematik_id"]))
    if item is None or not item.active:
        ctx.end()
        ctx.say(texts.TEMATIK_GONE)
        return
    ctx.say(
        texts.TEMATIK_ASK_END.format(
            desa=h(_desa_name(ctx, item.desa_id)),
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
    tematik_id = int(ctx.data["tematik_id"])
    ctx.end()
    item = end_tematik(ctx.uow, user=ctx.user, tematik_id=tematik_id, now=ctx.now)
    ctx.say(
        texts.TEMATIK_ENDED.format(
            desa=h(_desa_name(ctx, item.desa_id)),
            tema=h(_tema_text(item.tema, item.tema_lainnya)),
            tahun=item.tahun,
            count=ctx.uow.tematik.count_desa(ctx.kecamatan.id, item.tahun),
        )
    )


class TematikFlow(Flow):
    """Desa tematik: record one, list the year's, or end one."""

    name = "tematik"
    title = texts.TEMATIK_TITLE
    first = "menu"
    steps = {
        "menu": Step(_menu_prompt, _menu),
        "desa": Step(
            lambda ctx: ctx.say(texts.TEMATIK_ASK_DESA, _desa_keyboard(ctx)), _tematik_desa
        ),
        "tema": Step(_tema_prompt, _tema),
        "lainnya": Step(
            lambda ctx: ctx.say(texts.TEMATIK_ASK_LAINNYA), _lainnya, frozenset({InputKind.TEXT})
        ),
        "tahun": Step(_tahun_prompt, _tahun, frozenset({InputKind.CHOICE, InputKind.TEXT})),
        "ref": Step(lambda ctx: ctx.say(texts.TEMATIK_ASK_REF), _ref, frozenset({InputKind.TEXT})),
        "dok": Step(
            _dok_prompt,
            _dok,
            frozenset({InputKind.CHOICE, InputKind.PHOTO, InputKind.DOCUMENT}),
            hint=texts.TEMATIK_DOC_HINT,
        ),
        "confirm": Step(_tematik_confirm_prompt, _tematik_confirm),
        "pick": Step(_pick_prompt, _pick),
        "endok": Step(_endok_prompt, _endok),
    }


def _tematik(ctx: Ctx, args: list[str]) -> None:
    """Staf Seksi PMD and admins only."""
    require(ctx.user, Action.RECORD_TEMATIK)
    ctx.start(TematikFlow)


def register(registry: Registry) -> None:
    """/idm and /tematik with their conversations."""
    registry.flow(IdmFlow.typed())
    registry.flow(TematikFlow.typed())
    registry.command(
        CommandSpec(
            "idm", _idm, "Catat hasil IDM desa (isi atau kirim berkas)", action=Action.RECORD_IDM
        )
    )
    registry.command(
        CommandSpec(
            "tematik",
            _tematik,
            "Catat, lihat, atau akhiri desa tematik",
            action=Action.RECORD_TEMATIK,
        )
    )
