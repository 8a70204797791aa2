"""Markdown bold to Slack mrkdwn, and masked values (`***`) left as they are."""

from __future__ import annotations

import pytest

from artbattle_ops.slack.formatting import to_mrkdwn


@pytest.mark.parametrize(
    ("markdown", "mrkdwn"),
    [
        pytest.param("**Toronto** and __Boston__", "*Toronto* and *Boston*", id="bold"),
        pytest.param(
            "Email: j***@example.net. Call them at ***63.",
            "Email: j***@example.net. Call them at ***63.",
            id="two-masks-on-a-line",
        ),
        pytest.param("card ***1234 is **paid**", "card ***1234 is *paid*", id="mask-then-bold"),
        pytest.param("**owed** to ***42", "*owed* to ***42", id="bold-then-mask"),
    ],
)
def test_bold_is_converted_and_masked_values_keep_their_stars(markdown: str, mrkdwn: str) -> None:
    assert to_mrkdwn(markdown) == mrkdwn
