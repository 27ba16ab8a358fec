"""The SKM questionnaire answered by citizens in chat: anonymous, once per period.

Decisions:
- One response per person per service per semester (SKM is usually reported per
  semester). The person is recognised only through a keyed hash
  HMAC-SHA256(secret, telegram id | kecamatan | service | period), stored in its own
  table with nothing that links it to the answers: no id, no time, no insertion order
  on SQLite; a response keeps only its survey day. Without the server's secret the
  hash cannot be traced back to a Telegram account.
- Anonymous also to whoever holds the database and the secret: the answers do not
  go to the response table in the submitting transaction but to a pool
  (``uow.skm.pool_response``); :func:`flush_survey_pool` writes the pooled answers
  as responses in a random order and rewrites the hashes in hash order, so that no
  id, time, physical order or transaction id pairs a hash with its answers
  (README "Anonimitas SKM"). Every figure counts the pool as well.
- Age: a whole number of years, 15-100 (younger people are not asked; domain.md
  does not set a bound, the questionnaire is for adult service users).
- All nine unsur are answered in chat (buttons); the suggestion is optional, up to
  1000 characters.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from domain.errors import InvalidInput, NotFound
from domain.models import SkmResponse
from domain.ports import UnitOfWork
from domain.skm import (
    JENIS_KELAMIN,
    PEKERJAAN_JAWABAN,
    PENDIDIKAN_JAWABAN,
    UNSUR,
    InvalidAnswers,
    validate_answers,
)

__all__ = [
    "AGE_MIN",
    "AGE_MAX",
    "SARAN_MAX",
    "survey_period",
    "dedup_key",
    "parse_age",
    "clean_saran",
    "AlreadyAnswered",
    "SurveyAnswers",
    "submit_survey",
    "already_answered",
    "flush_survey_pool",
    "SKM_BATCH_SIZE",
]

AGE_MIN = 15
AGE_MAX = 100
SARAN_MAX = 1000
SKM_BATCH_SIZE = 10  # pooled answers of a kecamatan that start a flush (setting)


def survey_period(day: date) -> str:
    """The period a response counts for: the semester ("2026-S2")."""
    return f"{day.year}-S{1 if day.month <= 6 else 2}"


def dedup_key(
    secret: bytes, *, telegram_id: int, kecamatan_id: int, service_id: int, day: date
) -> str:
    """HMAC-SHA256 hex of who answered what in which period (not reversible without secret)."""
    message = f"{telegram_id}|{kecamatan_id}|{service_id}|{survey_period(day)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def parse_age(text: str) -> int:
    """A typed age: digits only, 15-100."""
    value = text.strip().lower().removesuffix("tahun").strip()
    if not value.isascii() or not value.isdigit():
        raise InvalidInput("Tulis usia dengan angka saja, misalnya 35.")
    age = int(value)
    if not AGE_MIN <= age <= AGE_MAX:
        raise InvalidInput(f"Usia harus antara {AGE_MIN} dan {AGE_MAX} tahun.")
    return age


def clean_saran(text: str) -> str:
    """An optional suggestion, up to 1000 characters."""
    value = "\n".join(" ".join(line.split()) for line in text.strip().splitlines()).strip()
    if not value:
        raise InvalidInput("Saran kosong. Tulis saran Anda, atau pilih Lewati.")
    if len(value) > SARAN_MAX:
        raise InvalidInput(f"Saran terlalu panjang (maksimal {SARAN_MAX} karakter).")
    return value


class AlreadyAnswered(InvalidInput):
    """This person already answered for this service in this period."""


@dataclass(frozen=True, slots=True)
class SurveyAnswers:
    """A complete questionnaire as collected in chat."""

    service_id: int
    jenis_kelamin: str
    usia: int
    pendidikan: str
    pekerjaan: str
    answers: dict[str, int]
    saran: str | None = None


def already_answered(
    uow: UnitOfWork,
    *,
    kecamatan_id: int,
    telegram_id: int,
    service_id: int,
    secret: bytes,
    day: date,
) -> bool:
    """Whether this person already answered for this service in the period of ``day``."""
    key = dedup_key(
        secret, telegram_id=telegram_id, kecamatan_id=kecamatan_id, service_id=service_id, day=day
    )
    return uow.skm.has_dedup(key)


def submit_survey(
    uow: UnitOfWork,
    *,
    kecamatan_id: int,
    telegram_id: int,
    survey: SurveyAnswers,
    secret: bytes,
    now: datetime,
) -> None:
    """Pool one anonymous response, refusing a second one for the same service and period.

    The caller commits. A refusal (:class:`AlreadyAnswered`) writes nothing.
    """
    service = uow.skm.get_service(survey.service_id)
    if service is None or service.kecamatan_id != kecamatan_id or not service.active:
        raise NotFound("Layanan ini tidak tersedia lagi untuk survei.")
    if survey.jenis_kelamin not in JENIS_KELAMIN:
        raise InvalidInput("Jenis kelamin tidak dikenal.")
    if survey.pendidikan not in PENDIDIKAN_JAWABAN or survey.pekerjaan not in PEKERJAAN_JAWABAN:
        raise InvalidInput("Pendidikan atau pekerjaan tidak dikenal.")
    if not AGE_MIN <= survey.usia <= AGE_MAX:
        raise InvalidInput(f"Usia harus antara {AGE_MIN} dan {AGE_MAX} tahun.")
    if set(survey.answers) != set(UNSUR):
        raise InvalidInput("Kesembilan pertanyaan harus dijawab.")
    try:
        answers = validate_answers(dict(survey.answers))
    except InvalidAnswers as error:
        raise InvalidInput("Jawaban survei tidak valid: " + "; ".join(error.problems)) from None
    key = dedup_key(
        secret,
        telegram_id=telegram_id,
        kecamatan_id=kecamatan_id,
        service_id=service.id,
        day=now.date(),
    )
    if not uow.skm.claim_dedup(key, survey_period(now.date())):  # nothing written if False
        raise AlreadyAnswered(
            f"Anda sudah mengisi survei untuk layanan {service.nama} pada semester ini. "
            "Terima kasih atas partisipasi Anda."
        )
    uow.skm.pool_response(
        SkmResponse(
            kecamatan_id=kecamatan_id,
            survey_date=now.date(),
            answers=answers,
            service_id=service.id,
            jenis_kelamin=survey.jenis_kelamin,
            usia=survey.usia,
            pendidikan=survey.pendidikan,
            pekerjaan=survey.pekerjaan,
            saran=None if survey.saran is None else clean_saran(survey.saran),
            source="bot",
        )
    )
    # No audit entry: an audit row with a time next to a response would undo anonymity.


def flush_survey_pool(
    uow: UnitOfWork, *, batch_size: int | None = None, rng: random.Random | None = None
) -> int:
    """Move the whole pool into the responses in a random order; how many moved.

    With ``batch_size``, only when some kecamatan has at least that many answers
    waiting (the periodic check); without, whatever waits (the end of the day).
    ``rng`` is for tests (a fixed seed); by default the operating system's randomness.
    The caller commits; a crash before that leaves every answer in the pool.
    """
    if batch_size is not None and max(uow.skm.pool_sizes().values(), default=0) < batch_size:
        return 0
    ordered = uow.skm.take_pool()  # by content: nothing of the order of answering
    if not ordered:
        return 0
    (rng or secrets.SystemRandom()).shuffle(ordered)
    uow.skm.store_flushed(ordered)
    return len(ordered)
