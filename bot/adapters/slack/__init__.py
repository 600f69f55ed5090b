"""The Slack adapter (slack-bolt): renders engine replies, never decides what the routine says."""
