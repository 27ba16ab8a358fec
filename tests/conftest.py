"""Database fixtures: every storage and CLI test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``TEST_POSTGRES_URL`` (CI always sets it). Without it the
PostgreSQL variants are skipped locally, but fail under ``CI=true`` so that CI can
never pass without having run them.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from domain.models import Kecamatan
from domain.ports import UnitOfWork
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.seed import packaged_kecamatan, seed_kecamatan
from storage.tables import metadata
from storage.uow import SqlUnitOfWork

ENGINES = ("sqlite", "postgresql")
NO_POSTGRES = "TEST_POSTGRES_URL tidak diatur: varian PostgreSQL dilewati"


_SKIP_LINE = next(  # 0-based, as pytest keeps it
    number
    for number, line in enumerate(Path(__file__).read_text().splitlines())
    if line.strip() == "pytest.skip(NO_POSTGRES)"
)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Every PostgreSQL variant skipped for want of a server: one line of ``pytest -ra``.

    Pytest groups skips by place and reason; the place is made the same for all of them
    (this file), so that the summary says how many, not one line per test.
    """
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    longrepr = report.longrepr
    if report.skipped and isinstance(longrepr, tuple) and longrepr[2].endswith(NO_POSTGRES):
        report.longrepr = (__file__, _SKIP_LINE, longrepr[2])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A PostgreSQL database created and migrated once for the test session."""
    base = os.environ.get("TEST_POSTGRES_URL", "").strip()
    if not base:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("TEST_POSTGRES_URL harus diatur di CI: pengujian PostgreSQL wajib jalan")
        pytest.skip(NO_POSTGRES)
    name = f"iku_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _truncate_postgres(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=ENGINES)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """A migrated, empty database: an SQLite copy or the session's PostgreSQL database."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    url: str = request.getfixturevalue("postgres_database")
    _truncate_postgres(url)
    yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the test database."""
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on the test database."""
    return make_session_factory(engine)


@pytest.fixture
def uow_factory(session_factory: sessionmaker[Session]) -> Callable[[], UnitOfWork]:
    """A factory of fresh units of work."""
    return lambda: SqlUnitOfWork(session_factory)


@pytest.fixture
def larangan(uow_factory: Callable[[], UnitOfWork]) -> Kecamatan:
    """Kecamatan Larangan and its 14 desa, seeded from the packaged data file.

    As an office that registers its own services: the file's example services
    (tests/storage/test_seed.py) are not added, and a later seed adds none either.
    """
    seed = packaged_kecamatan("35.28.08")
    assert seed is not None
    with uow_factory() as uow:
        seed_kecamatan(uow, replace(seed, layanan_contoh=()))
        kec = uow.kecamatan.get_by_code("35.28.08")
        assert kec is not None
        uow.kecamatan.claim_service_examples(kec.id)
        uow.commit()
    return kec
