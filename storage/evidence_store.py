"""The local evidence store: a folder, files named by their SHA-256 (``ab/abcdef...``)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from domain.evidence import store_key

__all__ = ["LocalEvidenceStore"]


class LocalEvidenceStore:
    """Content-addressed files under ``root``; the same bytes are written once."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).expanduser()

    def _path(self, key: str) -> Path:
        head, _, name = key.partition("/")
        store_key(name)  # refuses anything but a SHA-256 (no path tricks)
        if head != name[:2]:
            raise ValueError("not an evidence key")
        return self.root / head / name

    def put(self, data: bytes) -> str:
        """Write atomically (temporary file, fsync, rename) unless already there."""
        key = store_key(hashlib.sha256(data).hexdigest())
        path = self._path(key)
        if path.is_file():
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        # A dot name: the backup skips temporary files of the store.
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        return key

    def get(self, key: str) -> bytes:
        """The bytes of a key (KeyError when missing)."""
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise KeyError(key) from None

    def exists(self, key: str) -> bool:
        """Whether the store has the key."""
        return self._path(key).is_file()
