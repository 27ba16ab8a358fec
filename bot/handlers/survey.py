"""The citizens' SKM questionnaire (/skm, /start skm_<kode>) and its QR codes (/qr).

The questionnaire is anonymous: the answers go to ``skm_response`` (no Telegram id),
the conversation state (draft) is deleted in the same transaction, and a keyed hash
in its own table allows one response per person, service and semester
(``domain.survey.submit_survey``).

Every question is its own step (``q1`` ... ``q9``), so that a button of an earlier
question is stale by construction and never answers the current one.
"""

from __future__ import annotations

from bot import texts
from bot.conversation import (
    Button,
    CommandSpec,
    Ctx,
    Input,
    InputKind,
    Registry,
    Step,
    rows,
)
from bot.conversation.dialog import Flow
from bot.formatting import h
from bot.reports.qr import qr_png, survey_link
from domain.errors import InvalidInput
from domain.models import SkmService
from domain.permissions import Action, allowed, require
from domain.skm import JENIS_KELAMIN, PEKERJAAN, PENDIDIKAN, UNSUR, UNSUR_INFO
from domain.survey import (
    AlreadyAnswered,
    SurveyAnswers,
    already_answered,
    clean_saran,
    parse_age,
    submit_survey,
)

__all__ = ["register", "SurveyFlow"]

DEEP_LINK = "skm"
BACK = "back"
SKIP = "skip"
QUESTION_STEPS: tuple[str, ...] = tuple(f"q{number}" for number in range(1, len(UNSUR) + 1))


def _back_row() -> list[Button]:
    return [Button(texts.BACK, BACK)]


def _active_services(ctx: Ctx, kecamatan_id: int) -> list[SkmService]:
    return [s for s in ctx.uow.skm.list_services(kecamatan_id) if s.active]


def _kecamatan_id(ctx: Ctx) -> int:
    return int(ctx.data["kecamatan_id"])


def _answered(ctx: Ctx, question: str, label: str) -> None:
    """Show the chosen answer under the question (instead of just removing its buttons)."""
    ctx.edit_pressed(texts.SKM_ANSWERED.format(question=question, label=h(label)))


def _choice(given: Input, allowed: set[str] | frozenset[str]) -> str:
    """The pressed value, if it is one of ``allowed`` (else the question is asked again)."""
    if given.kind is not InputKind.CHOICE or given.text not in allowed:
        raise InvalidInput(texts.CHOOSE_BUTTON)
    return given.text


# -- consent and service ------------------------------------------------------------------


def _consent_prompt(ctx: Ctx) -> None:
    """Short intro and consent."""
    text = texts.SKM_INTRO.format(kecamatan=h(ctx.kecamatan.nama))
    if ctx.data.get("service_id") is not None:
        text += "\n" + texts.SKM_INTRO_SERVICE.format(layanan=h(ctx.data["layanan"]))
    ctx.say(text, [[Button(texts.SKM_AGREE, "yes"), Button(texts.NO, "no")]])


def _consent(ctx: Ctx, given: Input) -> None:
    """Setuju: on to the service (skipped when the link named one); Tidak: stop politely."""
    if _choice(given, {"yes", "no"}) == "no":
        ctx.end()
        ctx.say(texts.SKM_DECLINED)
        return
    ctx.goto("jk" if ctx.data.get("service_id") is not None else "service")


def _service_prompt(ctx: Ctx) -> None:
    """The active services of the kecamatan, one per row."""
    services = _active_services(ctx, _kecamatan_id(ctx))
    if not services:
        ctx.end()
        ctx.say(texts.SKM_NOT_OPEN.format(kecamatan=h(ctx.kecamatan.nama)))
        return
    ctx.say(texts.SKM_ASK_SERVICE, rows([Button(s.nama, str(s.id)) for s in services], 1))


def _service(ctx: Ctx, given: Input) -> None:
    """Keep the chosen service (it must still be active and of this kecamatan)."""
    if given.kind is not InputKind.CHOICE or not given.text.isdigit():
        raise InvalidInput(texts.CHOOSE_BUTTON)
    service = ctx.uow.skm.get_service(int(given.text))
    if service is None or service.kecamatan_id != _kecamatan_id(ctx) or not service.active:
        raise InvalidInput(texts.SKM_SERVICE_GONE)
    ctx.data.update(service_id=service.id, layanan=service.nama)
    _answered(ctx, texts.SKM_ASK_SERVICE, service.nama)
    ctx.goto("jk")


# -- profile ------------------------------------------------------------------------------


def _already(ctx: Ctx) -> bool:
    """End at once when this person already answered for the service this semester."""
    service_id = ctx.data.get("service_id")
    if service_id is None or not already_answered(
        ctx.uow,
        kecamatan_id=ctx.kecamatan.id,
        telegram_id=ctx.telegram_id,
        service_id=int(service_id),
        secret=ctx.services.skm_secret,
        day=ctx.now.date(),
    ):
        return False
    ctx.end()
    ctx.say(texts.SKM_ALREADY_EARLY.format(layanan=h(ctx.data.get("layanan", ""))))
    return True


def _jk_prompt(ctx: Ctx) -> None:
    """Jenis kelamin; Kembali shows the list of services."""
    if _already(ctx):
        return
    buttons = [Button(label, code) for code, label in JENIS_KELAMIN.items()]
    ctx.say(texts.SKM_ASK_JK, [buttons, _back_row()])


def _jk(ctx: Ctx, given: Input) -> None:
    """Keep L or P."""
    value = _choice(given, {*JENIS_KELAMIN, BACK})
    if value == BACK:
        ctx.goto("service")
        return
    ctx.data["jenis_kelamin"] = value
    _answered(ctx, texts.SKM_ASK_JK, JENIS_KELAMIN[value])
    ctx.goto("usia")


def _usia_prompt(ctx: Ctx) -> None:
    """Age, typed."""
    ctx.say(texts.SKM_ASK_USIA, [_back_row()])


def _usia(ctx: Ctx, given: Input) -> None:
    """A whole number of years, 15-100; or Kembali."""
    if given.kind is InputKind.CHOICE:
        _choice(given, {BACK})
        ctx.goto("jk")
        return
    ctx.data["usia"] = parse_age(given.text)
    ctx.goto("pendidikan")


def _pendidikan_prompt(ctx: Ctx) -> None:
    """Education, buttons."""
    buttons = [Button(value, value) for value in PENDIDIKAN]
    ctx.say(texts.SKM_ASK_PENDIDIKAN, [*rows(buttons, 4), _back_row()])


def _pendidikan(ctx: Ctx, given: Input) -> None:
    """Keep the education."""
    value = _choice(given, {*PENDIDIKAN, BACK})
    if value == BACK:
        ctx.goto("usia")
        return
    ctx.data["pendidikan"] = value
    _answered(ctx, texts.SKM_ASK_PENDIDIKAN, value)
    ctx.goto("pekerjaan")


def _pekerjaan_prompt(ctx: Ctx) -> None:
    """Occupation, buttons."""
    buttons = [Button(value, value) for value in PEKERJAAN]
    ctx.say(texts.SKM_ASK_PEKERJAAN, [*rows(buttons, 3), _back_row()])


def _pekerjaan(ctx: Ctx, given: Input) -> None:
    """Keep the occupation, then the first question."""
    value = _choice(given, {*PEKERJAAN, BACK})
    if value == BACK:
        ctx.goto("pendidikan")
        return
    ctx.data["pekerjaan"] = value
    _answered(ctx, texts.SKM_ASK_PEKERJAAN, value)
    ctx.goto(QUESTION_STEPS[0])


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
        previous = ctx.data.get("answers", {}).get(key)
        if previous is not None:
            text += texts.SKM_PREVIOUS.format(label=h(info.label(int(previous))))
        options = [[Button(label, str(score))] for score, label in enumerate(info.options, 1)]
        ctx.say(text, [*options, _back_row()])

    def handle(ctx: Ctx, given: Input) -> None:
        value = _choice(given, SCORES | {BACK})
        if value == BACK:
            ctx.goto(QUESTION_STEPS[index - 1] if index > 0 else "pekerjaan")
            return
        answers = dict(ctx.data.get("answers", {}))
        answers[key] = int(value)
        ctx.data["answers"] = answers
        _answered(ctx, question, info.label(int(value)))
        ctx.goto(QUESTION_STEPS[index + 1] if index + 1 < len(UNSUR) else "saran")

    return Step(prompt, handle)


# -- saran and submit ---------------------------------------------------------------------


def _saran_prompt(ctx: Ctx) -> None:
    """Optional suggestion."""
    ctx.say(texts.SKM_ASK_SARAN, [[Button(texts.SKIP, SKIP)], _back_row()])


def _saran(ctx: Ctx, given: Input) -> None:
    """Typed suggestion or Lewati; then store the response."""
    saran: str | None = None
    if given.kind is InputKind.CHOICE:
        if _choice(given, {SKIP, BACK}) == BACK:
            ctx.goto(QUESTION_STEPS[-1])
            return
    else:
        saran = clean_saran(given.text)
    _submit(ctx, saran)


def _submit(ctx: Ctx, saran: str | None) -> None:
    """Store the response and end the conversation in one transaction."""
    service = ctx.uow.skm.get_service(int(ctx.data["service_id"]))
    if service is None or not service.active:
        # Deactivated while the person was answering: choose again, keep the answers.
        ctx.say(texts.SKM_SERVICE_GONE)
        ctx.data.pop("service_id", None)
        ctx.goto("service")
        return
    data = dict(ctx.data)
    kecamatan_id = int(data["kecamatan_id"])
    survey = SurveyAnswers(
        service_id=service.id,
        jenis_kelamin=str(data["jenis_kelamin"]),
        usia=int(data["usia"]),
        pendidikan=str(data["pendidikan"]),
        pekerjaan=str(data["pekerjaan"]),
        answers={key: int(value) for key, value in dict(data.get("answers", {})).items()},
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
    ctx.say(texts.SKM_THANKS.format(layanan=h(service.nama), kecamatan=h(ctx.kecamatan.nama)))


class SurveyFlow(Flow):
    """The SKM questionnaire."""

    name = "skm"
    title = "survei kepuasan"
    first = "consent"
    steps = {
        "consent": Step(_consent_prompt, _consent),
        "service": Step(_service_prompt, _service),
        "jk": Step(_jk_prompt, _jk),
        "usia": Step(
            _usia_prompt,
            _usia,
            frozenset({InputKind.TEXT, InputKind.CHOICE}),
            hint=texts.SKM_USIA_HINT,
        ),
        "pendidikan": Step(_pendidikan_prompt, _pendidikan),
        "pekerjaan": Step(_pekerjaan_prompt, _pekerjaan),
        **{step: _question_step(index) for index, step in enumerate(QUESTION_STEPS)},
        "saran": Step(
            _saran_prompt,
            _saran,
            frozenset({InputKind.TEXT, InputKind.CHOICE}),
            hint=texts.SKM_SARAN_HINT,
        ),
    }


def _open_survey(ctx: Ctx, kode: str | None) -> None:
    """Start the questionnaire, with the service of the link when it is active."""
    kecamatan_id = ctx.kecamatan.id
    services = _active_services(ctx, kecamatan_id)
    if not services:
        ctx.say(texts.SKM_NOT_OPEN.format(kecamatan=h(ctx.kecamatan.nama)))
        if allowed(ctx.user, Action.MANAGE_SERVICES):
            ctx.say(texts.SKM_NOT_OPEN_HINT)
        return
    data: dict[str, object] = {"kecamatan_id": kecamatan_id}
    if kode is not None:
        chosen = ctx.uow.skm.get_service_by_code(kecamatan_id, kode)
        if chosen is not None and chosen.active:
            data.update(service_id=chosen.id, layanan=chosen.nama)
        else:
            ctx.say(texts.SKM_UNKNOWN_SERVICE.format(kode=h(kode)))
    ctx.start(SurveyFlow, data)


def _skm(ctx: Ctx, args: list[str]) -> None:
    """/skm, or /skm <kode>."""
    require(ctx.user, Action.ANSWER_SKM)
    _open_survey(ctx, args[0] if args else None)


def _skm_link(ctx: Ctx, payload: str) -> None:
    """/start skm or /start skm_<kode> (a QR code on a service desk)."""
    if payload == DEEP_LINK:
        _open_survey(ctx, None)
    else:
        kode = payload.removeprefix(f"{DEEP_LINK}_")
        _open_survey(ctx, kode or payload)


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
    for service in services:
        link = survey_link(username, service.kode)
        message = ctx.say(
            texts.QR_SERVICE.format(layanan=h(service.nama), kode=h(service.kode), link=h(link))
        )
        message.photo = qr_png(link)
    link = survey_link(username)
    message = ctx.say(texts.QR_GENERAL.format(link=h(link)))
    message.photo = qr_png(link)


def register(registry: Registry) -> None:
    """/skm (and its deep link) and /qr."""
    registry.flow(SurveyFlow.typed())
    registry.command(
        CommandSpec("skm", _skm, "Isi survei kepuasan layanan", action=Action.ANSWER_SKM)
    )
    registry.command(
        CommandSpec("qr", _qr, "Kode QR survei kepuasan per layanan", action=Action.MANAGE_SERVICES)
    )
    registry.deep_link(DEEP_LINK, _skm_link)
