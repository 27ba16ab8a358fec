"""``iku-bot doctor``: one line per check, exit 1 on any failure, never a write, never the token.

Telegram is answered offline (bot.delivery.offline.OfflineBotApi, or a scripted subclass), or
by a small local HTTP server where the real network layer is under test.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData

from bot.cli import doctor
from bot.cli.commands import main
from bot.config import Settings
from bot.delivery.offline import BOT_ID, OfflineBotApi
from domain.kabupaten_admin import add_kabupaten_admin
from domain.models import DigestGroup, KabupatenDigestGroup, Kecamatan
from domain.ports import UnitOfWork
from storage import health
from storage.engine import make_engine
from storage.migrate import current_revision, head_revision, upgrade
from storage.tables import metadata
from tests.bot.harness import TOKEN
from tests.cli.conftest import CliResult

GROUP_ID = -1001234567890
SECRET = TOKEN.partition(":")[2]
_ENV = (
    "TELEGRAM_BOT_TOKEN",
    "DATABASE_URL",
    "KECAMATAN",
    "ADMIN_TELEGRAM_IDS",
    "LOG_LEVEL",
    "TIMEZONE",
    "TELEGRAM_API_BASE_URL",
    "TELEGRAM_FILE_BASE_URL",
    "DIGEST_SCHEDULE",
    "REMINDER_SCHEDULE",
)

Doctor = Callable[[], CliResult]


@dataclass
class ScriptedApi(OfflineBotApi):
    """The offline Bot API, with chosen methods failing as Telegram or the network would."""

    answers: dict[str, tuple[int, str]] = field(default_factory=dict)
    raises: dict[str, Exception] = field(default_factory=dict)

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        if name in self.raises:
            raise self.raises[name]
        if name in self.answers:
            code, description = self.answers[name]
            body = {"ok": False, "error_code": code, "description": description}
            return code, json.dumps(body).encode()
        return await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A clean environment in an empty folder, with a (well-formed) bot token."""
    monkeypatch.chdir(tmp_path)
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    return monkeypatch


@pytest.fixture
def api(env: pytest.MonkeyPatch) -> ScriptedApi:
    """The Bot API doctor talks to."""
    offline = ScriptedApi()
    env.setattr(doctor, "make_request", lambda _settings: offline)
    return offline


@pytest.fixture
def run(env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Doctor:
    """``iku-bot doctor`` in-process."""

    def go() -> CliResult:
        capsys.readouterr()
        code = main(["doctor"])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return go


@pytest.fixture
def ready(database_url: str, env: pytest.MonkeyPatch, larangan: Kecamatan) -> str:
    """A migrated database with the default kecamatan, named by DATABASE_URL."""
    env.setenv("DATABASE_URL", database_url)
    return database_url


def bind_group(uow_factory: Callable[[], UnitOfWork], kecamatan: Kecamatan) -> None:
    with uow_factory() as uow:
        uow.digests.bind(
            DigestGroup(
                kecamatan_id=kecamatan.id,
                chat_id=GROUP_ID,
                title="Camat Larangan",
                bound_by=None,
                bound_at=datetime.now(UTC),
            )
        )
        uow.commit()


def line(result: CliResult, name: str) -> str:
    """The output line of one check."""
    found = [row for row in result.out.splitlines() if row[2:].startswith(f"{name}")]
    assert len(found) == 1, result.out
    return found[0]


def marks(result: CliResult) -> dict[str, str]:
    """The mark of every check line, by check name."""
    out: dict[str, str] = {}
    for row in result.out.splitlines():
        if row[:2] in ("✓ ", "✗ ", "! ", "- "):
            out[row[2:].split(":", 1)[0]] = row[0]
    return out


def no_secret(result: CliResult, caplog: pytest.LogCaptureFixture | None = None) -> None:
    seen = result.out + result.err
    if caplog is not None:
        seen += "\n".join(
            r.getMessage() + (logging.Formatter().formatException(r.exc_info) if r.exc_info else "")
            for r in caplog.records
        )
    assert TOKEN not in seen
    assert SECRET not in seen


def snapshot(url: str) -> dict[str, list[str]]:
    """Every row of every table (with alembic_version), to compare before and after."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            names = sorted(inspect(connection).get_table_names())
            return {
                name: sorted(
                    repr(tuple(row)) for row in connection.execute(text(f'SELECT * FROM "{name}"'))
                )
                for name in names
            }
    finally:
        engine.dispose()


def file_hash(url: str) -> str | None:
    path = health.sqlite_file(url)
    return None if path is None else hashlib.sha256(path.read_bytes()).hexdigest()


# -- everything in order ------------------------------------------------------------------


def test_all_good_exits_0_with_a_tick_on_every_line(
    ready: str,
    uow_factory: Callable[[], UnitOfWork],
    larangan: Kecamatan,
    api: ScriptedApi,
    run: Doctor,
) -> None:
    bind_group(uow_factory, larangan)
    result = run()
    assert result.code == 0, result.out
    assert set(marks(result).values()) == {"✓"}, result.out
    assert len(marks(result)) == 10
    assert f"revisi {head_revision()}" in line(result, "Migrasi")
    assert "35.28.08 (Larangan) terdaftar" in line(result, "Kecamatan bawaan")
    assert "@iku_test_bot" in line(result, "Telegram")
    assert "Camat Larangan" in line(result, "Grup ringkasan")
    assert "boleh mengirim pesan dan foto" in line(result, "Bot di grup ringkasan")
    assert "setiap Senin pukul 07.00; berikutnya Senin, " in line(result, "Jadwal ringkasan")
    assert "WIB" in line(result, "Jadwal ringkasan")
    assert "setiap Jumat pukul 14.00; berikutnya Jumat, " in line(result, "Jadwal pengingat")
    assert "0 pesan menunggu, 0 gagal" in line(result, "Antrean kirim")
    assert result.out.rstrip().endswith("Hasil: semua pemeriksaan lulus.")
    asked = [c for c in api.calls if c.method == "getChatMember"]
    assert [(int(c.params["chat_id"]), int(c.params["user_id"])) for c in asked] == [
        (GROUP_ID, BOT_ID)
    ]
    no_secret(result)


def test_the_cli_lists_doctor(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "doctor" in capsys.readouterr().out


# -- settings ------------------------------------------------------------------------------


def test_bad_settings_are_one_failure_with_the_settings_message_and_no_secret(
    env: pytest.MonkeyPatch, run: Doctor
) -> None:
    secret = "not-a-token-but-secret-1234567890"
    env.setenv("TELEGRAM_BOT_TOKEN", secret)
    env.setenv("DATABASE_URL", "mysql://somewhere/db")
    result = run()
    assert result.code == 1
    assert result.out.splitlines()[1].startswith("✗ Pengaturan: Pengaturan tidak valid")
    assert "  - TELEGRAM_BOT_TOKEN: format token tidak dikenali" in result.out
    assert "  - DATABASE_URL: " in result.out
    assert secret not in result.out + result.err
    assert "1 gagal" in result.out


# -- the database ---------------------------------------------------------------------------


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql"])
def test_an_unreachable_database_fails_and_never_shows_the_password(
    engine_name: str, env: pytest.MonkeyPatch, api: ScriptedApi, run: Doctor, tmp_path: Path
) -> None:
    if engine_name == "sqlite":
        blocker = tmp_path / "bukan-folder"
        blocker.write_text("sebuah berkas", encoding="utf-8")
        url = f"sqlite:///{blocker}/iku-bot.db"
    else:
        url = "postgresql+psycopg://iku:sandi-rahasia-42@127.0.0.1:1/iku"
    env.setenv("DATABASE_URL", url)
    result = run()
    assert result.code == 1
    database = line(result, "Basis data")
    assert database.startswith("✗")
    if engine_name == "sqlite":
        assert "bukan folder" in database
        assert not (blocker.parent / "iku-bot.db").exists()
    else:
        assert "postgresql+psycopg://iku:***@127.0.0.1:1/iku" in database
        assert "DATABASE_URL" in database
        assert "sandi-rahasia-42" not in result.out + result.err
    for name in ("Migrasi", "Kecamatan bawaan", "Grup ringkasan", "Antrean kirim"):
        assert line(result, name).startswith(f"- {name}: dilewati")
    assert line(result, "Telegram").startswith("✓")  # the other checks still run


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any folder")
def test_an_sqlite_folder_that_cannot_be_written_fails(
    env: pytest.MonkeyPatch, api: ScriptedApi, run: Doctor, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    url = f"sqlite:///{folder}/iku-bot.db"
    upgrade(url)
    folder.chmod(0o500)
    try:
        env.setenv("DATABASE_URL", url)
        result = run()
    finally:
        folder.chmod(0o700)
    assert result.code == 1
    assert "tidak dapat ditulis" in line(result, "Basis data")


def test_a_folder_the_bot_user_cannot_write_fails_even_when_the_file_is_there(
    env: pytest.MonkeyPatch, api: ScriptedApi, run: Doctor, tmp_path: Path
) -> None:
    path = tmp_path / "data" / "iku-bot.db"
    upgrade(f"sqlite:///{path}")
    env.setenv("DATABASE_URL", f"sqlite:///{path}")
    real_access = os.access
    # As root os.access says yes to everything: play an unprivileged service user.
    env.setattr(
        os, "access", lambda p, mode: False if Path(p) == path.parent else real_access(p, mode)
    )
    result = run()
    assert result.code == 1
    database = line(result, "Basis data")
    assert database.startswith("✗")
    assert f"folder {path.parent.resolve()} tidak dapat ditulis" in database
    assert "ReadWritePaths" in database


def test_a_missing_sqlite_file_is_reported_and_not_created(
    env: pytest.MonkeyPatch, api: ScriptedApi, run: Doctor, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    env.setenv("DATABASE_URL", f"sqlite:///{folder}/iku-bot.db")
    result = run()
    assert result.code == 1
    database = line(result, "Basis data")
    assert database.startswith("✗")
    assert "belum ada" in database
    assert "iku-bot db upgrade" in database
    assert not folder.exists()


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database migrated only to 0003 (no digest group, no outbox)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'lama.db'}"
        upgrade(url, "0003")
        yield url
        return
    base = os.environ.get("TEST_POSTGRES_URL", "").strip()
    if not base:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("TEST_POSTGRES_URL harus diatur di CI: pengujian PostgreSQL wajib jalan")
        pytest.skip("TEST_POSTGRES_URL tidak diatur: varian PostgreSQL dilewati")
    name = f"iku_doctor_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url, "0003")
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migrations_behind_name_both_revisions_and_the_upgrade_command(
    old_database: str, env: pytest.MonkeyPatch, api: ScriptedApi, run: Doctor
) -> None:
    env.setenv("DATABASE_URL", old_database)
    result = run()
    assert result.code == 1
    migrations = line(result, "Migrasi")
    assert migrations.startswith("✗")
    assert f"revisi 0003, seharusnya {head_revision()}" in migrations
    assert "`iku-bot db upgrade`" in migrations
    assert line(result, "Basis data").startswith("✓")
    assert line(result, "Kecamatan bawaan").startswith("✗")  # nothing was seeded either
    assert line(result, "Antrean kirim").startswith("- Antrean kirim: dilewati")
    assert current_revision(old_database) == "0003"


def test_an_old_database_skips_the_tables_it_does_not_have_yet(
    old_database: str, env: pytest.MonkeyPatch, api: ScriptedApi, run: Doctor
) -> None:
    engine = make_engine(old_database)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO kecamatan (kode, kode_bps, nama, kabupaten, provinsi, created_at) "
                "VALUES ('35.28.08', '3528040', 'Larangan', 'Pamekasan', 'Jawa Timur', "
                ":at)"
            ),
            {"at": datetime.now(UTC).replace(tzinfo=None)},
        )
    engine.dispose()
    env.setenv("DATABASE_URL", old_database)
    result = run()
    assert line(result, "Kecamatan bawaan").startswith("✓")
    assert line(result, "Grup ringkasan").startswith("- Grup ringkasan: dilewati")
    assert "outbox belum ada" in line(result, "Antrean kirim")
    assert marks(result)["Migrasi"] == "✗"


def test_a_database_never_migrated_says_so(
    env: pytest.MonkeyPatch, api: ScriptedApi, run: Doctor, tmp_path: Path
) -> None:
    path = tmp_path / "kosong.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    engine.dispose()
    env.setenv("DATABASE_URL", f"sqlite:///{path}")
    result = run()
    assert result.code == 1
    assert "belum dimigrasi" in line(result, "Migrasi")
    assert line(result, "Kecamatan bawaan").startswith("- Kecamatan bawaan: dilewati")


def test_an_unregistered_kecamatan_fails_with_how_to_register_it(
    database_url: str, env: pytest.MonkeyPatch, api: ScriptedApi, run: Doctor
) -> None:
    env.setenv("DATABASE_URL", database_url)
    env.setenv("KECAMATAN", "35.11.15")  # migrated, but no packaged data for it
    result = run()
    assert result.code == 1
    kecamatan = line(result, "Kecamatan bawaan")
    assert kecamatan.startswith("✗")
    assert "35.11.15 belum terdaftar" in kecamatan
    assert "iku-bot db seed" in kecamatan


def test_doctor_never_writes_to_the_database(
    database_url: str, env: pytest.MonkeyPatch, api: ScriptedApi, run: Doctor
) -> None:
    # Migrated but empty: the bot or `db upgrade` would seed Larangan here; doctor must not.
    env.setenv("DATABASE_URL", database_url)
    before, digest = snapshot(database_url), file_hash(database_url)
    result = run()
    assert line(result, "Kecamatan bawaan").startswith("✗")
    assert snapshot(database_url) == before
    assert file_hash(database_url) == digest
    assert before["kecamatan"] == []
    assert current_revision(database_url) == head_revision()


def test_the_doctor_connection_refuses_writes(database_url: str, larangan: Kecamatan) -> None:
    engine = health.readonly_engine(database_url)
    try:
        with pytest.raises(DBAPIError) as refused, engine.begin() as connection:
            connection.execute(text("DELETE FROM kecamatan"))
        assert "read" in str(refused.value.orig).lower()  # read-only / readonly
    finally:
        engine.dispose()
    assert snapshot(database_url)["kecamatan"] != []


# -- the outbox -------------------------------------------------------------------------------


def test_the_outbox_backlog_counts_pending_and_failed_and_the_oldest_age(
    ready: str, api: ScriptedApi, run: Doctor
) -> None:
    now = datetime.now(UTC)
    outbox = metadata.tables["outbox"]
    engine = make_engine(ready)
    with engine.begin() as connection:
        for status, age in (("pending", 125), ("pending", 1), ("failed", 300), ("sent", 900)):
            connection.execute(
                insert(outbox).values(
                    chat_id=42,
                    kind="message",
                    payload={"text": "halo"},
                    status=status,
                    attempts=1,
                    next_attempt_at=now,
                    created_at=now - timedelta(minutes=age),
                )
            )
    engine.dispose()
    result = run()
    backlog = line(result, "Antrean kirim")
    assert backlog.startswith("!")
    assert "2 pesan menunggu (tertua sejak 2 jam 5 menit lalu), 1 gagal" in backlog
    assert "pastikan bot berjalan" in backlog
    assert result.code == 0  # a warning, not a failure


# -- Telegram ---------------------------------------------------------------------------------


def test_a_missing_token_fails_with_how_to_get_one(
    ready: str, env: pytest.MonkeyPatch, api: ScriptedApi, run: Doctor
) -> None:
    env.delenv("TELEGRAM_BOT_TOKEN")
    result = run()
    assert result.code == 1
    telegram = line(result, "Telegram")
    assert telegram.startswith("✗")
    assert "TELEGRAM_BOT_TOKEN belum diatur" in telegram
    assert "@BotFather" in telegram
    assert api.calls == []


@pytest.mark.parametrize(("code", "description"), [(401, "Unauthorized"), (404, "Not Found")])
def test_a_rejected_token_fails_without_showing_it(
    code: int,
    description: str,
    ready: str,
    env: pytest.MonkeyPatch,
    api: ScriptedApi,
    run: Doctor,
    caplog: pytest.LogCaptureFixture,
) -> None:
    env.setenv("LOG_LEVEL", "DEBUG")
    caplog.set_level(logging.DEBUG)
    api.answers["getMe"] = (code, description)
    result = run()
    assert result.code == 1
    telegram = line(result, "Telegram")
    assert telegram.startswith("✗ Telegram: token ditolak")
    assert "@BotFather" in telegram
    assert "tidak terhubung" not in telegram
    no_secret(result, caplog)


@pytest.mark.parametrize(
    ("error", "wording"),
    [
        (NetworkError("httpx.ConnectError: All connection attempts failed"), "tidak terhubung"),
        (TimedOut("Timed out"), "tidak menjawab tepat waktu"),
    ],
)
def test_no_network_is_not_a_rejected_token(
    error: Exception,
    wording: str,
    ready: str,
    uow_factory: Callable[[], UnitOfWork],
    larangan: Kecamatan,
    env: pytest.MonkeyPatch,
    api: ScriptedApi,
    run: Doctor,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bind_group(uow_factory, larangan)
    env.setenv("LOG_LEVEL", "DEBUG")
    caplog.set_level(logging.DEBUG)
    api.raises["getMe"] = error
    result = run()
    assert result.code == 1
    telegram = line(result, "Telegram")
    assert telegram.startswith(f"✗ Telegram: api.telegram.org {wording}")
    assert "internet" in telegram
    assert "ditolak" not in telegram
    membership = line(result, "Bot di grup ringkasan")
    assert membership.startswith("- Bot di grup ringkasan: dilewati")
    no_secret(result, caplog)


# -- the digest group -------------------------------------------------------------------------


def test_an_unbound_group_is_a_warning_with_how_to_bind(
    ready: str, api: ScriptedApi, run: Doctor
) -> None:
    result = run()
    assert result.code == 0
    group = line(result, "Grup ringkasan")
    assert group.startswith("! Grup ringkasan: Kecamatan Larangan belum punya grup")
    assert "/atur_grup" in group
    assert "Bot di grup ringkasan" not in result.out
    assert "1 peringatan" in result.out


@pytest.mark.parametrize(
    "member",
    [{"status": "kicked", "until_date": 0}, {"status": "left"}],
)
def test_a_bot_removed_from_the_group_fails(
    member: dict[str, Any],
    ready: str,
    uow_factory: Callable[[], UnitOfWork],
    larangan: Kecamatan,
    api: ScriptedApi,
    run: Doctor,
) -> None:
    bind_group(uow_factory, larangan)
    api.member_status[GROUP_ID] = member
    result = run()
    assert result.code == 1
    membership = line(result, "Bot di grup ringkasan")
    assert membership.startswith("✗")
    assert "tidak lagi menjadi anggota grup «Camat Larangan»" in membership
    assert "/atur_grup" in membership


def test_a_bot_kicked_while_telegram_refuses_to_answer_fails_the_same_way(
    ready: str,
    uow_factory: Callable[[], UnitOfWork],
    larangan: Kecamatan,
    api: ScriptedApi,
    run: Doctor,
) -> None:
    bind_group(uow_factory, larangan)
    api.answers["getChatMember"] = (403, "Forbidden: bot was kicked from the supergroup chat")
    result = run()
    assert result.code == 1
    assert "tidak lagi menjadi anggota grup" in line(result, "Bot di grup ringkasan")


def test_a_bot_that_may_not_post_fails_and_one_without_photos_warns(
    ready: str,
    uow_factory: Callable[[], UnitOfWork],
    larangan: Kecamatan,
    api: ScriptedApi,
    run: Doctor,
) -> None:
    bind_group(uow_factory, larangan)
    api.chat_permissions[GROUP_ID] = {"can_send_messages": False}
    muted = run()
    assert muted.code == 1
    assert "tidak boleh mengirim pesan" in line(muted, "Bot di grup ringkasan")

    api.chat_permissions[GROUP_ID] = {"can_send_messages": True, "can_send_photos": False}
    photos = run()
    assert photos.code == 0
    membership = line(photos, "Bot di grup ringkasan")
    assert membership.startswith("!")
    assert "tidak foto" in membership


# -- the kabupaten digest group ---------------------------------------------------------------

KAB_GROUP_ID = -1009876543210


def _admin_kabupaten(uow_factory: Callable[[], UnitOfWork], *, bind: bool) -> None:
    with uow_factory() as uow:
        add_kabupaten_admin(
            uow,
            telegram_id=720001,
            kabupaten_code="35.28",
            nama="Rina Pemerintahan",
            at=datetime.now(UTC),
        )
        if bind:
            uow.digests.bind_kabupaten(
                KabupatenDigestGroup(
                    kabupaten_code="35.28",
                    chat_id=KAB_GROUP_ID,
                    title="Bagian Pemerintahan",
                    bound_by=None,
                    bound_at=datetime.now(UTC),
                )
            )
        uow.commit()


def test_an_admin_kabupaten_without_a_group_is_a_warning_with_how_to_bind(
    ready: str,
    uow_factory: Callable[[], UnitOfWork],
    larangan: Kecamatan,
    api: ScriptedApi,
    run: Doctor,
) -> None:
    bind_group(uow_factory, larangan)
    assert "Grup ringkasan kabupaten" not in run().out  # a single office: no such line
    _admin_kabupaten(uow_factory, bind=False)
    result = run()
    assert result.code == 0
    group = line(result, "Grup ringkasan kabupaten Pamekasan")
    assert group.startswith("! Grup ringkasan kabupaten Pamekasan: Kabupaten Pamekasan (35.28)")
    assert "admin kabupaten mengirim /atur_grup" in group
    assert "Bot di grup kabupaten" not in result.out
    assert "1 peringatan" in result.out


def test_a_bound_kabupaten_group_is_checked_like_the_kecamatan_group(
    ready: str,
    uow_factory: Callable[[], UnitOfWork],
    larangan: Kecamatan,
    api: ScriptedApi,
    run: Doctor,
) -> None:
    bind_group(uow_factory, larangan)
    _admin_kabupaten(uow_factory, bind=True)
    good = run()
    assert good.code == 0, good.out
    assert set(marks(good).values()) == {"✓"}, good.out
    assert "«Bagian Pemerintahan»" in line(good, "Grup ringkasan kabupaten Pamekasan")
    assert "boleh mengirim pesan dan foto" in line(good, "Bot di grup kabupaten Pamekasan")
    asked = [int(c.params["chat_id"]) for c in api.calls if c.method == "getChatMember"]
    assert asked == [GROUP_ID, KAB_GROUP_ID]

    api.member_status[KAB_GROUP_ID] = {"status": "left"}
    removed = run()
    assert removed.code == 1
    membership = line(removed, "Bot di grup kabupaten Pamekasan")
    assert membership.startswith("✗")
    assert "tidak lagi menjadi anggota grup «Bagian Pemerintahan»" in membership
    assert line(removed, "Bot di grup ringkasan").startswith("✓")


# -- schedules --------------------------------------------------------------------------------


def test_disabled_schedules_are_warnings_saying_nonaktif(
    ready: str, env: pytest.MonkeyPatch, api: ScriptedApi, run: Doctor
) -> None:
    env.setenv("DIGEST_SCHEDULE", "nonaktif")
    env.setenv("REMINDER_SCHEDULE", "nonaktif")
    result = run()
    assert result.code == 0
    digest = line(result, "Jadwal ringkasan")
    reminder = line(result, "Jadwal pengingat")
    assert digest.startswith("! Jadwal ringkasan (DIGEST_SCHEDULE): nonaktif")
    assert reminder.startswith("! Jadwal pengingat (REMINDER_SCHEDULE): nonaktif")


def test_the_next_run_is_on_the_office_clock() -> None:
    settings = Settings(timezone="Asia/Makassar", digest_schedule="0 7 * * 1")
    # Monday 07:00 in Makassar has just passed: the next run is a week later.
    now = datetime(2026, 12, 7, 7, 0, 30, tzinfo=ZoneInfo("Asia/Makassar"))
    result = doctor.check_schedule(
        "Jadwal ringkasan", "DIGEST_SCHEDULE", settings.digest_plan(), now
    )
    assert result.status is doctor.Status.OK
    assert result.message == ("cron 0 7 * * 1; berikutnya Senin, 14 Desember 2026 pukul 07.00 WITA")


# -- the real network layer: TELEGRAM_API_BASE_URL, and the token kept out of everything ------


class _BotApi(BaseHTTPRequestHandler):
    answer: tuple[int, dict[str, Any]] = (200, {})
    paths: list[str] = []  # noqa: RUF012 (one server per test, reset by the fixture)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).paths.append(self.path)
        code, body = type(self).answer
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def local_api() -> Iterator[tuple[str, type[_BotApi]]]:
    """A local HTTP server standing in for the Bot API: (base URL, handler class)."""
    handler = type("Handler", (_BotApi,), {"paths": [], "answer": (200, {})})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/bot", handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("accepted", [True, False])
def test_the_real_network_layer_honours_the_api_url_and_never_logs_the_token(
    accepted: bool,
    local_api: tuple[str, type[_BotApi]],
    ready: str,
    env: pytest.MonkeyPatch,
    run: Doctor,
    caplog: pytest.LogCaptureFixture,
) -> None:
    base, handler = local_api
    handler.answer = (
        (
            200,
            {
                "ok": True,
                "result": {
                    "id": BOT_ID,
                    "is_bot": True,
                    "first_name": "IKU",
                    "username": "iku_bot",
                },
            },
        )
        if accepted
        else (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    )
    env.setenv("TELEGRAM_API_BASE_URL", base)
    env.setenv("LOG_LEVEL", "DEBUG")
    caplog.set_level(logging.DEBUG)
    result = run()
    assert handler.paths == [f"/bot{TOKEN}/getMe"]
    telegram = line(result, "Telegram")
    if accepted:
        assert result.code == 0, result.out
        assert telegram == f"✓ Telegram: token diterima lewat {base}; bot @iku_bot (ID {BOT_ID})"
    else:
        assert result.code == 1
        assert telegram.startswith(f"✗ Telegram: token ditolak oleh {base}")
        assert "TELEGRAM_API_BASE_URL" in telegram
    no_secret(result, caplog)
    assert caplog.records  # DEBUG logging was on, and still nothing leaked


def test_redact_hides_the_token_its_secret_part_and_the_database_password() -> None:
    settings = Settings(
        telegram_bot_token=TOKEN,
        database_url="postgresql+psycopg://iku:sandi-42@db/iku",
    )
    message = doctor.redact(f"{TOKEN} / {SECRET} / sandi-42", settings)
    assert TOKEN not in message
    assert SECRET not in message
    assert "sandi-42" not in message


def test_a_result_line_indents_its_continuation_lines() -> None:
    result = doctor.CheckResult("Pengaturan", doctor.Status.FAIL, "tidak valid:\n- A: b")
    assert result.line() == "✗ Pengaturan: tidak valid:\n  - A: b"
