"""The export's own arithmetic: handling days, NRR and NRR x 1/9, age groups."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise

from domain.export import AGE_GROUPS, handling_days, unsur_lines
from domain.models import IncidentKind, IncidentStatus
from domain.ports import IncidentRecord
from domain.skm import UNSUR, UnsurTotal, skm_from_totals

RECEIVED = datetime(2026, 3, 2, 23, 0, tzinfo=UTC)


def _record(handled_at: datetime | None) -> IncidentRecord:
    return IncidentRecord(
        nomor="KS-352808-2026-0001",
        kind=IncidentKind.KONFLIK,
        event_date=date(2026, 3, 2),
        received_at=RECEIVED,
        desa_kode="35.28.08.2001",
        desa_nama="Peltong",
        category="tanah",
        category_detail=None,
        stage="potensi",
        status=IncidentStatus.TERTANGANI if handled_at else IncidentStatus.BARU,
        handled_at=handled_at,
        description="Uraian kejadian",
        reporter_nama=None,
        reporter_jabatan=None,
    )


def test_handling_days_are_whole_days_from_received_to_handled() -> None:
    assert handling_days(_record(None)) is None
    assert handling_days(_record(RECEIVED)) == 0
    assert handling_days(_record(RECEIVED + timedelta(hours=23, minutes=59))) == 0
    assert handling_days(_record(RECEIVED + timedelta(days=1))) == 1
    assert handling_days(_record(RECEIVED + timedelta(days=8, hours=23))) == 8
    # A handling time recorded before the report arrived (clock skew) is not negative.
    assert handling_days(_record(RECEIVED - timedelta(hours=2))) == 0


def test_unsur_lines_match_domain_md_worked_check() -> None:
    """Totals 105 ... 115 of 29: NRR 105/29 = 3.6207 and 105/261 = 0.4023, ...; the
    nine exact weighted values add up to the IKM 955/261."""
    totals = dict(
        zip(
            UNSUR,
            (UnsurTotal(t, 29) for t in (105, 101, 100, 116, 102, 105, 106, 105, 115)),
            strict=True,
        )
    )
    lines = unsur_lines(totals)
    assert [line.number for line in lines] == list(range(1, 10))
    assert lines[1].name == "Sistem, Mekanisme, dan Prosedur"
    assert [line.nrr for line in lines] == [
        Decimal(v)
        for v in (
            "3.6207",
            "3.4828",
            "3.4483",
            "4.0000",
            "3.5172",
            "3.6207",
            "3.6552",
            "3.6207",
            "3.9655",
        )
    ]
    assert [line.weighted for line in lines] == [
        Decimal(v)
        for v in (
            "0.4023",
            "0.3870",
            "0.3831",
            "0.4444",
            "0.3908",
            "0.4023",
            "0.4061",
            "0.4023",
            "0.4406",
        )
    ]
    result = skm_from_totals(totals, 29)
    assert result is not None
    assert [line.nrr for line in lines] == list(result.nrr_rounded(4).values())
    assert result.ikm_rounded(4) == Decimal("3.6590")


def test_an_unsur_nobody_answered_has_no_nrr() -> None:
    totals = {key: UnsurTotal(12, 4) for key in UNSUR}
    totals["pengaduan"] = UnsurTotal(0, 0)
    lines = {line.key: line for line in unsur_lines(totals)}
    assert (lines["pengaduan"].nrr, lines["pengaduan"].weighted) == (None, None)
    assert (lines["sarana"].nrr, lines["sarana"].weighted) == (Decimal("3.0000"), Decimal("0.3333"))


def test_age_groups_cover_the_questionnaire_ages_without_gaps() -> None:
    assert [group.label for group in AGE_GROUPS] == [
        "15-24 tahun",
        "25-34 tahun",
        "35-44 tahun",
        "45-54 tahun",
        "55-64 tahun",
        "65 tahun ke atas",
    ]
    for before, after in pairwise(AGE_GROUPS):
        assert before.end is not None
        assert after.start == before.end + 1
