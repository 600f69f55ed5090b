"""Conversation references kept in the database, so that a notice reaches a person after a restart.

Teams lets a bot write to a personal chat only through a reference to it (the
service URL, the conversation id, the bot's and the user's accounts), which
the bot learns when the person writes to it. It is stored per user (by the id
driftbot files reports under) in conversation_refs; the outbox worker reads it
for the all-clear and other notices to that person. A channel post's reference
(outage_posts.ref) is a small JSON made here too.
"""
from __future__ import annotations

import json
from datetime import datetime

from microsoft_agents.activity import ConversationReference

from bot.storage.tables import ConversationRefRow

SOURCE = "teams"


def _key(user_id: str) -> str:
    return f"{SOURCE}:{user_id}"


class PersonalChats:
    def __init__(self, store):
        self.store = store

    def remember(self, user_id: str, reference: ConversationReference, at: datetime) -> None:
        data = reference.model_dump(mode="json", by_alias=True, exclude_none=True)
        data.pop("activityId", None)  # the chat, not one message in it
        with self.store.session.begin() as s:
            row = s.get(ConversationRefRow, _key(user_id))
            if row is None:
                s.add(ConversationRefRow(key=_key(user_id), ref=data, updated_at=at))
            elif row.ref != data:
                row.ref, row.updated_at = data, at

    def get(self, user_id: str) -> ConversationReference | None:
        with self.store.session() as s:
            row = s.get(ConversationRefRow, _key(user_id))
            return ConversationReference.model_validate(row.ref) if row is not None else None


def post_ref(conversation_id: str, activity_id: str, service_url: str) -> str:
    """A channel post's reference, as outage_posts keeps it."""
    return json.dumps({"conversation_id": conversation_id, "activity_id": activity_id, "service_url": service_url})


def read_post_ref(ref: str) -> dict:
    return json.loads(ref)
