"""Repositories over SQLModel tables; they return domain objects, never rows.

Aggregates are computed by the database (COUNT, SUM, GROUP BY over indexed columns),
never by loading rows into Python.

One module per aggregate, each repository beside its row converters and prepared
statements: ``places`` (kecamatan and desa), ``idm``, ``tematik``, ``users``,
``incidents``, ``skm``, ``targets``, ``audit``, ``invites``, ``drafts`` and ``digest``;
``_base`` holds the base class and the helpers they share. The repositories are
re-exported here, so that ``from storage.repositories import SqlUserRepository`` works.
"""

from storage.repositories.audit import SqlAuditRepository
from storage.repositories.digest import SqlDigestRepository
from storage.repositories.drafts import SqlDraftRepository
from storage.repositories.idm import SqlIdmRepository
from storage.repositories.incidents import SqlIncidentRepository
from storage.repositories.invites import SqlInviteRepository
from storage.repositories.places import SqlDesaRepository, SqlKecamatanRepository
from storage.repositories.skm import SqlSkmRepository
from storage.repositories.targets import SqlTargetRepository
from storage.repositories.tematik import SqlTematikRepository
from storage.repositories.users import SqlUserRepository

__all__ = [
    "SqlKecamatanRepository",
    "SqlDesaRepository",
    "SqlIdmRepository",
    "SqlTematikRepository",
    "SqlUserRepository",
    "SqlIncidentRepository",
    "SqlSkmRepository",
    "SqlTargetRepository",
    "SqlAuditRepository",
    "SqlInviteRepository",
    "SqlDraftRepository",
    "SqlDigestRepository",
]
