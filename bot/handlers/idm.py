"""/idm: a desa's IDM for a year, typed in (three indices or the IDM alone), or imported
from a Kemendesa JSON, a CSV table or an XLSX sheet (one import batch, see domain/batches.py)."""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from typing import Any

from bot import texts
from bot.conversation import (
    Button,
    CommandSpec,
    Ctx,
    Flow,
    Input,
    InputKind,
    Registry,
    Step,
    cancel,
    confirm_keyboard,
    confirmed,
    desa_choice,
    needed,
)
from bot.conversation.flow import MAX_DOCUMENT
from bot.formatting import h
from bot.handlers._shared import desa_keyboard, desa_name
from bot.reports.iku import fmt_datetime_id, fmt_decimal
from domain.batches import (
    IdmFile,
    ImportedFile,
    Importer,
    check_idm_files,
    file_sha256,
    import_idm_files,
)
from domain.errors import ImportFailed, ImportProblem, InvalidInput
from domain.idm import (
    IdmStatus,
    NextStatus,
    VillageIndex,
    compute_idm,
    idm_status,
    index_for_year,
    score_to_decimal,
)
from domain.importing import IdmParse, IdmRow, csv_table, read_idm_table, read_kemendesa_json
from domain.models import IdmRecord, ImportBatch, ImportSource
from domain.permissions import Action, require
from domain.records import (
    INDEKS_DESA_DECREES,
    YEAR_MIN,
    clean_status_source,
    parse_indeks_desa_score,
    parse_index,
    parse_year,
    record_idm,
    record_indeks_desa,
)
from domain.rounding import round_half_up

__all__ = ["register", "IDM", "IdmStep", "IdmAnswers", "IdmMode"]

FOUR_PLACES = Decimal("0.0001")


class IdmStep(enum.StrEnum):
    HOW = "how"
    YEAR = "year"
    DESA = "desa"
    MODE = "mode"
    IKS = "iks"
    IKE = "ike"
    IKL = "ikl"
    IDM = "idm"
    ID_SCORE = "id_score"
    ID_STATUS = "id_status"
    ID_SOURCE = "id_source"
    CONFIRM = "confirm"
    FILE = "file"
    PREVIEW = "preview"


class IdmMode(enum.StrEnum):
    """The three indices (the IDM is their mean), or the IDM alone."""

    THREE = "three"
    IDM = "idm"


@dataclass(slots=True)
class IdmAnswers:
    """Typed in: the year, the desa and the values (as typed, as text); from a file: its
    name, its parsed records (as :func:`_to_json` keeps them) and its SHA-256."""

    tahun: int | None = None
    desa_id: int | None = None
    mode: IdmMode | None = None
    iks: str | None = None
    ike: str | None = None
    ikl: str | None = None
    idm: str | None = None
    # The Indeks Desa (2025 on), as published: score, status (IdmStatus value), decree.
    id_score: str | None = None
    id_status: str | None = None
    status_source: str | None = None
    source: str | None = None
    records: list[dict[str, Any]] | None = None
    sha256: str | None = None


def _a(ctx: Ctx) -> IdmAnswers:
    return ctx.answers(IdmAnswers)


# -- how scores are written --------------------------------------------------------------


def _plain(value: Decimal) -> str:
    """A typed or exact value as it is, with a decimal comma (no exponent)."""
    return format(value, "f").replace(".", ",")


def _published(value: Decimal) -> str:
    """An Indeks Desa score as published: two decimals, more where it has them."""
    exact = value.normalize()
    exponent = exact.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        exact = exact.quantize(Decimal("0.01"))
    return _plain(exact)


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


# -- typed in ----------------------------------------------------------------------------


def _how_prompt(ctx: Ctx) -> None:
    """Typed in or from a file?"""
    ctx.say(
        texts.IDM_ASK_HOW,
        [[Button(texts.IDM_MANUAL, "manual"), Button(texts.IDM_FILE, "file")]],
    )


def _how(ctx: Ctx, given: Input) -> None:
    """Go on to the year (typed in), or to the file."""
    if given.text == "manual":
        ctx.next()
    elif given.text == "file":
        ctx.goto(IdmStep.FILE)
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
    _a(ctx).tahun = parse_year(given.text, ctx.now.year)
    ctx.next()


def _desa_prompt(ctx: Ctx) -> None:
    """Which desa of the kecamatan."""
    ctx.say(texts.IDM_ASK_DESA, desa_keyboard(ctx))


def _desa(ctx: Ctx, given: Input) -> None:
    """Keep the desa."""
    _a(ctx).desa_id = desa_choice(ctx, given).id
    ctx.next()


def _mode_prompt(ctx: Ctx) -> None:
    """Three indices or the IDM alone?"""
    ctx.say(
        texts.IDM_ASK_MODE,
        [
            [Button(texts.IDM_MODE_THREE, IdmMode.THREE.value)],
            [Button(texts.IDM_MODE_ONLY, IdmMode.IDM.value)],
        ],
    )


def _mode(ctx: Ctx, given: Input) -> None:
    """Forget values of the other mode, then ask the first value of this one."""
    if given.text not in set(IdmMode):
        raise InvalidInput(texts.CHOOSE_BUTTON)
    a = _a(ctx)
    a.iks = a.ike = a.ikl = a.idm = None
    a.mode = IdmMode(given.text)
    ctx.next()  # IKS for the three indices, IDM for the IDM alone


def _index_of(ctx: Ctx) -> VillageIndex:
    """The index of the year answered (IDM before any year is given)."""
    tahun = _a(ctx).tahun
    return VillageIndex.IDM if tahun is None else index_for_year(tahun)


def _idm_year(ctx: Ctx) -> bool:
    return _index_of(ctx) is VillageIndex.IDM


def _indeks_desa_year(ctx: Ctx) -> bool:
    return _index_of(ctx) is VillageIndex.INDEKS_DESA


def _three(ctx: Ctx) -> bool:
    return _idm_year(ctx) and _a(ctx).mode is IdmMode.THREE


def _only_idm(ctx: Ctx) -> bool:
    return _idm_year(ctx) and _a(ctx).mode is IdmMode.IDM


def _id_score_prompt(ctx: Ctx) -> None:
    """The published Indeks Desa score."""
    a = _a(ctx)
    ctx.say(
        texts.ID_ASK_SCORE.format(desa=h(desa_name(ctx, needed(a.desa_id))), tahun=needed(a.tahun))
    )


def _id_score(ctx: Ctx, given: Input) -> None:
    _a(ctx).id_score = str(parse_indeks_desa_score(given.text))
    ctx.next()


def _id_status_prompt(ctx: Ctx) -> None:
    """The status as the year's decree publishes it (never computed from the score)."""
    ctx.say(
        texts.ID_ASK_STATUS.format(tahun=needed(_a(ctx).tahun)),
        [[Button(status.label, status.value)] for status in reversed(IdmStatus)],
    )


def _id_status(ctx: Ctx, given: Input) -> None:
    if given.text not in {s.value for s in IdmStatus}:
        raise InvalidInput(texts.CHOOSE_BUTTON)
    _a(ctx).id_status = given.text
    ctx.next()


def _id_source_prompt(ctx: Ctx) -> None:
    """The decree: offered where the office knows the year's, else typed."""
    tahun = needed(_a(ctx).tahun)
    known = INDEKS_DESA_DECREES.get(tahun)
    ctx.say(
        texts.ID_ASK_SOURCE.format(tahun=tahun),
        None if known is None else [[Button(known, "known")]],
    )


def _id_source(ctx: Ctx, given: Input) -> None:
    a = _a(ctx)
    known = INDEKS_DESA_DECREES.get(needed(a.tahun))
    if given.kind is InputKind.CHOICE:
        if given.text != "known" or known is None:
            raise InvalidInput(texts.CHOOSE_BUTTON)
        a.status_source = known
    else:
        a.status_source = clean_status_source(given.text)
    ctx.next()


def _index_step(step: IdmStep) -> Step:
    """Ask one index (IKS, IKE, IKL or IDM) as typed text; kept under the step's name."""
    name = step.value.upper()

    def prompt(ctx: Ctx) -> None:
        a = _a(ctx)
        ctx.say(
            texts.IDM_ASK_INDEX.format(
                name=name,
                long=texts.IDM_INDEX_NAMES[name],
                desa=h(desa_name(ctx, needed(a.desa_id))),
                tahun=needed(a.tahun),
            )
        )

    def handle(ctx: Ctx, given: Input) -> None:
        setattr(_a(ctx), step.value, str(parse_index(given.text, name)))
        ctx.next()

    applies = _three if step is not IdmStep.IDM else _only_idm
    return Step(prompt, handle, frozenset({InputKind.TEXT}), applies=applies)


def _typed(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _confirm_prompt(ctx: Ctx) -> None:
    """Show the values and the IDM they give (or the Indeks Desa as published)."""
    a = _a(ctx)
    if _indeks_desa_year(ctx):
        ctx.say(
            texts.ID_SUMMARY.format(
                desa=h(desa_name(ctx, needed(a.desa_id))),
                tahun=needed(a.tahun),
                score=_published(Decimal(needed(a.id_score))),
                status=IdmStatus(needed(a.id_status)).label,
                source=h(needed(a.status_source)),
            ),
            confirm_keyboard(texts.SAVE),
        )
        return
    lines: list[str] = []
    exact: Fraction
    if a.mode is IdmMode.THREE:
        iks, ike, ikl = (Decimal(needed(v)) for v in (a.iks, a.ike, a.ikl))
        lines += [f"IKS: {_plain(iks)}", f"IKE: {_plain(ike)}", f"IKL: {_plain(ikl)}"]
        exact = compute_idm(iks, ike, ikl)
    else:
        exact = Fraction(Decimal(needed(a.idm)))
    lines.append(
        texts.IDM_SUMMARY_SCORE.format(
            score=_score(score_to_decimal(exact)), status=idm_status(exact).label
        )
    )
    ctx.say(
        texts.IDM_SUMMARY.format(
            desa=h(desa_name(ctx, needed(a.desa_id))),
            tahun=needed(a.tahun),
            values="\n".join(lines),
        ),
        confirm_keyboard(texts.SAVE),
    )


def _confirm(ctx: Ctx, given: Input) -> None:
    """Store the IDM and say its status and what the next status needs."""
    if not confirmed(ctx, given, edit_step=IdmStep.YEAR):
        return
    a = _a(ctx)
    ctx.end()
    if _indeks_desa_year(ctx):
        _confirm_indeks_desa(ctx, a)
        return
    entry = record_idm(
        ctx.uow,
        user=ctx.user,
        desa_id=needed(a.desa_id),
        tahun=needed(a.tahun),
        now=ctx.now,
        iks=_typed(a.iks),
        ike=_typed(a.ike),
        ikl=_typed(a.ikl),
        idm=_typed(a.idm),
    )
    result = entry.result
    lines = [
        texts.IDM_SAVED.format(desa=h(desa_name(ctx, result.desa_id)), tahun=result.tahun),
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


def _confirm_indeks_desa(ctx: Ctx, a: IdmAnswers) -> None:
    """Store the Indeks Desa as published and say what was stored."""
    entry = record_indeks_desa(
        ctx.uow,
        user=ctx.user,
        desa_id=needed(a.desa_id),
        tahun=needed(a.tahun),
        now=ctx.now,
        score=Decimal(needed(a.id_score)),
        status=IdmStatus(needed(a.id_status)),
        status_source=needed(a.status_source),
    )
    result = entry.result
    lines = [
        texts.ID_SAVED.format(
            desa=h(desa_name(ctx, result.desa_id)),
            tahun=result.tahun,
            score=_published(result.score),
            status=result.status.label,
            source=h(result.status_source or ""),
        )
    ]
    if entry.previous is not None:
        lines.append(
            texts.ID_PREVIOUS.format(
                index=entry.previous.index.label,
                score=_shown(entry.previous.index, entry.previous.score),
                status=entry.previous.status.label,
            )
        )
    lines.append(texts.ID_NO_THRESHOLD)
    ctx.say("\n".join(lines))


# -- from a file -------------------------------------------------------------------------


def _megabytes(size: int) -> str:
    """'1,1 MB' (rounded up, so that a file just over the limit does not read '1,0 MB')."""
    return f"{math.ceil(size / 100_000) / 10:.1f} MB".replace(".", ",")


def _parse_file(ctx: Ctx, name: str, content: bytes) -> IdmParse:
    """A Kemendesa JSON (one desa-year), a CSV table or the first sheet of an XLSX."""
    lowered = name.lower()
    if lowered.endswith(".json"):
        return read_kemendesa_json(content, name)
    try:
        if lowered.endswith(".xlsx"):
            reader = ctx.services.read_xlsx
            if reader is None:  # pragma: no cover - the application always gives one
                raise InvalidInput(texts.IDM_FILE_EXTENSION.format(name=name))
            table = reader(content, name)
        else:
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ImportFailed([ImportProblem(name, texts.IDM_FILE_NOT_UTF8)]) from None
            table = csv_table(text)
    except ImportFailed as failed:  # not readable at all: reported with the others
        return IdmParse([], [], failed.problems)
    return read_idm_table(table, name)


def _when(ctx: Ctx, moment: datetime) -> str:
    """A moment on the office's clock, e.g. '2 Desember 2026 10.15 WIB'."""
    return fmt_datetime_id(moment.astimezone(ctx.now.tzinfo))


def _explain(ctx: Ctx) -> Callable[[ImportBatch], str]:
    """How the bot says that a file was imported already."""

    def explain(batch: ImportBatch) -> str:
        return texts.IDM_FILE_ALREADY.format(
            when=_when(ctx, batch.created_at), id=batch.id, stored=batch.stored
        )

    return explain


def _idm_file(source: str, sha256: str, records: list[IdmRecord]) -> IdmFile:
    """Records kept in the draft, as the batch use cases take a file."""
    rows = [IdmRow(source, r.kode_desa, r.tahun, r.line) for r in records]
    return IdmFile(ImportedFile(source, sha256), IdmParse(records, rows, []))


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
        "index": record.index.value,
        "dimensions": None
        if not record.dimensions
        else {k: str(v) for k, v in record.dimensions.items()},
        "status_source": record.status_source,
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
        index=VillageIndex(item.get("index") or VillageIndex.IDM.value),
        dimensions=None
        if not item.get("dimensions")
        else {str(k): Decimal(str(v)) for k, v in item["dimensions"].items()},
        status_source=item.get("status_source"),
    )


def _shown(index: VillageIndex, score: Decimal) -> str:
    """A score as reports print it: IDM 4 decimals, Indeks Desa 2."""
    places = 4 if index is VillageIndex.IDM else 2
    return fmt_decimal(round_half_up(score, places), places)


def _flag(record: IdmRecord) -> str:
    """The note of an IDM record whose published status differs from its score's."""
    if record.index is not VillageIndex.IDM or not record.status_published:
        return ""
    try:
        published = IdmStatus.from_label(record.status_published)
    except ValueError:
        return ""
    if published is record.status:
        return ""
    return texts.INDEKS_DESA_FLAG.format(published=published.label)


def _stored_records(a: IdmAnswers) -> tuple[str, list[IdmRecord]]:
    source = needed(a.source)
    return source, [_from_json(item, source) for item in needed(a.records)]


def _file_prompt(ctx: Ctx) -> None:
    """Ask for the file."""
    ctx.say(texts.IDM_ASK_FILE)


def _file(ctx: Ctx, given: Input) -> None:
    """Check and parse the file, apply the rules of every IDM import (all problems at
    once), and keep the records for the preview."""
    require(ctx.user, Action.RECORD_IDM)
    name = given.file_name or "berkas"
    # Messages of errors are plain text: the engine escapes them (they quote the file).
    if not name.lower().endswith((".json", ".csv", ".xlsx")):
        raise InvalidInput(texts.IDM_FILE_EXTENSION.format(name=name))
    size = given.file_size if given.file_size is not None else len(given.content or b"")
    if size > MAX_DOCUMENT:
        raise InvalidInput(texts.IDM_FILE_TOO_LARGE.format(name=name, size=_megabytes(size)))
    if given.content is None:
        raise InvalidInput(texts.IDM_FILE_UNREADABLE.format(name=name))
    sha256 = file_sha256(given.content)
    parsed = _parse_file(ctx, name, given.content)
    problems, _ = check_idm_files(
        ctx.uow,
        [IdmFile(ImportedFile(name, sha256), parsed)],
        kecamatan=ctx.kecamatan,
        now=ctx.now,
        explain=_explain(ctx),
    )
    if problems:
        raise ImportFailed(problems)
    a = _a(ctx)
    a.source = name
    a.sha256 = sha256
    a.records = [_to_json(record) for record in parsed.records]
    ctx.goto(IdmStep.PREVIEW)


def _preview_prompt(ctx: Ctx) -> None:
    """Each record with the value it replaces (or 'baru'), then Simpan / Batal."""
    source, records = _stored_records(_a(ctx))
    lines = []
    for number, record in enumerate(records, start=1):
        desa = ctx.uow.desa.find_by_code(record.kode_desa)
        current = ctx.uow.idm.get(desa.id, record.tahun) if desa is not None else None
        lines.append(
            texts.INDEKS_DESA_PREVIEW_LINE.format(
                n=number,
                desa=h(desa.nama if desa is not None else record.kode_desa),
                tahun=record.tahun,
                index=record.index.label,
                score=_shown(record.index, record.score),
                status=record.status.label,
                flag=_flag(record),
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
    user = require(ctx.user, Action.RECORD_IDM)  # the import use case does not check the user
    assert user is not None
    a = _a(ctx)
    if a.sha256 is None:  # a preview kept by an earlier version of the bot
        ctx.say(texts.IDM_FILE_AGAIN)
        ctx.goto(IdmStep.FILE)
        return
    source, records = _stored_records(a)
    ctx.end()
    # The rules are applied again: the desa, the year, or the same file imported by
    # somebody else since the preview was shown.
    [result] = import_idm_files(
        ctx.uow,
        [_idm_file(source, a.sha256, records)],
        kecamatan=ctx.kecamatan,
        now=ctx.now,
        importer=Importer(f"tg:{ctx.telegram_id}", ImportSource.BOT, user.id),
        explain=_explain(ctx),
    )
    lines = [
        texts.INDEKS_DESA_IMPORTED_LINE.format(
            desa=h(desa.nama),
            tahun=record.tahun,
            index=record.index.label,
            score=_shown(record.index, record.score),
            status=record.status.label,
            flag=_flag(record),
        )
        for desa, record in result.items
    ]
    ctx.say(
        texts.IDM_IMPORTED.format(
            name=h(source),
            inserted=result.summary.inserted,
            updated=result.summary.updated,
            lines="\n".join(lines),
        )
        + "\n"
        + texts.IDM_FILE_BATCH.format(id=result.batch.id)
    )


IDM: Flow[IdmStep, IdmAnswers] = Flow(
    name="idm",
    title=texts.IDM_TITLE,
    answers=IdmAnswers,
    # Typed in; the file (FILE, then PREVIEW) branches off at HOW.
    order=(
        IdmStep.HOW,
        IdmStep.YEAR,
        IdmStep.DESA,
        IdmStep.MODE,
        IdmStep.IKS,
        IdmStep.IKE,
        IdmStep.IKL,
        IdmStep.IDM,
        IdmStep.ID_SCORE,
        IdmStep.ID_STATUS,
        IdmStep.ID_SOURCE,
    ),
    summary=IdmStep.CONFIRM,
    steps={
        IdmStep.HOW: Step(_how_prompt, _how),
        IdmStep.YEAR: Step(_year_prompt, _year, frozenset({InputKind.CHOICE, InputKind.TEXT})),
        IdmStep.DESA: Step(_desa_prompt, _desa),
        IdmStep.MODE: Step(_mode_prompt, _mode, applies=_idm_year),
        IdmStep.IKS: _index_step(IdmStep.IKS),
        IdmStep.IKE: _index_step(IdmStep.IKE),
        IdmStep.IKL: _index_step(IdmStep.IKL),
        IdmStep.IDM: _index_step(IdmStep.IDM),
        IdmStep.ID_SCORE: Step(
            _id_score_prompt, _id_score, frozenset({InputKind.TEXT}), applies=_indeks_desa_year
        ),
        IdmStep.ID_STATUS: Step(_id_status_prompt, _id_status, applies=_indeks_desa_year),
        IdmStep.ID_SOURCE: Step(
            _id_source_prompt,
            _id_source,
            frozenset({InputKind.CHOICE, InputKind.TEXT}),
            applies=_indeks_desa_year,
        ),
        IdmStep.CONFIRM: Step(_confirm_prompt, _confirm),
        IdmStep.FILE: Step(
            _file_prompt, _file, frozenset({InputKind.DOCUMENT}), hint=texts.IDM_FILE_HINT
        ),
        IdmStep.PREVIEW: Step(
            _preview_prompt, _preview, frozenset({InputKind.CHOICE, InputKind.DOCUMENT})
        ),
    },
)


def _idm(ctx: Ctx, args: list[str]) -> None:
    """Staf Seksi PPD and admins only."""
    require(ctx.user, Action.RECORD_IDM)
    ctx.start(IDM)


def register(registry: Registry) -> None:
    """/idm with its conversation."""
    registry.flow(IDM)
    registry.command(
        CommandSpec(
            "idm", _idm, "Catat hasil IDM desa (isi atau kirim berkas)", action=Action.RECORD_IDM
        )
    )
