"""Fixtures for running ``iku-bot`` in-process against a test database."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.cli.commands import main


@dataclass(frozen=True)
class CliResult:
    """Exit code and captured output of one ``iku-bot`` call."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """The standard output parsed as JSON."""
        return json.loads(self.out)


CliRunner = Callable[..., CliResult]


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment: the test database, no token, no developer .env in the way."""
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "KECAMATAN", "ADMIN_TELEGRAM_IDS", "LOG_LEVEL", "TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    return tmp_path


@pytest.fixture
def cli(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> CliRunner:
    """Run ``iku-bot ARGS...`` in-process; returns exit code and output."""

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def write_csv(path: Path, header: list[str], rows: list[list[object]], sep: str = ",") -> Path:
    """Write a small CSV file (values as given, empty for None)."""
    lines = [sep.join(header)]
    lines += [sep.join("" if v is None else str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
