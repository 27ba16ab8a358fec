"""The local evidence store: a folder, files named by their SHA-256 (``ab/abcdef...``)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from domain.evidence import EvidenceStore, store_key

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["LocalEvidenceStore", "S3EvidenceStore", "EvidenceSettings", "evidence_store"]


class EvidenceSettings(Protocol):
    """The settings that choose the evidence store (bot.config.Settings has them)."""

    @property
    def evidence_dir(self) -> str: ...

    @property
    def evidence_s3_bucket(self) -> str | None: ...

    @property
    def evidence_s3_endpoint_url(self) -> str | None: ...

    @property
    def evidence_s3_prefix(self) -> str: ...


def evidence_store(settings: EvidenceSettings) -> EvidenceStore:
    """The S3 bucket when ``evidence_s3_bucket`` is set, else the folder ``evidence_dir``."""
    if settings.evidence_s3_bucket:
        return S3EvidenceStore(
            settings.evidence_s3_bucket,
            prefix=settings.evidence_s3_prefix,
            endpoint_url=settings.evidence_s3_endpoint_url,
        )
    return LocalEvidenceStore(settings.evidence_dir)


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


_SHA256_METADATA = "sha256"  # x-amz-meta-sha256


class S3EvidenceStore:
    """Content-addressed objects ``<prefix>ab/abcdef...`` in an S3(-compatible) bucket.

    Credentials come from the standard AWS environment (AWS_ACCESS_KEY_ID, profiles,
    instance roles), never from the bot's settings. An object that exists with the same
    size and SHA-256 metadata is not written again (``put`` is idempotent by key).
    """

    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        endpoint_url: str | None = None,
        client: S3Client | None = None,
    ) -> None:
        if client is None:
            import boto3  # imported when an S3 store is used, not when the bot starts

            client = boto3.client("s3", endpoint_url=endpoint_url or None)
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.lstrip("/")
        if self.prefix and not self.prefix.endswith("/"):
            self.prefix += "/"

    def _name(self, key: str) -> str:
        head, _, name = key.partition("/")
        store_key(name)  # refuses anything but a SHA-256
        if head != name[:2]:
            raise ValueError("not an evidence key")
        return f"{self.prefix}{key}"

    def _head(self, key: str) -> dict[str, Any] | None:
        from botocore.exceptions import ClientError

        try:
            head: dict[str, Any] = dict(
                self.client.head_object(Bucket=self.bucket, Key=self._name(key))
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return head

    def put(self, data: bytes) -> str:
        """Upload under the SHA-256 key unless the same bytes are there already."""
        sha256 = hashlib.sha256(data).hexdigest()
        key = store_key(sha256)
        head = self._head(key)
        if (
            head is not None
            and head.get("ContentLength") == len(data)
            and head.get("Metadata", {}).get(_SHA256_METADATA) == sha256
        ):
            return key
        self.client.put_object(
            Bucket=self.bucket,
            Key=self._name(key),
            Body=data,
            Metadata={_SHA256_METADATA: sha256},
        )
        return key

    def get(self, key: str) -> bytes:
        """The bytes of a key (KeyError when missing)."""
        from botocore.exceptions import ClientError

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise KeyError(key) from None
            raise
        body: bytes = response["Body"].read()
        return body

    def exists(self, key: str) -> bool:
        """Whether the bucket has the key."""
        return self._head(key) is not None
