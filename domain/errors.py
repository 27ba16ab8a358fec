"""Errors the use cases raise; every message is Indonesian and safe to show a user."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DomainError", "NotFound", "InvalidInput", "ImportProblem", "ImportFailed"]


class DomainError(Exception):
    """A rule was broken; ``str(exc)`` is a message for the user."""


class NotFound(DomainError):
    """Something named by the user does not exist (a kecamatan, desa, service ...)."""


class InvalidInput(DomainError):
    """A value given by the user is not acceptable."""


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One problem in an imported file: where it is and what is wrong."""

    source: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = [self.source]
        if self.line is not None:
            where.append(f"baris {self.line}")
        if self.field is not None:
            where.append(f"kolom/isian {self.field}")
        return ", ".join(where) + ": " + self.message


class ImportFailed(DomainError):
    """A file could not be imported; nothing of it was stored."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        shown = problems[:20]
        lines = [str(p) for p in shown]
        if len(problems) > len(shown):
            lines.append(f"... dan {len(problems) - len(shown)} masalah lain")
        super().__init__("Impor dibatalkan, tidak ada data yang disimpan:\n" + "\n".join(lines))
