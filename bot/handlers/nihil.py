"""/nihil: a perangkat desa says nothing happened in the desa this week (also one tap
on the Nihil button of the weekly reminder)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot import texts
from bot.conversation import (
    Button,
    CommandSpec,
    Ctx,
    Flow,
    Input,
    NoAnswers,
    RecordButton,
    Registry,
    StaleButton,
    Step,
    cancel,
)
from bot.formatting import fmt_day, h
from domain.digest import IsoWeek
from domain.errors import InvalidInput
from domain.incidents import check_nil_report, submit_nil_report, week_of
from domain.permissions import Action, require

__all__ = ["register", "NIHIL", "NihilButton", "nihil_data"]


class NihilStep(enum.StrEnum):
    CONFIRM = "confirm"


def _nihil_prompt(ctx: Ctx) -> None:
    """Ask to confirm."""
    user = ctx.user
    assert user is not None
    desa = ctx.uow.desa.get(user.desa_id) if user.desa_id else None
    start, end = week_of(ctx.now.date())
    ctx.say(
        texts.NIHIL_ASK.format(
            desa=h(desa.nama if desa else "-"), start=fmt_day(start), end=fmt_day(end)
        ),
        [[Button(texts.NIHIL_CONFIRM, "yes"), Button(texts.CANCEL_BUTTON, "no")]],
    )


def _nihil_handle(ctx: Ctx, given: Input) -> None:
    """Record the nil report once for the week."""
    if given.text == "no":
        cancel(ctx)
        return
    if given.text != "yes":
        raise InvalidInput(texts.CHOOSE_BUTTON)
    ctx.end()
    result = submit_nil_report(ctx.uow, user=ctx.user, now=ctx.now)
    span = {"start": fmt_day(result.week_start), "end": fmt_day(result.week_end)}
    ctx.say((texts.NIHIL_DONE if result.created else texts.NIHIL_ALREADY).format(**span))


NIHIL: Flow[NihilStep, NoAnswers] = Flow(
    name="nihil",
    title="laporan nihil",
    answers=NoAnswers,
    steps={NihilStep.CONFIRM: Step(_nihil_prompt, _nihil_handle)},
)


def _nihil(ctx: Ctx, args: list[str]) -> None:
    """Perangkat desa only; a week that already has a report is refused before asking."""
    check_nil_report(ctx.uow, user=ctx.user, now=ctx.now)
    ctx.start(NIHIL)


# -- the Nihil button under the weekly reminder -----------------------------------------


@dataclass(frozen=True, slots=True)
class NihilButton(RecordButton):
    """Nihil under the weekly reminder: the nil report of that ISO week (``2026-W48``)."""

    kind = "nh"
    week: str


def nihil_data(week: IsoWeek) -> str:
    """The callback data of the Nihil button of a week's reminder."""
    return NihilButton(week.key).data()


def _press_nihil(ctx: Ctx, pressed: NihilButton) -> None:
    """Store the nil report of the presser's desa, as /nihil does, for the reminder's week."""
    try:
        week = IsoWeek.parse(pressed.week)
    except InvalidInput:
        raise StaleButton from None
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
    """/nihil and the reminder's Nihil button."""
    registry.flow(NIHIL)
    registry.command(
        CommandSpec("nihil", _nihil, "Laporan nihil minggu ini", action=Action.NIL_REPORT)
    )
    registry.button(NihilButton, _press_nihil)
