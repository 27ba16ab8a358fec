"""The S3 evidence store (against moto's in-memory S3) behaves as the local folder does;
``evidence_store`` picks S3 when a bucket is set."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from moto import mock_aws

from domain.evidence import EvidenceStore
from storage.evidence_store import LocalEvidenceStore, S3EvidenceStore, evidence_store

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

BUCKET = "bukti-kecamatan"
DATA = b"\xff\xd8\xff\xe0 foto"
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[S3Client]:
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET)
        yield client


def _puts(client: S3Client) -> list[str]:
    """The keys of every PutObject call made from now on."""
    calls: list[str] = []

    def count(params: dict[str, Any], **_: Any) -> None:
        calls.append(params["Key"])

    client.meta.events.register("provide-client-params.s3.PutObject", count)
    return calls


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> EvidenceStore:
    if request.param == "local":
        return LocalEvidenceStore(tmp_path / "bukti")
    client: S3Client = request.getfixturevalue("s3")
    return S3EvidenceStore(BUCKET, prefix="bukti/", client=client)


def test_put_get_exists_by_sha256_key(store: EvidenceStore) -> None:
    key = f"{SHA[:2]}/{SHA}"
    assert not store.exists(key)
    assert store.put(DATA) == key
    assert store.exists(key)
    assert store.get(key) == DATA
    assert store.put(DATA) == key  # the same bytes: the same key


def test_a_missing_key_is_a_key_error_and_a_bad_key_refused(store: EvidenceStore) -> None:
    other = "b" * 64
    with pytest.raises(KeyError):
        store.get(f"bb/{other}")
    assert not store.exists(f"bb/{other}")
    for bad in ("../../etc/passwd", f"cc/{other}", f"bb/{other}/x", "bb/BB"):
        with pytest.raises(ValueError, match=r"^not a"):
            store.exists(bad)


def test_s3_objects_are_under_the_prefix_with_their_sha256(s3: S3Client) -> None:
    store = S3EvidenceStore(BUCKET, prefix="kantor/bukti", client=s3)
    key = store.put(DATA)
    head = s3.head_object(Bucket=BUCKET, Key=f"kantor/bukti/{key}")
    assert head["ContentLength"] == len(DATA)
    assert head["Metadata"] == {"sha256": SHA}
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]] == [
        f"kantor/bukti/{SHA[:2]}/{SHA}"
    ]


def test_s3_put_is_idempotent_and_repairs_an_object_without_its_checksum(s3: S3Client) -> None:
    store = S3EvidenceStore(BUCKET, prefix="bukti/", client=s3)
    puts = _puts(s3)
    store.put(DATA)
    store.put(DATA)
    assert puts == [f"bukti/{SHA[:2]}/{SHA}"]  # uploaded once
    # An object of that key written otherwise (no metadata, other bytes) is replaced.
    s3.put_object(Bucket=BUCKET, Key=f"bukti/{SHA[:2]}/{SHA}", Body=b"separuh")
    puts.clear()
    store.put(DATA)
    assert len(puts) == 1
    assert store.get(f"{SHA[:2]}/{SHA}") == DATA


def test_an_s3_error_other_than_missing_is_not_hidden(s3: S3Client) -> None:
    from botocore.exceptions import ClientError

    store = S3EvidenceStore("bucket-yang-tidak-ada", client=s3)
    with pytest.raises(ClientError):
        store.get(f"{SHA[:2]}/{SHA}")


@dataclass(frozen=True)
class _Settings:
    evidence_dir: str
    evidence_s3_bucket: str | None = None
    evidence_s3_endpoint_url: str | None = None
    evidence_s3_prefix: str = "bukti/"


def test_evidence_store_is_the_folder_unless_a_bucket_is_set(tmp_path: Path, s3: S3Client) -> None:
    local = evidence_store(_Settings(str(tmp_path / "bukti")))
    assert isinstance(local, LocalEvidenceStore)
    assert local.root == tmp_path / "bukti"
    remote = evidence_store(_Settings(str(tmp_path), evidence_s3_bucket=BUCKET))
    assert isinstance(remote, S3EvidenceStore)
    assert (remote.bucket, remote.prefix) == (BUCKET, "bukti/")
    key = remote.put(DATA)
    assert s3.get_object(Bucket=BUCKET, Key=f"bukti/{key}")["Body"].read() == DATA
    assert not (tmp_path / SHA[:2]).exists()
