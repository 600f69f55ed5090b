"""Text to intent. Knows nothing about Slack, time or storage."""
from intents.ids import INTENT_IDS, IntentId
from intents.classifier import Classification, Classifier

__all__ = ["INTENT_IDS", "IntentId", "Classification", "Classifier"]
