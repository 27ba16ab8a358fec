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

__all__ = [
    "load_kecamatan_file",
    "load_seed_file",
    "packaged_kecamatan",
    "parse_kecamatan",
    "parse_seed_file",
    "seed_conflicts",
    "seed_kecamatan",
]

_KEC_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}")
_KEC_BPS = re.compile(r"\d{7}")
_DESA_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")
_DESA_BPS = re.compile(r"\d{10}")


class _Problems:
    """Problems of a data file, collected so that all are named at once."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        self.items.append(message)

    def raise_any(self) -> None:
        if self.items:
            raise InvalidInput("\n".join(self.items))


def _text(data: dict[str, Any], key: str, where: str, problems: _Problems) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.add(f"{where}: isian '{key}' wajib berupa teks")
        return ""
    return value.strip()


def parse_kecamatan(data: Any, source: str) -> KecamatanSeed:
    """Validate a kecamatan data object (codes well-formed and consistent, no duplicates).

    Every problem of the object is named in one ``InvalidInput``, one per line.
    """
    problems = _Problems()
    seed = _parse_kecamatan(data, source, problems, None)
    problems.raise_any()
    assert seed is not None
    return seed


def _parse_kecamatan(
    data: Any, source: str, problems: _Problems, inherited: dict[str, str] | None
) -> KecamatanSeed | None:
    """A kecamatan object; ``inherited`` gives kabupaten and provinsi of a kabupaten file."""
    if not isinstance(data, dict):
        problems.add(f"{source}: isi berkas harus objek JSON kecamatan")
        return None
    kode = _text(data, "kode", source, problems)
    kode_bps = _text(data, "kode_bps", source, problems)
    if kode and not _KEC_CODE.fullmatch(kode):
        problems.add(f"{source}: kode kecamatan harus berbentuk 35.28.08 (diterima {kode})")
    if kode_bps and not _KEC_BPS.fullmatch(kode_bps):
        problems.add(f"{source}: kode_bps kecamatan harus 7 digit (diterima {kode_bps})")
    items = data.get("desa")
    desa: list[DesaSeed] = []
    if not isinstance(items, list) or not items:
        problems.add(f"{source}: daftar 'desa' wajib diisi")
        items = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        where = f"{source}: desa ke-{number}"
        if not isinstance(item, dict):
            problems.add(f"{where} harus objek JSON")
            continue
        d_kode = _text(item, "kode", where, problems)
        d_bps = _text(item, "kode_bps", where, problems)
        d_nama = _text(item, "nama", where, problems)
        if d_kode and (not _DESA_CODE.fullmatch(d_kode) or not d_kode.startswith(kode + ".")):
            problems.add(f"{where}: kode {d_kode} harus berbentuk {kode}.NNNN")
        if d_bps and (not _DESA_BPS.fullmatch(d_bps) or not d_bps.startswith(kode_bps)):
            problems.add(f"{where}: kode_bps {d_bps} harus 10 digit diawali {kode_bps}")
        for code in (d_kode, d_bps):
            if not code:
                continue
            if code in seen:
                problems.add(f"{where}: kode {code} ganda")
            seen.add(code)
        desa.append(DesaSeed(kode=d_kode, kode_bps=d_bps, nama=d_nama))
    nama = _text(data, "nama", source, problems)
    if inherited is None:
        kabupaten = _text(data, "kabupaten", source, problems)
        provinsi = _text(data, "provinsi", source, problems)
    else:
        kabupaten, provinsi = inherited["kabupaten"], inherited["provinsi"]
    try:
        services = _example_services(data.get("layanan_contoh"), source)
    except InvalidInput as error:
        problems.add(str(error))
        services = ()
    return KecamatanSeed(
        kode=kode,
        kode_bps=kode_bps,
        nama=nama,
        kabupaten=kabupaten,
        provinsi=provinsi,
        desa=tuple(desa),
        layanan_contoh=services,
    )


_KAB_CODE = re.compile(r"\d{2}\.\d{2}")


def parse_seed_file(data: Any, source: str) -> list[KecamatanSeed]:
    """A kecamatan object, or a kabupaten object with its ``kecamatan`` list.

    A kabupaten file is ``{"kode": "35.28", "kabupaten": ..., "provinsi": ...,
    "kecamatan": [{kode, kode_bps, nama, desa: [...], layanan_contoh?}, ...]}``: every
    kecamatan must lie in the kabupaten (its code starts with the kabupaten's), no
    kecamatan or desa code twice. Every problem is named in one ``InvalidInput``.
    """
    if not isinstance(data, dict) or "kecamatan" not in data:
        return [parse_kecamatan(data, source)]
    problems = _Problems()
    kab_kode = _text(data, "kode", source, problems)
    if kab_kode and not _KAB_CODE.fullmatch(kab_kode):
        problems.add(f"{source}: kode kabupaten harus berbentuk 35.28 (diterima {kab_kode})")
    inherited = {
        "kabupaten": _text(data, "kabupaten", source, problems),
        "provinsi": _text(data, "provinsi", source, problems),
    }
    items = data["kecamatan"]
    if not isinstance(items, list) or not items:
        problems.add(f"{source}: daftar 'kecamatan' wajib diisi")
        items = []
    seeds: list[KecamatanSeed] = []
    seen: dict[str, str] = {}
    for number, item in enumerate(items, start=1):
        where = f"{source}: kecamatan ke-{number}"
        seed = _parse_kecamatan(item, where, problems, inherited)
        if seed is None:
            continue
        if seed.kode and kab_kode and not seed.kode.startswith(kab_kode + "."):
            problems.add(f"{where}: kode {seed.kode} bukan kecamatan kabupaten {kab_kode}")
        for code in (
            seed.kode,
            seed.kode_bps,
            *(c for d in seed.desa for c in (d.kode, d.kode_bps)),
        ):
            if not code:
                continue
            if code in seen and seen[code] != where:
                problems.add(f"{where}: kode {code} sudah dipakai di {seen[code]}")
            seen.setdefault(code, where)
        seeds.append(seed)
    problems.raise_any()
    return seeds


def seed_conflicts(uow: UnitOfWork, seeds: list[KecamatanSeed]) -> list[str]:
    """Desa codes of the seeds that belong to another kecamatan in the database."""
    problems: list[str] = []
    for seed in seeds:
        kec = uow.kecamatan.get_by_code(seed.kode)
        for item in seed.desa:
            for code in (item.kode, item.kode_bps):
                found = uow.desa.find_by_code(code)
                if found is None or (kec is not None and found.kecamatan_id == kec.id):
                    continue
                other = uow.kecamatan.get(found.kecamatan_id)
                owner = f"{other.nama} ({other.kode})" if other is not None else "lain"
                problems.append(
                    f"Kecamatan {seed.nama} ({seed.kode}): desa {item.nama} kode {code} sudah "
                    f"terdaftar di Kecamatan {owner} sebagai {found.nama}"
                )
    return problems


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
        problems = _Problems()
        kode = _text(item, "kode", where, problems).lower()
        nama = " ".join(_text(item, "nama", where, problems).split())
        problems.raise_any()
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


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"{path}: berkas tidak dapat dibaca ({exc.strerror})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{path.name}: bukan JSON yang sah (baris {exc.lineno}, kolom {exc.colno})"
        ) from None


def load_kecamatan_file(path: Path) -> KecamatanSeed:
    """Read and validate a kecamatan JSON file."""
    return parse_kecamatan(_read_json(path), path.name)


def load_seed_file(path: Path) -> list[KecamatanSeed]:
    """Read and validate a kecamatan or kabupaten JSON file (see :func:`parse_seed_file`)."""
    return parse_seed_file(_read_json(path), path.name)


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
