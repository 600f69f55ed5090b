"""The outage lifecycle: incidents, planned outages, notices and the outbox."""
