"""The start-up check of the migration level: without Alembic, and still right.

``upgrade`` at every start hands over to Alembic only when the database is not at the
newest revision; the newest one is read from the migration files as text.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic import command
from sqlalchemy import text

from storage.engine import make_engine
from storage.migrate import (
    VERSIONS,
    alembic_config,
    current_revision,
    head_of,
    head_revision,
    is_at_head,
    packaged_head,
    upgrade,
)

ROOT = Path(__file__).resolve().parent.parent.parent


def _revision(folder: Path, name: str, revision: str, down: str) -> None:
    (folder / f"{name}.py").write_text(
        f'"""{name}"""\n\nrevision: str = {revision}\ndown_revision: str | None = {down}\n'
    )


def test_the_head_read_from_the_files_is_alembics() -> None:
    assert packaged_head() is not None
    assert packaged_head() == head_revision()
    assert head_of(VERSIONS) == packaged_head()


def test_the_head_is_the_revision_no_other_revises(tmp_path: Path) -> None:
    _revision(tmp_path, "0001_a", "'0001'", "None")
    _revision(tmp_path, "0002_b", '"0002"', "'0001'")
    (tmp_path / "__init__.py").write_text("")
    assert head_of(tmp_path) == "0002"
    _revision(tmp_path, "0003_c", "'0003'", "'0001'")  # a branch: two heads
    assert head_of(tmp_path) is None
    _revision(tmp_path, "0004_merge", "'0004'", "('0002', '0003')")
    assert head_of(tmp_path) == "0004"


def test_a_database_behind_the_newest_revision_is_noticed_and_upgraded(
    database_url: str,
) -> None:
    assert is_at_head(database_url)
    command.downgrade(alembic_config(database_url), "-1")
    behind = current_revision(database_url)
    assert behind is not None
    assert behind != packaged_head()
    assert not is_at_head(database_url)
    upgrade(database_url)
    assert current_revision(database_url) == packaged_head()
    assert is_at_head(database_url)


def test_a_new_database_is_not_at_head_and_gets_migrated(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'bot.db'}"
    assert not is_at_head(url)
    upgrade(url)
    assert current_revision(url) == packaged_head()


def test_a_database_at_an_unknown_revision_is_not_at_head(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        assert not is_at_head(database_url)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"UPDATE alembic_version SET version_num = '{packaged_head()}'"))
        engine.dispose()


def _upgrade_in_a_new_process(url: str) -> str:
    code = (
        "import sys\n"
        "from storage.migrate import upgrade\n"
        f"upgrade({url!r})\n"
        "print('alembic' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_upgrading_a_database_at_head_does_not_load_alembic(database_url: str) -> None:
    assert _upgrade_in_a_new_process(database_url) == "False"


def test_upgrading_a_database_behind_loads_alembic_and_migrates(database_url: str) -> None:
    command.downgrade(alembic_config(database_url), "-1")
    assert _upgrade_in_a_new_process(database_url) == "True"
    assert current_revision(database_url) == packaged_head()
