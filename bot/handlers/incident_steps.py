"""The questions /lapor and /koreksi share: desa, stage, category (with Lainnya), text.

Both flows keep these answers under the same names (:class:`IncidentAnswers`); each
gives how to reach its answers and the report's kind, and the step that asks for the
name of a category outside the list.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from bot import texts
from bot.conversation import Button, Ctx, Input, back_row, desa_buttons, desa_choice, rows
from domain.errors import InvalidInput
from domain.incidents import CATEGORIES, LAINNYA, clean_category_detail, clean_description
from domain.models import IncidentKind, KonflikStage

__all__ = ["IncidentAnswers", "IncidentSteps"]


class IncidentAnswers(Protocol):
    """The answers of a report's shared questions."""

    desa_id: int | None
    stage: KonflikStage | None
    category: str | None
    category_detail: str | None
    description: str | None


A = TypeVar("A", bound=IncidentAnswers)


@dataclass(frozen=True, slots=True)
class IncidentSteps(Generic[A]):
    """The shared prompts and handlers, bound to one flow's answers."""

    answers: Callable[[Ctx], A]
    kind: Callable[[Ctx], IncidentKind]
    detail_step: enum.StrEnum  # asked when Lainnya is chosen (again, when it is changed)

    def desa_prompt(self, ctx: Ctx) -> None:
        """Which desa of the kecamatan."""
        desa = ctx.uow.desa.list_by_kecamatan(ctx.kecamatan.id)
        ctx.say(texts.LAPOR_ASK_DESA, [*desa_buttons(desa), back_row()])

    def desa_handle(self, ctx: Ctx, given: Input) -> None:
        """Keep a desa of this kecamatan."""
        if given.text == "back":
            ctx.back()
            return
        self.answers(ctx).desa_id = desa_choice(ctx, given).id
        ctx.next()

    def stage_prompt(self, ctx: Ctx) -> None:
        """Potensi or terjadi (asked of conflicts only)."""
        ctx.say(
            texts.LAPOR_ASK_STAGE,
            [
                [Button(texts.STAGE_POTENSI, KonflikStage.POTENSI.value)],
                [Button(texts.STAGE_TERJADI, KonflikStage.TERJADI.value)],
                back_row(),
            ],
        )

    def stage_handle(self, ctx: Ctx, given: Input) -> None:
        """Keep the stage."""
        if given.text == "back":
            ctx.back()
            return
        if given.text not in set(KonflikStage):
            raise InvalidInput(texts.CHOOSE_BUTTON)
        self.answers(ctx).stage = KonflikStage(given.text)
        ctx.next()

    def category_prompt(self, ctx: Ctx) -> None:
        """The categories of the kind, with Lainnya."""
        choices = [Button(label, code) for code, label in CATEGORIES[self.kind(ctx)].items()]
        ctx.say(texts.LAPOR_ASK_CATEGORY, [*rows(choices, 1), back_row()])

    def category_handle(self, ctx: Ctx, given: Input) -> None:
        """Keep the category; Lainnya asks for its name (again, when it is changed)."""
        if given.text == "back":
            ctx.back()
            return
        if given.text not in CATEGORIES[self.kind(ctx)]:
            raise InvalidInput(texts.CHOOSE_BUTTON)
        a = self.answers(ctx)
        a.category = given.text
        if given.text == LAINNYA:
            ctx.goto(self.detail_step)
            return
        a.category_detail = None
        ctx.next()

    def detail_prompt(self, ctx: Ctx) -> None:
        """The name of a category outside the list."""
        ctx.say(texts.LAPOR_ASK_DETAIL)

    def detail_handle(self, ctx: Ctx, given: Input) -> None:
        """Keep the category's text."""
        self.answers(ctx).category_detail = clean_category_detail(given.text)
        ctx.next()

    def desc_prompt(self, ctx: Ctx) -> None:
        """What happened."""
        ctx.say(texts.LAPOR_ASK_DESC)

    def desc_handle(self, ctx: Ctx, given: Input) -> None:
        """Keep the description (15-1000 characters)."""
        self.answers(ctx).description = clean_description(given.text)
        ctx.next()
