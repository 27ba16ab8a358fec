"""``iku-bot doctor``: is this installation ready to run? One line per check.

Every check is a plain function returning a :class:`CheckResult`; the Telegram checks
take the network layer (a ``telegram.request.BaseRequest``) so that tests answer
them offline. Nothing here writes to the database: it is opened read-only, never
migrated and never seeded (``storage/health.py``). The bot token never appears in
the output (:func:`redact`), and the database password is masked.
"""

from __future__ import annotations

import asyncio
import enum
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from babel.dates import format_date
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from telegram import Bot
from telegram.constants import ChatMemberStatus
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    TelegramError,
    TimedOut,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.config import Settings, SettingsError, load_settings
from bot.digest.schedule import Schedule
from bot.logging_setup import REDACTED, setup_logging
from bot.reports.iku import LOCALE
from storage import health
from storage.migrate import head_revision
from storage.seed import packaged_kecamatan

__all__ = [
    "Status",
    "CheckResult",
    "check_settings",
    "check_database",
    "check_migrations",
    "check_kecamatan",
    "check_digest_group",
    "check_telegram",
    "check_group_membership",
    "check_schedule",
    "check_outbox",
    "make_request",
    "run_checks",
    "redact",
    "main",
]

# Short waits: doctor answers in seconds even when a server does not answer at all.
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
# Pending messages normally leave within seconds while the bot runs.
OUTBOX_STALE = timedelta(minutes=10)
_TELEGRAM = "https://api.telegram.org"

UPGRADE = "iku-bot db upgrade"
DOCTOR = "iku-bot doctor"


class Status(enum.Enum):
    """The outcome of a check, with the mark it is printed with."""

    OK = "✓"
    WARN = "!"
    FAIL = "✗"
    SKIP = "-"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check: what was checked, how it went, and what to do about it."""

    name: str
    status: Status
    message: str

    def line(self) -> str:
        """``✓ Name: message``; continuation lines of the message are indented."""
        first, *rest = self.message.splitlines() or [""]
        return "\n".join([f"{self.status.value} {self.name}: {first}", *(f"  {r}" for r in rest)])


def redact(message: str, settings: Settings | None) -> str:
    """``message`` without the bot token or the database password."""
    if settings is None:
        return message
    if settings.telegram_bot_token is not None:
        token = settings.telegram_bot_token.get_secret_value()
        message = message.replace(token, REDACTED)
        # The numeric part before ':' is the bot's public id; the rest is the secret.
        secret = token.partition(":")[2]
        if secret:
            message = message.replace(secret, REDACTED)
    try:
        password = make_url(settings.database_url).password
    except ArgumentError:  # an unparsable URL has no password to hide
        password = None
    # A password of a few letters would garble the message more than it protects anything.
    if password is not None and len(str(password)) >= 4:
        message = message.replace(str(password), "***")
    return message


def _reason(error: BaseException) -> str:
    """The first line of an error (the driver's own message for database errors)."""
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


# -- settings ---------------------------------------------------------------------------

SETTINGS = "Pengaturan"


def check_settings(
    loader: Callable[[], Settings] = load_settings,
) -> tuple[CheckResult, Settings | None]:
    """The settings load (a bad one: the settings' own message, which never has the token)."""
    try:
        settings = loader()
    except SettingsError as error:
        return CheckResult(SETTINGS, Status.FAIL, str(error)), None
    env = Path(".env")
    source = (
        f"berkas .env di {env.resolve().parent} dan variabel lingkungan"
        if env.is_file()
        else f"variabel lingkungan (tidak ada berkas .env di {Path.cwd()})"
    )
    return (
        CheckResult(
            SETTINGS,
            Status.OK,
            f"terbaca dari {source}; KECAMATAN {settings.kecamatan}, "
            f"zona waktu {settings.timezone}",
        ),
        settings,
    )


# -- database ---------------------------------------------------------------------------

DATABASE = "Basis data"
MIGRATIONS = "Migrasi"
KECAMATAN = "Kecamatan bawaan"
OUTBOX = "Antrean kirim"
_NO_DATABASE = "dilewati: basis data tidak tersambung"


def _writable_folder(folder: Path) -> tuple[bool, Path]:
    """Whether ``folder`` can be written (or created): (answer, the folder that decides)."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return probe.is_dir() and os.access(probe, os.W_OK | os.X_OK), probe


def _sqlite_problem(url: str, path: Path) -> str | None:
    """Why an SQLite file cannot serve the bot (never creates anything), or None."""
    shown = f"{url} ({path.resolve()})"
    writable, decider = _writable_folder(path.parent)
    if not writable:
        why = (
            f"{decider.resolve()} adalah berkas, bukan folder"
            if decider.exists() and not decider.is_dir()
            else f"folder {decider.resolve()} tidak dapat ditulis oleh pengguna ini"
        )
        return (
            f"{shown} tidak dapat dipakai: {why}. Bot perlu menulis berkas basis data dan "
            "berkas -wal di foldernya: perbaiki izinnya (chown ke pengguna bot; di systemd "
            "juga ReadWritePaths) atau ubah DATABASE_URL"
        )
    if not path.exists():
        return f"berkas {shown} belum ada: jalankan `{UPGRADE}` untuk membuatnya"
    if not os.access(path, os.R_OK | os.W_OK):
        return f"berkas {shown} tidak dapat ditulis: perbaiki izinnya (chown ke pengguna bot)"
    return None


def check_database(settings: Settings) -> tuple[CheckResult, Engine | None]:
    """The database answers (short timeout); on success a read-only engine for the rest."""
    url = settings.database_url
    path = health.sqlite_file(url)
    if path is not None:
        problem = _sqlite_problem(url, path)
        if problem is not None:
            return CheckResult(DATABASE, Status.FAIL, problem), None
    shown = health.safe_url(url) + ("" if path is None else f" ({path.resolve()})")
    engine = health.readonly_engine(url, timeout=CONNECT_TIMEOUT)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            if path is not None:
                # A file that is not an SQLite database fails only when it is read.
                connection.execute(text("SELECT count(*) FROM sqlite_master"))
    except (SQLAlchemyError, OSError) as error:
        engine.dispose()
        reason = redact(_reason(error), settings)
        return (
            CheckResult(
                DATABASE,
                Status.FAIL,
                f"tidak dapat tersambung ke {shown}: {reason}. Periksa DATABASE_URL, bahwa "
                "server basis data berjalan dan dapat dicapai dari sini, serta nama pengguna "
                "dan sandinya",
            ),
            None,
        )
    return CheckResult(DATABASE, Status.OK, f"tersambung ke {shown}"), engine


def check_migrations(engine: Engine) -> CheckResult:
    """The database is at the newest packaged migration."""
    expected = head_revision()
    with engine.connect() as connection:
        current = health.database_revision(connection)
    if current == expected:
        return CheckResult(MIGRATIONS, Status.OK, f"mutakhir (revisi {current})")
    if current is None:
        return CheckResult(
            MIGRATIONS,
            Status.FAIL,
            f"basis data belum dimigrasi (seharusnya revisi {expected}): jalankan `{UPGRADE}`",
        )
    if not health.known_revision(current):
        return CheckResult(
            MIGRATIONS,
            Status.FAIL,
            f"basis data di revisi {current} yang tidak dikenal versi ini (terbaru {expected}): "
            "basis data dibuat oleh versi iku-bot yang lebih baru; perbarui kode iku-bot",
        )
    return CheckResult(
        MIGRATIONS,
        Status.FAIL,
        f"basis data di revisi {current}, seharusnya {expected}: jalankan `{UPGRADE}`",
    )


def check_kecamatan(engine: Engine, code: str) -> tuple[CheckResult, tuple[int, str] | None]:
    """The default kecamatan (KECAMATAN) is registered: (result, (id, nama) when it is)."""
    with engine.connect() as connection:
        if not health.has_table(connection, "kecamatan"):
            return CheckResult(KECAMATAN, Status.SKIP, "dilewati: tabel belum ada"), None
        found = health.kecamatan_by_code(connection, code)
    if found is not None:
        return CheckResult(KECAMATAN, Status.OK, f"{code} ({found[1]}) terdaftar"), found
    how = (
        f"jalankan `{UPGRADE}` (data {code} ikut terpasang)"
        if packaged_kecamatan(code) is not None
        else "daftarkan dengan `iku-bot db seed BERKAS.json` (lihat README), atau periksa KECAMATAN"
    )
    return CheckResult(KECAMATAN, Status.FAIL, f"KECAMATAN {code} belum terdaftar: {how}"), None


def _age(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 1:
        return "kurang dari 1 menit"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} hari"] if days else []
    if hours:
        parts.append(f"{hours} jam")
    if minutes and not days:
        parts.append(f"{minutes} menit")
    return " ".join(parts)


def check_outbox(engine: Engine, now: datetime) -> CheckResult:
    """Messages waiting in the outbox, those that gave up, and how old the oldest is."""
    with engine.connect() as connection:
        if not health.has_table(connection, "outbox"):
            return CheckResult(
                OUTBOX,
                Status.SKIP,
                "dilewati: tabel outbox belum ada pada revisi basis data ini",
            )
        backlog = health.outbox_backlog(connection)
    waiting = f"{backlog.pending} pesan menunggu"
    if backlog.oldest_pending is not None:
        waiting += f" (tertua sejak {_age(now - backlog.oldest_pending)} lalu)"
    summary = f"{waiting}, {backlog.failed} gagal"
    advice: list[str] = []
    if backlog.failed:
        advice.append(
            "pesan yang gagal tidak dicoba lagi; lihat log bot dan kolom error tabel outbox"
        )
    if backlog.oldest_pending is not None and now - backlog.oldest_pending > OUTBOX_STALE:
        advice.append("pesan tertahan: pastikan bot berjalan dan tersambung ke Telegram")
    if advice:
        return CheckResult(OUTBOX, Status.WARN, f"{summary}; " + "; ".join(advice))
    return CheckResult(OUTBOX, Status.OK, summary)


# -- the digest group -------------------------------------------------------------------

GROUP = "Grup ringkasan"
MEMBERSHIP = "Bot di grup ringkasan"
_BIND = "tambahkan bot ke grup Camat, lalu admin bot mengirim /atur_grup di grup itu"


def check_digest_group(
    engine: Engine, kecamatan: tuple[int, str]
) -> tuple[CheckResult, tuple[int, str] | None]:
    """Whether the kecamatan has a digest group: (result, (chat id, title) when it has)."""
    kecamatan_id, nama = kecamatan
    with engine.connect() as connection:
        if not health.has_table(connection, "digest_group"):
            return (
                CheckResult(
                    GROUP, Status.SKIP, "dilewati: tabel digest_group belum ada (migrasi lama)"
                ),
                None,
            )
        group = health.digest_group_of(connection, kecamatan_id)
    if group is None:
        return (
            CheckResult(
                GROUP,
                Status.WARN,
                f"Kecamatan {nama} belum punya grup; ringkasan mingguan tidak terkirim ke mana "
                f"pun: {_BIND}",
            ),
            None,
        )
    chat_id, title = group
    return CheckResult(GROUP, Status.OK, f"grup «{title}» (ID {chat_id})"), group


KABUPATEN_GROUP = "Grup ringkasan kabupaten"
KABUPATEN_MEMBERSHIP = "Bot di grup kabupaten"


def check_kabupaten_groups(
    engine: Engine,
) -> tuple[list[CheckResult], list[tuple[str, tuple[int, str]]]]:
    """The weekly kabupaten digest's group of every kabupaten with an admin kabupaten.

    No line where no kabupaten has one (a single office). Returns the lines and the
    bound groups (with their kabupaten's name) whose membership is checked next.
    """
    with engine.connect() as connection:
        if not health.has_table(connection, "kabupaten_digest_group"):
            return [], []
        found = health.kabupaten_groups(connection)
    results: list[CheckResult] = []
    bound: list[tuple[str, tuple[int, str]]] = []
    for kabupaten in found:
        name = f"{KABUPATEN_GROUP} {kabupaten.nama}"
        if kabupaten.group is None:
            results.append(
                CheckResult(
                    name,
                    Status.WARN,
                    f"Kabupaten {kabupaten.nama} ({kabupaten.kode}) punya admin kabupaten tetapi "
                    "belum punya grup; ringkasan mingguan kabupaten tidak terkirim ke mana pun: "
                    "tambahkan bot ke grup Bagian Pemerintahan, lalu admin kabupaten mengirim "
                    "/atur_grup di grup itu",
                )
            )
            continue
        chat_id, title = kabupaten.group
        note = "" if kabupaten.has_admin else " (tanpa admin kabupaten aktif)"
        status = Status.OK if kabupaten.has_admin else Status.WARN
        results.append(CheckResult(name, status, f"grup «{title}» (ID {chat_id}){note}"))
        bound.append((kabupaten.nama, kabupaten.group))
    return results, bound


async def _member_status(bot: Bot, chat_id: int) -> str | None:
    try:
        return (await bot.get_chat_member(chat_id, bot.id)).status
    except TelegramError:
        return None


async def check_group_membership(
    bot: Bot,
    group: tuple[int, str],
    settings: Settings | None = None,
    *,
    name: str = "",
) -> CheckResult:
    """The bot is still in the group and allowed to post there (as /atur_grup checks it).

    ``name`` is the line's name (the kecamatan group's by default).
    """
    line = name or MEMBERSHIP
    # The same rule as /atur_grup; imported late, it brings the bot's handlers.
    from bot.handlers.groups import may_post

    chat_id, title = group
    removed = (
        f"bot tidak lagi menjadi anggota grup «{title}» (dikeluarkan atau keluar): tambahkan "
        "bot lagi ke grup itu lalu kirim /atur_grup di sana, atau ikat grup lain"
    )
    try:
        rights = await may_post(bot, chat_id)
        may_send, may_photo = rights.messages, rights.photos
    except Forbidden:
        return CheckResult(line, Status.FAIL, removed)
    except ChatMigrated as moved:
        return CheckResult(
            line,
            Status.WARN,
            f"grup «{title}» sudah menjadi supergrup (ID baru {moved.new_chat_id}); ringkasan "
            "berikutnya mengikutinya, atau kirim /atur_grup di grup itu",
        )
    except BadRequest as error:
        return CheckResult(
            line,
            Status.FAIL,
            f"grup «{title}» (ID {chat_id}) tidak dapat diperiksa: "
            f"{redact(str(error), settings)}; bila grup dihapus atau bot dikeluarkan: {_BIND}",
        )
    except NetworkError as error:
        return CheckResult(
            line,
            Status.FAIL,
            f"Telegram tidak menjawab ({redact(str(error), settings)}); coba lagi",
        )
    except TelegramError as error:
        return CheckResult(
            line, Status.FAIL, f"tidak dapat diperiksa: {redact(str(error), settings)}"
        )
    if not may_send:
        status = await _member_status(bot, chat_id)
        if status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
            return CheckResult(line, Status.FAIL, removed)
        return CheckResult(
            line,
            Status.FAIL,
            f"bot tidak boleh mengirim pesan di grup «{title}»: izinkan anggota mengirim pesan "
            "atau jadikan bot admin grup",
        )
    if not may_photo:
        return CheckResult(
            line,
            Status.WARN,
            f"bot boleh mengirim pesan di grup «{title}», tetapi tidak foto: grafik tidak ikut "
            "terkirim; izinkan foto atau jadikan bot admin grup",
        )
    return CheckResult(
        line, Status.OK, f"bot anggota grup «{title}» dan boleh mengirim pesan dan foto"
    )


# -- Telegram ---------------------------------------------------------------------------

TELEGRAM = "Telegram"


def make_request(settings: Settings) -> BaseRequest:
    """The network layer of the Telegram checks: short timeouts."""
    return HTTPXRequest(
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        write_timeout=READ_TIMEOUT,
        pool_timeout=CONNECT_TIMEOUT,
    )


async def check_telegram(
    settings: Settings, request: BaseRequest
) -> tuple[CheckResult, Bot | None]:
    """TELEGRAM_BOT_TOKEN is set and getMe answers; on success the bot (initialised).

    The caller shuts the returned bot down.
    """
    if settings.telegram_bot_token is None:
        return (
            CheckResult(
                TELEGRAM,
                Status.FAIL,
                "TELEGRAM_BOT_TOKEN belum diatur: buat bot di @BotFather (/newbot) lalu salin "
                "tokennya ke .env sebagai TELEGRAM_BOT_TOKEN=...",
            ),
            None,
        )
    custom = settings.telegram_api_base_url
    where = custom if custom is not None else "api.telegram.org"
    bot = Bot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=custom if custom is not None else f"{_TELEGRAM}/bot",
        base_file_url=settings.file_base_url() or f"{_TELEGRAM}/file/bot",
        request=request,
        get_updates_request=request,
    )
    try:
        await bot.initialize()  # getMe
    except InvalidToken as error:
        await bot.shutdown()
        also = "" if custom is None else f", atau periksa TELEGRAM_API_BASE_URL ({custom})"
        return (
            CheckResult(
                TELEGRAM,
                Status.FAIL,
                f"token ditolak oleh {where} ({redact(str(error), settings)}): salin ulang "
                f"token dari @BotFather (/mybots, API Token) ke TELEGRAM_BOT_TOKEN{also}",
            ),
            None,
        )
    except (TimedOut, NetworkError) as error:
        await bot.shutdown()
        what = "tidak menjawab tepat waktu" if isinstance(error, TimedOut) else "tidak terhubung"
        return (
            CheckResult(
                TELEGRAM,
                Status.FAIL,
                f"{where} {what} ({redact(str(error), settings)}): periksa sambungan internet, "
                "DNS, proksi dan firewall server ini"
                + ("" if custom is None else ", serta TELEGRAM_API_BASE_URL"),
            ),
            None,
        )
    except TelegramError as error:
        await bot.shutdown()
        return (
            CheckResult(TELEGRAM, Status.FAIL, f"getMe gagal: {redact(str(error), settings)}"),
            None,
        )
    via = "" if custom is None else f" lewat {custom}"
    return (
        CheckResult(TELEGRAM, Status.OK, f"token diterima{via}; bot @{bot.username} (ID {bot.id})"),
        bot,
    )


# -- schedules --------------------------------------------------------------------------


def _moment(value: datetime) -> str:
    return f"{format_date(value, 'EEEE, d MMMM y', locale=LOCALE)} pukul {value:%H.%M %Z}"


def check_schedule(name: str, variable: str, plan: Schedule | None, now: datetime) -> CheckResult:
    """The next run of a schedule on the office clock, or that it is turned off."""
    label = f"{name} ({variable})"
    if plan is None:
        return CheckResult(
            label,
            Status.WARN,
            f"nonaktif: tidak pernah dikirim; isi {variable} (mis. senin 07:00) untuk "
            "menyalakannya",
        )
    upcoming = plan.next_run(now)
    if upcoming is None:
        return CheckResult(
            label, Status.WARN, f"{plan.text}: tidak akan pernah berjalan; periksa {variable}"
        )
    return CheckResult(label, Status.OK, f"{plan.text}; berikutnya {_moment(upcoming)}")


# -- all together -----------------------------------------------------------------------


def _failed(name: str, settings: Settings, error: BaseException) -> CheckResult:
    """A check that broke unexpectedly: a ✗ line, not a traceback."""
    return CheckResult(name, Status.FAIL, f"pemeriksaan gagal: {redact(_reason(error), settings)}")


async def run_checks(
    settings: Settings, request: BaseRequest, now: datetime | None = None
) -> list[CheckResult]:
    """Every check after the settings, in the order they are printed."""
    moment = now if now is not None else datetime.now(UTC)
    results: list[CheckResult] = []
    database, engine = check_database(settings)
    results.append(database)
    try:
        kecamatan = _database_checks(settings, engine, results)
        telegram, bot = await check_telegram(settings, request)
        results.append(telegram)
        try:
            group = _group_check(settings, engine, kecamatan, results)
            if group is not None:
                if bot is None:
                    results.append(
                        CheckResult(MEMBERSHIP, Status.SKIP, "dilewati: Telegram tidak tersambung")
                    )
                else:
                    results.append(await check_group_membership(bot, group, settings))
            await _kabupaten_checks(settings, engine, bot, results)
        finally:
            if bot is not None:
                await bot.shutdown()
        office = moment.astimezone(settings.tz)
        results.append(
            check_schedule("Jadwal ringkasan", "DIGEST_SCHEDULE", settings.digest_plan(), office)
        )
        results.append(
            check_schedule(
                "Jadwal pengingat", "REMINDER_SCHEDULE", settings.reminder_plan(), office
            )
        )
        if engine is None:
            results.append(CheckResult(OUTBOX, Status.SKIP, _NO_DATABASE))
        else:
            try:
                results.append(check_outbox(engine, moment))
            except (SQLAlchemyError, OSError) as error:
                results.append(_failed(OUTBOX, settings, error))
    finally:
        if engine is not None:
            engine.dispose()
    return results


def _database_checks(
    settings: Settings, engine: Engine | None, results: list[CheckResult]
) -> tuple[int, str] | None:
    """Migrations and the default kecamatan; returns the kecamatan when registered."""
    if engine is None:
        results.append(CheckResult(MIGRATIONS, Status.SKIP, _NO_DATABASE))
        results.append(CheckResult(KECAMATAN, Status.SKIP, _NO_DATABASE))
        return None
    try:
        results.append(check_migrations(engine))
    except (SQLAlchemyError, OSError) as error:
        results.append(_failed(MIGRATIONS, settings, error))
    try:
        found, kecamatan = check_kecamatan(engine, settings.kecamatan)
    except (SQLAlchemyError, OSError) as error:
        results.append(_failed(KECAMATAN, settings, error))
        return None
    results.append(found)
    return kecamatan


async def _kabupaten_checks(
    settings: Settings, engine: Engine | None, bot: Bot | None, results: list[CheckResult]
) -> None:
    """The kabupaten digest groups and, where bound, the bot's place in them."""
    if engine is None:
        return
    try:
        lines, bound = check_kabupaten_groups(engine)
    except (SQLAlchemyError, OSError) as error:
        results.append(_failed(KABUPATEN_GROUP, settings, error))
        return
    results.extend(lines)
    for nama, group in bound:
        name = f"{KABUPATEN_MEMBERSHIP} {nama}"
        if bot is None:
            results.append(CheckResult(name, Status.SKIP, "dilewati: Telegram tidak tersambung"))
        else:
            results.append(await check_group_membership(bot, group, settings, name=name))


def _group_check(
    settings: Settings,
    engine: Engine | None,
    kecamatan: tuple[int, str] | None,
    results: list[CheckResult],
) -> tuple[int, str] | None:
    """Whether the default kecamatan has a digest group; returns it when bound."""
    if engine is None:
        results.append(CheckResult(GROUP, Status.SKIP, _NO_DATABASE))
        return None
    if kecamatan is None:
        results.append(
            CheckResult(GROUP, Status.SKIP, "dilewati: kecamatan bawaan belum terdaftar")
        )
        return None
    try:
        bound, group = check_digest_group(engine, kecamatan)
    except (SQLAlchemyError, OSError) as error:
        results.append(_failed(GROUP, settings, error))
        return None
    results.append(bound)
    return group


def summary(results: Sequence[CheckResult]) -> str:
    """The last line: how many failed, how many warnings."""
    failed = sum(r.status is Status.FAIL for r in results)
    warned = sum(r.status is Status.WARN for r in results)
    if failed:
        return (
            f"Hasil: {failed} gagal, {warned} peringatan. Perbaiki yang bertanda ✗, lalu "
            f"jalankan `{DOCTOR}` lagi."
        )
    if warned:
        return f"Hasil: tidak ada yang gagal, {warned} peringatan (tanda !)."
    return "Hasil: semua pemeriksaan lulus."


def main(loader: Callable[[], Settings] = load_settings) -> int:
    """Run every check, print one line each; 0 when nothing failed, 1 otherwise."""
    print("Pemeriksaan iku-bot:")
    first, settings = check_settings(loader)
    results = [first]
    print(first.line(), flush=True)
    if settings is not None:
        setup_logging(settings)
        rest = asyncio.run(run_checks(settings, make_request(settings)))
        for result in rest:
            print(redact(result.line(), settings))
        results += rest
    print(summary(results))
    return 1 if any(r.status is Status.FAIL for r in results) else 0
