"""Kecamatan and desa reference data: packaged JSON files, loaded idempotently."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from domain.errors import InvalidInput
from domain.models import SkmService
from domain.ports import DesaSeed, KecamatanSeed, ServiceSeed, UnitOfWork
from domain.usecases import SERVICE_CODE, SERVICE_NAME_MAX

__all__ = ["load_kecamatan_file", "parse_kecamatan", "packaged_kecamatan", "seed_kecamatan"]

_KEC_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}")
_KEC_BPS = re.compile(r"\d{7}")
_DESA_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")
_DESA_BPS = re.compile(r"\d{10}")


def _text(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{where}: isian '{key}' wajib berupa teks")
    return value.strip()


def parse_kecamatan(data: Any, source: str) -> KecamatanSeed:
    """Validate a kecamatan data object (codes well-formed and consistent, no duplicates)."""
    if not isinstance(data, dict):
        raise InvalidInput(f"{source}: isi berkas harus objek JSON kecamatan")
    kode = _text(data, "kode", source)
    kode_bps = _text(data, "kode_bps", source)
    if not _KEC_CODE.fullmatch(kode):
        raise InvalidInput(f"{source}: kode kecamatan harus berbentuk 35.28.08 (diterima {kode})")
    if not _KEC_BPS.fullmatch(kode_bps):
        raise InvalidInput(f"{source}: kode_bps kecamatan harus 7 digit (diterima {kode_bps})")
    items = data.get("desa")
    if not isinstance(items, list) or not items:
        raise InvalidInput(f"{source}: daftar 'desa' wajib diisi")
    desa: list[DesaSeed] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        where = f"{source}: desa ke-{number}"
        if not isinstance(item, dict):
            raise InvalidInput(f"{where} harus objek JSON")
        d_kode = _text(item, "kode", where)
        d_bps = _text(item, "kode_bps", where)
        if not _DESA_CODE.fullmatch(d_kode) or not d_kode.startswith(kode + "."):
            raise InvalidInput(f"{where}: kode {d_kode} harus berbentuk {kode}.NNNN")
        if not _DESA_BPS.fullmatch(d_bps) or not d_bps.startswith(kode_bps):
            raise InvalidInput(f"{where}: kode_bps {d_bps} harus 10 digit diawali {kode_bps}")
        for code in (d_kode, d_bps):
            if code in seen:
                raise InvalidInput(f"{where}: kode {code} ganda")
            seen.add(code)
        desa.append(DesaSeed(kode=d_kode, kode_bps=d_bps, nama=_text(item, "nama", where)))
    return KecamatanSeed(
        kode=kode,
        kode_bps=kode_bps,
        nama=_text(data, "nama", source),
        kabupaten=_text(data, "kabupaten", source),
        provinsi=_text(data, "provinsi", source),
        desa=tuple(desa),
        layanan_contoh=_example_services(data.get("layanan_contoh"), source),
    )


def _example_services(items: Any, source: str) -> tuple[ServiceSeed, ...]:
    """The optional ``layanan_contoh``: codes as ``iku-bot layanan add`` takes them."""
    if items is None:
        return ()
    if not isinstance(items, list):
        raise InvalidInput(f"{source}: 'layanan_contoh' harus berupa daftar")
    services: list[ServiceSeed] = []
    codes: set[str] = set()
    names: set[str] = set()
    for number, item in enumerate(items, start=1):
        where = f"{source}: layanan_contoh ke-{number}"
        if not isinstance(item, dict):
            raise InvalidInput(f"{where} harus objek JSON")
        kode = _text(item, "kode", where).lower()
        nama = " ".join(_text(item, "nama", where).split())
        if not SERVICE_CODE.fullmatch(kode):
            raise InvalidInput(
                f"{where}: kode {kode!r} harus 1-32 karakter: huruf kecil, angka, '-' atau '_', "
                "diawali huruf atau angka"
            )
        if not 3 <= len(nama) <= SERVICE_NAME_MAX:
            raise InvalidInput(f"{where}: nama layanan harus 3-{SERVICE_NAME_MAX} karakter")
        if kode in codes:
            raise InvalidInput(f"{where}: kode {kode} ganda")
        if nama.lower() in names:
            raise InvalidInput(f"{where}: nama {nama!r} ganda")
        codes.add(kode)
        names.add(nama.lower())
        services.append(ServiceSeed(kode=kode, nama=nama))
    return tuple(services)


def load_kecamatan_file(path: Path) -> KecamatanSeed:
    """Read and validate a kecamatan JSON file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"{path}: berkas tidak dapat dibaca ({exc.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{path.name}: bukan JSON yang sah (baris {exc.lineno}, kolom {exc.colno})"
        ) from None
    return parse_kecamatan(data, path.name)


def packaged_kecamatan(kode: str) -> KecamatanSeed | None:
    """The packaged data of a kecamatan (by Kemendagri code), or None if not shipped."""
    resource = resources.files("storage") / "data" / "kecamatan" / f"{kode}.json"
    if not resource.is_file():
        return None
    return parse_kecamatan(json.loads(resource.read_text(encoding="utf-8")), f"{kode}.json")


def seed_kecamatan(uow: UnitOfWork, seed: KecamatanSeed) -> int:
    """Insert or update a kecamatan and its desa; returns rows changed (0 when up to date).

    The file's ``layanan_contoh`` are offered once per kecamatan: a kecamatan without
    any service gets them as active services marked as examples, for an admin to
    confirm or remove. A kecamatan that has services already gets none, and once
    offered they are never added again (services an admin removed or deactivated do
    not come back). Like the kecamatan and its desa, they are not audited: the data
    file is the record. The caller commits.
    """
    kecamatan, changed = uow.kecamatan.upsert(seed)
    if not seed.layanan_contoh or not uow.kecamatan.claim_service_examples(kecamatan.id):
        return changed
    if uow.skm.list_services(kecamatan.id):
        return changed
    for item in seed.layanan_contoh:
        uow.skm.add_service(
            SkmService(
                id=0, kecamatan_id=kecamatan.id, kode=item.kode, nama=item.nama, example=True
            )
        )
    return changed + len(seed.layanan_contoh)
