"""The real ``iku-bot`` process (tests/e2e/process.py) behind the wire layer.

What only a separate process shows: the entry point, settings from the environment, the
start-up calls, long polling with Telegram's confirmation by offset, and that SIGKILL
and a restart on the same database lose nothing the users sent.
"""

from __future__ import annotations

from bot import texts
from tests.e2e.conftest import Client, Person
from tests.e2e.process import BotProcess, Database, all_recorded
from tests.e2e.wire import WireServer

SITI = Person(700201, "Siti Aminah")


async def test_the_process_starts_polls_and_answers(
    bot_process: BotProcess, client: Client, wire: WireServer, token: str
) -> None:
    took = await bot_process.start()

    await client.send_command(SITI, "/start")
    greeting = await client.expect(SITI, "Kecamatan Larangan")
    assert (await client.expect(SITI, texts.START_CITIZEN)).message_id > greeting.message_id
    assert took < 20
    methods = [call.method for call in wire.calls(token)]
    assert methods[:2] == ["getMe", "deleteWebhook"] or "getMe" in methods
    assert "getUpdates" in methods


async def test_what_users_sent_while_the_process_was_dead_is_answered_after_a_restart(
    bot_process: BotProcess, client: Client, wire: WireServer, token: str, database: Database
) -> None:
    await bot_process.start()
    await client.send_command(SITI, "/start")
    await client.expect(SITI, texts.START_CITIZEN)
    # Delivery is at least once: kill once the answers' deliveries are recorded.
    await all_recorded(database)

    bot_process.kill()
    await client.send_command(SITI, "/bantuan")
    await bot_process.start()

    help_text = await client.expect(SITI, texts.HELP_HEADER)
    assert "/daftar" in help_text.text
    await client.quiet(0.5)
    assert await client.count(SITI, texts.START_CITIZEN) == 1  # /start not answered again
    assert await client.count(SITI, texts.HELP_HEADER) == 1
