"""The local web console (issue 7): the assistant without Slack, in a browser."""
