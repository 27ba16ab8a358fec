"""/perkembangan [TAHUN | AWAL-AKHIR]: each desa's status over the years, in chat.

For whoever may read the IKU summary (admins and staf seksi of the kecamatan, as
/ringkasan; decided: the same statuses are in /ringkasan's IKU 1 and in every /ekspor,
so a narrower rule here would hide nothing). Perangkat desa and unregistered users are
refused in words.

- Without a year: every year with data up to this year; ``2024``: up to 2024;
  ``2020-2025`` (also ``2020 2025``, ``2020–2025``, ``2020 s.d. 2025``): that range.
- The table, the counts and the closest desa as text (split under 4096 characters),
  then the chart as a photo, all through the outbox in the update's transaction.
- A year that is not four digits, a reversed range, a future year, a year before the
  first IDM and a range without any data get a clear message and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot import texts
from bot.conversation import CommandSpec, Ctx, Registry
from bot.formatting import h
from bot.reports.progress import progress_chart, progress_messages, year_range
from domain.desa_progress import desa_progress
from domain.errors import InvalidInput
from domain.permissions import Action, require
from domain.records import YEAR_MIN

__all__ = ["register", "progress_range"]

_SEPARATORS = re.compile(r"\s*(?:s\.?\s*d\.?|sampai|[-–—])\s*", re.IGNORECASE)


def _year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise InvalidInput(texts.PROGRESS_BAD_YEAR.format(teks=h(text)))
    return int(text)


def progress_range(args: Sequence[str], this_year: int) -> tuple[int | None, int]:
    """(first or None for the first year with data, last) of the command's arguments."""
    joined = _SEPARATORS.sub(" ", " ".join(args)).split()
    if len(joined) > 2:
        raise InvalidInput(texts.PROGRESS_TOO_MANY)
    years = [_year(part) for part in joined]
    for year in years:
        if year > this_year:
            raise InvalidInput(texts.PROGRESS_FUTURE.format(tahun=year, sekarang=this_year))
        if year < YEAR_MIN:
            raise InvalidInput(texts.PROGRESS_TOO_EARLY.format(pertama=YEAR_MIN))
    if not years:
        return None, this_year
    if len(years) == 1:
        return None, years[0]
    first, last = years
    if first > last:
        raise InvalidInput(texts.PROGRESS_REVERSED.format(awal=first, akhir=last))
    return first, last


def _perkembangan(ctx: Ctx, args: list[str]) -> None:
    """The statuses of the desa over the years, the counts, the closest, and the chart."""
    require(ctx.user, Action.VIEW_SUMMARY)
    try:
        first, last = progress_range(args, ctx.now.year)
    except InvalidInput as error:
        raise InvalidInput(f"{error}\n{texts.PROGRESS_EXAMPLES}") from None
    kec = ctx.kecamatan
    report = desa_progress(ctx.uow, kecamatan=kec, last=last, first=first)
    if not report.years:
        ctx.say(
            texts.PROGRESS_NO_DATA.format(
                kecamatan=h(kec.nama), rentang=year_range(report.first, report.last)
            )
        )
        return
    for message in progress_messages(report):
        ctx.say(message)
    caption = texts.PROGRESS_CAPTION.format(
        kecamatan=h(kec.nama), rentang=year_range(report.years[0], report.years[-1])
    )
    ctx.say(caption).photo = progress_chart(report)


def register(registry: Registry) -> None:
    """/perkembangan."""
    registry.command(
        CommandSpec(
            "perkembangan", _perkembangan, texts.PROGRESS_COMMAND, action=Action.VIEW_SUMMARY
        )
    )
