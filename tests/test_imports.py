"""Heavy libraries are imported where they are used, not when the bot or the CLI starts.

matplotlib (with numpy and PIL) draws the digest's chart, openpyxl writes and reads
workbooks, segno makes QR codes: together about 70 MB and seconds of start-up that
``iku-bot --help``, every operator command and the bot at rest do not need. The running
bot also leaves out Alembic (with Mako and Pygments, about 12 MB: the start-up check of
the migration level reads the newest revision without it, storage/migrate.py),
python-docx with lxml (about 7 MB, the SKM report) and boto3 (evidence in S3); the
resident memory they cost is measured by bench/bench_memory.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from storage.migrate import current_revision, packaged_head, upgrade

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"matplotlib", "openpyxl", "numpy", "segno", "PIL"}
# What the running bot does without, on top of HEAVY.
NOT_AT_REST = HEAVY | {"alembic", "mako", "pygments", "docx", "lxml", "boto3", "botocore"}


def _python(code: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_importing_the_bot_and_the_cli_loads_no_heavy_library() -> None:
    result = _python(
        "import bot.app, bot.cli.commands; import sys; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _loaded(code: str) -> set[str]:
    """The top-level packages loaded once ``code`` has run in a new interpreter."""
    result = _python(f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))")
    assert result.returncode == 0, result.stderr
    return {name.split(".")[0] for name in json.loads(result.stdout.splitlines()[-1])}


def test_importing_the_composition_root_loads_nothing_the_bot_at_rest_does_without() -> None:
    # bot.delivery.serve is what production imports to serve (bot.app.run).
    loaded = _loaded("import bot.app, bot.delivery.serve")
    assert "telegram" in loaded  # the check sees what is imported
    assert "sqlalchemy" in loaded
    assert not loaded & NOT_AT_REST


def test_the_operator_commands_load_alembic_only_to_migrate() -> None:
    # Every iku-bot command imports these; Alembic (with Mako and Pygments) is for the
    # commands that read or move the migration level, when they run.
    loaded = _loaded("import bot.cli.commands, storage.backup, storage.health")
    assert "sqlalchemy" in loaded  # the check sees what is imported
    assert not loaded & {"alembic", "mako", "pygments"}


def test_the_kabupaten_recap_as_text_needs_no_workbook_library() -> None:
    # /rekap answers with the text; openpyxl is for the sheet of /ekspor alone.
    assert not _loaded("import bot.reports.kabupaten") & HEAVY


def test_the_bot_built_on_a_migrated_database_loads_nothing_it_does_without(
    tmp_path: Path,
) -> None:
    # As production starts: open_runtime checks the migration level and seeds, then the
    # application is built (here on the offline Bot API); the database is at head.
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    upgrade(url)
    loaded = _loaded(
        "from bot.app import build_application\n"
        "from bot.config import load_settings\n"
        "from bot.delivery.offline import OfflineBotApi\n"
        "settings = load_settings(\n"
        "    telegram_bot_token='123456789:TEST-token-abcdefghijklmnopqrstuvwxyz',\n"
        f"    database_url={url!r},\n"
        "    skm_secret='test-secret-0123456789abcdef0123456789',\n"
        ")\n"
        "app = build_application(settings, request=OfflineBotApi())\n"
        "assert app.bot_data\n"
    )
    assert not loaded & NOT_AT_REST


def test_a_database_behind_is_still_migrated_at_start(tmp_path: Path) -> None:
    # The other side of the check: Alembic is loaded, and migrates, when it must.
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    upgrade(url, "0022")
    loaded = _loaded(
        "from bot.config import load_settings\n"
        "from bot.runtime import open_runtime\n"
        f"open_runtime(load_settings(database_url={url!r})).close()\n"
    )
    assert "alembic" in loaded
    assert current_revision(url) == packaged_head()


def test_iku_bot_help_loads_neither_a_heavy_library_nor_telegram() -> None:
    # What the iku-bot script runs; the modules are listed once --help has exited.
    result = _python(
        "import atexit, json, sys\n"
        "atexit.register(lambda: print(json.dumps(sorted(sys.modules))))\n"
        "sys.argv = ['iku-bot', '--help']\n"
        "from bot.__main__ import main\n"
        "main()\n"
    )
    assert result.returncode == 0, result.stderr
    assert "iku-bot" in result.stdout
    loaded = {name.split(".")[0] for name in json.loads(result.stdout.splitlines()[-1])}
    assert not loaded & (HEAVY | {"telegram"})
