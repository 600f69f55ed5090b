"""Text to intent. Knows nothing about Slack, time or storage.

Only the intent ids are imported here: the classifier is `intents.classifier`,
loaded by those who classify, so commands that only read content or the
database start without it. Training (`intents.training`) is the only part that
needs numpy, and typo repair the only part that needs rapidfuzz; both load on
first use, so a question answered from the cached model needs neither.
"""
from intents.ids import INTENT_IDS, IntentId

__all__ = ["INTENT_IDS", "IntentId"]
