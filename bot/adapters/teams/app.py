"""The Teams bot: activities in, the conversation layer, rendered replies out.

Every message activity lands in TeamsBot.on_message: a press of a card button
(its `value`), an admin command, or a question or an answer in the report
conversation. What happens then is bot.conversation's (the turn, the admin
actions, the form); this module says who is writing, in which conversation,
and sends what comes back. The engine is synchronous, so it runs in a thread
(asyncio.to_thread) and the event loop keeps answering others.

Conversations: one per personal chat (one per user), one per channel thread.
A report started in a channel continues in the person's personal chat, known
from the reference stored when they last wrote there.
"""
from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass

from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnContext, TurnState

from bot.adapters.teams import cards
from bot.adapters.teams.delivery import continuation, identity
from bot.adapters.teams.references import SOURCE, PersonalChats
from bot.adapters.teams.texts import TeamsCatalogue, TeamsTexts
from bot.conversation.admin import STATUS_WORDS, AdminActions, Admins, admin_command_in, outage_lines, run_admin
from bot.conversation.forms import FormTexts, StorageUnavailable, check, file_form
from bot.conversation.turns import Conversations
from bot.messages import Message, Reply

log = logging.getLogger(__name__)

# A mention of the bot in a channel message: <at>driftbot</at>.
_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)


@dataclass
class Writer:
    """Who wrote, as driftbot knows people in Teams."""
    user_id: str          # the Entra object id (aadObjectId), else the channel account id
    aad_object_id: str | None
    name: str | None
    lang: str


class TeamsBot:
    def __init__(self, runtime, texts: TeamsCatalogue, admins: Admins, *, app_id: str | None, adapter=None):
        self.runtime = runtime
        self.texts = texts
        self.admins = admins
        self.app_id = app_id
        self.adapter = adapter            # for the proactive message when a report moves to the personal chat
        self.actions = AdminActions.of(runtime)
        self.conversations = Conversations(runtime.engine, lambda lang: self.texts_for(lang).messages)
        self.chats = PersonalChats(runtime.store)
        self._service_urls: set[str] = set()

    def texts_for(self, lang: str | None) -> TeamsTexts:
        return self.texts.for_lang(lang)

    # -- the activity --------------------------------------------------------------------

    async def on_message(self, context: TurnContext) -> None:
        activity = context.activity
        writer = self._writer(activity)
        personal = _is_personal(activity)
        if activity.service_url and activity.service_url not in self._service_urls:
            # Not personal: the region's service address, which DRIFTBOT_TEAMS_SERVICE_URL must name.
            self._service_urls.add(activity.service_url)
            log.info("Teams service URL: %s", activity.service_url)
        try:
            if personal:
                # Remembered at every message, so the notices find the chat after a restart or a reinstall.
                await asyncio.to_thread(self.chats.remember, writer.user_id, activity.get_conversation_reference(),
                                        self.runtime.clock.now())
            data = activity.value if isinstance(activity.value, dict) else None
            if data and data.get(cards.DATA_KEY):
                await self._on_submit(context, writer, data, personal)
                return
            text = _MENTION.sub(" ", activity.text or "").strip()
            if not text and activity.attachments:
                await self._send(context, [cards.text_message(self.texts_for(writer.lang).messages.files_unread)])
                return
            command = admin_command_in(text, self.runtime.content.routine.systems)
            if command is not None:
                await self._send(context, [cards.text_message(await self._admin(writer, command))])
                return
            await self._converse(context, writer, text, personal)
        except Exception as exc:  # the database, or a bug: the person still hears something
            from bot.errors import is_storage_failure

            storage = is_storage_failure(exc)
            if storage:
                log.error("a Teams message could not be handled: the database is unavailable (%s)", type(exc).__name__)
            else:
                log.exception("a Teams message could not be handled")
            await self._send(context, [cards.text_message(self.conversations.apology(writer.lang, storage=storage))])

    async def on_installed(self, context: TurnContext) -> None:
        """The app added to someone's personal scope: remember the chat, so that notices (the
        all-clear of a report they file elsewhere) reach them before they have written."""
        activity = context.activity
        if not _is_personal(activity) or activity.from_property is None:
            return
        writer = self._writer(activity)
        try:
            await asyncio.to_thread(self.chats.remember, writer.user_id, activity.get_conversation_reference(),
                                    self.runtime.clock.now())
        except Exception as exc:  # the database: the next message they write stores it
            log.error("could not store a Teams personal chat (%s)", type(exc).__name__)

    async def _converse(self, context: TurnContext, writer: Writer, text: str, personal: bool,
                        choice: str | None = None) -> None:
        activity = context.activity
        unit = await asyncio.to_thread(self._last_unit, writer.user_id)
        message = Message(text=text, user_id=writer.user_id, source=SOURCE, conversation=activity.conversation.id,
                          user_name=writer.name, unit=unit, message_id=activity.id and f"{activity.conversation.id}:{activity.id}"[:200],
                          choice=choice)
        log.info("message in %s from %s", "personal chat" if personal else "channel", writer.user_id)
        turn = await asyncio.to_thread(self.conversations.turn, message, in_private=personal, lang=writer.lang,
                                       open_private=lambda: self._personal_chat_id(writer.user_id))
        texts = self.texts_for(writer.lang)
        if turn.private_unavailable:
            await self._send(context, [cards.text_message(texts.messages.private_chat_needed)])
        elif turn.failed:
            await self._send(context, [cards.text_message(turn.apology)])
        elif turn.moved_to is not None:
            await self._send_to_personal_chat(writer.user_id, [self._render(r) for r in turn.replies])
            note_lang = turn.replies[-1].lang if turn.replies else writer.lang
            await self._send(context, [cards.text_message(self.texts_for(note_lang).messages.moved_to_private)])
        else:
            replies = [self._render(r) for r in turn.replies]
            if writer.aad_object_id in self.admins and text.strip().lower() in STATUS_WORDS:
                replies.extend(await asyncio.to_thread(self._admin_status, writer.lang))
            await self._send(context, replies)

    async def _on_submit(self, context: TurnContext, writer: Writer, data: dict, personal: bool) -> None:
        kind = data.get(cards.DATA_KEY)
        if kind == cards.OPTION:
            await self._converse(context, writer, str(data.get("label") or data.get("value") or ""), personal,
                                 choice=str(data.get("value") or ""))
        elif kind == cards.OPEN_FORM:
            await self._open_form(context, writer, personal, lang=data.get("lang"))
        elif kind == cards.REPORT_FORM:
            await self._submit_form(context, writer, data)

    # -- the report card ------------------------------------------------------------------------

    async def _open_form(self, context: TurnContext, writer: Writer, personal: bool, lang: str | None) -> None:
        texts = self.texts_for(lang or writer.lang)
        if not personal:  # a report's fields are never shown in a channel
            await self._send(context, [cards.text_message(texts.messages.private_chat_needed)])
            return
        unit = await asyncio.to_thread(self._last_unit, writer.user_id)
        await self._send(context, [cards.report_card(texts, name=writer.name, unit=unit)])

    async def _submit_form(self, context: TurnContext, writer: Writer, data: dict) -> None:
        texts = self.texts_for(data.get("lang") or writer.lang)
        values = {name: str(data.get(name) or "") for name in ("reporter_name", "unit", "system", "scope",
                                                               "description", "started_at")}
        checked = await asyncio.to_thread(check, self.runtime.engine, values, texts.lang)
        if checked.errors:
            # The card again, with what was written (personnummer already removed) and why it is not enough.
            card = cards.report_card(texts, name=writer.name, unit=None, values=_redacted(values, self.runtime, texts.lang),
                                     errors=cards.error_words(texts, checked.errors), form_id=data.get("form_id"))
            await self._send(context, [card])
            return
        form_id = str(data.get("form_id") or context.activity.id or "")
        try:
            receipt = await asyncio.to_thread(
                file_form, self.runtime.engine, checked, source=SOURCE, user_id=writer.user_id, lang=texts.lang,
                once=("teams-card", form_id[:200]), contact_now=self.conversations.contact_now(texts.lang),
                texts=FormTexts(filing_failed=texts.card.filing_failed, redacted_notice=texts.card.redacted_notice))
        except StorageUnavailable:
            await self._send(context, [cards.text_message(texts.card.error_storage)])
            return
        await self._send(context, [cards.text_message(receipt if receipt is not None else texts.card.already_filed)])

    # -- administrators ------------------------------------------------------------------------

    async def _admin(self, writer: Writer, command) -> str:
        texts = self.texts_for(writer.lang)
        if writer.aad_object_id not in self.admins:
            log.info("refused admin command %s for %s: not an admin", command.word, writer.user_id)
            return texts.commands.refusal
        return await asyncio.to_thread(run_admin, self.actions, command, f"teams:{writer.aad_object_id}",
                                       texts.commands)

    def _admin_status(self, lang: str):
        texts = self.texts_for(lang)
        now = self.runtime.clock.now()
        current, planned = outage_lines(self.actions, self.runtime.content.routine.systems, texts.status, now,
                                        admin=True)
        if not (current or planned):
            return []
        return [cards.text_message("\n".join([texts.commands.status_admin_heading, *current, *planned]))]

    # -- helpers ---------------------------------------------------------------------------------

    def _writer(self, activity) -> Writer:
        account = activity.from_property
        aad = getattr(account, "aad_object_id", None) if account else None
        user_id = aad or (account.id if account else "") or "unknown"
        locale = (activity.locale or "").split("-")[0].lower()
        return Writer(user_id=user_id, aad_object_id=aad, name=(account.name if account else None) or None,
                      lang=self.texts.lang(locale or None))

    def _last_unit(self, user_id: str) -> str | None:
        return self.runtime.store.last_unit(SOURCE, user_id)

    def _personal_chat_id(self, user_id: str) -> str | None:
        reference = self.chats.get(user_id)
        return reference.conversation.id if reference is not None and reference.conversation else None

    def _render(self, reply: Reply):
        return cards.render_reply(reply, self.texts_for(reply.lang))

    async def _send(self, context: TurnContext, activities: list) -> None:
        for activity in activities:
            await context.send_activity(activity)

    async def _send_to_personal_chat(self, user_id: str, activities: list) -> None:
        reference = await asyncio.to_thread(self.chats.get, user_id)
        if reference is None or self.adapter is None:
            return

        async def callback(context) -> None:
            for activity in activities:
                await context.send_activity(activity)

        await self.adapter.continue_conversation_with_claims(identity(self.adapter, self.app_id),
                                                             continuation(reference), callback)


def _is_personal(activity) -> bool:
    kind = getattr(activity.conversation, "conversation_type", None) if activity.conversation else None
    return kind in (None, "personal")


def _redacted(values: dict[str, str], runtime, lang: str) -> dict[str, str]:
    from bot.privacy import redact_personal_ids

    marker = runtime.content.dialog_for(lang).redaction_marker
    return {k: redact_personal_ids(v, marker)[0] for k, v in values.items()}


def build_application(bot: TeamsBot, connection_manager) -> AgentApplication:
    """The Agents SDK application with driftbot's one handler. Conversation state is driftbot's own
    (in the database), so the SDK's storage is only what it needs for itself. The adapter is given
    with each request (start_agent_process), not here."""
    app = AgentApplication[TurnState](storage=MemoryStorage(), connection_manager=connection_manager)

    @app.activity("message")
    async def on_message(context: TurnContext, state: TurnState) -> None:
        await bot.on_message(context)

    @app.activity("conversationUpdate")
    async def on_conversation_update(context: TurnContext, state: TurnState) -> None:
        await bot.on_installed(context)

    @app.error
    async def on_error(context: TurnContext, error: Exception) -> None:
        # Never the activity: it holds what the person wrote.
        log.error("the Teams turn failed: %s", type(error).__name__)

    return app
