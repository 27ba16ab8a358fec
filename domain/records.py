"""IDM results typed in by Seksi PPD and desa tematik recorded by Seksi PMD.

Decisions:
- A typed IDM is either the three indices IKS, IKE and IKL (IDM is their mean) or
  the IDM alone; each 0-1, at most 14 decimals (as Kemendesa publishes), typed with
  a comma or a point. The status is computed from the exact value.
- A result says which index it is. The Indeks Desa (2025 on, as
  ``domain.idm.index_for_year`` says) is typed as published: the score 0-100 (at most
  14 decimals), the status the year's decree sets (never computed from the score) and
  that decree (3-200 characters; for 2025 the office is offered Kepmendes No. 343
  Tahun 2025); it is refused for the IDM years. An IDM stays possible for any year
  (a file of IDM scores for 2025 is still an IDM, counted by the IDM rule); the bot's
  typed-in /idm asks for the index of the year (IDM up to 2024, Indeks Desa after).
- A desa tematik reference (SK number) is 3-200 characters; the theme "Lainnya"
  carries its own text (3-100 characters). The same desa may hold several themes;
  IKU 2 counts it once. Recording the same desa, theme and year twice is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from domain.errors import InvalidInput, NotFound
from domain.idm import (
    IdmStatus,
    NextStatus,
    VillageIndex,
    compute_idm,
    idm_status,
    index_for_year,
    next_status,
    score_to_decimal,
)
from domain.models import Desa, DesaTematik, IdmResult, Tema, User
from domain.permissions import Action, Forbidden, require
from domain.ports import UnitOfWork

__all__ = [
    "YEAR_MIN",
    "TEMA_LABEL",
    "parse_index",
    "parse_indeks_desa_score",
    "clean_status_source",
    "INDEKS_DESA_DECREES",
    "parse_year",
    "clean_reference",
    "clean_tema_lainnya",
    "IdmEntry",
    "IndeksDesaEntry",
    "record_idm",
    "record_indeks_desa",
    "record_tematik",
    "end_tematik",
]

YEAR_MIN = 2015  # the first IDM year published by Kemendesa

_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]{1,14})?")


def parse_index(text: str, name: str) -> Decimal:
    """A typed index 0-1 ("0,7512" or "0.7512"), at most 14 decimals."""
    value = text.strip()
    if not _NUMBER.fullmatch(value):
        raise InvalidInput(
            f"{name} harus berupa angka 0-1, misalnya 0,7512 (paling banyak 14 desimal)."
        )
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise InvalidInput(f"{name} harus berupa angka.") from None
    if not 0 <= number <= 1:
        raise InvalidInput(f"{name} harus di antara 0 dan 1 (diterima {value}).")
    return number


# The decree that set each Indeks Desa year's statuses, where the office knows it.
INDEKS_DESA_DECREES: dict[int, str] = {2025: "Kepmendes No. 343 Tahun 2025"}


def parse_indeks_desa_score(text: str) -> Decimal:
    """A typed Indeks Desa score 0-100 ("72,45" or "72.45"), at most 14 decimals."""
    value = text.strip()
    if not _NUMBER.fullmatch(value):
        raise InvalidInput(
            "Skor Indeks Desa harus berupa angka 0-100, misalnya 72,45 (paling banyak 14 desimal)."
        )
    number = Decimal(value.replace(",", "."))
    if not 0 <= number <= 100:
        raise InvalidInput(f"Skor Indeks Desa harus di antara 0 dan 100 (diterima {value}).")
    return number


def clean_status_source(text: str) -> str:
    """The decree (or document) that published the status: 3-200 characters."""
    value = " ".join(text.split())
    if not 3 <= len(value) <= 200:
        raise InvalidInput(
            "Sumber status harus 3-200 karakter, misalnya Kepmendes No. 343 Tahun 2025."
        )
    return value


def parse_year(text: str, current_year: int) -> int:
    """A year 2015 .. this year."""
    value = text.strip()
    if not (value.isascii() and value.isdigit() and len(value) == 4):
        raise InvalidInput("Tulis tahun dengan 4 angka, misalnya 2026.")
    year = int(value)
    if not YEAR_MIN <= year <= current_year:
        raise InvalidInput(f"Tahun harus antara {YEAR_MIN} dan {current_year}.")
    return year


@dataclass(frozen=True, slots=True)
class IdmEntry:
    """What was stored and what the desa still needs for the next status."""

    result: IdmResult
    previous: IdmResult | None
    next: NextStatus


@dataclass(frozen=True, slots=True)
class IndeksDesaEntry:
    """What was stored (no score still needed: no Indeks Desa threshold is confirmed)."""

    result: IdmResult
    previous: IdmResult | None


def record_idm(
    uow: UnitOfWork,
    *,
    user: User | None,
    desa_id: int,
    tahun: int,
    now: datetime,
    iks: Decimal | None = None,
    ike: Decimal | None = None,
    ikl: Decimal | None = None,
    idm: Decimal | None = None,
) -> IdmEntry:
    """Store a desa's IDM for a year from its three indices or the IDM alone.

    The caller commits.
    """
    actor, desa = _desa_for_index(uow, user, desa_id, tahun, now)
    indices = (iks, ike, ikl)
    exact: Fraction
    if all(v is not None for v in indices) and idm is None:
        assert iks is not None
        assert ike is not None
        assert ikl is not None
        for name, value in (("IKS", iks), ("IKE", ike), ("IKL", ikl)):
            if not 0 <= value <= 1:
                raise InvalidInput(f"{name} harus di antara 0 dan 1.")
        exact = compute_idm(iks, ike, ikl)
    elif idm is not None and all(v is None for v in indices):
        if not 0 <= idm <= 1:
            raise InvalidInput("IDM harus di antara 0 dan 1.")
        exact = Fraction(idm)
    else:
        raise InvalidInput("Isi ketiga indeks (IKS, IKE, IKL) atau nilai IDM saja.")
    status: IdmStatus = idm_status(exact)
    previous = uow.idm.get(desa.id, tahun)
    result = IdmResult(
        desa_id=desa.id,
        tahun=tahun,
        score=score_to_decimal(exact),
        status=status,
        iks=iks,
        ike=ike,
        ikl=ikl,
        source=f"bot:{actor.telegram_id}",
    )
    uow.idm.upsert(result)
    uow.audit.record(
        actor=f"tg:{actor.telegram_id}",
        action="record_idm",
        entity="idm_result",
        entity_id=f"{desa.kode}/{tahun}",
        detail={"idm": str(result.score), "status": status.value},
        user_id=actor.id,
        at=now,
    )
    return IdmEntry(result, previous, next_status(exact))


def _desa_for_index(
    uow: UnitOfWork, user: User | None, desa_id: int, tahun: int, now: datetime
) -> tuple[User, Desa]:
    actor = require(user, Action.RECORD_IDM)
    assert actor is not None
    desa = uow.desa.get(desa_id)
    if desa is None or desa.kecamatan_id != actor.kecamatan_id:
        raise NotFound("Desa tersebut bukan desa kecamatan Anda.")
    if not YEAR_MIN <= tahun <= now.year:
        raise InvalidInput(f"Tahun harus antara {YEAR_MIN} dan {now.year}.")
    return actor, desa


def record_indeks_desa(
    uow: UnitOfWork,
    *,
    user: User | None,
    desa_id: int,
    tahun: int,
    now: datetime,
    score: Decimal,
    status: IdmStatus,
    status_source: str,
) -> IndeksDesaEntry:
    """Store a desa's published Indeks Desa for a year: score, status and its decree.

    The status is the published one, never computed from the score. The caller commits.
    """
    actor, desa = _desa_for_index(uow, user, desa_id, tahun, now)
    if index_for_year(tahun) is not VillageIndex.INDEKS_DESA:
        raise InvalidInput(
            f"Hasil tahun {tahun} memakai IDM (0-1); Indeks Desa dipakai mulai tahun 2025."
        )
    if not 0 <= score <= 100:
        raise InvalidInput("Skor Indeks Desa harus di antara 0 dan 100.")
    source = clean_status_source(status_source)
    previous = uow.idm.get(desa.id, tahun)
    result = IdmResult(
        desa_id=desa.id,
        tahun=tahun,
        score=score,
        status=status,
        status_published=status.label,
        source=f"bot:{actor.telegram_id}",
        index=VillageIndex.INDEKS_DESA,
        status_source=source,
    )
    uow.idm.upsert(result)
    uow.audit.record(
        actor=f"tg:{actor.telegram_id}",
        action="record_idm",
        entity="idm_result",
        entity_id=f"{desa.kode}/{tahun}",
        detail={
            "indeks": VillageIndex.INDEKS_DESA.value,
            "skor": str(score),
            "status": status.value,
            "sumber_status": source,
        },
        user_id=actor.id,
        at=now,
    )
    return IndeksDesaEntry(result, previous)


TEMA_LABEL: dict[Tema, str] = {
    Tema.BUDAYA: "Budaya",
    Tema.PETERNAKAN: "Peternakan",
    Tema.WISATA: "Wisata",
    Tema.UMKM: "UMKM",
    Tema.PERIKANAN: "Perikanan",
    Tema.LAINNYA: "Lainnya",
}


def clean_reference(text: str) -> str:
    """The SK number or other reference: 3-200 characters."""
    value = " ".join(text.split())
    if not 3 <= len(value) <= 200:
        raise InvalidInput(
            "Referensi (nomor SK) harus 3-200 karakter, misalnya 188/45/432.312/2026."
        )
    return value


def clean_tema_lainnya(text: str) -> str:
    """The name of a theme outside the list: 3-100 characters."""
    value = " ".join(text.split())
    if not 3 <= len(value) <= 100:
        raise InvalidInput("Nama tema harus 3-100 karakter.")
    return value


def record_tematik(
    uow: UnitOfWork,
    *,
    user: User | None,
    desa_id: int,
    tema: Tema,
    tahun: int,
    referensi: str,
    now: datetime,
    tema_lainnya: str | None = None,
    document_file_id: str | None = None,
) -> DesaTematik:
    """Record a desa tematik for a year; the caller commits."""
    actor = require(user, Action.RECORD_TEMATIK)
    assert actor is not None
    desa = uow.desa.get(desa_id)
    if desa is None or desa.kecamatan_id != actor.kecamatan_id:
        raise NotFound("Desa tersebut bukan desa kecamatan Anda.")
    if not YEAR_MIN <= tahun <= now.year + 1:
        raise InvalidInput(f"Tahun harus antara {YEAR_MIN} dan {now.year + 1}.")
    lainnya = clean_tema_lainnya(tema_lainnya or "") if tema is Tema.LAINNYA else None
    for existing in uow.tematik.list_active(actor.kecamatan_id, tahun):
        if (
            existing.desa_id == desa.id
            and existing.tema is tema
            and (existing.tema_lainnya or "").lower() == (lainnya or "").lower()
        ):
            raise InvalidInput(
                f"Desa {desa.nama} sudah tercatat sebagai desa tematik "
                f"{TEMA_LABEL[tema].lower()} tahun {tahun}."
            )
    item = uow.tematik.add(
        DesaTematik(
            id=0,
            desa_id=desa.id,
            tema=tema,
            tahun=tahun,
            referensi=clean_reference(referensi),
            tema_lainnya=lainnya,
            document_file_id=document_file_id,
        )
    )
    uow.audit.record(
        actor=f"tg:{actor.telegram_id}",
        action="record_tematik",
        entity="desa_tematik",
        entity_id=str(item.id),
        detail={"desa": desa.kode, "tema": tema.value, "tahun": tahun},
        user_id=actor.id,
        at=now,
    )
    return item


def end_tematik(
    uow: UnitOfWork, *, user: User | None, tematik_id: int, now: datetime
) -> DesaTematik:
    """End an active designation; it no longer counts for IKU 2 of its year.

    The caller commits.
    """
    actor = require(user, Action.RECORD_TEMATIK)
    assert actor is not None
    item = uow.tematik.get(tematik_id)
    if item is None:
        raise NotFound("Data desa tematik ini tidak ditemukan.")
    desa = uow.desa.get(item.desa_id)
    if desa is None or desa.kecamatan_id != actor.kecamatan_id:
        raise Forbidden("Data ini milik kecamatan lain.")
    if not item.active or not uow.tematik.end(item.id, now):
        raise InvalidInput("Desa tematik ini sudah diakhiri sebelumnya.")
    uow.audit.record(
        actor=f"tg:{actor.telegram_id}",
        action="end_tematik",
        entity="desa_tematik",
        entity_id=str(item.id),
        user_id=actor.id,
        at=now,
    )
    return replace(item, active=False)
