"""Starting ``iku-bot`` without a token, and with invalid settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import CliRunner


def test_running_without_a_token_explains_botfather_and_the_offline_way(
    cli: CliRunner,
) -> None:
    result = cli()
    assert result.code == 0, result.err
    assert "@BotFather" in result.out
    assert "TELEGRAM_BOT_TOKEN" in result.out
    assert "offline" in result.out


def test_invalid_settings_give_one_clear_message_without_the_secret(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "not-a-token-but-secret-1234567890"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", secret)
    monkeypatch.setenv("DATABASE_URL", "mysql://somewhere/db")
    result = cli("report")
    assert result.code == 1
    assert "TELEGRAM_BOT_TOKEN" in result.err
    assert "DATABASE_URL" in result.err
    assert secret not in result.err + result.out


def test_default_database_is_an_sqlite_file_under_data(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, cli: CliRunner
) -> None:
    monkeypatch.delenv("DATABASE_URL")
    result = cli("db", "upgrade")
    assert result.code == 0, result.err
    assert (cli_env / "data" / "iku-bot.db").is_file()
