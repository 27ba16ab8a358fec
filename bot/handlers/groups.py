"""/atur_grup and /lepas_grup: which group receives a kecamatan's weekly digest.

Sent in the group itself by a bot admin (the engine refuses anyone else). Before the
transaction, /atur_grup asks Telegram whether the bot may post there (getChatMember and
the group's permissions), so the office learns at once, not on Monday, that the digest
could not arrive. In a private chat both commands say where to send them. Sent by an
admin kabupaten, the same commands bind (or unbind) the weekly kabupaten digest's group.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Bot
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot import texts
from bot.conversation import CommandSpec, Ctx, Registry
from bot.formatting import h
from bot.reports.iku import fmt_datetime_id
from domain.digest_groups import Unbound, bind_digest_group, unbind_digest_group
from domain.kabupaten_digest import (
    KabupatenRefusal,
    bind_kabupaten_digest_group,
    unbind_kabupaten_digest_group,
)
from domain.models import Role
from domain.permissions import Action

__all__ = ["register", "BIND", "UNBIND", "PostingRights", "may_post"]

log = logging.getLogger(__name__)

BIND = "atur_grup"
UNBIND = "lepas_grup"


@dataclass(frozen=True, slots=True)
class PostingRights:
    """What the bot may do in a group, as Telegram said before /atur_grup ran."""

    messages: bool
    photos: bool


async def may_post(bot: Bot, chat_id: int) -> PostingRights:
    """Ask Telegram whether the bot may send messages and photos in ``chat_id``.

    Telegram's errors (the bot was removed, the group moved) are raised: ``iku-bot
    doctor`` tells them apart.
    """
    member = await bot.get_chat_member(chat_id, bot.id)
    status = member.status
    if status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER):
        return PostingRights(True, True)
    if status == ChatMemberStatus.RESTRICTED:
        return PostingRights(
            bool(getattr(member, "can_send_messages", False)),
            bool(getattr(member, "can_send_photos", False)),
        )
    if status != ChatMemberStatus.MEMBER:
        return PostingRights(False, False)
    permissions = (await bot.get_chat(chat_id)).permissions
    if permissions is None:
        return PostingRights(True, True)
    messages = permissions.can_send_messages is not False
    photos = permissions.can_send_photos is not False
    return PostingRights(messages, messages and photos)


async def _posting_rights(bot: Bot, chat_id: int, sender_id: int) -> PostingRights:
    """The precheck of /atur_grup: what Telegram says (nothing, when it cannot be asked)."""
    try:
        return await may_post(bot, chat_id)
    except TelegramError as error:
        log.warning("Izin bot di grup %s tidak dapat diperiksa: %s", chat_id, error)
        return PostingRights(False, False)


def _bind(ctx: Ctx, args: list[str]) -> None:
    """/atur_grup: this group receives the digest of the admin's kecamatan."""
    request = ctx.request.incoming
    if not request.in_group:
        ctx.say(texts.GROUP_ONLY)
        return
    rights = request.checked
    assert isinstance(rights, PostingRights)
    title = request.chat_title or str(ctx.chat_id)
    if not rights.messages:
        # The bot cannot answer in the group: the admin hears it in private.
        ctx.notify(ctx.telegram_id, texts.GROUP_CANNOT_POST.format(grup=h(title)))
        return
    if ctx.user is not None and ctx.user.role is Role.ADMIN_KABUPATEN:
        _bind_kabupaten(ctx, title)
        return
    if ctx.uow.digests.kabupaten_group_by_chat(ctx.chat_id) is not None:
        ctx.say(texts.KABDIG_GROUP_IS_KABUPATEN)
        return
    bound = bind_digest_group(ctx.uow, admin=ctx.user, chat_id=ctx.chat_id, title=title, at=ctx.now)
    if bound is None:
        ctx.say(texts.GROUP_TAKEN)
        return
    schedule, following = _schedule(ctx)
    lines = [
        texts.GROUP_BOUND.format(
            kecamatan=h(ctx.kecamatan.nama), jadwal=schedule, berikut=following
        )
    ]
    if bound.replaced is not None:
        lines.append(texts.GROUP_BOUND_REPLACED.format(grup=h(bound.replaced.title)))
    if not rights.photos:
        lines.append(texts.GROUP_NO_PHOTOS)
    ctx.say("\n\n".join(lines))


def _schedule(ctx: Ctx) -> tuple[str, str]:
    """The digest's schedule as text, and when the next one goes out."""
    plan = ctx.services.settings.digest_plan()
    if plan is None:
        return "sesuai jadwal", texts.GROUP_BOUND_OFF
    upcoming = plan.next_run(ctx.now)
    following = (
        "" if upcoming is None else texts.GROUP_BOUND_NEXT.format(waktu=fmt_datetime_id(upcoming))
    )
    return plan.text, following


_KABUPATEN_REFUSED = {
    KabupatenRefusal.KECAMATAN_GROUP: texts.KABDIG_GROUP_IS_KECAMATAN,
    KabupatenRefusal.OTHER_KABUPATEN: texts.KABDIG_GROUP_OTHER_KABUPATEN,
    KabupatenRefusal.NOT_BOUND: texts.GROUP_NOT_BOUND,
}


def _bind_kabupaten(ctx: Ctx, title: str) -> None:
    """/atur_grup by an admin kabupaten: this group receives the kabupaten digest."""
    bound = bind_kabupaten_digest_group(
        ctx.uow, admin=ctx.user, home=ctx.kecamatan, chat_id=ctx.chat_id, title=title, at=ctx.now
    )
    if isinstance(bound, KabupatenRefusal):
        ctx.say(_KABUPATEN_REFUSED[bound])
        return
    schedule, following = _schedule(ctx)
    lines = [
        texts.KABDIG_GROUP_BOUND.format(
            kabupaten=h(ctx.kecamatan.kabupaten), jadwal=schedule, berikut=following
        )
    ]
    if bound.replaced is not None:
        lines.append(texts.GROUP_BOUND_REPLACED.format(grup=h(bound.replaced.title)))
    ctx.say("\n\n".join(lines))


def _unbind(ctx: Ctx, args: list[str]) -> None:
    """/lepas_grup: this group no longer receives the digest."""
    if not ctx.request.incoming.in_group:
        ctx.say(texts.GROUP_ONLY)
        return
    if ctx.user is not None and ctx.user.role is Role.ADMIN_KABUPATEN:
        gone = unbind_kabupaten_digest_group(
            ctx.uow, admin=ctx.user, home=ctx.kecamatan, chat_id=ctx.chat_id, at=ctx.now
        )
        if isinstance(gone, KabupatenRefusal):
            ctx.say(_KABUPATEN_REFUSED[gone])
        else:
            ctx.say(texts.KABDIG_GROUP_UNBOUND.format(kabupaten=h(ctx.kecamatan.kabupaten)))
        return
    outcome = unbind_digest_group(ctx.uow, admin=ctx.user, chat_id=ctx.chat_id, at=ctx.now)
    if outcome is Unbound.NOT_BOUND:
        kabupaten = ctx.uow.digests.kabupaten_group_by_chat(ctx.chat_id) is not None
        ctx.say(texts.KABDIG_GROUP_IS_KABUPATEN if kabupaten else texts.GROUP_NOT_BOUND)
    elif outcome is Unbound.OTHER_KECAMATAN:
        ctx.say(texts.GROUP_OTHER_KECAMATAN)
    else:
        ctx.say(texts.GROUP_UNBOUND.format(kecamatan=h(ctx.kecamatan.nama)))


def register(registry: Registry) -> None:
    """The two group commands (menu and /bantuan entries for admins)."""
    registry.command(
        CommandSpec(
            BIND,
            _bind,
            texts.GROUP_BIND_COMMAND,
            private_only=False,
            group_admin=True,
            action=Action.BIND_DIGEST_GROUP,  # admins of a kecamatan or of a kabupaten
            precheck=_posting_rights,
        )
    )
    registry.command(
        CommandSpec(
            UNBIND,
            _unbind,
            texts.GROUP_UNBIND_COMMAND,
            private_only=False,
            group_admin=True,
            action=Action.BIND_DIGEST_GROUP,
        )
    )
