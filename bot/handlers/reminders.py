"""The one-tap Nihil button under the weekly reminder to a perangkat desa."""

from __future__ import annotations

from typing import Final

from bot import texts
from bot.conversation.dialog import Ctx
from bot.conversation.engine import RECORD_PREFIX, Registry
from bot.formatting import fmt_day
from domain.digest import IsoWeek
from domain.errors import InvalidInput
from domain.incidents import submit_nil_report
from domain.permissions import Action, require

__all__ = ["register", "NIHIL_RECORD", "nihil_data"]

NIHIL_RECORD: Final = "nh"  # r:nh:<week key>


def nihil_data(week: IsoWeek) -> str:
    """The callback data of the Nihil button of a week's reminder."""
    return f"{RECORD_PREFIX}:{NIHIL_RECORD}:{week.key}"


def _press_nihil(ctx: Ctx, args: list[str]) -> None:
    """Store the nil report of the presser's desa, as /nihil does, for the reminder's week."""
    if len(args) != 1:
        ctx.toast = texts.STALE_BUTTON
        return
    try:
        week = IsoWeek.parse(args[0])
    except InvalidInput:
        ctx.toast = texts.STALE_BUTTON
        return
    # Refused (nothing written, the button stays) for anyone who may not send nil reports
    # (any more): the engine says the usual permission message.
    require(ctx.user, Action.NIL_REPORT)
    if IsoWeek.of(ctx.now.date()) != week:
        # submit_nil_report only knows the current week: a nil report for a past week
        # would land on the wrong week. The button can never succeed again: take it off.
        ctx.edit_pressed("")
        ctx.say(
            texts.REMINDER_NIHIL_OLD_WEEK.format(
                number=week.week, year=week.year, start=fmt_day(week.start), end=fmt_day(week.end)
            )
        )
        return
    # A week with an incident raises InvalidInput: explained by the engine, nothing stored.
    result = submit_nil_report(ctx.uow, user=ctx.user, now=ctx.now)
    span = {"start": fmt_day(result.week_start), "end": fmt_day(result.week_end)}
    ctx.edit_pressed("")  # stored (or already there): the button has done its work
    ctx.say((texts.NIHIL_DONE if result.created else texts.NIHIL_ALREADY).format(**span))


def register(registry: Registry) -> None:
    """The reminder's Nihil button."""
    registry.record(NIHIL_RECORD, _press_nihil)
