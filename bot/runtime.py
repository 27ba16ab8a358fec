"""Long-lived services shared by the bot and the CLI, built from the settings."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from domain.errors import NotFound
from domain.importing import Table
from domain.models import Kecamatan
from domain.ports import UnitOfWork
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.readers import xlsx_table
from storage.repositories.skm import rewrite_drafts
from storage.seed import packaged_kecamatan, seed_kecamatan
from storage.uow import SqlUnitOfWork

__all__ = ["Runtime", "open_runtime"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Runtime:
    """The database and the clock, opened once per process and closed at exit."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]

    def uow(self) -> UnitOfWork:
        """A new unit of work (use it as a context manager)."""
        return SqlUnitOfWork(self.session_factory)

    clock: Callable[[], datetime] | None = None

    def rewrite_drafts(self) -> None:
        """Drop old versions of conversation drafts from PostgreSQL's files (README)."""
        rewrite_drafts(self.engine)

    def now(self) -> datetime:
        """The current time on the office's clock (``clock`` replaces it in tests and demos)."""
        if self.clock is not None:
            return self.clock().astimezone(self.settings.tz)
        return datetime.now(self.settings.tz)

    def kecamatan(self, code: str | None = None) -> Kecamatan:
        """The kecamatan named by ``code``, or the configured one."""
        wanted = code or self.settings.kecamatan
        with self.uow() as uow:
            kec = uow.kecamatan.get_by_code(wanted)
        if kec is None:
            raise NotFound(
                f"Kecamatan dengan kode {wanted} belum terdaftar. Daftarkan dengan "
                "'iku-bot db seed BERKAS.json' (lihat README)."
            )
        return kec

    def skm_secret(self) -> bytes:
        """The key of the SKM duplicate check: SKM_SECRET, else a key file made once."""
        if self.settings.skm_secret is not None:
            return self.settings.skm_secret.get_secret_value().encode()
        path = Path(self.settings.skm_secret_file)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            log.info("Kunci SKM dibuat di %s; simpan terpisah dari cadangan basis data.", path)
        key = path.read_text(encoding="utf-8").strip()
        if len(key) < 32:
            raise ValueError(f"Kunci SKM di {path} terlalu pendek (minimal 32 karakter).")
        return key.encode()

    @staticmethod
    def read_xlsx(content: bytes, name: str) -> Table:
        """The first sheet of an XLSX file (openpyxl is imported only then)."""
        return xlsx_table(content, name)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()


def open_runtime(settings: Settings, *, prepare: bool = True) -> Runtime:
    """Open the database; with ``prepare``, apply migrations and seed the configured kecamatan.

    Seeding is idempotent; a kecamatan without a packaged data file must be added
    with ``iku-bot db seed FILE`` instead.
    """
    if prepare:
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    runtime = Runtime(settings, engine, make_session_factory(engine))
    if prepare:
        seed = packaged_kecamatan(settings.kecamatan)
        if seed is not None:
            with runtime.uow() as uow:
                changed = seed_kecamatan(uow, seed)
                uow.commit()
            if changed:
                log.info("Data kecamatan %s diperbarui (%d baris).", seed.kode, changed)
    return runtime
