"""Use cases shared by the CLI and the bot; each runs in the caller's unit of work.

A use case validates everything first and writes only when nothing is wrong, so a
file with a single bad line stores nothing at all. The caller commits.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from domain.errors import ImportFailed, ImportProblem, InvalidInput, NotFound
from domain.importing import SkmRow
from domain.indicators import INDICATORS
from domain.models import Desa, IdmRecord, IdmResult, IndicatorCode, SkmResponse, SkmService
from domain.ports import UnitOfWork

__all__ = [
    "IdmImportSummary",
    "SkmImportSummary",
    "import_idm",
    "import_skm",
    "set_target",
    "add_service",
    "update_service",
    "confirm_example_service",
    "remove_example_service",
    "ServiceRemoval",
    "SERVICE_CODE",
]


@dataclass(frozen=True, slots=True)
class IdmFileSummary:
    """What one IDM file changed."""

    source: str
    inserted: int
    updated: int


@dataclass(frozen=True, slots=True)
class IdmImportSummary:
    """What an IDM import changed, per file and per desa."""

    files: list[IdmFileSummary]
    items: list[tuple[Desa, IdmRecord]]

    def describe(self) -> str:
        """Indonesian summary for the operator."""
        lines = [f"{f.source}: {f.inserted} baru, {f.updated} diperbarui" for f in self.files]
        for desa, record in self.items:
            lines.append(
                f"  {desa.kode} {desa.nama} tahun {record.tahun}: IDM "
                f"{format(record.score, '.4f').replace('.', ',')} "
                f"({record.status.label})"
            )
        total = sum(f.inserted + f.updated for f in self.files)
        lines.append(f"Selesai: {total} hasil IDM dari {len(self.files)} berkas disimpan.")
        return "\n".join(lines)


def import_idm(
    uow: UnitOfWork,
    batches: Sequence[tuple[str, Sequence[IdmRecord]]],
    *,
    kecamatan_id: int | None,
    actor: str,
    earlier_problems: Sequence[ImportProblem] = (),
    batch_id: int | None = None,
) -> IdmImportSummary:
    """Store IDM results of files; any unknown desa stores nothing of any file.

    Desa are matched by code (BPS or Kemendagri), never by name. With
    ``kecamatan_id``, a desa of another kecamatan is a problem too.
    ``earlier_problems`` (files that could not be parsed) are reported together
    with the matching problems, so that the operator sees every problem at once.
    With ``batch_id`` (see domain/batches.py) the results belong to that import
    batch, which remembers what each one overwrote. The caller commits.
    """
    problems: list[ImportProblem] = list(earlier_problems)
    matched: list[tuple[str, list[tuple[Desa, IdmRecord]]]] = []
    for source, records in batches:
        found: list[tuple[Desa, IdmRecord]] = []
        for record in records:
            desa = uow.desa.find_by_code(record.kode_desa)
            if desa is None:
                problems.append(
                    ImportProblem(
                        source,
                        f"kode desa {record.kode_desa} tidak terdaftar",
                        line=record.line,
                        field="kode_desa" if record.line is not None else None,
                    )
                )
            elif kecamatan_id is not None and desa.kecamatan_id != kecamatan_id:
                problems.append(
                    ImportProblem(
                        source,
                        f"desa {record.kode_desa} ({desa.nama}) bukan desa kecamatan ini",
                        line=record.line,
                        field="kode_desa" if record.line is not None else None,
                    )
                )
            else:
                found.append((desa, record))
        matched.append((source, found))
    if problems:
        raise ImportFailed(problems)
    files: list[IdmFileSummary] = []
    items: list[tuple[Desa, IdmRecord]] = []
    remembered: set[tuple[int, int]] = set()
    for source, found in matched:
        inserted = updated = 0
        for desa, record in found:
            key = (desa.id, record.tahun)
            if batch_id is not None and key not in remembered:
                # What was there before this batch: the first snapshot, not its own value.
                uow.imports.add_idm_change(batch_id, *key, uow.idm.snapshot(*key))
                remembered.add(key)
            created = uow.idm.upsert(
                IdmResult(
                    desa_id=desa.id,
                    tahun=record.tahun,
                    score=record.score,
                    status=record.status,
                    iks=record.iks,
                    ike=record.ike,
                    ikl=record.ikl,
                    status_published=record.status_published,
                    source=source,
                    batch_id=batch_id,
                    index=record.index,
                    dimensions=record.dimensions,
                    status_source=record.status_source,
                )
            )
            inserted += created
            updated += not created
            items.append((desa, record))
        uow.audit.record(
            actor=actor,
            action="import_idm",
            entity="idm_result",
            detail={"berkas": source, "baru": inserted, "diperbarui": updated}
            | ({} if batch_id is None else {"batch": batch_id}),
        )
        files.append(IdmFileSummary(source, inserted, updated))
    return IdmImportSummary(files, items)


@dataclass(frozen=True, slots=True)
class SkmImportSummary:
    """What an SKM import stored."""

    source: str
    stored: int
    per_service: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        """Indonesian summary for the operator."""
        lines = [f"{self.source}: {self.stored} responden SKM disimpan."]
        lines += [f"  {name}: {count}" for name, count in sorted(self.per_service.items())]
        return "\n".join(lines)


def import_skm(
    uow: UnitOfWork,
    rows: Sequence[SkmRow],
    *,
    kecamatan_id: int,
    source: str,
    actor: str,
    batch_id: int | None = None,
) -> SkmImportSummary:
    """Store typed-in questionnaires; an unknown ``layanan`` stores nothing.

    Decided: services are not created on the fly (a typo would split a service's
    results); they are matched by code or by name and must exist. With ``batch_id``
    the responses belong to that import batch (undone together). The caller commits.
    """
    problems: list[ImportProblem] = []
    responses: list[SkmResponse] = []
    per_service: Counter[str] = Counter()
    for row in rows:
        service_id = None
        if row.layanan is not None:
            service = uow.skm.get_service_by_code(
                kecamatan_id, row.layanan
            ) or uow.skm.find_service_by_name(kecamatan_id, row.layanan)
            if service is None:
                problems.append(
                    ImportProblem(
                        source,
                        f"layanan '{row.layanan}' belum terdaftar",
                        line=row.line,
                        field="layanan",
                    )
                )
                continue
            service_id = service.id
            per_service[service.nama] += 1
        else:
            per_service["(tanpa layanan)"] += 1
        responses.append(
            SkmResponse(
                kecamatan_id=kecamatan_id,
                survey_date=row.survey_date,
                answers=dict(row.answers),
                service_id=service_id,
                jenis_kelamin=row.jenis_kelamin,
                usia=row.usia,
                pendidikan=row.pendidikan,
                pekerjaan=row.pekerjaan,
                saran=row.saran,
                source="import",
                batch_id=batch_id,
            )
        )
    if problems:
        raise ImportFailed(problems)
    for response in responses:
        uow.skm.add_response(response)
    uow.audit.record(
        actor=actor,
        action="import_skm",
        entity="skm_response",
        detail={"berkas": source, "responden": len(responses)}
        | ({} if batch_id is None else {"batch": batch_id}),
    )
    return SkmImportSummary(source, len(responses), dict(per_service))


_COUNTS = {IndicatorCode.DESA_MANDIRI, IndicatorCode.DESA_TEMATIK}
_PERCENTAGES = {IndicatorCode.KONFLIK_TERTANGANI, IndicatorCode.TRANTIBUM_TERTANGANI}


def set_target(
    uow: UnitOfWork,
    *,
    kecamatan_id: int,
    indicator: IndicatorCode,
    tahun: int,
    value: Decimal,
    actor: str,
) -> None:
    """Set an annual target after checking it fits the indicator.

    Decided: desa counts are whole numbers up to the kecamatan's number of desa;
    percentages are 0-100; the SKM target is a NIK between 25 and 100. The caller
    commits.
    """
    name = next(d.indikator for d in INDICATORS if d.code is indicator)
    if not 2000 <= tahun <= 2100:
        raise InvalidInput(f"Tahun target harus di antara 2000 dan 2100 (diterima {tahun}).")
    if not value.is_finite() or value < 0:
        raise InvalidInput(f"Target {name} tidak boleh negatif.")
    if value != value.quantize(Decimal("0.01")):
        raise InvalidInput(f"Target {name} paling banyak 2 angka di belakang koma.")
    if indicator in _COUNTS:
        desa = len(uow.desa.list_by_kecamatan(kecamatan_id))
        if value != value.to_integral_value():
            raise InvalidInput(f"Target {name} harus bilangan bulat (jumlah desa).")
        if value > desa:
            raise InvalidInput(
                f"Target {name} ({value:f}) melebihi jumlah desa di kecamatan ini ({desa})."
            )
    elif indicator in _PERCENTAGES:
        if value > 100:
            raise InvalidInput(f"Target {name} adalah persentase 0-100 (diterima {value:f}).")
    elif not Decimal(25) <= value <= Decimal(100):
        raise InvalidInput(f"Target SKM adalah NIK 25-100 (diterima {value:f}).")
    uow.targets.set(kecamatan_id, indicator, tahun, value)
    uow.audit.record(
        actor=actor,
        action="set_target",
        entity="target",
        entity_id=f"{indicator.value}/{tahun}",
        detail={"nilai": str(value)},
    )


# A service code becomes part of a deep link (``/start skm_<kode>``, 64 characters of
# [A-Za-z0-9_-] at most), so it is short, lower-case and link-safe.
SERVICE_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
SERVICE_NAME_MAX = 120
POPULATION_MAX = 10_000_000


def add_service(
    uow: UnitOfWork,
    *,
    kecamatan_id: int,
    kode: str,
    nama: str,
    population: int | None,
    actor: str,
) -> SkmService:
    """Register an SKM service (layanan) of the office.

    ``population`` is the number of people served in a year; the report uses it for
    the minimum sample. Codes and names are unique within a kecamatan. The caller
    commits.
    """
    kode = kode.strip().lower()
    nama = _service_name(nama)
    if not SERVICE_CODE.fullmatch(kode):
        raise InvalidInput(
            "Kode layanan 1-32 karakter: huruf kecil, angka, '-' atau '_', diawali huruf atau "
            f"angka (diterima {kode!r})."
        )
    _check_population(population)
    if uow.skm.get_service_by_code(kecamatan_id, kode) is not None:
        raise InvalidInput(f"Layanan dengan kode {kode} sudah terdaftar.")
    if uow.skm.find_service_by_name(kecamatan_id, nama) is not None:
        raise InvalidInput(f"Layanan bernama {nama!r} sudah terdaftar.")
    service = uow.skm.add_service(
        SkmService(id=0, kecamatan_id=kecamatan_id, kode=kode, nama=nama, population=population)
    )
    uow.audit.record(
        actor=actor,
        action="add_service",
        entity="skm_service",
        entity_id=kode,
        detail={"nama": nama, "populasi": population},
    )
    return service


def _service_name(nama: str) -> str:
    nama = " ".join(nama.split())
    if not 3 <= len(nama) <= SERVICE_NAME_MAX:
        raise InvalidInput(f"Nama layanan harus 3-{SERVICE_NAME_MAX} karakter.")
    return nama


def _check_population(population: int | None) -> None:
    if population is not None and not 1 <= population <= POPULATION_MAX:
        raise InvalidInput(
            f"Populasi layanan harus 1-{POPULATION_MAX} orang per tahun (diterima {population})."
        )


def update_service(
    uow: UnitOfWork,
    *,
    kecamatan_id: int,
    kode: str,
    nama: str | None = None,
    population: int | None = None,
    active: bool | None = None,
    actor: str,
) -> SkmService:
    """Rename a service, set its yearly population, or (de)activate it.

    The code stays: it is printed in QR codes and links already handed out. A
    deactivated service keeps its responses and leaves the questionnaire's list.
    The caller commits (an unchanged service writes nothing).
    """
    service = uow.skm.get_service_by_code(kecamatan_id, kode)
    if service is None:
        raise NotFound(f"Layanan dengan kode {kode.strip().lower()} belum terdaftar.")
    changed = service
    if nama is not None:
        clean = _service_name(nama)
        other = uow.skm.find_service_by_name(kecamatan_id, clean)
        if other is not None and other.id != service.id:
            raise InvalidInput(f"Layanan bernama {clean!r} sudah terdaftar.")
        changed = replace(changed, nama=clean)
    if population is not None:
        _check_population(population)
        changed = replace(changed, population=population)
    if active is not None:
        changed = replace(changed, active=active)
    if changed == service:
        return service
    stored = uow.skm.update_service(changed)
    uow.audit.record(
        actor=actor,
        action="update_service",
        entity="skm_service",
        entity_id=service.kode,
        detail={
            "nama": stored.nama,
            "populasi": stored.population,
            "aktif": stored.active,
        },
    )
    return stored


@dataclass(frozen=True, slots=True)
class ServiceRemoval:
    """What removing an example service did.

    ``deleted``: the service is gone (it had no responses). Otherwise it stays,
    deactivated and no longer an example, so that its ``responses`` are kept.
    """

    service: SkmService
    deleted: bool
    responses: int


def _example_service(uow: UnitOfWork, kecamatan_id: int, kode: str) -> SkmService:
    service = uow.skm.get_service_by_code(kecamatan_id, kode)
    if service is None:
        raise NotFound(f"Layanan dengan kode {kode.strip().lower()} belum terdaftar.")
    if not service.example:
        raise InvalidInput(
            f"Layanan {service.kode} ({service.nama}) bukan layanan contoh: "
            "layanan ini sudah dikonfirmasi."
        )
    return service


def confirm_example_service(
    uow: UnitOfWork, *, kecamatan_id: int, kode: str, actor: str
) -> SkmService:
    """Confirm an example service: it becomes a normal service of the office.

    Only the example mark changes (an active service stays active, its responses stay
    its own). A service that is not an example is refused. The caller commits.
    """
    service = _example_service(uow, kecamatan_id, kode)
    stored = uow.skm.update_service(replace(service, example=False))
    uow.audit.record(
        actor=actor,
        action="confirm_service",
        entity="skm_service",
        entity_id=service.kode,
        detail={"nama": stored.nama, "aktif": stored.active},
    )
    return stored


def remove_example_service(
    uow: UnitOfWork, *, kecamatan_id: int, kode: str, actor: str
) -> ServiceRemoval:
    """Remove an example service that the office does not offer.

    Without responses it is deleted. With responses (people answered the survey for
    it while it was listed) it is deactivated and no longer an example, so that no
    response is lost; it leaves the questionnaire's list either way. A service that
    is not an example is refused (deactivate it with :func:`update_service`). The
    caller commits.
    """
    service = _example_service(uow, kecamatan_id, kode)
    responses = uow.skm.count_responses(service.id)
    if responses == 0:
        uow.skm.delete_service(service.id)
        stored = service
    else:
        stored = uow.skm.update_service(replace(service, active=False, example=False))
    uow.audit.record(
        actor=actor,
        action="remove_service",
        entity="skm_service",
        entity_id=service.kode,
        detail={"nama": service.nama, "tanggapan": responses, "dihapus": responses == 0},
    )
    return ServiceRemoval(service=stored, deleted=responses == 0, responses=responses)
