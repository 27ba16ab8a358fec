"""End to end over HTTP: the real bot polls telegram-test-api, users talk through it.

What these catch that the in-process tests cannot: PTB's real HTTP client, the polling
loop, JSON decoding of the server's answers, the start-up calls and the failures of a
server that does not implement a method. Each test checks what the user sees and, where
it matters, what the database holds.
"""

from __future__ import annotations

import logging

import pytest

from bot import texts
from bot.runtime import Runtime
from domain.models import Role, UserStatus
from tests.e2e.conftest import ADMIN, BotMessage, Client, LiveBot, Person

SITI = Person(700001, "Siti Aminah")


def _no_errors(caplog: pytest.LogCaptureFixture) -> None:
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []


async def _one(client: Client, person: Person) -> BotMessage:
    """The next message the bot sends ``person`` (exactly one expected)."""
    got = await client.bot_messages(person.id, 1)
    assert len(got) == 1, got
    return got[0]


async def _register(client: Client, person: Person) -> BotMessage:
    """/daftar as perangkat desa of Trasak, through the real buttons; returns the summary."""
    await client.send_command(person, "/daftar")
    intro, question = await client.bot_messages(person.id, 2)
    assert intro.text == texts.REG_INTRO
    assert question.text == texts.REG_ASK_ROLE
    await client.press(person, question, "Perangkat desa")
    question = await _one(client, person)
    assert question.text == texts.REG_ASK_DESA
    assert "Trasak" in question.labels
    await client.press(person, question, "Trasak")
    assert (await _one(client, person)).text == texts.REG_ASK_NAME
    await client.send_message(person, "Siti Aminah")
    assert (await _one(client, person)).text == texts.REG_ASK_JABATAN
    await client.send_message(person, "Sekretaris Desa")
    summary = await _one(client, person)
    assert "Perangkat Desa Trasak" in summary.text
    return summary


async def test_start_greets_the_user_with_the_kecamatan_name(
    bot: LiveBot, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    await client.send_command(SITI, "/start")

    greeting, hint = await client.bot_messages(SITI.id, 2)
    assert "Kecamatan Larangan" in greeting.text
    assert hint.text == texts.START_CITIZEN
    _no_errors(caplog)


async def test_bantuan_lists_the_commands_a_stranger_may_use(bot: LiveBot, client: Client) -> None:
    await client.send_command(SITI, "/bantuan")

    help_text = (await _one(client, SITI)).text
    assert help_text.startswith(texts.HELP_HEADER)
    for command in ("/daftar", "/skm", "/profil", "/bantuan", "/batal"):
        assert command in help_text
    assert "/pengguna" not in help_text  # admins only
    assert texts.HELP_UNREGISTERED in help_text


async def test_registration_through_real_buttons_reaches_the_admin(
    bot: LiveBot, client: Client, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    await client.send_command(ADMIN, "/start")  # the admin is registered on first contact
    assert len(await client.bot_messages(ADMIN.id, 2)) == 2

    summary = await _register(client, SITI)
    await client.press(SITI, summary, texts.SEND)

    assert (await _one(client, SITI)).text == texts.REG_SENT
    card = await _one(client, ADMIN)
    assert "Pendaftaran baru" in card.text
    assert "Siti Aminah" in card.text
    assert "Perangkat Desa Trasak" in card.text
    assert card.labels == [texts.APPROVE, texts.REJECT]
    with runtime.uow() as uow:
        user = uow.users.get_by_telegram_id(SITI.id)
        assert user is not None
        desa = uow.desa.get(user.desa_id or 0)
        assert uow.drafts.get(SITI.id, SITI.id) is None
    assert (user.status, user.role, user.jabatan) == (
        UserStatus.PENDING,
        Role.PERANGKAT_DESA,
        "Sekretaris Desa",
    )
    assert desa is not None
    assert desa.nama == "Trasak"
    # Every accepted press took the buttons off its question (edits answered by the repair).
    assert bot.request is not None
    edits = bot.request.called("editMessageReplyMarkup")
    assert [call.status for call in edits] == [200, 200, 200]
    _no_errors(caplog)


async def test_the_admin_approves_on_the_card_and_the_user_is_welcomed(
    bot: LiveBot, client: Client, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    await client.send_command(ADMIN, "/start")
    assert len(await client.bot_messages(ADMIN.id, 2)) == 2
    await client.press(SITI, await _register(client, SITI), texts.SEND)
    assert (await _one(client, SITI)).text == texts.REG_SENT
    card = await _one(client, ADMIN)

    await client.press(ADMIN, card, texts.APPROVE)

    welcome = await _one(client, SITI)
    assert welcome.text.startswith("Pendaftaran Anda disetujui")
    assert "Perangkat Desa Trasak" in welcome.text
    assert bot.request is not None
    (edit,) = bot.request.called("editMessageText")
    assert edit.parameters["message_id"] == card.message_id
    assert "Disetujui oleh Camat Larangan" in edit.parameters["text"]
    with runtime.uow() as uow:
        user = uow.users.get_by_telegram_id(SITI.id)
    assert user is not None
    assert user.status is UserStatus.ACTIVE
    _no_errors(caplog)


async def test_a_button_from_an_earlier_step_changes_nothing(
    bot: LiveBot, client: Client, runtime: Runtime
) -> None:
    await client.send_command(SITI, "/daftar")
    _, role_question = await client.bot_messages(SITI.id, 2)
    await client.press(SITI, role_question, "Perangkat desa")
    assert (await _one(client, SITI)).text == texts.REG_ASK_DESA

    await client.press(SITI, role_question, "Staf seksi kecamatan")  # the old question

    explained, asked_again = await client.bot_messages(SITI.id, 2)
    assert explained.text == texts.STALE_RESUME.format(title="pendaftaran")
    assert asked_again.text == texts.REG_ASK_DESA
    assert bot.request is not None
    toasts = [c.parameters.get("text") for c in bot.request.called("answerCallbackQuery")]
    assert toasts[-1] == texts.STALE_BUTTON
    with runtime.uow() as uow:
        draft = uow.drafts.get(SITI.id, SITI.id)
    assert draft is not None
    assert draft.step == "desa"
    assert draft.data["role"] == Role.PERANGKAT_DESA.value
    assert draft.data.get("seksi") is None


async def test_the_bot_starts_and_answers_when_the_server_refuses_set_my_commands(
    stopped_bot: LiveBot, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot")

    await stopped_bot.start(fake_ok=())  # the emulator's own HTTP 500 reaches PTB

    assert stopped_bot.request is not None
    refused = stopped_bot.request.called("setMyCommands")
    assert refused
    assert {call.status for call in refused} == {500}
    warnings = [r for r in caplog.records if r.name == "bot.app" and r.levelno == logging.WARNING]
    assert any("Menu perintah tidak dapat diatur" in r.getMessage() for r in warnings)
    await client.send_command(SITI, "/start")
    greeting, _ = await client.bot_messages(SITI.id, 2)
    assert "Kecamatan Larangan" in greeting.text


async def test_an_export_the_server_cannot_deliver_is_logged_and_the_bot_goes_on(
    bot: LiveBot, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    await client.send_command(ADMIN, "/start")
    assert len(await client.bot_messages(ADMIN.id, 2)) == 2

    await client.send_command(ADMIN, "/ekspor")  # sendDocument: HTTP 500 from the emulator

    told = await _one(client, ADMIN)
    assert told.text  # never silence
    assert bot.request is not None
    # A 5xx is transient: tried once more, then the caption goes out as text.
    assert [call.status for call in bot.request.called("sendDocument")] == [500, 500]
    logged = [
        r
        for r in caplog.records
        if r.name in ("bot.delivery.outbox", "bot.conversation.engine")
        and r.levelno >= logging.WARNING
    ]
    assert logged
    await client.send_command(ADMIN, "/bantuan")
    assert (await _one(client, ADMIN)).text.startswith(texts.HELP_HEADER)


async def test_the_export_caption_still_reaches_the_user_when_the_document_fails(
    bot: LiveBot, client: Client
) -> None:
    await client.send_command(ADMIN, "/start")
    assert len(await client.bot_messages(ADMIN.id, 2)) == 2

    await client.send_command(ADMIN, "/ekspor")

    assert (await _one(client, ADMIN)).text.startswith("Tabel IKU Kecamatan Larangan")


async def test_what_a_user_sent_while_the_bot_was_down_is_answered_after_start(
    stopped_bot: LiveBot, client: Client
) -> None:
    await client.send_command(SITI, "/start")  # nobody is polling yet

    await stopped_bot.start()

    greeting, _ = await client.bot_messages(SITI.id, 2)
    assert "Kecamatan Larangan" in greeting.text
    assert stopped_bot.request is not None
    (delete,) = stopped_bot.request.called("deleteWebhook")
    assert delete.parameters.get("drop_pending_updates") is not True
