"""Settings from the environment and ``.env`` (pydantic-settings)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot import texts
from bot.digest.schedule import Schedule, ScheduleError, parse_schedule
from bot.reports.qr import bot_username
from domain.documents import format_nip
from domain.errors import InvalidInput
from domain.survey import SKM_BATCH_SIZE

__all__ = ["Settings", "SettingsError", "load_settings", "DEFAULT_DATABASE_URL"]

DEFAULT_DATABASE_URL = "sqlite:///./data/iku-bot.db"

_TOKEN_RE = re.compile(r"\d{3,15}:[A-Za-z0-9_-]{30,64}")


class SettingsError(Exception):
    """Missing or invalid settings, explained in one message."""


class Settings(BaseSettings):
    """All settings of iku-bot; every field has an environment variable of the same name."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        case_sensitive=False,
    )

    telegram_bot_token: SecretStr | None = Field(
        default=None, description="Token bot dari BotFather (rahasia)."
    )
    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL; sqlite:///... (bawaan) atau postgresql+psycopg://...",
    )
    kecamatan: str = Field(
        default="35.28.08",
        description="Kode Kemendagri kecamatan bawaan untuk CLI dan bot.",
    )
    timezone: str = Field(default="Asia/Jakarta", description="Zona waktu kantor.")
    admin_telegram_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="ID Telegram admin pertama, dipisah koma."
    )
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING atau ERROR.")
    telegram_api_base_url: str | None = Field(
        default=None,
        description="URL dasar Bot API, mis. http://127.0.0.1:8081/bot (server Bot API lokal).",
    )
    telegram_file_base_url: str | None = Field(
        default=None, description="URL dasar unduhan berkas; bawaan diturunkan dari URL API."
    )
    webhook_url: str | None = Field(
        default=None, description="URL publik HTTPS; bila diisi bot memakai webhook."
    )
    webhook_listen: str = Field(default="127.0.0.1", description="Alamat yang didengarkan.")
    webhook_port: int = Field(default=8443, ge=1, le=65535, description="Port webhook.")
    webhook_secret: SecretStr | None = Field(
        default=None, description="Token rahasia header X-Telegram-Bot-Api-Secret-Token."
    )
    skm_secret: SecretStr | None = Field(
        default=None,
        description="Kunci rahasia hash anti-ganda SKM; bila kosong dibuat di SKM_SECRET_FILE.",
    )
    skm_secret_file: str = Field(
        default="./data/skm-secret.key", description="Berkas kunci SKM bila SKM_SECRET kosong."
    )
    skm_batch_size: int = Field(
        default=SKM_BATCH_SIZE,
        ge=2,
        le=1000,
        description="Jawaban SKM yang menunggu sebelum ditulis bersama dalam urutan acak.",
    )
    incident_max_age_days: int = Field(
        default=30, ge=1, le=366, description="Umur maksimal tanggal kejadian yang dilaporkan."
    )
    overdue_days: int = Field(
        default=7, ge=1, le=365, description="Kasus terbuka lebih lama dari ini: terlambat."
    )
    draft_max_age_days: int = Field(
        default=7, ge=1, le=90, description="Isian yang ditinggalkan lebih lama dari ini dihapus."
    )
    invite_valid_hours: int = Field(
        default=72, ge=1, le=24 * 30, description="Masa berlaku tautan undangan (jam)."
    )

    digest_schedule: str = Field(
        default="senin 07:00",
        description="Jadwal ringkasan mingguan: hari dan jam (senin 07:00), cron, atau nonaktif.",
    )
    digest_grace_days: int = Field(
        default=2,
        ge=0,
        le=6,
        description="Ringkasan yang terlewat masih dikirim sampai sekian hari.",
    )
    digest_retry_minutes: int = Field(
        default=10, ge=1, le=24 * 60, description="Jeda sebelum ringkasan yang gagal dicoba lagi."
    )
    digest_max_attempts: int = Field(
        default=3, ge=1, le=20, description="Percobaan kirim ringkasan sebelum admin diberi tahu."
    )
    reminder_schedule: str = Field(
        default="jumat 14:00",
        description="Jadwal pengingat mingguan (laporan/nihil, kasus terlambat), atau nonaktif.",
    )
    db_threads: int = Field(
        default=8,
        ge=1,
        le=64,
        description="Utas untuk transaksi basis data (juga ukuran pool koneksi bot).",
    )
    outbox_retry_seconds: float = Field(
        default=2.0,
        gt=0,
        le=300,
        description="Jeda pertama sebelum pesan yang gagal terkirim dicoba lagi (lalu berlipat).",
    )
    outbox_max_age_hours: int = Field(
        default=48,
        ge=1,
        le=24 * 14,
        description="Pesan yang tetap gagal terkirim selama ini dihentikan (dicatat di log audit).",
    )
    evidence_dir: str = Field(
        default="data/bukti",
        description="Folder berkas bukti (foto), disusun menurut isinya (SHA-256).",
    )
    evidence_s3_bucket: str | None = Field(
        default=None,
        description="Bucket S3 (atau yang kompatibel) untuk berkas bukti; kosong: EVIDENCE_DIR.",
    )
    evidence_s3_endpoint_url: str | None = Field(
        default=None,
        description="Alamat layanan S3-kompatibel (MinIO dll.); kosong: AWS S3.",
    )
    evidence_s3_prefix: str = Field(
        default="bukti/",
        description="Awalan nama objek bukti di bucket.",
    )
    evidence_max_mb: int = Field(
        default=20,
        ge=1,
        le=2000,
        description="Ukuran terbesar satu berkas bukti (MB); yang lebih besar ditolak.",
    )
    bot_username: str | None = Field(
        default=None,
        description="Nama pengguna bot (tanpa @) untuk tautan poster QR dari CLI; bot yang "
        "berjalan memakai namanya dari Telegram.",
    )
    paper_size: Literal["A4", "F4"] = Field(
        default="A4", description="Kertas dokumen cetak (Excel, laporan SKM, poster): A4 atau F4."
    )
    sign_place: str | None = Field(
        default=None, description="Tempat di atas tanda tangan; kosong: nama kabupaten."
    )
    signer_jabatan: str | None = Field(
        default=None, description="Jabatan penanda tangan; kosong: CAMAT <NAMA KECAMATAN>."
    )
    signer_nama: str | None = Field(
        default=None, description="Nama penanda tangan (dengan gelar); kosong: titik-titik."
    )
    signer_pangkat: str | None = Field(
        default=None, description="Pangkat/golongan penanda tangan, mis. Pembina Tk. I (IV/b)."
    )
    signer_nip: str | None = Field(
        default=None, description="NIP penanda tangan (18 angka); kosong: titik-titik."
    )
    pg_bin_dir: str | None = Field(
        default=None,
        description="Folder pg_dump dan pg_restore bila tidak ditemukan di PATH.",
    )

    @field_validator("signer_nip")
    @classmethod
    def _check_nip(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            return format_nip(value)
        except InvalidInput as error:
            raise ValueError(str(error)) from None

    @field_validator("bot_username")
    @classmethod
    def _check_bot_username(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        name = bot_username(value)
        if name is None:
            raise ValueError(texts.PUB_BAD_USERNAME.format(teks=value))
        return name

    @field_validator("paper_size", mode="before")
    @classmethod
    def _paper_upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("digest_schedule", "reminder_schedule")
    @classmethod
    def _check_schedule(cls, value: str) -> str:
        try:
            parse_schedule(value, ZoneInfo("UTC"))
        except ScheduleError as error:
            raise ValueError(str(error)) from None
        return value.strip()

    @field_validator("admin_telegram_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",")]
            return [p for p in parts if p]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _check_token(cls, value: SecretStr | None) -> SecretStr | None:
        # The message never repeats the value: it is a secret.
        if value is not None and not _TOKEN_RE.fullmatch(value.get_secret_value().strip()):
            raise ValueError(
                "format token tidak dikenali (seharusnya seperti 123456789:AAE...); "
                "salin ulang dari @BotFather"
            )
        return None if value is None else SecretStr(value.get_secret_value().strip())

    @field_validator("database_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith(("sqlite://", "sqlite+", "postgresql://", "postgresql+")):
            raise ValueError(
                "harus diawali sqlite:/// atau postgresql+psycopg:// (contoh: "
                "sqlite:///./data/iku-bot.db)"
            )
        if value.startswith("postgresql://"):
            # psycopg 3 is the driver this project installs.
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("telegram_api_base_url", "telegram_file_base_url", "webhook_url")
    @classmethod
    def _check_http(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value.startswith(("http://", "https://")):
            raise ValueError("harus diawali http:// atau https://")
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"zona waktu tidak dikenal: {value}") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _check_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("harus DEBUG, INFO, WARNING atau ERROR")
        return level

    @property
    def tz(self) -> ZoneInfo:
        """The office's time zone."""
        return ZoneInfo(self.timezone)

    def grace(self) -> timedelta:
        """How long after its moment a digest or reminder still goes out.

        At least an hour, so that a job that runs a moment late (or DIGEST_GRACE_DAYS=0)
        is never too late.
        """
        return max(timedelta(days=self.digest_grace_days), timedelta(hours=1))

    def digest_plan(self) -> Schedule | None:
        """The digest's schedule on the office clock (None: turned off)."""
        return parse_schedule(self.digest_schedule, self.tz)

    def reminder_plan(self) -> Schedule | None:
        """The reminders' schedule on the office clock (None: turned off)."""
        return parse_schedule(self.reminder_schedule, self.tz)

    def file_base_url(self) -> str | None:
        """The Bot API file URL: set, or derived from the API URL (``/bot`` -> ``/file/bot``)."""
        if self.telegram_file_base_url is not None:
            return self.telegram_file_base_url
        base = self.telegram_api_base_url
        if base is None:
            return None
        head, sep, tail = base.rstrip("/").rpartition("/")
        return f"{head}/file/{tail}" if sep else base

    def sqlite_path(self) -> Path | None:
        """The SQLite file of ``database_url``, or None for other engines."""
        if not self.database_url.startswith("sqlite"):
            return None
        path = self.database_url.split(":///", 1)[-1]
        if not path or path == ":memory:":
            return None
        return Path(path)


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning validation errors into one clear message."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = ".".join(str(p) for p in error["loc"]).upper() or "?"
            message = str(error["msg"]).removeprefix("Value error, ")
            lines.append(f"- {name}: {message}")
        raise SettingsError(
            "Pengaturan tidak valid (periksa variabel lingkungan atau berkas .env):\n"
            + "\n".join(lines)
        ) from None
