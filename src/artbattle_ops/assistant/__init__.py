"""The Slack assistant service (orchestration-api): pipeline, model routing, sessions."""
