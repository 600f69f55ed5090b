"""A fault report: its fields as data, validation, privacy, and filing.

The conversation (bot/dialog.py) and the Slack form both end here, so the
same rules apply to both: every text field is checked for personnummer and
samordningsnummer, which are redacted before anything is stored or repeated.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SystemId = Literal["tes", "treserva", "locks", "infrastructure", "other"]
ScopeId = Literal["single_user", "unit", "multiple_units", "unknown"]
SYSTEMS: tuple[str, ...] = ("tes", "treserva", "locks", "infrastructure", "other")
SCOPES: tuple[str, ...] = ("single_user", "unit", "multiple_units", "unknown")


class Report(BaseModel):
    """A complete report, ready to file."""
    model_config = ConfigDict(frozen=True)

    reporter_name: str = Field(min_length=1, max_length=200)
    unit: str = Field(min_length=1, max_length=200)
    system: SystemId
    scope: ScopeId
    description: str = Field(min_length=1, max_length=3000)
    started_at: datetime | None = None


@dataclass(frozen=True)
class FiledReport:
    id: int
    created_at: datetime
    contact: str            # "anvandarstod" | "lkdata", from the clock at filing time
    report: Report
    source: str
    user_id: str
    incident_id: int | None = None
    # What the outage lifecycle said about it (joined an open outage, opened one), or None.
    outage_note: str | None = None
