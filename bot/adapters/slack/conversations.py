"""Direct messages, mentions and option buttons: Slack in, engine Message, Slack out.

The engine decides every word; this module only says who is talking, in
which conversation, and posts the replies where the question was asked:
a DM is answered in the DM (one conversation per user), a mention in a
channel is answered in a thread under it (one conversation per thread).

One exception, for privacy: a report conversation never runs in a channel.
The dialog asks for the reporter's name and unit and repeats the description,
which the whole channel would read. When the engine's answer to a mention (or
to a button in a thread) starts or continues a report, its state moves to the
user's DM, the questions are asked there, and the thread gets one short note.
"""
from __future__ import annotations

import logging
import re
import threading
from dataclasses import replace


from bot import metrics
from bot.adapters.slack.client import SLACK_FAILURES, api_error
from bot.adapters.slack.context import SlackContext
from bot.adapters.slack.dedupe import RecentIds
from bot.errors import is_storage_failure
from bot.adapters.slack.render import chosen_message, render_reply, render_text
from bot.messages import Message, Reply

log = logging.getLogger(__name__)

SOURCE = "slack"
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
# Stored dialog states that belong to a report: while one is being written, and
# just after filing (the receipt repeats the reporter's name and unit).
REPORT_STATES = ("report", "joined")
# Messages from people that carry a subtype: a screenshot with or without words, and a thread reply
# also sent to the channel. Every other subtype (edits, deletions, joins, bots) is not a new message.
PERSON_SUBTYPES = frozenset({"file_share", "thread_broadcast"})


def is_from_a_person(event: dict, bot_user_id: str) -> bool:
    """Only plain messages from people: not ours, not other bots', no edits, joins or deletions.

    Answering a bot (or ourselves) is how a bot ends up talking to itself.
    """
    if event.get("subtype") not in (None, *PERSON_SUBTYPES) or event.get("bot_id") or event.get("bot_profile"):
        return False
    user = event.get("user")
    return bool(user) and user != bot_user_id


def strip_mentions(text: str) -> str:
    return _MENTION.sub(" ", text or "").strip()


def on_direct_message(ctx: SlackContext, event: dict, event_id: str | None) -> None:
    if event.get("channel_type") != "im" or not is_from_a_person(event, ctx.bot_user_id):
        return
    channel = event["channel"]
    _converse(ctx, user_id=event["user"], text=event.get("text") or "", conversation=channel,
              message_id=event.get("client_msg_id") or event_id, channel=channel,
              thread_ts=event.get("thread_ts"), with_files=event.get("subtype") == "file_share")


def on_mention(ctx: SlackContext, event: dict, event_id: str | None) -> None:
    if not is_from_a_person(event, ctx.bot_user_id):
        return
    channel = event["channel"]
    thread_ts = event.get("thread_ts") or event["ts"]
    _converse(ctx, user_id=event["user"], text=strip_mentions(event.get("text") or ""),
              conversation=f"{channel}:{thread_ts}", message_id=event.get("client_msg_id") or event_id,
              channel=channel, thread_ts=thread_ts)


def on_option_button(ctx: SlackContext, body: dict) -> None:
    """A button the engine offered: back to the engine as Message(choice=value, text=label)."""
    action = body["actions"][0]
    user_id = body["user"]["id"]
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    message = body.get("message") or {}
    if not channel or not message:
        return
    label = (action.get("text") or {}).get("text") or action.get("value", "")
    value = action.get("value", "")
    thread_ts = message.get("thread_ts")
    conversation = channel if channel.startswith("D") else f"{channel}:{thread_ts or message['ts']}"
    if not channel.startswith("D"):
        thread_ts = thread_ts or message["ts"]
    texts = ctx.texts_for(ctx.user_lang(user_id))
    try:
        # Buttons go once answered, so an old question cannot be answered twice.
        updated = chosen_message(message.get("blocks") or [], label, texts)
        ctx.client.chat_update(channel=channel, ts=message["ts"], **updated.as_kwargs())
    except SLACK_FAILURES as exc:
        log.warning("could not remove buttons: %s", api_error(exc))
    _converse(ctx, user_id=user_id, text=label, conversation=conversation,
              message_id=f"action:{channel}:{message['ts']}:{value}"[:200], channel=channel,
              thread_ts=thread_ts, choice=value)


def _converse(ctx: SlackContext, *, user_id: str, text: str, conversation: str, message_id: str | None,
              channel: str, thread_ts: str | None, choice: str | None = None, with_files: bool = False) -> None:
    profile = ctx.users.profile(user_id)
    if with_files:
        # A screenshot: say that only words are read; words sent with it are answered as usual.
        note = Reply(text=ctx.texts_for(ctx.texts.lang(profile.lang)).messages.files_unread)
        send(ctx, channel, thread_ts, [render_reply(note, ctx.texts_for(ctx.texts.lang(profile.lang)))])
        if not text.strip():
            return
    message = Message(text=text, user_id=user_id, source=SOURCE, conversation=conversation,
                      user_name=profile.name, unit=ctx.last_unit(user_id), message_id=message_id,
                      choice=choice)
    in_dm = channel.startswith("D")
    log.info("message in %s from %s", "dm" if in_dm else "channel", user_id)
    try:
        with ctx.locks(message.conversation_key):
            replies = ctx.engine.handle(message)
            for reply in replies:
                metrics.answer(reply.intent)
            moves = not in_dm and _is_report(ctx, message.conversation_key, replies)
            if not moves:
                # Queued before the lock is let go, so the next turn's replies come after these.
                send(ctx, channel, thread_ts, [render_reply(r, ctx.texts_for(r.lang)) for r in replies])
    except Exception as exc:
        if is_storage_failure(exc):
            log.error("a message from %s could not be handled: the database is unavailable (%s)", user_id,
                      type(exc).__name__)
            _apologise(ctx, ctx.texts.lang(profile.lang), channel, thread_ts, storage=True)
        else:
            log.exception("the engine failed on a message from %s", user_id)
            _apologise(ctx, ctx.texts.lang(profile.lang), channel, thread_ts)
        return
    if moves:
        _move_to_dm(ctx, message, replies, channel, thread_ts)


def _apologise(ctx: SlackContext, lang: str, channel: str, thread_ts: str | None, storage: bool = False) -> None:
    messages = ctx.texts_for(lang).messages
    apology = (messages.storage_unavailable if storage else messages.error).format(contact_now=ctx.contact_now(lang))
    send(ctx, channel, thread_ts, [render_text(apology)])


_told = RecentIds(1000)


def tell_storage_unavailable(ctx: SlackContext, body: dict) -> None:
    """A message that could not even be claimed (the database is down): the person hears so, once.

    In a thread of its own, so that the refusal Slack needs to retry is not delayed.
    """
    event = body.get("event") or {}
    if event.get("type") == "message" and (event.get("channel_type") != "im"
                                           or not is_from_a_person(event, ctx.bot_user_id)):
        return
    if event.get("type") not in ("message", "app_mention") or not is_from_a_person(event, ctx.bot_user_id):
        return
    if not _told.add(event.get("client_msg_id") or body.get("event_id") or ""):
        return
    channel = event["channel"]
    thread_ts = None if event["type"] == "message" else (event.get("thread_ts") or event["ts"])

    def tell() -> None:
        try:
            _apologise(ctx, ctx.user_lang(event["user"]), channel, thread_ts, storage=True)
        except Exception:
            log.exception("could not tell %s that the database is unavailable", event["user"])

    threading.Thread(target=tell, name="storage-apology", daemon=True).start()


def _is_report(ctx: SlackContext, key: str, replies: list[Reply]) -> bool:
    """Whether this turn starts or continues the report dialog (then it must not stay in a channel)."""
    if ctx.store is None:  # no store, no dialog: answers only
        return False
    if any(reply.awaiting for reply in replies):
        return True
    if not any(reply.intent == "report_fault" for reply in replies):
        return False
    return (ctx.store.load_state(key) or {}).get("kind") in REPORT_STATES


def _move_to_dm(ctx: SlackContext, message: Message, replies: list[Reply], channel: str,
                thread_ts: str | None) -> None:
    """Carry a report conversation from a channel thread to the user's DM; the thread gets a note."""
    lang = replies[-1].lang if replies else ctx.texts.default_lang
    thread_key = message.conversation_key
    try:
        dm = ctx.client.conversations_open(users=message.user_id)["channel"]["id"]
    except SLACK_FAILURES as exc:
        log.error("conversations.open for %s failed: %s", message.user_id, api_error(exc))
        # The report cannot go on privately, so it does not go on: the thread stays a place for questions.
        with ctx.locks(thread_key):
            ctx.store.clear_state(thread_key)
        _apologise(ctx, lang, channel, thread_ts)
        return
    dm_key = replace(message, conversation=dm).conversation_key
    # The DM's own state, if any, gives way: the report just asked for is what the user wants now.
    with ctx.locks.holding(thread_key, dm_key):
        state = ctx.store.load_state(thread_key)
        if state:
            ctx.store.save_state(dm_key, state, ctx.now())
            ctx.store.clear_state(thread_key)
    log.info("report conversation of %s moved from a channel to the dm", message.user_id)
    send(ctx, dm, None, [render_reply(reply, ctx.texts_for(reply.lang)) for reply in replies])
    send(ctx, channel, thread_ts, [render_text(ctx.texts_for(lang).messages.moved_to_dm)])


def send(ctx: SlackContext, channel: str, thread_ts: str | None, rendered: list) -> None:
    """Messages for one conversation (a DM, or a thread), durably and in order (SlackReplies)."""
    messages = []
    for message in rendered:
        kwargs = message.as_kwargs()
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        messages.append(kwargs)
    conversation = f"{SOURCE}:{channel}:{thread_ts}" if thread_ts else f"{SOURCE}:{channel}"
    ctx.replies.send(conversation, channel, messages)
