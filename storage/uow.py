"""The unit of work: one session, all repositories, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from domain.ports import (
    AuditRepository,
    DesaRepository,
    DigestRepository,
    DraftRepository,
    EvidenceRepository,
    IdmRepository,
    ImportBatchRepository,
    IncidentRepository,
    InviteRepository,
    KecamatanRepository,
    OutboxRepository,
    RtlRepository,
    SkmRepository,
    TargetRepository,
    TematikRepository,
    UpdateLogRepository,
    UserRepository,
)
from storage.export_queries import export_repository
from storage.outbox import SqlOutboxRepository, SqlUpdateLogRepository
from storage.repositories.audit import SqlAuditRepository
from storage.repositories.digest import SqlDigestRepository
from storage.repositories.drafts import SqlDraftRepository
from storage.repositories.evidence import SqlEvidenceRepository
from storage.repositories.idm import SqlIdmRepository
from storage.repositories.imports import SqlImportBatchRepository
from storage.repositories.incidents import SqlIncidentRepository
from storage.repositories.invites import SqlInviteRepository
from storage.repositories.places import SqlDesaRepository, SqlKecamatanRepository
from storage.repositories.rtl import SqlRtlRepository
from storage.repositories.skm import SqlSkmRepository
from storage.repositories.targets import SqlTargetRepository
from storage.repositories.tematik import SqlTematikRepository
from storage.repositories.users import SqlUserRepository

__all__ = ["SqlUnitOfWork"]


class SqlUnitOfWork:
    """A transaction over every repository; leaving without ``commit()`` rolls back."""

    # Typed as the ports, so that the class satisfies ``domain.ports.UnitOfWork``.
    kecamatan: KecamatanRepository
    desa: DesaRepository
    idm: IdmRepository
    tematik: TematikRepository
    users: UserRepository
    incidents: IncidentRepository
    skm: SkmRepository
    targets: TargetRepository
    audit: AuditRepository
    invites: InviteRepository
    drafts: DraftRepository
    digests: DigestRepository
    outbox: OutboxRepository
    updates: UpdateLogRepository
    imports: ImportBatchRepository
    evidence: EvidenceRepository
    rtl: RtlRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._factory = session_factory
        self._session: Session | None = None

    def __enter__(self) -> Self:
        session = self._factory()
        self._session = session
        self.kecamatan = SqlKecamatanRepository(session)
        self.desa = SqlDesaRepository(session)
        self.idm = SqlIdmRepository(session)
        self.tematik = SqlTematikRepository(session)
        self.users = SqlUserRepository(session)
        self.incidents = SqlIncidentRepository(session)
        self.skm = SqlSkmRepository(session)
        self.targets = SqlTargetRepository(session)
        self.audit = SqlAuditRepository(session)
        self.invites = SqlInviteRepository(session)
        self.drafts = SqlDraftRepository(session)
        self.digests = SqlDigestRepository(session)
        self.exports = export_repository(session)
        self.outbox = SqlOutboxRepository(session)
        self.updates = SqlUpdateLogRepository(session)
        self.imports = SqlImportBatchRepository(session)
        self.evidence = SqlEvidenceRepository(session)
        self.rtl = SqlRtlRepository(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self._session
        if session is None:
            return
        self._session = None
        # Closing ends the transaction (rolled back unless committed) and gives the
        # connection back; a rollback() first would only restore the objects the
        # session is about to drop (a measurable part of a conversation step).
        session.close()

    @property
    def session(self) -> Session:
        """The open session (only inside ``with``)."""
        if self._session is None:
            raise RuntimeError("unit of work belum dibuka (gunakan 'with')")
        return self._session

    def commit(self) -> None:
        """Make the work durable."""
        self.session.commit()

    def rollback(self) -> None:
        """Discard the work."""
        self.session.rollback()
