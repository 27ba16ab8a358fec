"""Heavy libraries are imported where they are used, not when the bot or the CLI starts.

matplotlib (with numpy and PIL) draws the digest's chart, openpyxl writes and reads
workbooks, segno makes QR codes: together about 70 MB and seconds of start-up that
``iku-bot --help``, every operator command and the bot at rest do not need.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"matplotlib", "openpyxl", "numpy", "segno", "PIL"}


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
