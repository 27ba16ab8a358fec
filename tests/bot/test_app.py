"""The application built by the composition root: start, help, menus, errors, secrets."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
from telegram import Chat

from bot.app import build_application, serve_options
from bot.config import SettingsError, load_settings
from bot.logging_setup import setup_logging
from bot.runtime import Runtime
from domain.models import Role, Seksi
from tests.bot.conftest import ADMIN, add_user
from tests.bot.harness import TOKEN, Harness, Person

CITIZEN = Person(555, "Siti")


async def test_start_greets_with_the_kecamatan_name(harness: Harness) -> None:
    await harness.send(CITIZEN, "/start")
    texts = harness.texts(CITIZEN)
    assert "Kecamatan Larangan" in texts[0]
    assert "/skm" in texts[1]


async def test_bantuan_lists_only_what_the_person_may_use(
    harness: Harness, runtime: Runtime
) -> None:
    await harness.send(CITIZEN, "/bantuan")
    citizen_help = harness.last(CITIZEN).text
    assert "/daftar" in citizen_help
    assert "/pengguna" not in citizen_help
    await harness.send(ADMIN, "/bantuan")
    assert "/pengguna" in harness.last(ADMIN).text
    staff = Person(556, "Dodi")
    add_user(runtime, staff, Role.STAF_SEKSI, seksi=Seksi.PPD)
    await harness.send(staff, "/bantuan")
    assert "/pengguna" not in harness.last(staff).text


async def test_menus_are_set_per_scope_at_start(harness: Harness) -> None:
    scopes = [c.params.get("scope") for c in harness.api.calls if c.method == "setMyCommands"]
    kinds = {str(s.get("type")) if isinstance(s, dict) else str(s) for s in scopes}
    assert any("all_private_chats" in k for k in kinds)
    assert any("all_chat_administrators" in k for k in kinds)
    assert any("all_group_chats" in k for k in kinds)


async def test_an_unknown_command_is_explained(harness: Harness) -> None:
    await harness.send(CITIZEN, "/entahlah")
    assert "tidak dikenal" in harness.last(CITIZEN).text


async def test_a_private_command_in_a_group_points_to_the_private_chat(
    harness: Harness,
) -> None:
    group = Chat(id=-100123, type=Chat.SUPERGROUP)
    await harness.send(CITIZEN, "/daftar", chat=group)
    message = harness.last(-100123)
    assert "chat pribadi" in message.text
    assert message.buttons[0][0]["url"] == "https://t.me/iku_test_bot"


async def test_an_unexpected_error_is_told_in_plain_words_and_logged(
    harness: Harness, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> datetime:
        raise RuntimeError("database exploded at /secret/path")

    runtime.clock = broken
    with caplog.at_level(logging.ERROR):
        await harness.send(CITIZEN, "/profil")
    told = harness.last(CITIZEN).text
    assert "terjadi kesalahan" in told
    assert "exploded" not in told
    assert "Traceback" not in told
    assert "database exploded" in caplog.text


def test_the_token_never_reaches_the_log(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(load_settings(telegram_bot_token=TOKEN))
    logger = logging.getLogger("httpx.test")
    logger.error("POST https://api.telegram.org/bot%s/getMe failed", TOKEN)
    try:
        raise RuntimeError(f"connection to /bot{TOKEN}/getMe refused")
    except RuntimeError:
        logging.getLogger("bot.test").exception("request failed")
    err = capsys.readouterr().err
    assert "getMe failed" in err
    assert "connection to /bot" in err
    assert TOKEN not in err
    assert err.count("[TOKEN-DISEMBUNYIKAN]") >= 2


def test_polling_is_the_default_and_keeps_pending_updates() -> None:
    mode, options = serve_options(load_settings(telegram_bot_token=TOKEN))
    assert mode == "polling"
    assert options["drop_pending_updates"] is False


def test_a_webhook_url_switches_to_webhook_mode_with_its_secret() -> None:
    settings = load_settings(
        telegram_bot_token=TOKEN,
        webhook_url="https://iku.example.go.id/telegram",
        webhook_port=8443,
        webhook_secret="s3cret-header-token",
    )
    mode, options = serve_options(settings)
    assert mode == "webhook"
    assert options["webhook_url"] == "https://iku.example.go.id/telegram"
    assert options["secret_token"] == "s3cret-header-token"
    assert options["drop_pending_updates"] is False


def test_the_bot_api_base_url_setting_points_the_bot_elsewhere(runtime: Runtime) -> None:
    settings = load_settings(
        telegram_bot_token=TOKEN,
        database_url=runtime.settings.database_url,
        telegram_api_base_url="http://127.0.0.1:8081/bot",
        skm_secret="x" * 40,
    )
    app = build_application(settings, runtime)
    assert app.bot.base_url == f"http://127.0.0.1:8081/bot{TOKEN}"
    assert app.bot.base_file_url == f"http://127.0.0.1:8081/file/bot{TOKEN}"


def test_a_bad_base_url_is_refused_clearly() -> None:
    with pytest.raises(SettingsError, match="TELEGRAM_API_BASE_URL"):
        load_settings(telegram_bot_token=TOKEN, telegram_api_base_url="ftp://x")


def test_a_start_logs_no_scheduler_chatter(
    runtime: Runtime, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = runtime.settings
    setup_logging(settings)
    capsys.readouterr()
    build_application(settings, runtime=runtime, rate_limit=False)
    err = capsys.readouterr().err
    assert "Adding job tentatively" not in err
    # Its problems still reach the operator.
    logging.getLogger("apscheduler.scheduler").warning("Run time of job was missed")
    assert "Run time of job was missed" in capsys.readouterr().err


def test_the_signatory_settings_are_checked_and_the_nip_printed_in_groups() -> None:
    settings = load_settings(signer_nip="197006091993021001", paper_size="f4")
    assert settings.signer_nip == "19700609 199302 1 001"
    assert settings.paper_size == "F4"
    with pytest.raises(SettingsError, match=r"SIGNER_NIP.*18 angka"):
        load_settings(signer_nip="19700609 1993")
    with pytest.raises(SettingsError, match="PAPER_SIZE"):
        load_settings(paper_size="letter")
