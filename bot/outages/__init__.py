"""The outage lifecycle: incidents, planned outages, notices and the outbox."""

# OutageView.status values that mean "going on now" and "coming" (kept here, import-light, for
# the content validators that check a label exists for each).
CURRENT_STATUSES = ("suspected", "confirmed", "ongoing")
UPCOMING_STATUSES = ("scheduled",)
