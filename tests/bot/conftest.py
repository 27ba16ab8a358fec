"""Fixtures for in-process bot tests: the real application on a real database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings, load_settings
from bot.runtime import Runtime, open_runtime
from domain.models import Kecamatan, Role, Seksi, User, UserStatus
from tests import factories
from tests.bot.harness import TOKEN, Harness, Person

WIB = ZoneInfo("Asia/Jakarta")
ADMIN = Person(900001, "Camat Larangan")


class Clock:
    """The office clock of a test: fixed, and moved by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 10, 0, tzinfo=WIB)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def bot_database_url(database_url: str) -> str:
    """Every bot test runs on SQLite and on PostgreSQL (see tests/conftest.py)."""
    return database_url


@pytest.fixture
def settings(bot_database_url: str, tmp_path: Path) -> Settings:
    return load_settings(
        telegram_bot_token=TOKEN,
        database_url=bot_database_url,
        admin_telegram_ids=str(ADMIN.id),
        skm_secret="test-secret-0123456789abcdef0123456789abcdef",
        skm_secret_file=str(tmp_path / "skm.key"),
        evidence_dir=str(tmp_path / "bukti"),
    )


@pytest.fixture
def runtime(settings: Settings, clock: Clock, larangan: Kecamatan) -> Iterator[Runtime]:
    # Larangan is seeded beforehand as an office with its own services (tests/conftest.py):
    # the tests register the services they use, so the start adds no example services.
    rt = open_runtime(settings)
    rt.clock = clock
    yield rt
    rt.close()


@pytest.fixture
async def harness(settings: Settings, runtime: Runtime) -> AsyncIterator[Harness]:
    h = Harness(settings, runtime)
    await h.start()
    yield h
    await h.stop()


class Named(Protocol):
    """A test's Telegram account (in-process or over HTTP): its id and name."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


def add_user(
    runtime: Runtime,
    person: Named,
    role: Role,
    *,
    seksi: Seksi | None = None,
    desa_kode: str | None = None,
    status: UserStatus = UserStatus.ACTIVE,
    jabatan: str = "Staf",
) -> User:
    """Register someone directly in the database."""
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        desa_id = None
        if desa_kode is not None:
            desa = uow.desa.find_by_code(desa_kode)
            assert desa is not None
            desa_id = desa.id
        user = factories.add_user(
            uow,
            role,
            telegram_id=person.id,
            nama=person.name,
            jabatan=jabatan,
            status=status,
            kecamatan_id=kec.id,
            seksi=seksi,
            desa_id=desa_id,
        )
        uow.commit()
    return user
