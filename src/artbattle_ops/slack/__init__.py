"""Slack ingress and rendering: the Bolt app, its handlers, formatting and the confirmation UI."""
