"""Queries of the Excel report: the incident lists, the SKM profile and the suggestions.

The profile is counted by the database (one GROUP BY per question over the indexed
survey-date range); no SKM response is loaded into Python. Incidents are listed row
by row, which is what the sheets show, in one joined query (desa and reporter).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from domain.models import IncidentKind, IncidentStatus
from domain.ports import (
    ExportRepository,
    IncidentRecord,
    SkmProfileCounts,
    SkmSuggestion,
)
from storage.repositories.skm import skm_answers
from storage.tables import DesaRow, IncidentRow, SkmServiceRow, UserRow

__all__ = ["SqlExportRepository", "export_repository"]


class SqlExportRepository:
    """The export's queries on one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def incidents(
        self, kecamatan_id: int, kind: IncidentKind, start: date, end: date
    ) -> list[IncidentRecord]:
        """One query joining desa and reporter; only the listed columns are read."""
        rows = self.session.execute(
            select(
                col(IncidentRow.nomor),
                col(IncidentRow.event_date),
                col(IncidentRow.received_at),
                col(DesaRow.kode),
                col(DesaRow.nama),
                col(IncidentRow.category),
                col(IncidentRow.category_detail),
                col(IncidentRow.stage),
                col(IncidentRow.status),
                col(IncidentRow.handled_at),
                col(IncidentRow.description),
                col(UserRow.nama),
                col(UserRow.jabatan),
                col(IncidentRow.reporter_id),
            )
            .join(DesaRow, col(DesaRow.id) == col(IncidentRow.desa_id))
            .outerjoin(UserRow, col(UserRow.id) == col(IncidentRow.reporter_id))
            .where(
                col(IncidentRow.kecamatan_id) == kecamatan_id,
                col(IncidentRow.kind) == kind.value,
                col(IncidentRow.event_date) >= start,
                col(IncidentRow.event_date) <= end,
                col(IncidentRow.voided_at).is_(None),  # a voided duplicate counts nowhere
            )
            .order_by(
                col(IncidentRow.event_date), col(IncidentRow.received_at), col(IncidentRow.id)
            )
        )
        return [
            IncidentRecord(
                nomor=nomor,
                kind=kind,
                event_date=event_date,
                received_at=received_at,
                desa_kode=desa_kode,
                desa_nama=desa_nama,
                category=category,
                category_detail=detail,
                stage=stage,
                status=IncidentStatus(status),
                handled_at=handled_at,
                description=description,
                reporter_nama=reporter_nama,
                reporter_jabatan=reporter_jabatan,
                reporter_id=reporter_id,
            )
            for (
                nomor,
                event_date,
                received_at,
                desa_kode,
                desa_nama,
                category,
                detail,
                stage,
                status,
                handled_at,
                description,
                reporter_nama,
                reporter_jabatan,
                reporter_id,
            ) in rows
        ]

    @staticmethod
    def _in_range(answers: Any, kecamatan_id: int, start: date, end: date) -> list[Any]:
        # Stored and still pooled answers alike (storage.repositories.skm.skm_answers).
        return [
            answers.c.kecamatan_id == kecamatan_id,
            answers.c.survey_date >= start,
            answers.c.survey_date <= end,
        ]

    def _count_by(self, expression: Any, conditions: list[Any]) -> dict[Any, int]:
        # Grouped by the output column's label: PostgreSQL would not match a CASE with
        # bound parameters in GROUP BY to the same CASE in the select list.
        grouped = expression.label("grp")
        rows = self.session.execute(
            select(grouped, func.count()).where(*conditions).group_by(grouped)
        )
        return {value: int(count) for value, count in rows}

    def skm_profile(
        self, kecamatan_id: int, start: date, end: date, age_groups: tuple[int, ...]
    ) -> SkmProfileCounts:
        """Four GROUP BY counts over the period's responses."""
        if not age_groups or list(age_groups) != sorted(set(age_groups)):
            raise ValueError("age_groups harus naik dan tidak kosong")
        answers = skm_answers(
            "kecamatan_id", "survey_date", "jenis_kelamin", "usia", "pendidikan", "pekerjaan"
        )
        conditions = self._in_range(answers, kecamatan_id, start, end)
        usia = answers.c.usia
        # Highest bound first; anything below the first bound counts in the first group.
        whens = [(usia >= bound, bound) for bound in reversed(age_groups[1:])]
        whens.append((usia.is_not(None), age_groups[0]))
        age_group = case(*whens, else_=None)
        return SkmProfileCounts(
            jenis_kelamin=self._count_by(answers.c.jenis_kelamin, conditions),
            usia={
                None if key is None else int(key): count
                for key, count in self._count_by(age_group, conditions).items()
            },
            pendidikan=self._count_by(answers.c.pendidikan, conditions),
            pekerjaan=self._count_by(answers.c.pekerjaan, conditions),
        )

    def skm_suggestions(self, kecamatan_id: int, start: date, end: date) -> list[SkmSuggestion]:
        """Day, service name and text only; never an id, a time or an insertion order."""
        answers = skm_answers("kecamatan_id", "service_id", "survey_date", "saran")
        saran = answers.c.saran
        service = col(SkmServiceRow.nama)
        rows = self.session.execute(
            select(answers.c.survey_date, service, saran)
            .select_from(answers)
            .outerjoin(SkmServiceRow, col(SkmServiceRow.id) == answers.c.service_id)
            .where(*self._in_range(answers, kecamatan_id, start, end))
            .where(saran.is_not(None), saran != "")
            # Ordered by content, not by id: the order of insertion must not show
            # which suggestion came first within a day.
            .order_by(answers.c.survey_date, func.coalesce(service, ""), saran)
        )
        return [SkmSuggestion(day, name, text or "") for day, name, text in rows]


def export_repository(session: Session) -> ExportRepository:
    """The export repository of a unit of work's session."""
    return SqlExportRepository(session)
