"""The citizens' SKM questionnaire (/skm, /start skm_<kode>) and its QR codes (/qr).

The questionnaire is anonymous: the answers go to ``skm_response`` (no Telegram id),
the conversation state (draft) is deleted in the same transaction, and a keyed hash
in its own table allows one response per person, service and semester
(``domain.survey.submit_survey``). The draft holds the answers only: no Telegram id,
no name, and the suggestion is stored with the response, never with the draft.

Every question is its own step (``q1`` ... ``q9``), so that a button of an earlier
question is stale by construction and never answers the current one.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

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
    choice,
    rows,
)
from bot.formatting import h
from bot.reports.qr import qr_png, survey_link
from domain.errors import InvalidInput
from domain.models import Kecamatan, SkmService
from domain.permissions import Action, allowed, require
from domain.skm import JENIS_KELAMIN, PEKERJAAN_JAWABAN, PENDIDIKAN_JAWABAN, UNSUR, UNSUR_INFO
from domain.survey import (
    AlreadyAnswered,
    SurveyAnswers,
    already_answered,
    clean_saran,
    parse_age,
    submit_survey,
)

__all__ = ["register", "SKM", "SkmStep", "SkmAnswers"]

DEEP_LINK = "skm"
BACK = "back"  # the value of back_row()'s Kembali
SKIP = "skip"


class SkmStep(enum.StrEnum):
    CONSENT = "consent"
    SERVICE = "service"
    JK = "jk"
    USIA = "usia"
    PENDIDIKAN = "pendidikan"
    PEKERJAAN = "pekerjaan"
    Q1 = "q1"
    Q2 = "q2"
    Q3 = "q3"
    Q4 = "q4"
    Q5 = "q5"
    Q6 = "q6"
    Q7 = "q7"
    Q8 = "q8"
    Q9 = "q9"
    SARAN = "saran"


# One step per unsur, in the order of UNSUR (a tenth unsur needs a Q10 above).
QUESTIONS: tuple[SkmStep, ...] = tuple(SkmStep(f"q{n}") for n in range(1, len(UNSUR) + 1))


@dataclass(slots=True)
class SkmAnswers:
    """The questionnaire as far as it has been answered (anonymous: no Telegram id)."""

    kecamatan_id: int | None = None
    service_id: int | None = None
    layanan: str | None = None  # the service's name, for the texts
    jenis_kelamin: str | None = None
    usia: int | None = None
    pendidikan: str | None = None
    pekerjaan: str | None = None
    answers: dict[str, int] | None = None  # unsur -> score 1-4


def _a(ctx: Ctx) -> SkmAnswers:
    return ctx.answers(SkmAnswers)


def _active_services(ctx: Ctx, kecamatan_id: int) -> list[SkmService]:
    return [s for s in ctx.uow.skm.list_services(kecamatan_id) if s.active]


def _kecamatan_id(ctx: Ctx) -> int:
    kecamatan_id = _a(ctx).kecamatan_id
    if kecamatan_id is None:
        raise StaleDraft
    return kecamatan_id


def _survey_kecamatan(ctx: Ctx) -> Kecamatan:
    """The kecamatan the questionnaire is for (a link may name another than the default)."""
    kecamatan_id = _a(ctx).kecamatan_id
    if kecamatan_id is None or kecamatan_id == ctx.kecamatan.id:
        return ctx.kecamatan
    kec = ctx.uow.kecamatan.get(kecamatan_id)
    if kec is None:
        raise StaleDraft
    return kec


def _answered(ctx: Ctx, question: str, label: str) -> None:
    """Show the chosen answer under the question (instead of just removing its buttons)."""
    ctx.edit_pressed(texts.SKM_ANSWERED.format(question=question, label=h(label)))


# -- consent and service ------------------------------------------------------------------


def _consent_prompt(ctx: Ctx) -> None:
    """Short intro and consent."""
    a = _a(ctx)
    text = texts.SKM_INTRO.format(kecamatan=h(_survey_kecamatan(ctx).nama))
    if a.service_id is not None:
        text += "\n" + texts.SKM_INTRO_SERVICE.format(layanan=h(a.layanan or ""))
    ctx.say(text, [[Button(texts.SKM_AGREE, "yes"), Button(texts.NO, "no")]])


def _consent(ctx: Ctx, given: Input) -> None:
    """Setuju: on to the service (skipped when the link named one); Tidak: stop politely."""
    if choice(given, {"yes", "no"}) == "no":
        ctx.end()
        ctx.say(texts.SKM_DECLINED)
        return
    if _a(ctx).service_id is not None:
        # The link named the service: not asked (Kembali from the profile still offers
        # the list, so the step is not skipped in the flow's order).
        ctx.goto(SkmStep.JK)
        return
    ctx.next()


def _service_prompt(ctx: Ctx) -> None:
    """The active services of the kecamatan, one per row."""
    services = _active_services(ctx, _kecamatan_id(ctx))
    if not services:
        ctx.end()
        ctx.say(texts.SKM_NOT_OPEN.format(kecamatan=h(_survey_kecamatan(ctx).nama)))
        return
    ctx.say(texts.SKM_ASK_SERVICE, rows([Button(s.nama, str(s.id)) for s in services], 1))


def _service(ctx: Ctx, given: Input) -> None:
    """Keep the chosen service (it must still be active and of this kecamatan)."""
    if given.kind is not InputKind.CHOICE or not given.text.isdigit():
        raise InvalidInput(texts.CHOOSE_BUTTON)
    service = ctx.uow.skm.get_service(int(given.text))
    if service is None or service.kecamatan_id != _kecamatan_id(ctx) or not service.active:
        raise InvalidInput(texts.SKM_SERVICE_GONE)
    a = _a(ctx)
    a.service_id, a.layanan = service.id, service.nama
    _answered(ctx, texts.SKM_ASK_SERVICE, service.nama)
    ctx.next()


# -- profile ------------------------------------------------------------------------------


def _already(ctx: Ctx) -> bool:
    """End at once when this person already answered for the service this semester."""
    a = _a(ctx)
    if a.service_id is None or not already_answered(
        ctx.uow,
        kecamatan_id=_kecamatan_id(ctx),
        telegram_id=ctx.telegram_id,
        service_id=a.service_id,
        secret=ctx.services.skm_secret,
        day=ctx.now.date(),
    ):
        return False
    ctx.end()
    ctx.say(texts.SKM_ALREADY_EARLY.format(layanan=h(a.layanan or "")))
    return True


def _jk_prompt(ctx: Ctx) -> None:
    """Jenis kelamin; Kembali shows the list of services."""
    if _already(ctx):
        return
    buttons = [Button(label, code) for code, label in JENIS_KELAMIN.items()]
    ctx.say(texts.SKM_ASK_JK, [buttons, back_row()])


def _jk(ctx: Ctx, given: Input) -> None:
    """Keep L or P."""
    value = choice(given, {*JENIS_KELAMIN, BACK})
    if value == BACK:
        ctx.back()
        return
    _a(ctx).jenis_kelamin = value
    _answered(ctx, texts.SKM_ASK_JK, JENIS_KELAMIN[value])
    ctx.next()


def _usia_prompt(ctx: Ctx) -> None:
    """Age, typed."""
    ctx.say(texts.SKM_ASK_USIA, [back_row()])


def _usia(ctx: Ctx, given: Input) -> None:
    """A whole number of years, 15-100; or Kembali."""
    if given.kind is InputKind.CHOICE:
        choice(given, {BACK})
        ctx.back()
        return
    _a(ctx).usia = parse_age(given.text)
    ctx.next()


def _pendidikan_prompt(ctx: Ctx) -> None:
    """Education, buttons."""
    buttons = [Button(value, value) for value in PENDIDIKAN_JAWABAN]
    ctx.say(texts.SKM_ASK_PENDIDIKAN, [*rows(buttons, 4), back_row()])


def _pendidikan(ctx: Ctx, given: Input) -> None:
    """Keep the education."""
    value = choice(given, {*PENDIDIKAN_JAWABAN, BACK})
    if value == BACK:
        ctx.back()
        return
    _a(ctx).pendidikan = value
    _answered(ctx, texts.SKM_ASK_PENDIDIKAN, value)
    ctx.next()


def _pekerjaan_prompt(ctx: Ctx) -> None:
    """Occupation, buttons."""
    buttons = [Button(value, value) for value in PEKERJAAN_JAWABAN]
    ctx.say(texts.SKM_ASK_PEKERJAAN, [*rows(buttons, 3), back_row()])


def _pekerjaan(ctx: Ctx, given: Input) -> None:
    """Keep the occupation, then the first question."""
    value = choice(given, {*PEKERJAAN_JAWABAN, BACK})
    if value == BACK:
        ctx.back()
        return
    _a(ctx).pekerjaan = value
    _answered(ctx, texts.SKM_ASK_PEKERJAAN, value)
    ctx.next()


# -- the nine questions -------------------------------------------------------------------

SCORES = frozenset(str(score) for score in range(1, 5))


def _question_step(index: int) -> Step:
    """The step of the ``index``-th unsur (0-based): official wording, four labelled options."""
    key = UNSUR[index]
    info = UNSUR_INFO[key]

    question = texts.SKM_QUESTION.format(
        number=info.number, total=len(UNSUR), name=h(info.name), question=h(info.question)
    )

    def prompt(ctx: Ctx) -> None:
        text = question
        previous = (_a(ctx).answers or {}).get(key)
        if previous is not None:
            text += texts.SKM_PREVIOUS.format(label=h(info.label(int(previous))))
        options = [[Button(label, str(score))] for score, label in enumerate(info.options, 1)]
        ctx.say(text, [*options, back_row()])

    def handle(ctx: Ctx, given: Input) -> None:
        value = choice(given, SCORES | {BACK})
        if value == BACK:
            ctx.back()  # the previous question; from the first, the occupation
            return
        a = _a(ctx)
        a.answers = {**(a.answers or {}), key: int(value)}
        _answered(ctx, question, info.label(int(value)))
        ctx.next()  # the next question; after the last, the suggestion

    return Step(prompt, handle)


# -- saran and submit ---------------------------------------------------------------------


def _saran_prompt(ctx: Ctx) -> None:
    """Optional suggestion."""
    ctx.say(texts.SKM_ASK_SARAN, [[Button(texts.SKIP, SKIP)], back_row()])


def _saran(ctx: Ctx, given: Input) -> None:
    """Typed suggestion or Lewati; then store the response."""
    saran: str | None = None
    if given.kind is InputKind.CHOICE:
        if choice(given, {SKIP, BACK}) == BACK:
            ctx.back()
            return
    else:
        saran = clean_saran(given.text)
    _submit(ctx, saran)


def _submit(ctx: Ctx, saran: str | None) -> None:
    """Store the response and end the conversation in one transaction."""
    a = _a(ctx)
    service = ctx.uow.skm.get_service(a.service_id) if a.service_id is not None else None
    if service is None or not service.active:
        # Deactivated while the person was answering: choose again, keep the answers.
        ctx.say(texts.SKM_SERVICE_GONE)
        a.service_id = None
        ctx.goto(SkmStep.SERVICE)
        return
    kecamatan_id = _kecamatan_id(ctx)
    if a.jenis_kelamin is None or a.usia is None or a.pendidikan is None or a.pekerjaan is None:
        raise StaleDraft
    survey = SurveyAnswers(
        service_id=service.id,
        jenis_kelamin=a.jenis_kelamin,
        usia=a.usia,
        pendidikan=a.pendidikan,
        pekerjaan=a.pekerjaan,
        answers={key: int(value) for key, value in (a.answers or {}).items()},
        saran=saran,
    )
    ctx.end()
    try:
        submit_survey(
            ctx.uow,
            kecamatan_id=kecamatan_id,
            telegram_id=ctx.telegram_id,
            survey=survey,
            secret=ctx.services.skm_secret,
            now=ctx.now,
        )
    except AlreadyAnswered as refused:
        # Nothing was stored (someone answered with the same account meanwhile).
        # Answering again would be refused again: the conversation ends (the engine
        # commits that) instead of asking the last question once more.
        ctx.say(f"{h(refused)}\n{texts.SKM_ALREADY_HINT}")
        return
    kec = _survey_kecamatan(ctx)
    ctx.say(texts.SKM_THANKS.format(layanan=h(service.nama), kecamatan=h(kec.nama)))


_CHOICE_TEXT = frozenset({InputKind.TEXT, InputKind.CHOICE})
SKM: Flow[SkmStep, SkmAnswers] = Flow(
    name="skm",
    title="survei kepuasan",
    answers=SkmAnswers,
    order=(
        SkmStep.CONSENT,
        SkmStep.SERVICE,
        SkmStep.JK,
        SkmStep.USIA,
        SkmStep.PENDIDIKAN,
        SkmStep.PEKERJAAN,
        *QUESTIONS,
        SkmStep.SARAN,
    ),
    steps={
        SkmStep.CONSENT: Step(_consent_prompt, _consent),
        SkmStep.SERVICE: Step(_service_prompt, _service),
        SkmStep.JK: Step(_jk_prompt, _jk),
        SkmStep.USIA: Step(_usia_prompt, _usia, _CHOICE_TEXT, hint=texts.SKM_USIA_HINT),
        SkmStep.PENDIDIKAN: Step(_pendidikan_prompt, _pendidikan),
        SkmStep.PEKERJAAN: Step(_pekerjaan_prompt, _pekerjaan),
        **{step: _question_step(index) for index, step in enumerate(QUESTIONS)},
        SkmStep.SARAN: Step(_saran_prompt, _saran, _CHOICE_TEXT, hint=texts.SKM_SARAN_HINT),
    },
)


def _open_survey(ctx: Ctx, kode: str | None, kecamatan: Kecamatan | None = None) -> None:
    """Start the questionnaire, with the service of the link when it is active.

    ``kecamatan`` is the one a link named (default: the deployment's kecamatan).
    """
    kec = kecamatan if kecamatan is not None else ctx.kecamatan
    kecamatan_id = kec.id
    services = _active_services(ctx, kecamatan_id)
    if not services:
        ctx.say(texts.SKM_NOT_OPEN.format(kecamatan=h(kec.nama)))
        if allowed(ctx.user, Action.MANAGE_SERVICES):
            ctx.say(texts.SKM_NOT_OPEN_HINT)
        return
    answers = SkmAnswers(kecamatan_id=kecamatan_id)
    if kode is not None:
        chosen = ctx.uow.skm.get_service_by_code(kecamatan_id, kode)
        if chosen is not None and chosen.active:
            answers.service_id, answers.layanan = chosen.id, chosen.nama
        elif chosen is not None:  # the citizen knows the service by its name, not its code
            ctx.say(texts.SKM_SERVICE_CLOSED.format(nama=h(chosen.nama)))
        else:
            ctx.say(texts.SKM_UNKNOWN_SERVICE)
    ctx.start(SKM, answers)


def _skm(ctx: Ctx, args: list[str]) -> None:
    """/skm, or /skm <kode>."""
    require(ctx.user, Action.ANSWER_SKM)
    _open_survey(ctx, args[0] if args else None)


_KECAMATAN_BPS = re.compile(r"\d{7}")


def _skm_link(ctx: Ctx, payload: str) -> None:
    """/start skm, skm_<kode>, skm_<kecamatan BPS code> or skm_<kecamatan BPS code>_<kode>.

    A QR code on a service desk. Without a kecamatan the link is of the deployment's
    kecamatan (links printed before there were several keep working). A first part of
    seven digits followed by "_" is the kecamatan's BPS code; seven digits alone are a
    kecamatan's code when one has it, else (as before) a service code of the default
    kecamatan. An unknown kecamatan gets the polite "unknown service" message and the
    deployment's own list.
    """
    if payload == DEEP_LINK:
        _open_survey(ctx, None)
        return
    rest = payload.removeprefix(f"{DEEP_LINK}_")
    head, _, tail = rest.partition("_")
    if _KECAMATAN_BPS.fullmatch(head):
        kec = ctx.uow.kecamatan.get_by_code(head)
        if kec is None and not tail:
            _open_survey(ctx, head)
            return
        if kec is None:
            ctx.say(texts.SKM_UNKNOWN_SERVICE)
            _open_survey(ctx, None)
            return
        _open_survey(ctx, tail or None, kec)
        return
    _open_survey(ctx, rest or payload)


# -- /qr ----------------------------------------------------------------------------------


def _qr(ctx: Ctx, args: list[str]) -> None:
    """A QR code and link per active service, and the general link."""
    require(ctx.user, Action.MANAGE_SERVICES)
    services = _active_services(ctx, ctx.kecamatan.id)
    if not services:
        ctx.say(texts.QR_NONE)
        return
    username = ctx.services.bot_username
    ctx.say(texts.QR_HEADER)
    # Several kecamatan in one deployment: the links name this one.
    several = len(ctx.uow.kecamatan.list()) > 1
    kecamatan_bps = ctx.kecamatan.kode_bps if several else None
    for service in services:
        link = survey_link(username, service.kode, kecamatan_bps)
        message = ctx.say(
            texts.QR_SERVICE.format(layanan=h(service.nama), kode=h(service.kode), link=h(link))
        )
        message.photo = qr_png(link)
    link = survey_link(username, None, kecamatan_bps)
    message = ctx.say(texts.QR_GENERAL.format(link=h(link)))
    message.photo = qr_png(link)


def register(registry: Registry) -> None:
    """/skm (and its deep link) and /qr."""
    registry.flow(SKM)
    registry.command(
        CommandSpec("skm", _skm, "Isi survei kepuasan layanan", action=Action.ANSWER_SKM)
    )
    registry.command(
        CommandSpec("qr", _qr, "Kode QR survei kepuasan per layanan", action=Action.MANAGE_SERVICES)
    )
    registry.deep_link(DEEP_LINK, _skm_link)
