"""/atur_grup and /lepas_grup: which group receives a kecamatan's weekly digest.

Sent in the group itself by a bot admin. Binding checks with Telegram that the bot
may post there (it asks getChatMember and the group's permissions), so the office
learns at once, not on Monday, that the digest could not arrive.

These are asynchronous handlers of their own (they ask Telegram before writing); in
a private chat the same commands are answered by the engine with where to send them.
"""

from __future__ import annotations

import logging

from telegram import Bot, Chat, Update
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import texts
from bot.conversation.dialog import Ctx
from bot.conversation.engine import CommandSpec, Registry
from bot.digest.sender import DigestService
from bot.formatting import h
from bot.reports.iku import fmt_date_id
from domain.models import DigestGroup, Role, User, UserStatus
from domain.permissions import Action
from domain.registration import bootstrap_admin

__all__ = ["GroupCommands", "register", "BIND", "UNBIND"]

log = logging.getLogger(__name__)

BIND = "atur_grup"
UNBIND = "lepas_grup"


def _admin(user: User | None) -> bool:
    return user is not None and user.role is Role.ADMIN and user.status is UserStatus.ACTIVE


async def _may_post(bot: Bot, chat: Chat) -> tuple[bool, bool]:
    """(may send messages, may send photos) for the bot in ``chat``."""
    member = await bot.get_chat_member(chat.id, bot.id)
    status = member.status
    if status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER):
        return True, True
    if status == ChatMemberStatus.RESTRICTED:
        return (
            bool(getattr(member, "can_send_messages", False)),
            bool(getattr(member, "can_send_photos", False)),
        )
    if status != ChatMemberStatus.MEMBER:
        return False, False
    permissions = (await bot.get_chat(chat.id)).permissions
    if permissions is None:
        return True, True
    messages = permissions.can_send_messages is not False
    photos = permissions.can_send_photos is not False
    return messages, messages and photos


class GroupCommands:
    """The two group commands, with the digest service that knows the schedule."""

    def __init__(self, digests: DigestService) -> None:
        self.digests = digests
        self.runtime = digests.runtime

    def _user(self, telegram_id: int, name: str) -> User | None:
        """The sender; the admins of ADMIN_TELEGRAM_IDS are registered on first contact."""
        with self.runtime.uow() as uow:
            user = uow.users.get_by_telegram_id(telegram_id)
            if user is None and telegram_id in self.digests.settings.admin_telegram_ids:
                user = bootstrap_admin(
                    uow,
                    telegram_id=telegram_id,
                    kecamatan_id=self.runtime.kecamatan().id,
                    nama=name,
                    at=self.runtime.now(),
                )
                uow.commit()
            return user

    async def _reply(self, bot: Bot, chat_id: int, text: str) -> None:
        try:
            await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
        except TelegramError as error:
            log.warning("Balasan ke chat %s tidak terkirim: %s", chat_id, error)

    async def bind(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/atur_grup in a group."""
        message, chat, person = (
            update.effective_message,
            update.effective_chat,
            update.effective_user,
        )
        if message is None or chat is None or person is None or person.is_bot:
            return
        bot = context.bot
        user = self._user(person.id, person.full_name)
        if not _admin(user):
            await self._reply(bot, chat.id, texts.GROUP_ADMIN_ONLY)
            return
        assert user is not None
        title = chat.title or str(chat.id)
        try:
            may_send, may_photo = await _may_post(bot, chat)
        except TelegramError as error:
            log.warning("Izin bot di grup %s tidak dapat diperiksa: %s", chat.id, error)
            may_send, may_photo = False, False
        if not may_send:
            # The bot cannot answer in the group: the admin hears it in private.
            await self._reply(bot, person.id, texts.GROUP_CANNOT_POST.format(grup=h(title)))
            return
        now = self.runtime.now()
        with self.runtime.uow() as uow:
            kecamatan = uow.kecamatan.get(user.kecamatan_id)
            assert kecamatan is not None  # the user's own kecamatan (foreign key)
            before = uow.digests.group_for(user.kecamatan_id)
            bound = uow.digests.bind(
                DigestGroup(
                    kecamatan_id=user.kecamatan_id,
                    chat_id=chat.id,
                    title=title,
                    bound_by=user.id,
                    bound_at=now,
                )
            )
            if bound is not None:
                uow.audit.record(
                    actor=f"tg:{person.id}",
                    action="digest_group_bind",
                    entity="digest_group",
                    entity_id=str(chat.id),
                    detail={"judul": title[:100]},
                    user_id=user.id,
                    at=now,
                )
                uow.commit()
        if bound is None:
            await self._reply(bot, chat.id, texts.GROUP_TAKEN)
            return
        plan = self.digests.plan
        if plan is None:
            schedule, following = "sesuai jadwal", texts.GROUP_BOUND_OFF
        else:
            schedule = plan.text
            upcoming = plan.next_run(now)
            following = (
                ""
                if upcoming is None
                else texts.GROUP_BOUND_NEXT.format(
                    waktu=f"{fmt_date_id(upcoming.date())} {upcoming:%H.%M}"
                )
            )
        lines = [
            texts.GROUP_BOUND.format(
                kecamatan=h(kecamatan.nama), jadwal=schedule, berikut=following
            )
        ]
        if before is not None and before.chat_id != chat.id:
            lines.append(texts.GROUP_BOUND_REPLACED.format(grup=h(before.title)))
        if not may_photo:
            lines.append(texts.GROUP_NO_PHOTOS)
        await self._reply(bot, chat.id, "\n\n".join(lines))

    async def unbind(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/lepas_grup in a group."""
        chat, person = update.effective_chat, update.effective_user
        if chat is None or person is None or person.is_bot:
            return
        bot = context.bot
        user = self._user(person.id, person.full_name)
        if not _admin(user):
            await self._reply(bot, chat.id, texts.GROUP_ADMIN_ONLY)
            return
        assert user is not None
        with self.runtime.uow() as uow:
            current = uow.digests.group_by_chat(chat.id)
            if current is None:
                answer = texts.GROUP_NOT_BOUND
            elif current.kecamatan_id != user.kecamatan_id:
                answer = texts.GROUP_OTHER_KECAMATAN
            else:
                uow.digests.unbind(chat.id)
                uow.audit.record(
                    actor=f"tg:{person.id}",
                    action="digest_group_unbind",
                    entity="digest_group",
                    entity_id=str(chat.id),
                    user_id=user.id,
                    at=self.runtime.now(),
                )
                uow.commit()
                kecamatan = uow.kecamatan.get(user.kecamatan_id)
                assert kecamatan is not None  # the user's own kecamatan (foreign key)
                answer = texts.GROUP_UNBOUND.format(kecamatan=h(kecamatan.nama))
        await self._reply(bot, chat.id, answer)


def _in_private(ctx: Ctx, args: list[str]) -> None:
    """The group commands sent in a private chat: where to send them."""
    ctx.say(texts.GROUP_ONLY)


def register(registry: Registry) -> None:
    """Menu and /bantuan entries; the group path is handled by :class:`GroupCommands`."""
    for name, description in (
        (BIND, texts.GROUP_BIND_COMMAND),
        (UNBIND, texts.GROUP_UNBIND_COMMAND),
    ):
        registry.command(
            CommandSpec(
                name,
                _in_private,
                description,
                private_only=False,
                group_admin=True,
                action=Action.MANAGE_USERS,  # admins only
            )
        )
