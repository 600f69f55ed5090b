"""Direct messages, mentions and option buttons: Slack in, engine Message, Slack out.

The engine decides every word; this module only says who is talking, in
which conversation, and posts the replies where the question was asked:
a DM is answered in the DM (one conversation per user), a mention in a
channel is answered in a thread under it (one conversation per thread).

A turn itself (the lock, the engine, the apology, a report moved from a
channel to the DM for privacy) is bot.conversation's; this module opens the
DM when asked to and posts what the turn says where it belongs.
"""
from __future__ import annotations

import logging
import re
import threading

from bot.adapters.slack.client import SLACK_FAILURES, api_error
from bot.adapters.slack.context import SlackContext
from bot.adapters.slack.dedupe import RecentIds
from bot.adapters.slack.render import chosen_message, render_reply, render_text
from bot.messages import Message, Reply

log = logging.getLogger(__name__)

SOURCE = "slack"
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
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
    lang = ctx.texts.lang(profile.lang)
    if with_files:
        # A screenshot: say that only words are read; words sent with it are answered as usual.
        note = Reply(text=ctx.texts_for(lang).messages.files_unread)
        send(ctx, channel, thread_ts, [render_reply(note, ctx.texts_for(lang))])
        if not text.strip():
            return
    # No unit: the engine looks up the user's last one when a report starts (a read fewer for every
    # other message).
    message = Message(text=text, user_id=user_id, source=SOURCE, conversation=conversation,
                      user_name=profile.name, message_id=message_id, choice=choice)
    in_dm = channel.startswith("D")
    log.info("message in %s from %s", "dm" if in_dm else "channel", user_id)

    def deliver(replies: list[Reply]) -> None:
        send(ctx, channel, thread_ts, [render_reply(r, ctx.texts_for(r.lang)) for r in replies])

    # Holding nothing yet, as a slot must be taken; the first Slack call (the post) gives it up.
    with ctx.answering.slot():
        turn = ctx.conversations.turn(message, in_private=in_dm, lang=lang, deliver=deliver,
                                      open_private=lambda: _open_dm(ctx, user_id))
    if turn.failed:
        send(ctx, channel, thread_ts, [render_text(turn.apology)])
    elif turn.moved_to is not None:
        # The report goes on in the DM; the thread gets one short note.
        send(ctx, turn.moved_to, None, [render_reply(reply, ctx.texts_for(reply.lang)) for reply in turn.replies])
        note_lang = turn.replies[-1].lang if turn.replies else lang
        send(ctx, channel, thread_ts, [render_text(ctx.texts_for(note_lang).messages.moved_to_dm)])


def _open_dm(ctx: SlackContext, user_id: str) -> str | None:
    try:
        return ctx.client.conversations_open(users=user_id)["channel"]["id"]
    except SLACK_FAILURES as exc:
        log.error("conversations.open for %s failed: %s", user_id, api_error(exc))
        return None


def _apologise(ctx: SlackContext, lang: str, channel: str, thread_ts: str | None, storage: bool = False) -> None:
    send(ctx, channel, thread_ts, [render_text(ctx.conversations.apology(lang, storage=storage))])


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
