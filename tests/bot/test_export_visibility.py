"""/ekspor holds what its asker may see on screen; a group gets aggregates; all is audited.

Every workbook is re-read with openpyxl and every cell of it scanned: a description, a
reporter's name or a suggestion is either where the asker's permissions put it, or
nowhere in the file. On SQLite and PostgreSQL (the ``runtime`` fixture).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from telegram import Chat

from bot import texts
from bot.runtime import Runtime
from domain.models import (
    CheckedFile,
    DesaTematik,
    EvidenceRole,
    IncidentKind,
    IncidentStatus,
    Role,
    Seksi,
    SkmResponse,
    Tema,
    UserStatus,
)
from domain.permissions import Forbidden
from domain.ports import AuditLogEntry
from domain.skm import UNSUR
from tests.bot.conftest import add_user
from tests.bot.harness import Harness, Person
from tests.factories import make_incident
from tests.storage.builders import jakarta

CAMAT = Person(720001, "Hasan Camat")
SEKCAM = Person(720002, "Budi Sekcam")
KESBANG = Person(720003, "Dewi Kesbang")
TRANTIB = Person(720004, "Tono Trantib")
PPD = Person(720005, "Putri Pemdes")
PMD = Person(720006, "Made Pemberdayaan")
PELAYANAN = Person(720007, "Lina Pelayanan")
PERANGKAT = Person(720008, "Andi Peltong")
NONAKTIF = Person(720009, "Rudi Nonaktif")
STRANGER = Person(720010, "Orang Asing")
GROUP = Chat(id=-100777, type=Chat.SUPERGROUP, title="Grup Camat Larangan")

NAMES = [p.name for p in (CAMAT, SEKCAM, KESBANG, TRANTIB, PPD, PMD, PELAYANAN, PERANGKAT)]
NAMES.append(NONAKTIF.name)


@dataclass(frozen=True)
class Case:
    """A seeded case: its description, its "Lainnya" text and who reported it."""

    kind: IncidentKind
    description: str
    detail: str
    reporter: Person


K1 = Case(IncidentKind.KONFLIK, "Uraian K1 sengketa batas sawah", "Rebutan sumur", PERANGKAT)
K2 = Case(IncidentKind.KONFLIK, "Uraian K2 dilaporkan staf PPD", "Rebutan pasar", PPD)
T1 = Case(IncidentKind.TRANTIBUM, "Uraian T1 balap liar malam", "Balap liar", PERANGKAT)
T2 = Case(IncidentKind.TRANTIBUM, "Uraian T2 dicatat staf Trantib", "Parkir liar", TRANTIB)
CASES = (K1, K2, T1, T2)
SARAN = "Saran antrean loket lebih cepat"
REFERENSI = "SK 188/7/2026"
TEMA_LAIN = "Kampung Batik Tulis"


def _seed(runtime: Runtime) -> None:
    """The people, four cases of 2026 (T2 handled), one suggestion, one desa tematik."""
    add_user(runtime, CAMAT, Role.ADMIN, jabatan="Camat")
    add_user(runtime, SEKCAM, Role.ADMIN, jabatan="Sekretaris Camat")
    add_user(runtime, KESBANG, Role.STAF_SEKSI, seksi=Seksi.KESBANG, jabatan="Staf Kesbang")
    add_user(runtime, TRANTIB, Role.STAF_SEKSI, seksi=Seksi.TRANTIB, jabatan="Staf Trantib")
    add_user(runtime, PPD, Role.STAF_SEKSI, seksi=Seksi.PPD, jabatan="Staf PPD")
    add_user(runtime, PMD, Role.STAF_SEKSI, seksi=Seksi.PMD, jabatan="Staf PMD")
    add_user(runtime, PELAYANAN, Role.STAF_SEKSI, seksi=Seksi.PELAYANAN, jabatan="Staf Layanan")
    add_user(runtime, PERANGKAT, Role.PERANGKAT_DESA, desa_kode="35.28.08.2001", jabatan="Kasun")
    add_user(
        runtime,
        NONAKTIF,
        Role.STAF_SEKSI,
        seksi=Seksi.KESBANG,
        status=UserStatus.DISABLED,
        jabatan="Staf Lama",
    )
    kec = runtime.kecamatan()
    with runtime.uow() as uow:
        desa = uow.desa.list_by_kecamatan(kec.id)
        for number, case in enumerate(CASES):
            reporter = uow.users.get_by_telegram_id(case.reporter.id)
            assert reporter is not None
            stored = uow.incidents.add(
                make_incident(
                    desa[number % 3],
                    kind=case.kind,
                    event_date=date(2026, 3, 2 + number),
                    received_at=jakarta(2026, 3, 2 + number),
                    category="lainnya",
                    category_detail=case.detail,
                    description=case.description,
                    reporter_id=reporter.id,
                )
            )
            if case is T2:
                uow.incidents.change_status(
                    stored.id,
                    to_status=IncidentStatus.TERTANGANI,
                    note="Catatan tindak lanjut T2",
                    user_id=reporter.id,
                    at=jakarta(2026, 3, 9),
                    expected_version=stored.version,
                )
        uow.skm.add_response(
            SkmResponse(
                kecamatan_id=kec.id,
                survey_date=date(2026, 6, 1),
                answers=dict.fromkeys(UNSUR, 4),
                saran=SARAN,
            )
        )
        uow.tematik.add(
            DesaTematik(
                id=0,
                desa_id=desa[0].id,
                tema=Tema.LAINNYA,
                tahun=2026,
                referensi=REFERENSI,
                tema_lainnya=TEMA_LAIN,
            )
        )
        uow.commit()


Cells = dict[str, list[str]]


def _cells(content: bytes | None) -> Cells:
    """Every non-empty cell of every sheet, as text."""
    assert content is not None
    book = load_workbook(BytesIO(content))
    return {
        sheet.title: [
            str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None
        ]
        for sheet in book.worksheets
    }


def _everywhere(cells: Cells) -> str:
    return "\n".join(value for values in cells.values() for value in values)


def _sheet_of(case: Case) -> str:
    return "Konflik" if case.kind is IncidentKind.KONFLIK else "Trantibum"


async def _export(harness: Harness, person: Person, args: str = "") -> Cells:
    await harness.send(person, f"/ekspor {args}".strip())
    sent = harness.last(person)
    assert sent.kind == "document", sent.text
    return _cells(sent.content)


def _audit(runtime: Runtime, prefix: str) -> list[AuditLogEntry]:
    with runtime.uow() as uow:
        return list(reversed(uow.audit.entries(action_prefix=prefix)))


# Who may open which case (domain.permissions.can_view_case), and read the suggestions.
EXPECTED: dict[str, tuple[Person, set[Case], bool]] = {
    "camat (admin)": (CAMAT, {K1, K2, T1, T2}, True),
    "sekcam (admin)": (SEKCAM, {K1, K2, T1, T2}, True),
    "seksi kesbang": (KESBANG, {K1, K2}, False),
    "seksi trantib": (TRANTIB, {T1, T2}, False),
    "seksi ppd (reporter of K2)": (PPD, {K2}, False),
    "seksi pmd": (PMD, set(), False),
    "seksi pelayanan": (PELAYANAN, set(), True),
}


@pytest.mark.parametrize("role", list(EXPECTED))
async def test_each_role_exports_only_the_details_it_may_open(
    harness: Harness, runtime: Runtime, role: str
) -> None:
    _seed(runtime)
    person, opens, reads_saran = EXPECTED[role]
    book = await _export(harness, person, "2026")
    everything = _everywhere(book)
    for case in CASES:
        assert (case.description in everything) is (case in opens), (role, case)
        assert (case.detail in everything) is (case in opens), (role, case)
    for kind in ("Konflik", "Trantibum"):
        sheet_cases = [c for c in CASES if _sheet_of(c) == kind]
        shown = {c.reporter.name for c in sheet_cases if c in opens}
        assert {n for n in NAMES if n in book[kind]} == shown, (role, kind)
        # Every case is listed, with its number and status; the totals stay complete.
        assert sum(v.startswith(("KS-352808-2026-", "TB-352808-2026-")) for v in book[kind]) == 2
        withheld = sum(c not in opens for c in sheet_cases)
        assert book[kind].count(texts.WB_WITHHELD) == withheld
    # No name appears anywhere else (the IKU, SKM and IDM sheets hold none).
    for sheet in ("IKU", "SKM", "SKM Responden", "SKM Saran", "IDM", "Desa Tematik"):
        assert not [n for n in NAMES if n in "\n".join(book[sheet])], sheet
    assert (SARAN in everything) is reads_saran
    if not reads_saran:
        assert texts.WB_SARAN_WITHHELD.format(jumlah=1) in book["SKM Saran"]
    assert REFERENSI in book["Desa Tematik"]
    # The summary lines count every case of the kind, whatever is shown.
    assert "Jumlah kejadian" in book["Konflik"]


async def test_the_iku_sheet_is_the_same_for_every_role(harness: Harness, runtime: Runtime) -> None:
    _seed(runtime)
    books = [await _export(harness, person, "2026") for person, _, _ in EXPECTED.values()]
    first = books[0]
    for book in books[1:]:
        for sheet in ("IKU", "SKM", "SKM Responden", "IDM", "Desa Tematik"):
            assert book[sheet] == first[sheet], sheet


@pytest.mark.parametrize(
    ("person", "refusal"),
    [
        (PERANGKAT, "Maaf, fitur ini hanya untuk admin atau staf seksi."),
        (NONAKTIF, "Akun Anda dinonaktifkan. Hubungi admin kecamatan bila ini keliru."),
        (STRANGER, "Fitur ini hanya untuk admin atau staf seksi yang sudah terdaftar."),
    ],
    ids=["perangkat desa", "deactivated", "unregistered"],
)
async def test_who_may_not_read_the_summary_gets_no_export_and_no_audit_entry(
    harness: Harness, runtime: Runtime, person: Person, refusal: str
) -> None:
    _seed(runtime)
    await harness.send(person, "/ekspor 2026")
    sent = harness.api.to_chat(person.id)
    assert [m.kind for m in sent] == ["text"]
    assert sent[0].text.startswith(refusal)
    assert _audit(runtime, "export") == []


async def test_a_private_export_is_audited_with_what_it_held(
    harness: Harness, runtime: Runtime
) -> None:
    _seed(runtime)
    await _export(harness, KESBANG, "2026 s1")
    assert harness.last(KESBANG).text.splitlines()[1:] == [
        texts.EXPORT_WITHHELD_CASES.format(jumlah=2),
        texts.EXPORT_WITHHELD_SARAN.format(jumlah=1),
    ]
    await _export(harness, CAMAT)
    assert len(harness.last(CAMAT).text.splitlines()) == 1  # nothing withheld
    with runtime.uow() as uow:
        dewi = uow.users.get_by_telegram_id(KESBANG.id)
        camat = uow.users.get_by_telegram_id(CAMAT.id)
    assert dewi is not None
    assert camat is not None
    first, second = _audit(runtime, "export")
    assert (first.action, first.user_id, first.actor) == ("export_xlsx", dewi.id, "tg:720003")
    assert first.entity_id == "35.28.08/2026-01-01/2026-06-30"
    assert first.detail == {
        "saluran": "pribadi",
        "bentuk": "xlsx",
        "mulai": "2026-01-01",
        "sampai": "2026-06-30",
        "isi": {
            "daftar_kasus": True,
            "kasus_dengan_rincian": {"konflik": 2, "trantibum": 0},
            "kasus_tanpa_rincian": {"konflik": 0, "trantibum": 2},
            "saran": 0,
            "saran_ditahan": 1,
            "teks_desa_tematik": True,
            "bukti": 0,
            "bukti_ditahan": 0,
        },
    }
    assert second.user_id == camat.id
    assert second.detail is not None
    assert (second.detail["mulai"], second.detail["sampai"]) == ("2026-01-01", "2026-11-25")
    assert second.detail["isi"]["kasus_dengan_rincian"] == {"konflik": 2, "trantibum": 2}
    assert second.detail["isi"]["saran"] == 1
    assert first.created_at == second.created_at == jakarta(2026, 11, 25, 10)


async def test_a_group_export_holds_aggregates_and_the_admin_gets_the_details_privately(
    harness: Harness, runtime: Runtime
) -> None:
    _seed(runtime)
    await harness.send(CAMAT, "/ekspor@iku_test_bot 2026", chat=GROUP)
    document, line = harness.api.to_chat(GROUP.id)
    assert document.kind == "document"
    assert document.file_name == "IKU-Larangan-2026-ringkas.xlsx"
    assert line.text == texts.EXPORT_GROUP_SENT_PRIVATELY.format(nama=CAMAT.name)
    group = _cells(document.content)
    everything = _everywhere(group)
    secrets = [
        *NAMES,
        *(c.description for c in CASES),
        *(c.detail for c in CASES),
        "Catatan tindak lanjut T2",
        SARAN,
        REFERENSI,
        TEMA_LAIN,
        "Kasun",
        "Staf Kesbang",
    ]
    assert [s for s in secrets if s in everything] == []
    assert "KS-352808-2026-" not in everything
    assert "TB-352808-2026-" not in everything
    assert texts.WB_GROUP_NOTE in group["IKU"]
    assert texts.WB_SARAN_GROUP.format(jumlah=1) in group["SKM Saran"]
    # Per kind the counts per desa and status: T2 handled in Peltong, T1 new in Blumbungan.
    book = load_workbook(BytesIO(document.content or b""))
    rows = [[c.value for c in row][:7] for row in book["Trantibum"].iter_rows()]
    start = rows.index(list(texts.WB_HEADERS_CASE_COUNTS))
    assert rows[start + 1 :] == [
        [1, "35.28.08.2001", "Peltong", 0, 0, 1, 1],
        [2, "35.28.08.2003", "Trasak", 1, 0, 0, 1],
        [None, None, "Jumlah", 1, 0, 1, 2],
    ]
    # The IKU table itself is the one everybody gets.
    private = harness.last(CAMAT)
    assert private.kind == "document"
    assert private.file_name == "IKU-Larangan-2026.xlsx"
    assert private.text.startswith(
        "Laporan lengkap yang Anda minta di grup Grup Camat Larangan: tabel IKU"
    )
    detailed = _cells(private.content)
    assert all(c.description in _everywhere(detailed) for c in CASES)
    assert SARAN in detailed["SKM Saran"]
    assert group["IKU"][4:] == detailed["IKU"][3:]  # the same table, after the group note
    grouped, sent_privately = _audit(runtime, "export")
    assert grouped.action == "export_xlsx_group"
    assert grouped.detail is not None
    assert grouped.detail["saluran"] == "grup"
    assert grouped.detail["isi"]["daftar_kasus"] is False
    assert grouped.detail["isi"]["kasus_tanpa_rincian"] == {"konflik": 2, "trantibum": 2}
    assert sent_privately.action == "export_xlsx"
    assert sent_privately.detail is not None
    assert (sent_privately.detail["saluran"], sent_privately.detail["diminta_di"]) == (
        "pribadi",
        "grup",
    )


@pytest.mark.parametrize(
    ("code", "description"),
    [
        (403, "Forbidden: bot can't initiate conversation with a user"),
        (400, "Bad Request: chat not found"),
    ],
)
async def test_an_admin_who_never_started_the_bot_is_told_in_the_group(
    harness: Harness, runtime: Runtime, code: int, description: str
) -> None:
    _seed(runtime)
    harness.api.fail_next(CAMAT.id, code, description)  # the chat action of the precheck
    await harness.send(CAMAT, "/ekspor 2026", chat=GROUP)
    document, line = harness.api.to_chat(GROUP.id)
    assert document.file_name == "IKU-Larangan-2026-ringkas.xlsx"
    assert line.text == texts.EXPORT_GROUP_NOT_REACHABLE.format(nama=CAMAT.name)
    assert line.labels() == [texts.OPEN_PRIVATE]
    assert harness.api.to_chat(CAMAT.id) == []
    assert [e.action for e in _audit(runtime, "export")] == ["export_xlsx_group"]


async def test_in_a_group_only_an_admin_exports_and_ringkasan_shows_no_detail(
    harness: Harness, runtime: Runtime
) -> None:
    _seed(runtime)
    await harness.send(KESBANG, "/ekspor", chat=GROUP)
    assert harness.texts(GROUP.id) == [texts.GROUP_ADMIN_ONLY]
    await harness.send(CAMAT, "/ringkasan", chat=GROUP)
    summary = harness.last(GROUP.id).text
    assert [s for s in [*NAMES, *(c.description for c in CASES), SARAN] if s in summary] == []
    assert harness.api.to_chat(KESBANG.id) == []
    assert _audit(runtime, "export") == []


# -- views of a case's details --------------------------------------------------------------


def _nomor(runtime: Runtime, case: Case) -> str:
    with runtime.uow() as uow:
        kec = runtime.kecamatan()
        found = [
            i
            for i in uow.incidents.list_open(kec.id, case.kind, limit=10, offset=0)
            if i.description == case.description
        ]
    assert len(found) == 1
    return found[0].nomor


async def test_opening_a_case_card_its_history_or_media_is_an_audit_entry(
    harness: Harness, runtime: Runtime
) -> None:
    _seed(runtime)
    nomor = _nomor(runtime, K1)
    await harness.send(KESBANG, f"/tindaklanjut {nomor}")
    assert K1.description in harness.last(KESBANG).text
    await harness.press(KESBANG, "Riwayat")
    # The reporter opens the history of his own case from /laporanku.
    await harness.send(PERANGKAT, "/laporanku")
    await harness.press(PERANGKAT, nomor)
    # The open cases list: a case pressed there shows its card.
    await harness.send(KESBANG, "/tindaklanjut")
    await harness.press(KESBANG, nomor)
    views = _audit(runtime, "view_case")
    assert [(v.actor, v.entity_id, v.detail) for v in views] == [
        ("tg:720003", nomor, {"saluran": "pribadi", "lewat": "kartu", "jenis": "konflik"}),
        ("tg:720003", nomor, {"saluran": "pribadi", "lewat": "riwayat", "jenis": "konflik"}),
        ("tg:720008", nomor, {"saluran": "pribadi", "lewat": "riwayat", "jenis": "konflik"}),
        ("tg:720003", nomor, {"saluran": "pribadi", "lewat": "kartu", "jenis": "konflik"}),
    ]
    assert all(v.entity == "incident" for v in views)


async def test_a_refused_case_view_shows_nothing_and_is_not_logged(
    harness: Harness, runtime: Runtime
) -> None:
    _seed(runtime)
    nomor = _nomor(runtime, K1)
    await harness.send(PPD, f"/tindaklanjut {nomor}")
    assert K1.description not in harness.last(PPD).text
    await harness.send(TRANTIB, f"/tindaklanjut {nomor}")
    assert harness.last(TRANTIB).text.startswith("Maaf, laporan konflik sosial ditindaklanjuti")
    assert _audit(runtime, "view_case") == []


def test_export_data_refuses_who_may_not_read_the_summary(runtime: Runtime) -> None:
    from domain.export import Viewer, export_data
    from domain.period import Period

    _seed(runtime)
    with runtime.uow() as uow:
        andi = uow.users.get_by_telegram_id(PERANGKAT.id)
        rudi = uow.users.get_by_telegram_id(NONAKTIF.id)
        for user in (andi, rudi, None):
            with pytest.raises(Forbidden):
                export_data(
                    uow,
                    viewer=Viewer.person(user, in_group=False),
                    kecamatan_code="35.28.08",
                    period=Period.year(2026),
                    now=jakarta(2026, 11, 25, 10),
                )


SHA_K1 = "a1" * 32


def _seed_evidence(runtime: Runtime) -> dict[Case, str]:
    """One evidence file per case (K1's stored, T2's a proof of handling); their numbers."""
    kec = runtime.kecamatan()
    numbers: dict[Case, str] = {}
    with runtime.uow() as uow:
        for kind in IncidentKind:
            for record in uow.exports.incidents(kec.id, kind, date(2026, 1, 1), date(2026, 12, 31)):
                case = next(c for c in CASES if c.description == record.description)
                incident = uow.incidents.get_by_nomor(record.nomor)
                assert incident is not None
                numbers[case] = record.nomor
                role = EvidenceRole.PROOF if case is T2 else EvidenceRole.REPORT
                file = uow.evidence.add_pending(
                    incident_id=incident.id,
                    role=role,
                    telegram_file_id=f"file-{record.nomor}",
                    received_at=jakarta(2026, 3, 10),
                )
                if case is K1:
                    uow.evidence.mark_stored(
                        file.id,
                        checked=CheckedFile(sha256=SHA_K1, size=2048, content_type="image/jpeg"),
                        store_key=f"a1/{SHA_K1}",
                        at=jakarta(2026, 3, 10),
                    )
        uow.commit()
    return numbers


@pytest.mark.parametrize("role", list(EXPECTED))
async def test_the_bukti_sheet_lists_the_files_of_the_cases_the_viewer_may_open(
    harness: Harness, runtime: Runtime, role: str
) -> None:
    _seed(runtime)
    numbers = _seed_evidence(runtime)
    person, opens, _ = EXPECTED[role]
    book = await _export(harness, person, "2026")
    bukti = book["Bukti"]
    for case, nomor in numbers.items():
        assert (nomor in bukti) is (case in opens), (role, case)
    assert (SHA_K1 in bukti) is (K1 in opens)
    hidden = 4 - len(opens)
    assert (texts.WB_BUKTI_WITHHELD.format(jumlah=hidden) in bukti) is (hidden > 0)
    if not opens:
        assert texts.WB_BUKTI_NONE in bukti
    if K1 in opens:
        assert {"tersimpan", "laporan", "image/jpeg", "2048"} <= set(bukti)
    if T2 in opens:
        assert "bukti penanganan" in bukti
    (entry,) = _audit(runtime, "export")
    assert entry.detail is not None
    assert entry.detail["isi"]["bukti"] == len(opens)
    assert entry.detail["isi"]["bukti_ditahan"] == hidden


async def test_a_group_export_lists_no_evidence_file(harness: Harness, runtime: Runtime) -> None:
    _seed(runtime)
    numbers = _seed_evidence(runtime)
    await harness.send(CAMAT, "/ekspor@iku_test_bot 2026", chat=GROUP)
    document, _ = harness.api.to_chat(GROUP.id)
    bukti = _cells(document.content)["Bukti"]
    assert texts.WB_BUKTI_GROUP in bukti
    assert not [n for n in numbers.values() if n in bukti]
    assert SHA_K1 not in bukti
    grouped = _audit(runtime, "export")[0]
    assert grouped.detail is not None
    assert (grouped.detail["isi"]["bukti"], grouped.detail["isi"]["bukti_ditahan"]) == (0, 4)


async def test_a_bukti_row_holds_the_file_s_facts_with_the_office_time(
    harness: Harness, runtime: Runtime
) -> None:
    _seed(runtime)
    numbers = _seed_evidence(runtime)
    await harness.send(CAMAT, "/ekspor 2026")
    sent = harness.last(CAMAT)
    book = load_workbook(BytesIO(sent.content or b""))
    sheet = book["Bukti"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows.index([h.format(zona="WIB") for h in texts.WB_HEADERS_BUKTI])
    body = rows[header + 1 :]
    assert [row[0] for row in body] == [1, 2, 3, 4]
    (k1,) = [row for row in body if row[1] == numbers[K1]]
    assert k1[3:9] == ["Konflik", "laporan", "tersimpan", SHA_K1, 2048, "image/jpeg"]
    assert k1[9] == datetime(2026, 3, 10, 9, 0)  # jakarta(2026, 3, 10): 09.00 WIB
    (t2,) = [row for row in body if row[1] == numbers[T2]]
    assert t2[4:9] == ["bukti penanganan", "menunggu", "-", "-", "-"]
