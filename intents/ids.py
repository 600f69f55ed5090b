"""The fifteen intent ids: a public interface (shared/intents.md). Never rename or merge."""
from typing import Literal, get_args

IntentId = Literal[
    "help",
    "outage_now",
    "report_fault",
    "contact",
    "report_details",
    "conventional_keys",
    "post_registration",
    "planned_outage",
    "status",
    "backup_care_docs",
    "backup_hsl_docs",
    "deviation",
    "outage_causes",
    "local_routine",
    "out_of_scope",
]

INTENT_IDS: tuple[str, ...] = get_args(IntentId)
