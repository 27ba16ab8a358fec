"""Alembic migrations, configured from code so they work from an installed package.

The bot upgrades its database at every start (``bot.runtime.open_runtime``), and nearly
always there is nothing to do. Alembic (with Mako and Pygments: about 12 MB of resident
memory that a running bot would keep) is therefore imported only when there is: the
newest revision is read from the migration files themselves (:func:`packaged_head`) and
the database's from its ``alembic_version`` table, and only when they differ does
:func:`upgrade` hand over to Alembic.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from storage.engine import make_engine, prepare_sqlite_path

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "alembic_config",
    "upgrade",
    "current_revision",
    "head_revision",
    "packaged_head",
    "head_of",
    "is_at_head",
    "is_up_to_date",
]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSIONS = MIGRATIONS / "versions"
VERSION_TABLE = "alembic_version"  # Alembic's default; env.py does not change it

# ``revision: str = '0023'`` and ``down_revision: str | None = '0022'`` at the start of
# a line, as Alembic's template writes them (script.py.mako).
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` pointing at the packaged migrations."""
    # Alembic is imported where it is needed (see the module's docstring).
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolation would choke on '%' in passwords.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["database_url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (Alembic is not loaded when already at head)."""
    prepare_sqlite_path(url)
    if revision == "head" and is_at_head(url):
        return
    # Imported here: only a database that needs migrating pays for Alembic.
    from alembic import command

    command.upgrade(alembic_config(url), revision)


@cache
def packaged_head() -> str | None:
    """The newest revision of the packaged migration files, read as text (no Alembic).

    None when the files do not make exactly one head (Alembic then decides, and
    complains). Alembic agrees with it (tests/storage/test_migrate_check.py).
    """
    return head_of(VERSIONS)


def head_of(folder: Path) -> str | None:
    """The one revision of the migration files in ``folder`` that no other revises."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in folder.glob("*.py"):
        found = dict(_ASSIGNMENT.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        revision = ast.literal_eval(found["revision"])
        down = ast.literal_eval(found.get("down_revision", "None"))
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):  # a merge
            parents.update(str(d) for d in down)
        elif down is not None:
            return None
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _database_revisions(url: str) -> list[str] | None:
    """The rows of the database's version table (None: it has none)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(VERSION_TABLE):
                return None
            rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
            return [str(row[0]) for row in rows]
    finally:
        engine.dispose()


def is_at_head(url: str) -> bool:
    """True when the database is at the newest packaged revision (no Alembic imported)."""
    head = packaged_head()
    return head is not None and _database_revisions(url) == [head]


def head_revision() -> str | None:
    """The newest revision in the packaged migrations, as Alembic finds it."""
    from alembic.script import ScriptDirectory  # imported when asked (module docstring)

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(url: str) -> str | None:
    """The revision the database is at, or None when it has none."""
    from alembic.runtime.migration import MigrationContext  # imported when asked

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def is_up_to_date(url: str) -> bool:
    """True when the database is at the newest revision."""
    return current_revision(url) == head_revision()
