"""Text to intent. Knows nothing about Slack, time or storage.

Only the intent ids are imported here: the classifier (numpy, rapidfuzz) is
`intents.classifier`, loaded by those who classify, so commands that only
read content or the database start without it.
"""
from intents.ids import INTENT_IDS, IntentId

__all__ = ["INTENT_IDS", "IntentId"]
