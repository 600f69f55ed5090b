"""A report form (the Slack modal, the Teams card) -> a filed report and its receipt.

The checks are the form table's (bot/form.py), the same the conversation
applies; filing and the receipt's words are bot.reports.ReportService's, so a
form's report reaches the outage lifecycle exactly as a conversation's does.
A channel maps its payload to the field values, and words the error codes
and the two sentences here (filing failed, a personnummer removed) from its
own content.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.errors import is_storage_failure
from bot.form import FormCheck, check_form

log = logging.getLogger(__name__)


class StorageUnavailable(Exception):
    """The database could not take the report: the form says so and keeps what was written."""


@dataclass(frozen=True)
class FormTexts:
    filing_failed: str          # with {contact_now}
    redacted_notice: str


def check(engine, values: dict[str, str], lang: str) -> FormCheck:
    """The form's values as a Report, or error codes by field. The redaction marker is the report
    dialog's, so a redacted report reads the same whichever way it was filed."""
    return check_form(values, engine.clock.now(), engine.content.dialog_for(lang).redaction_marker)


def file_form(engine, checked: FormCheck, *, source: str, user_id: str, lang: str, once: tuple[str, str],
              texts: FormTexts, contact_now: str) -> str | None:
    """File a checked form; the receipt to send, or None when this form was filed already.

    `once` (a kind and the platform's id of this submission) makes a
    submission delivered twice one report: the claim commits with it. Raises
    StorageUnavailable when the database cannot take it, so that the channel
    can keep the form open with the error instead of closing it as if all went well.
    """
    service = engine.reports
    try:
        if service is None:
            raise RuntimeError("no ReportService: the engine was built without a store")
        filed = service.file(checked.report, source, user_id, lang, once=once)
        if filed is None:
            log.info("report form %s already filed", once[1])
            return None
        receipt = service.receipt(filed, lang)
    except Exception as exc:
        if is_storage_failure(exc):
            log.error("filing a report from %s failed: the database is unavailable (%s)", user_id,
                      type(exc).__name__)
            raise StorageUnavailable() from None
        log.exception("filing a report from %s failed", user_id)
        receipt = texts.filing_failed.format(contact_now=contact_now)
        filed = None
    if checked.redacted:
        receipt = f"{receipt}\n\n{texts.redacted_notice}"
    if filed is not None:
        log.info("report %s filed from %s by %s", filed.id, source, user_id)
    return receipt
