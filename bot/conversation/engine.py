"""The transaction of one update: claim it, load the person and the draft, run, save, queue.

One unit of work per update, run in a thread of the database pool (never on the event
loop): record the update as handled, load the user and the draft, run the command,
step or button handler, save the draft (or remove it when the conversation ended),
write the replies to the outbox, commit. Only then does the outbox sender deliver them
(bot/delivery/outbox.py), so that a stored change always reaches the people it
concerns, also after a crash, and a redelivered update changes nothing and is not
answered again. Use cases never commit: the engine does, once.

Domain errors become their Indonesian message and the current question is asked
again; a button whose conversation moved on is answered as stale, never applied.
A transaction that lost its connection (or met a lock) is run again, up to DB_TRIES
times; then :class:`DatabaseUnavailable` (bot/conversation/telegram.py tells the person).
"""

from __future__ import annotations

import asyncio
import enum
import html
import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from bot import failpoints, texts
from bot.conversation.callbacks import RecordButton, StaleButton
from bot.conversation.context import (
    REPLACE_KEY,
    Button,
    Conversation,
    Ctx,
    Incoming,
    Reply,
    Request,
    Services,
    StaleDraft,
    WouldReplace,
)
from bot.conversation.flow import Flow, Input, InputKind
from bot.conversation.registry import Registry
from bot.delivery.outbox import OutboxSender, encode, encode_edit
from bot.runtime import Runtime
from domain.errors import DomainError
from domain.models import Draft, Kecamatan, OutboxMessage, UpdateKey
from domain.ports import UnitOfWork
from domain.registration import bootstrap_admin
from domain.survey import flush_survey_pool

__all__ = ["Engine", "DatabaseUnavailable", "Outcome", "ReplaceButton", "ReplaceChoice"]

log = logging.getLogger(__name__)

SKM_DRAFT_HOURS = 24  # an unfinished questionnaire is forgotten after a day
HANDLED_UPDATE_DAYS = 7  # Telegram redelivers for 24 hours; a week is ample
SENT_OUTBOX_DAYS = 30  # delivered messages kept this long (for questions about them)
DB_TRIES = 3  # a transaction that lost its connection or met a lock is run again
T = TypeVar("T")
Action = Callable[[Ctx], None]


class DatabaseUnavailable(Exception):
    """The database could not be reached (or stayed locked) for an update."""


def _connection_trouble(error: BaseException) -> bool:
    """Errors of the connection or a lock (worth a retry), not of the data."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


class ReplaceChoice(enum.StrEnum):
    """The answer to "a conversation is in progress: continue it, or start anew?"."""

    CONTINUE = "l"
    NEW = "b"


@dataclass(frozen=True, slots=True)
class ReplaceButton(RecordButton):
    """Continue the conversation ``token`` (at ``version``), or start the waiting command."""

    kind = "gn"
    token: str
    version: int
    choice: ReplaceChoice


@dataclass(slots=True)
class Outcome:
    """What an update's transaction left: its context, and the outbox rows it wrote."""

    ctx: Ctx
    queued: list[OutboxMessage] = field(default_factory=list)
    duplicate: bool = False  # handled before (a redelivery): nothing done, nothing sent
    evidence: bool = False  # pending evidence files were committed (the fetcher is woken)


class Engine:
    """Runs commands, conversation steps and buttons in one transaction per update."""

    def __init__(
        self,
        runtime: Runtime,
        registry: Registry,
        services: Services,
        *,
        pool: Executor,
        outbox: OutboxSender,
    ) -> None:
        self.runtime = runtime
        self.registry = registry
        self.services = services
        self.pool = pool
        self.outbox = outbox
        self._kecamatan: dict[int, Kecamatan] = {}
        self._default: Kecamatan | None = None
        registry.button(ReplaceButton, self._replace_choice)

    async def in_thread(self, work: Callable[[], T]) -> T:
        """Run blocking work (a transaction, a workbook) in the database pool."""
        return await asyncio.get_running_loop().run_in_executor(self.pool, work)

    def _default_kecamatan(self) -> Kecamatan:
        """The configured kecamatan, looked up once (not on every citizen's update)."""
        if self._default is None:
            self._default = self.runtime.kecamatan()
        return self._default

    def _kecamatan_of(self, uow: UnitOfWork, kecamatan_id: int | None) -> Kecamatan:
        if kecamatan_id is not None and kecamatan_id not in self._kecamatan:
            self._kecamatan = {k.id: k for k in uow.kecamatan.list()}
        if kecamatan_id is not None and kecamatan_id in self._kecamatan:
            return self._kecamatan[kecamatan_id]
        return self._default_kecamatan()

    # -- the transaction ---------------------------------------------------------------

    def run_sync(
        self,
        incoming: Incoming,
        action: Action,
        *,
        key: UpdateKey | None = None,
        what: str | None = None,
        pressed: int | None = None,
        rerun: str | None = None,
    ) -> Outcome:
        """Run ``action`` in one unit of work; its replies are written to the outbox.

        ``incoming`` names the person and chat; their registration, kecamatan and the
        time are read here. A transaction that loses its connection (or waits out a lock) is run
        again from the start, up to DB_TRIES times; then :class:`DatabaseUnavailable`.
        """
        for attempt in range(1, DB_TRIES + 1):
            try:
                return self._transaction(
                    incoming, action, key=key, what=what, pressed=pressed, rerun=rerun
                )
            except Exception as error:
                if not _connection_trouble(error):
                    raise
                if attempt == DB_TRIES:
                    log.warning(
                        "Basis data tidak dapat dipakai untuk chat %s (%d kali): %s",
                        incoming.chat_id,
                        attempt,
                        str(error).splitlines()[0][:200],
                    )
                    raise DatabaseUnavailable from error
                time.sleep(0.2 * attempt)
        raise AssertionError("unreachable")

    def _transaction(
        self,
        incoming: Incoming,
        action: Action,
        *,
        key: UpdateKey | None,
        what: str | None,
        pressed: int | None,
        rerun: str | None,
    ) -> Outcome:
        settings = self.services.settings
        with self.runtime.uow() as uow:
            now = self.runtime.now()
            telegram_id = incoming.telegram_id
            # The update claimed, the sender's registration and draft read: one statement
            # on PostgreSQL, two on SQLite (see storage/repositories/drafts.py).
            if key is None:
                found = uow.drafts.get_with_user(incoming.chat_id, telegram_id)
            else:
                claimed = uow.drafts.claim_with_user(key, now, incoming.chat_id, telegram_id)
                if claimed is None:
                    request = Request(incoming, None, self._default_kecamatan(), now)
                    return Outcome(Ctx(uow, self.services, request), duplicate=True)
                found = claimed
            user, draft = found
            if user is None and telegram_id in settings.admin_telegram_ids:
                user = bootstrap_admin(
                    uow,
                    telegram_id=telegram_id,
                    kecamatan_id=self._default_kecamatan().id,
                    nama=incoming.telegram_name,
                    at=now,
                )
            kecamatan = self._kecamatan_of(uow, None if user is None else user.kecamatan_id)
            request = Request(incoming, user, kecamatan, now)
            ctx = Ctx(uow, self.services, request, conversation=self._conversation_of(draft))
            if what is None:
                what = "msg" if draft is None else f"step:{draft.flow}.{draft.step}"
            bootstrapped = user is not None and telegram_id in settings.admin_telegram_ids
            try:
                action(ctx)
                self._finish(ctx)
            except StaleDraft:
                uow.rollback()
                ctx = self._stale(self._again(ctx, bootstrapped), key)
            except StaleButton as stale:
                uow.rollback()
                ctx = self._reset(self._again(ctx, bootstrapped), key)
                ctx.reply.toast = texts.STALE_BUTTON
                if stale.text:
                    ctx.say(stale.text, stale.keyboard)
            except DomainError as error:
                uow.rollback()
                ctx = self._explain(self._again(ctx, bootstrapped), str(error), key)
            except WouldReplace as asked:
                uow.rollback()
                ctx = self._ask_replace(self._again(ctx, bootstrapped), asked.flow, key, rerun)
            queued = self._enqueue(ctx, pressed, key)
            failpoints.hit(f"before_commit:{what}")
            uow.commit()
            failpoints.hit(f"after_commit:{what}")
            evidence = uow.evidence.added > 0
        return Outcome(ctx, queued, evidence=evidence)

    def _conversation(self, uow: UnitOfWork, request: Request) -> Conversation:
        return self._conversation_of(uow.drafts.get(request.chat_id, request.telegram_id))

    def _conversation_of(self, draft: Draft | None) -> Conversation:
        flow = None if draft is None else self.registry.flows.get(draft.flow)
        return Conversation(draft=draft, flow=flow)

    def _again(self, ctx: Ctx, admin: bool) -> Ctx:
        """After a rollback: a configured admin registered by this update is registered again."""
        if not admin or ctx.user is None:
            return ctx
        if ctx.uow.users.get_by_telegram_id(ctx.telegram_id) is not None:
            return ctx
        user = bootstrap_admin(
            ctx.uow,
            telegram_id=ctx.telegram_id,
            kecamatan_id=self._default_kecamatan().id,
            nama=ctx.telegram_name,
            at=ctx.now,
        )
        return replace(ctx, request=replace(ctx.request, user=user))

    def _reset(self, ctx: Ctx, key: UpdateKey | None) -> Ctx:
        """A fresh context on the stored state, after a rollback (the update claimed again)."""
        if key is not None:
            ctx.uow.updates.claim(key, at=ctx.now)
        return Ctx(
            ctx.uow,
            ctx.services,
            ctx.request,
            reply=Reply(),
            conversation=self._conversation(ctx.uow, ctx.request),
        )

    def _ask_replace(
        self, ctx: Ctx, new: Flow[Any, Any], key: UpdateKey | None, rerun: str | None
    ) -> Ctx:
        """Ask before a conversation with answers is replaced: continue, or start anew."""
        fresh = self._reset(ctx, key)
        draft, current = fresh.draft, fresh.conversation.flow
        if draft is None or rerun is None or current is None:
            return self._stale(ctx, None)
        data = {**draft.data, REPLACE_KEY: rerun}
        saved = fresh.uow.drafts.save(replace(draft, data=data, updated_at=fresh.now))
        if saved is None:
            raise StaleDraft
        fresh.conversation.draft = saved

        def button(label: str, choice: ReplaceChoice) -> list[Button]:
            return [ReplaceButton(saved.token, saved.version, choice).button(label)]

        fresh.say(
            texts.REPLACE_ASK.format(current=current.title, new=new.title),
            [
                button(texts.REPLACE_CONTINUE.format(title=current.title), ReplaceChoice.CONTINUE),
                button(texts.REPLACE_NEW.format(title=new.title), ReplaceChoice.NEW),
            ],
        )
        return fresh

    def _replace_choice(self, ctx: Ctx, pressed: ReplaceButton) -> None:
        """The answer to :meth:`_ask_replace` (a stale one changes nothing)."""
        draft = ctx.draft
        if (
            draft is None
            or draft.token != pressed.token
            or draft.version != pressed.version
            or not isinstance(draft.data.get(REPLACE_KEY), str)
        ):
            raise StaleDraft
        data = dict(draft.data)
        rerun = str(data.pop(REPLACE_KEY))
        ctx.edit_pressed("", None)
        conversation = ctx.conversation
        if pressed.choice is ReplaceChoice.CONTINUE:
            conversation.draft = replace(draft, data=data)
            conversation.next_step = draft.step
            return
        if not ctx.uow.drafts.delete(
            ctx.chat_id, ctx.telegram_id, token=draft.token, version=draft.version
        ):
            raise StaleDraft
        conversation.draft, conversation.flow = None, None
        conversation.replace_ok = True
        kind, _, text = rerun.partition(":")
        if kind == "c":
            self.registry.run_command(ctx, text)
        elif text.startswith(f"r:{ReplaceButton.kind}:"):
            raise StaleDraft
        else:
            self.registry.press(ctx, text)

    def _enqueue(self, ctx: Ctx, pressed: int | None, key: UpdateKey | None) -> list[OutboxMessage]:
        """Write the edit of the pressed message and every reply to the outbox."""
        source = None if key is None else f"update:{key.update_id}"
        rows = []
        reply = ctx.reply
        if reply.edit is not None and pressed is not None:
            text, keyboard = reply.edit
            rows.append(encode_edit(ctx.chat_id, pressed, text, keyboard, source=source))
        for message in reply.messages:
            rows += encode(message, ctx.chat_id, source=source)
        return ctx.uow.outbox.add(rows, at=ctx.now) if rows else []

    def _explain(self, ctx: Ctx, message: str, key: UpdateKey | None) -> Ctx:
        """Say what was wrong and ask the current question again."""
        fresh = self._reset(ctx, key)
        fresh.say(html.escape(message, quote=False))
        if fresh.draft is not None and ctx.draft is not None and ctx.draft.version > 0:
            fresh.conversation.next_step = fresh.draft.step
            self._finish(fresh)
        return fresh

    def _stale(self, ctx: Ctx, key: UpdateKey | None) -> Ctx:
        fresh = self._reset(ctx, key)
        fresh.reply.toast = texts.STALE_BUTTON
        flow = fresh.conversation.flow
        if fresh.draft is not None and flow is not None:
            fresh.say(texts.STALE_RESUME.format(title=flow.title))
            fresh.conversation.next_step = fresh.draft.step
            self._finish(fresh)
        else:
            fresh.say(texts.STALE_NO_DRAFT)
        return fresh

    def _finish(self, ctx: Ctx) -> None:
        """Prompt the next step (prompts may skip ahead) and save the draft, or remove it."""
        conversation = ctx.conversation
        if conversation.draft is None:
            return
        flow = conversation.flow
        if flow is None:  # a flow that no longer exists (after an upgrade): forget it
            ctx.uow.drafts.delete(ctx.chat_id, ctx.telegram_id)
            conversation.draft = None
            return
        for _ in range(len(flow.steps) + 1):
            if conversation.next_step is None or conversation.ended:
                break
            step = flow.member(conversation.next_step)
            conversation.next_step = None
            conversation.draft = replace(conversation.draft, step=step.value)
            flow.steps[step].prompt(ctx)
        draft = conversation.draft
        if conversation.ended:
            # Removed with what the answer stored; a second "Kirim" finds nothing.
            if draft.version > 0 and not ctx.uow.drafts.delete(
                ctx.chat_id, ctx.telegram_id, token=draft.token, version=draft.version
            ):
                raise StaleDraft
            return
        conversation.flush()
        saved = ctx.uow.drafts.save(replace(draft, updated_at=ctx.now))
        if saved is None:
            raise StaleDraft
        conversation.draft = saved

    def feed(self, ctx: Ctx, given: Input) -> None:
        """Hand an answer to the current step, or explain what the bot expects."""
        draft, flow = ctx.draft, ctx.conversation.flow
        if draft is None or flow is None:
            if given.kind is InputKind.CHOICE:
                raise StaleDraft
            ctx.say(texts.NO_CONVERSATION)
            return
        step = flow.step_named(draft.step)
        if step is None:
            raise StaleDraft
        if given.kind not in step.accepts:
            if given.kind is InputKind.OTHER:
                ctx.say(texts.UNSUPPORTED.format(what=given.what))
            elif step.hint:
                ctx.say(step.hint)
            elif InputKind.CHOICE in step.accepts:
                ctx.say(texts.CHOOSE_BUTTON)
            else:
                ctx.say(texts.WRONG_KIND)
            ctx.reply.edit = None
            ctx.stay()
            return
        step.handle(ctx, given)

    def choose(self, ctx: Ctx, token: str, step: str, value: str) -> None:
        """A choice button of a step: applied only while that step of that draft is current."""
        draft = ctx.draft
        if draft is None or draft.token != token or draft.step != step:
            raise StaleDraft
        ctx.edit_pressed("", None)  # accepted: take the buttons off the question
        self.feed(ctx, Input(InputKind.CHOICE, text=value))

    # -- housekeeping ------------------------------------------------------------------

    def flush_skm(self, *, whole: bool = False) -> int:
        """Write the pooled SKM answers in a random order (README "Anonimitas SKM").

        By default only once some kecamatan has SKM_BATCH_SIZE answers waiting (the
        frequent check); ``whole`` writes whatever waits (the end of the day). Then the
        old versions of the drafts, which PostgreSQL keeps in its files, are dropped.
        """
        batch = None if whole else self.services.settings.skm_batch_size
        with self.runtime.uow() as uow:
            moved = flush_survey_pool(uow, batch_size=batch)
            uow.commit()
        if moved or whole:
            self.runtime.rewrite_drafts()  # the submitted drafts' dead versions
        if moved:
            log.info("%d jawaban SKM ditulis dalam urutan acak.", moved)
        return moved

    def purge_drafts(self) -> int:
        """Forget conversations abandoned long ago; SKM ones (a chat id next to answers) soon.

        Also forgets handled updates after a week and delivered messages after a month.
        """
        settings = self.services.settings
        now = self.runtime.now()
        with self.runtime.uow() as uow:
            purged = uow.drafts.purge(now - timedelta(hours=SKM_DRAFT_HOURS), flow="skm")
            purged += uow.drafts.purge(now - timedelta(days=settings.draft_max_age_days))
            uow.updates.purge(now - timedelta(days=HANDLED_UPDATE_DAYS))
            uow.outbox.purge_sent(now - timedelta(days=SENT_OUTBOX_DAYS))
            uow.commit()
        if purged:
            log.info("%d isian yang ditinggalkan dihapus.", purged)
        return purged
