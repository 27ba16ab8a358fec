"""``iku-bot db backup``, ``db restore`` and ``db backup-kunci``.

A backup is ONE ``.tar`` file (easy to copy off-site), not compressed (the PostgreSQL dump
is, photos are already), holding

- ``basis-data.sqlite`` (SQLite's online backup API) or ``basis-data.pgdump``
  (``pg_dump --format=custom``, on the snapshot the row counts were taken from);
- ``bukti/...``: every file of the local evidence store (``EVIDENCE_DIR``), copied after
  the database, so every file a backed-up row names is in it; with
  ``EVIDENCE_S3_BUCKET`` the evidence stays in the bucket and the manifest says so;
- ``manifest.json``: when, which iku-bot, migration revision, engine, kecamatan codes,
  row counts of every table the database has, and each file's size and SHA-256;
- ``SHA256SUMS`` (``sha256sum -c`` reads it), the manifest's own checksum included.

The SKM key is never in it: ``db backup-kunci`` writes it to a file of its own (0600), and
both commands say why the two must be kept apart.

A restore goes only into an EMPTY database. Every checksum is verified before anything is
written; the evidence files are copied first (each one checked, removed again if the rest
fails) and the database is loaded last, in one transaction; the result is then compared
with the manifest (row counts, revision) and any difference is a non-zero exit.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from sqlalchemy.exc import SQLAlchemyError

from bot import texts
from bot.config import Settings
from bot.reports.iku import fmt_datetime_id
from domain.errors import DomainError
from storage import backup as db
from storage.health import known_revision, safe_url

__all__ = [
    "BACKUP_COMMANDS",
    "BackupRefused",
    "BackupDamaged",
    "FileEntry",
    "Manifest",
    "register_backup_commands",
    "run_backup_command",
    "read_backup",
]

BACKUP_COMMANDS = frozenset({"backup", "restore", "backup-kunci"})

FORMAT = "iku-bot-cadangan"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
EVIDENCE = "bukti"
DATABASE_FILES = {db.SQLITE: "basis-data.sqlite", db.POSTGRESQL: "basis-data.pgdump"}
ENGINE_NAMES = {db.SQLITE: "SQLite", db.POSTGRESQL: "PostgreSQL"}
KEY_FILE_NAME = "skm-secret.key"
KEY_MIN_LENGTH = 32  # as the bot requires of its key (bot/runtime.py)

EXIT_OK = 0
EXIT_MISMATCH = 3  # restored, but not what the manifest says

_CHUNK = 1 << 20
_SMALL_LIMIT = 64 << 20  # manifest.json and SHA256SUMS are read into memory


class BackupRefused(DomainError):
    """A backup or restore that did not happen; the message says why (Indonesian)."""


class BackupDamaged(Exception):
    """The archive is not a complete, unchanged backup; ``str()`` says what (Indonesian)."""


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file of a backup: its name in the archive, size and SHA-256 (hex)."""

    path: str
    size: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        """The manifest's form."""
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


@dataclass(frozen=True, slots=True)
class Manifest:
    """What ``manifest.json`` says about a backup."""

    created_at: datetime
    app_version: str
    alembic_revision: str | None
    engine: str
    kecamatan: tuple[str, ...]
    tables: dict[str, int]
    database_file: str
    evidence: dict[str, Any]
    files: tuple[FileEntry, ...]
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The JSON written to ``manifest.json``."""
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": self.created_at.astimezone(UTC).isoformat(timespec="seconds"),
            "app_version": self.app_version,
            "alembic_revision": self.alembic_revision,
            "engine": self.engine,
            **self.extra,
            "kecamatan": list(self.kecamatan),
            "tables": self.tables,
            "rows": sum(self.tables.values()),
            "database_file": self.database_file,
            "evidence": self.evidence,
            "skm_key_included": False,
            "files": [entry.as_json() for entry in self.files],
        }

    @classmethod
    def parse(cls, data: Any) -> Manifest:
        """Read a manifest; ValueError (or KeyError, TypeError) when it is not one."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("bukan manifes cadangan iku-bot")
        if data.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"versi format {data.get('format_version')!r} tidak dikenal")
        engine = str(data["engine"])
        if engine not in DATABASE_FILES:
            raise ValueError(f"mesin basis data {engine!r} tidak dikenal")
        revision = data["alembic_revision"]
        tables = data["tables"]
        evidence = data["evidence"]
        if not isinstance(tables, dict) or not isinstance(evidence, dict):
            raise TypeError("tables/evidence")
        created = datetime.fromisoformat(str(data["created_at"]))
        if created.tzinfo is None:
            raise ValueError("created_at tanpa zona waktu")
        files = tuple(
            FileEntry(str(item["path"]), int(item["size"]), str(item["sha256"]))
            for item in data["files"]
        )
        return cls(
            created_at=created,
            app_version=str(data["app_version"]),
            alembic_revision=None if revision is None else str(revision),
            engine=engine,
            kecamatan=tuple(str(code) for code in data["kecamatan"]),
            tables={str(name): int(count) for name, count in tables.items()},
            database_file=str(data["database_file"]),
            evidence=evidence,
            files=files,
        )

    @property
    def evidence_files(self) -> list[FileEntry]:
        """The evidence files in the backup."""
        return [entry for entry in self.files if entry.path.startswith(EVIDENCE + "/")]


# --- the command line -----------------------------------------------------------------------


def register_backup_commands(db_sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``backup``, ``restore`` and ``backup-kunci`` to ``iku-bot db``."""
    backup = db_sub.add_parser(
        "backup",
        help="cadangan basis data dan bukti dalam satu berkas .tar (tanpa kunci SKM)",
    )
    backup.add_argument(
        "path",
        type=Path,
        metavar="PATH",
        help="berkas .tar baru, atau folder yang sudah ada (nama berkas dari waktunya: "
        "iku-bot-YYYYMMDD-HHMMSS.tar)",
    )
    restore = db_sub.add_parser(
        "restore",
        help="memulihkan cadangan ke basis data KOSONG (DATABASE_URL) dan bukti ke EVIDENCE_DIR",
    )
    restore.add_argument("path", type=Path, metavar="BERKAS", help="berkas .tar cadangan")
    key = db_sub.add_parser(
        "backup-kunci",
        help="menulis kunci SKM ke berkas tersendiri (mode 0600), disimpan terpisah dari cadangan",
    )
    key.add_argument(
        "path",
        type=Path,
        metavar="PATH",
        help=f"berkas baru, atau folder yang sudah ada (berkas {KEY_FILE_NAME} di dalamnya)",
    )


def run_backup_command(settings: Settings, args: argparse.Namespace) -> int:
    """Run ``db backup``, ``db restore`` or ``db backup-kunci``."""
    if args.db_command == "backup":
        return backup_command(settings, args.path)
    if args.db_command == "restore":
        return restore_command(settings, args.path)
    return key_command(settings, args.path)


# --- small helpers --------------------------------------------------------------------------


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _size(size: int) -> str:
    if size < 1000:
        return f"{size} bita"
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            shown = f"{size / scale:.1f}".replace(".", ",")
            return f"{shown} {unit}; {_thousands(size)} bita"
    raise AssertionError(size)  # pragma: no cover


def _revision_text(revision: str | None) -> str:
    return revision if revision is not None else texts.BACKUP_NONE


def _problem_text(problem: db.DatabaseProblem) -> str:
    if isinstance(problem, db.UnsupportedDatabase):
        return texts.BACKUP_IN_MEMORY
    if isinstance(problem, db.DatabaseMissing):
        return texts.BACKUP_DB_MISSING.format(path=problem.path)
    if isinstance(problem, db.ToolMissing):
        if problem.bin_dir:
            return texts.BACKUP_TOOL_MISSING_IN_DIR.format(
                tool=problem.tool, folder=problem.bin_dir
            )
        return texts.BACKUP_TOOL_MISSING.format(tool=problem.tool)
    if isinstance(problem, db.ToolTooOld):
        return texts.BACKUP_TOOL_TOO_OLD.format(
            tool=problem.tool,
            path=problem.path,
            version=problem.version,
            server=problem.server_major,
        )
    if isinstance(problem, db.ToolFailed):
        return texts.BACKUP_TOOL_FAILED.format(
            tool=problem.tool, code=problem.returncode, detail=problem.detail or "-"
        )
    if isinstance(problem, db.CopyDamaged):
        return texts.BACKUP_COPY_DAMAGED.format(detail=problem.detail)
    return str(problem)  # pragma: no cover - every kind is named above


def _os_error(error: OSError) -> str:
    """'Permission denied: data/bukti/ab' (the reason and the file, nothing else)."""
    reason = error.strerror or type(error).__name__
    return f"{reason}: {error.filename}" if error.filename else reason


def _error_detail(error: BaseException) -> str:
    """The first line of a driver error: never the URL, so never a password."""
    original = getattr(error, "orig", None)
    message = str(original if original is not None else error).strip()
    return message.splitlines()[0] if message else type(error).__name__


class _HashingReader:
    """Reads a file for tarfile while computing its SHA-256."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self._handle.read(size)
        self.digest.update(chunk)
        return chunk


def _fsync_folder(folder: Path) -> None:
    with suppress(OSError):  # not every file system lets a folder be opened
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _app_version() -> str:
    try:
        return metadata.version("iku-bot")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return "tidak diketahui"


# --- backup ---------------------------------------------------------------------------------


def _backup_target(path: Path, now: datetime) -> Path:
    if path.is_dir():
        return path / f"iku-bot-{now:%Y%m%d-%H%M%S}.tar"
    if path.suffix.lower() != ".tar":
        raise BackupRefused(texts.BACKUP_TARGET_SUFFIX.format(path=path))
    if not path.parent.is_dir():
        raise BackupRefused(texts.BACKUP_NO_FOLDER.format(folder=path.parent))
    return path


@dataclass(frozen=True, slots=True)
class _EvidenceScan:
    files: list[tuple[str, Path]]
    skipped: int
    exists: bool


def _excluded(settings: Settings) -> set[Path]:
    """Files never copied from the evidence folder: the SKM key, the SQLite database."""
    paths = {Path(settings.skm_secret_file)}
    database = settings.sqlite_path()
    if database is not None:
        paths |= {Path(f"{database}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")}
    return {path.expanduser().resolve() for path in paths}


def _scan_evidence(settings: Settings) -> _EvidenceScan:
    root = Path(settings.evidence_dir).expanduser()
    if not root.exists():
        return _EvidenceScan([], 0, exists=False)
    if not root.is_dir():
        raise BackupRefused(texts.BACKUP_EVIDENCE_NOT_DIR.format(folder=root))
    excluded = _excluded(settings)
    files: list[tuple[str, Path]] = []
    skipped = 0

    def unreadable(error: OSError) -> None:
        raise error  # a folder that cannot be read is never skipped silently

    for folder, subfolders, names in os.walk(root, onerror=unreadable):  # links not followed
        subfolders.sort()
        kept = []
        for sub in subfolders:
            if sub.startswith("."):
                skipped += 1
            else:
                kept.append(sub)
        subfolders[:] = kept
        for name in sorted(names):
            path = Path(folder) / name
            if name.startswith(".") or path.is_symlink() or not path.is_file():
                skipped += 1  # temporary files of the store, links, sockets ...
                continue
            if path.resolve() in excluded:
                skipped += 1
                continue
            relative = path.relative_to(root).as_posix()
            if "\n" in relative or "\r" in relative or "\\" in relative:
                raise BackupRefused(texts.BACKUP_EVIDENCE_BAD_NAME.format(name=repr(relative)))
            files.append((f"{EVIDENCE}/{relative}", path))
    return _EvidenceScan(files, skipped, exists=True)


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> FileEntry:
    with path.open("rb") as handle:
        stat = os.fstat(handle.fileno())
        info = tarfile.TarInfo(name)
        info.size = stat.st_size
        info.mtime = int(stat.st_mtime)
        info.mode = 0o600
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return FileEntry(name, stat.st_size, reader.digest.hexdigest())


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: datetime) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(mtime.timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _sums(entries: list[FileEntry]) -> bytes:
    return "".join(f"{entry.sha256}  {entry.path}\n" for entry in entries).encode()


def _snapshot(settings: Settings, database_copy: Path) -> db.Snapshot:
    url = settings.database_url
    try:
        snapshot = db.snapshot_database(url, database_copy, pg_bin_dir=settings.pg_bin_dir)
    except db.DatabaseProblem as problem:
        raise BackupRefused(_problem_text(problem)) from None
    except (SQLAlchemyError, sqlite3.Error) as error:
        raise BackupRefused(
            texts.BACKUP_DB_UNREACHABLE.format(url=safe_url(url), detail=_error_detail(error))
        ) from None
    if snapshot.contents.revision is None:
        raise BackupRefused(texts.BACKUP_NOT_MIGRATED.format(url=safe_url(url)))
    return snapshot


def _write_archive(
    archive: Path,
    settings: Settings,
    snapshot: db.Snapshot,
    database_copy: Path,
    scan: _EvidenceScan,
    now: datetime,
) -> list[FileEntry]:
    """The .tar: database, evidence, manifest.json, SHA256SUMS; returns the data files."""
    engine = snapshot.engine
    s3_bucket = settings.evidence_s3_bucket
    fd = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        with tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as tar:
            entries = [_add_file(tar, DATABASE_FILES[engine], database_copy)]
            entries += [_add_file(tar, name, source) for name, source in scan.files]
            evidence: dict[str, Any] = (
                {
                    "store": "s3",
                    "bucket": s3_bucket,
                    "copied": False,
                    "note": "Bukti tersimpan di bucket S3 dan tidak disalin ke cadangan ini.",
                }
                if s3_bucket
                else {
                    "store": "local",
                    "dir": settings.evidence_dir,
                    "copied": True,
                    "files": len(scan.files),
                    "bytes": sum(entry.size for entry in entries[1:]),
                }
            )
            extra: dict[str, Any] = {"database_version": snapshot.server_version}
            if snapshot.tool_version is not None:
                extra["pg_dump_version"] = snapshot.tool_version
            manifest = Manifest(
                created_at=now,
                app_version=_app_version(),
                alembic_revision=snapshot.contents.revision,
                engine=engine,
                kecamatan=snapshot.contents.kecamatan,
                tables=snapshot.contents.tables,
                database_file=DATABASE_FILES[engine],
                evidence=evidence,
                files=tuple(entries),
                extra=extra,
            )
            data = (json.dumps(manifest.as_json(), ensure_ascii=False, indent=2) + "\n").encode()
            _add_bytes(tar, MANIFEST, data, now)
            manifest_entry = FileEntry(MANIFEST, len(data), hashlib.sha256(data).hexdigest())
            _add_bytes(tar, SUMS, _sums([manifest_entry, *entries]), now)
        handle.flush()
        os.fsync(handle.fileno())
    return entries


def backup_command(settings: Settings, path: Path) -> int:
    """Write a backup; print what is in it and the warning about the SKM key."""
    now = datetime.now(settings.tz)
    target = _backup_target(path, now)
    if target.exists():
        raise BackupRefused(texts.BACKUP_TARGET_EXISTS.format(path=target))
    url = settings.database_url
    engine = db.engine_of(url)
    s3_bucket = settings.evidence_s3_bucket
    try:
        # Everything is written in a folder next to the target (the same file system) and
        # the finished archive renamed into place: no half-written backup is ever seen.
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".iku-bot-cadangan-") as folder:
            database_copy = Path(folder) / DATABASE_FILES[engine]
            snapshot = _snapshot(settings, database_copy)
            # After the database: every evidence file a backed-up row names exists by now.
            scan = _EvidenceScan([], 0, exists=False) if s3_bucket else _scan_evidence(settings)
            archive = Path(folder) / target.name
            entries = _write_archive(archive, settings, snapshot, database_copy, scan, now)
            checked = read_backup(archive)  # what was written reads back, checksums and all
            if target.exists():
                raise BackupRefused(texts.BACKUP_TARGET_EXISTS.format(path=target))
            os.replace(archive, target)
        _fsync_folder(target.parent)
    except BackupDamaged as damage:
        raise BackupRefused(
            texts.BACKUP_WRITE_FAILED.format(path=target, detail=str(damage))
        ) from None
    except OSError as error:
        raise BackupRefused(
            texts.BACKUP_WRITE_FAILED.format(path=target, detail=_os_error(error))
        ) from None
    evidence_bytes = sum(entry.size for entry in entries[1:])
    contents = snapshot.contents
    print(texts.BACKUP_WRITTEN.format(path=target, size=_size(target.stat().st_size)))
    print(
        texts.BACKUP_DATABASE.format(
            engine=ENGINE_NAMES[engine],
            revision=_revision_text(contents.revision),
            tables=len(contents.tables),
            rows=_thousands(contents.rows),
        )
    )
    print(texts.BACKUP_KECAMATAN.format(codes=", ".join(contents.kecamatan) or texts.BACKUP_NONE))
    if s3_bucket:
        print(texts.BACKUP_EVIDENCE_S3.format(bucket=s3_bucket))
    elif not scan.exists:
        print(texts.BACKUP_EVIDENCE_NONE.format(folder=settings.evidence_dir))
    else:
        print(
            texts.BACKUP_EVIDENCE_LOCAL.format(
                files=_thousands(len(scan.files)),
                size=_size(evidence_bytes),
                folder=settings.evidence_dir,
            )
        )
    if scan.skipped:
        print(texts.BACKUP_SKIPPED.format(count=scan.skipped))
    print(texts.BACKUP_VERIFIED.format(files=len(checked.files) + 2))
    print(texts.BACKUP_KEY_WARNING)
    return EXIT_OK


# --- reading a backup -----------------------------------------------------------------------


def _member_allowed(name: str) -> bool:
    if name in (MANIFEST, SUMS) or name in DATABASE_FILES.values():
        return True
    if "\\" in name or "\n" in name or "\r" in name:
        return False
    parts = PurePosixPath(name).parts
    return (
        not name.startswith("/")
        and len(parts) >= 2
        and parts[0] == EVIDENCE
        and all(part not in ("", ".", "..") for part in parts)
        and "/".join(parts) == name
    )


def _members(tar: tarfile.TarFile) -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
    names: set[str] = set()
    for member in tar:
        if not member.isreg() or not _member_allowed(member.name):
            raise BackupDamaged(texts.RESTORE_DAMAGE_MEMBER.format(name=repr(member.name)))
        if member.name in names:
            raise BackupDamaged(texts.RESTORE_DAMAGE_DUPLICATE.format(name=member.name))
        names.add(member.name)
        handle = tar.extractfile(member)
        assert handle is not None  # a regular file
        yield member, handle


def _parse_sums(data: bytes) -> dict[str, str]:
    sums: dict[str, str] = {}
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        digest, sep, name = line.partition("  ")
        if (
            not sep
            or len(digest) != 64
            or any(c not in "0123456789abcdef" for c in digest)
            or not name
            or name in sums
        ):
            raise BackupDamaged(texts.RESTORE_DAMAGE_BAD_SUMS.format(line=number))
        sums[name] = digest
    return sums


def _read_archive(path: Path) -> tuple[dict[str, FileEntry], dict[str, bytes]]:
    """Every member's size and SHA-256, and the bytes of the manifest and SHA256SUMS."""
    entries: dict[str, FileEntry] = {}
    small: dict[str, bytes] = {}
    try:
        with tarfile.open(path, mode="r:") as tar:
            for member, handle in _members(tar):
                digest = hashlib.sha256()
                size = 0
                kept: list[bytes] = []
                keep = member.name in (MANIFEST, SUMS)
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    if keep and size <= _SMALL_LIMIT:
                        kept.append(chunk)
                if size != member.size:
                    raise BackupDamaged(texts.RESTORE_DAMAGE_SIZE.format(name=member.name))
                entries[member.name] = FileEntry(member.name, size, digest.hexdigest())
                if keep:
                    small[member.name] = b"".join(kept)
    except (tarfile.TarError, EOFError, OSError, UnicodeError) as error:
        raise BackupDamaged(texts.RESTORE_DAMAGE_UNREADABLE.format(error=error)) from None
    return entries, small


def read_backup(path: Path) -> Manifest:
    """The manifest of a complete, unchanged backup; writes nothing.

    Every member is hashed and compared with SHA256SUMS (the manifest included), and the
    manifest's list of files with SHA256SUMS; any difference raises ``BackupDamaged``.
    """
    entries, small = _read_archive(path)
    if SUMS not in small:
        raise BackupDamaged(texts.RESTORE_DAMAGE_NO_SUMS)
    sums = _parse_sums(small[SUMS])
    for name, digest in sums.items():
        if name not in entries:
            raise BackupDamaged(texts.RESTORE_DAMAGE_MISSING.format(name=name))
        if entries[name].sha256 != digest:
            raise BackupDamaged(texts.RESTORE_DAMAGE_CHECKSUM.format(name=name))
    for name in entries:
        if name != SUMS and name not in sums:
            raise BackupDamaged(texts.RESTORE_DAMAGE_UNLISTED.format(name=name))
    if MANIFEST not in small:
        raise BackupDamaged(texts.RESTORE_DAMAGE_MANIFEST.format(error=MANIFEST))
    try:
        manifest = Manifest.parse(json.loads(small[MANIFEST].decode("utf-8")))
    except (ValueError, KeyError, TypeError) as error:
        raise BackupDamaged(texts.RESTORE_DAMAGE_MANIFEST.format(error=error)) from None
    listed = {entry.path: entry for entry in manifest.files}
    for name in set(listed) | (set(sums) - {MANIFEST}):
        if name not in listed or name not in entries or listed[name] != entries[name]:
            raise BackupDamaged(texts.RESTORE_DAMAGE_MANIFEST_FILES.format(name=name))
    if manifest.database_file != DATABASE_FILES[manifest.engine] or (
        manifest.database_file not in listed
    ):
        raise BackupDamaged(texts.RESTORE_DAMAGE_MANIFEST_FILES.format(name=manifest.database_file))
    return manifest


# --- restore --------------------------------------------------------------------------------


@dataclass(slots=True)
class _EvidencePlan:
    """Where each evidence file goes, and what has been written so far (to undo)."""

    root: Path
    wanted: dict[str, Path] = field(default_factory=dict)  # archive name -> final path
    same: int = 0
    staged: dict[str, Path] = field(default_factory=dict)  # archive name -> temporary file
    placed: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)

    def folder_for(self, path: Path) -> None:
        missing: list[Path] = []
        folder = path.parent
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for new in reversed(missing):
            new.mkdir()
            self.folders.append(new)

    def undo(self) -> None:
        for path in [*self.staged.values(), *self.placed]:
            with suppress(OSError):
                path.unlink(missing_ok=True)
        for folder in reversed(self.folders):
            with suppress(OSError):
                folder.rmdir()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _plan_evidence(manifest: Manifest, root: Path) -> _EvidencePlan:
    """Which evidence files to copy; one that exists with other content is refused."""
    plan = _EvidencePlan(root)
    for entry in manifest.evidence_files:
        final = root.joinpath(*PurePosixPath(entry.path).parts[1:])
        if final.is_symlink() or (final.exists() and not final.is_file()):
            raise BackupRefused(texts.RESTORE_EVIDENCE_CONFLICT.format(path=final))
        if final.exists():
            if final.stat().st_size != entry.size or _file_sha256(final) != entry.sha256:
                raise BackupRefused(texts.RESTORE_EVIDENCE_CONFLICT.format(path=final))
            plan.same += 1
            continue
        plan.wanted[entry.path] = final
    return plan


def _copy_out(handle: IO[bytes], target: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
        target.write(chunk)
    target.flush()
    os.fsync(target.fileno())
    return digest.hexdigest()


def _extract(path: Path, manifest: Manifest, database_copy: Path, plan: _EvidencePlan) -> None:
    """Second pass: the database file to ``database_copy``, the evidence to temporary files
    next to their places; every one checked again against the manifest."""
    expected = {entry.path: entry for entry in manifest.files}
    found: set[str] = set()
    try:
        with tarfile.open(path, mode="r:") as tar:
            for member, handle in _members(tar):
                name = member.name
                if name == manifest.database_file:
                    with database_copy.open("xb") as out:
                        digest = _copy_out(handle, out)
                elif name in plan.wanted:
                    final = plan.wanted[name]
                    plan.folder_for(final)
                    fd, temporary = tempfile.mkstemp(
                        dir=final.parent, prefix=f".{final.name}.pulih-", suffix=".tmp"
                    )
                    plan.staged[name] = Path(temporary)
                    with os.fdopen(fd, "wb") as out:
                        _copy_out(handle, out)
                    digest = _file_sha256(Path(temporary))  # as it is on the disk
                else:
                    continue
                if digest != expected[name].sha256:
                    raise BackupDamaged(texts.RESTORE_DAMAGE_CHECKSUM.format(name=name))
                found.add(name)
    except (tarfile.TarError, EOFError) as error:
        raise BackupDamaged(texts.RESTORE_DAMAGE_UNREADABLE.format(error=error)) from None
    for name in {manifest.database_file, *plan.wanted} - found:
        raise BackupDamaged(texts.RESTORE_DAMAGE_MISSING.format(name=name))


def _differences(manifest: Manifest, restored: db.Contents) -> list[str]:
    lines: list[str] = []
    if restored.revision != manifest.alembic_revision:
        lines.append(
            texts.RESTORE_DIFF_REVISION.format(
                expected=_revision_text(manifest.alembic_revision),
                actual=_revision_text(restored.revision),
            )
        )
    for name in sorted(set(manifest.tables) | set(restored.tables)):
        expected, actual = manifest.tables.get(name), restored.tables.get(name)
        if expected != actual:
            lines.append(
                texts.RESTORE_DIFF_TABLE.format(
                    table=name,
                    expected=texts.BACKUP_NONE if expected is None else _thousands(expected),
                    actual=texts.BACKUP_NONE if actual is None else _thousands(actual),
                )
            )
    if restored.kecamatan != manifest.kecamatan:
        lines.append(
            texts.RESTORE_DIFF_KECAMATAN.format(
                expected=", ".join(manifest.kecamatan) or texts.BACKUP_NONE,
                actual=", ".join(restored.kecamatan) or texts.BACKUP_NONE,
            )
        )
    return lines


def _check_target_empty(url: str) -> None:
    try:
        found = db.existing_objects(url)
    except db.DatabaseProblem as problem:
        raise BackupRefused(_problem_text(problem)) from None
    except (SQLAlchemyError, sqlite3.Error) as error:
        raise BackupRefused(
            texts.RESTORE_UNREACHABLE.format(url=safe_url(url), detail=_error_detail(error))
        ) from None
    if found:
        shown = ", ".join(found[:5]) + (", ..." if len(found) > 5 else "")
        raise BackupRefused(
            texts.RESTORE_NOT_EMPTY.format(url=safe_url(url), count=len(found), names=shown)
        )


def restore_command(settings: Settings, path: Path) -> int:
    """Restore a backup into the empty database of DATABASE_URL and into EVIDENCE_DIR."""
    if not path.is_file():
        raise BackupRefused(texts.RESTORE_NOT_FOUND.format(path=path))
    try:
        manifest = read_backup(path)  # every checksum, before anything else
    except BackupDamaged as damage:
        raise BackupRefused(texts.RESTORE_DAMAGED.format(path=path, detail=damage)) from None
    url = settings.database_url
    target_engine = db.engine_of(url)
    if manifest.engine != target_engine:
        raise BackupRefused(
            texts.RESTORE_ENGINE_MISMATCH.format(
                backup=ENGINE_NAMES[manifest.engine], target=ENGINE_NAMES[target_engine]
            )
        )
    if manifest.alembic_revision is not None and not known_revision(manifest.alembic_revision):
        raise BackupRefused(texts.RESTORE_NEWER.format(revision=manifest.alembic_revision))
    _check_target_empty(url)
    root = Path(settings.evidence_dir).expanduser()
    plan = _plan_evidence(manifest, root)
    print(
        texts.RESTORE_VERIFIED.format(
            path=path,
            files=len(manifest.files) + 2,
            created=fmt_datetime_id(manifest.created_at.astimezone(settings.tz)),
            version=manifest.app_version,
            engine=ENGINE_NAMES[manifest.engine],
            revision=_revision_text(manifest.alembic_revision),
        )
    )
    try:
        with tempfile.TemporaryDirectory(prefix="iku-bot-pulih-") as folder:
            database_copy = Path(folder) / manifest.database_file
            _extract(path, manifest, database_copy, plan)
            for name, temporary in list(plan.staged.items()):
                final = plan.wanted[name]
                os.replace(temporary, final)
                del plan.staged[name]
                plan.placed.append(final)
            db.restore_database(url, database_copy, manifest.engine, pg_bin_dir=settings.pg_bin_dir)
    except BackupDamaged as damage:
        plan.undo()
        raise BackupRefused(texts.RESTORE_DAMAGED.format(path=path, detail=damage)) from None
    except db.DatabaseProblem as problem:
        plan.undo()
        raise BackupRefused(texts.RESTORE_FAILED.format(detail=_problem_text(problem))) from None
    except (SQLAlchemyError, sqlite3.Error, OSError) as error:
        plan.undo()
        raise BackupRefused(texts.RESTORE_FAILED.format(detail=_error_detail(error))) from None
    except BaseException:
        plan.undo()
        raise
    print(texts.RESTORE_DATABASE_DONE.format(url=safe_url(url)))
    if manifest.evidence.get("store") == "s3":
        print(texts.RESTORE_EVIDENCE_S3.format(bucket=manifest.evidence.get("bucket")))
    else:
        print(
            texts.RESTORE_EVIDENCE_DONE.format(
                copied=_thousands(len(plan.placed)), same=_thousands(plan.same), folder=root
            )
        )
        if settings.evidence_s3_bucket:
            print(texts.RESTORE_EVIDENCE_S3_CONFIGURED.format(folder=root))
    try:
        restored = db.contents_of(url)
    except (SQLAlchemyError, sqlite3.Error) as error:
        raise BackupRefused(
            texts.BACKUP_DB_UNREACHABLE.format(url=safe_url(url), detail=_error_detail(error))
        ) from None
    differences = _differences(manifest, restored)
    if differences:
        print(texts.RESTORE_CHECK_DIFFERS)
        for line in differences:
            print(line)
        return EXIT_MISMATCH
    print(
        texts.RESTORE_CHECK_OK.format(
            tables=len(restored.tables),
            rows=_thousands(restored.rows),
            revision=_revision_text(restored.revision),
        )
    )
    print(texts.RESTORE_NEXT)
    return EXIT_OK


# --- the SKM key ----------------------------------------------------------------------------


def _skm_key(settings: Settings) -> tuple[str, str]:
    """The key as the bot reads it (bot/runtime.py), and where it came from; never made."""
    if settings.skm_secret is not None:
        key, source = settings.skm_secret.get_secret_value(), "SKM_SECRET"
    else:
        path = Path(settings.skm_secret_file)
        if not path.is_file():
            raise BackupRefused(texts.KEY_MISSING.format(path=path))
        source = f"SKM_SECRET_FILE={path}"
        try:
            key = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeError) as error:
            detail = _os_error(error) if isinstance(error, OSError) else str(error)
            raise BackupRefused(texts.KEY_UNREADABLE.format(source=source, detail=detail)) from None
    if len(key) < KEY_MIN_LENGTH:
        raise BackupRefused(texts.KEY_TOO_SHORT.format(source=source))
    return key, source


def key_command(settings: Settings, path: Path) -> int:
    """Write the SKM key to a file of its own, mode 0600; never over an existing file."""
    target = path / KEY_FILE_NAME if path.is_dir() else path
    if not target.parent.is_dir():
        raise BackupRefused(texts.BACKUP_NO_FOLDER.format(folder=target.parent))
    if target.exists() or target.is_symlink():
        raise BackupRefused(texts.KEY_TARGET_EXISTS.format(path=target))
    key, source = _skm_key(settings)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupRefused(texts.KEY_TARGET_EXISTS.format(path=target)) from None
    except OSError as error:
        raise BackupRefused(
            texts.KEY_WRITE_FAILED.format(path=target, detail=_os_error(error))
        ) from None
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)
    print(texts.KEY_WRITTEN.format(source=source, path=target))
    print(texts.KEY_RESTORE_HINT)
    print(texts.BACKUP_KEY_WARNING)
    return EXIT_OK
