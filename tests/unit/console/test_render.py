"""Slack mrkdwn as the console shows it: marks become tags, and nothing else becomes markup."""

from hypothesis import given, settings
from hypothesis import strategies as st

from artbattle_ops.console.render import mrkdwn_to_html


def test_inline_marks() -> None:
    html = mrkdwn_to_html("*Owed* to _Jane_ ~old~ `AB4001`")
    assert html == "<b>Owed</b> to <i>Jane</i> <s>old</s> <code>AB4001</code><br>"


def test_links_and_mentions() -> None:
    html = mrkdwn_to_html("see <https://example.org/a?b=1&c=2|the page> for <@U123ABC>")
    assert '<a href="https://example.org/a?b=1&amp;c=2"' in html
    assert ">the page</a>" in html
    assert '<span class="mention">@U123ABC</span>' in html


def test_code_block_is_verbatim_and_escaped() -> None:
    html = mrkdwn_to_html("Table:\n```\n| a | *b* |\n<script>\n```\nafter")
    assert "<pre>| a | *b* |\n&lt;script&gt;</pre>" in html
    assert "<b>" not in html
    assert html.endswith("after<br>")


def test_unclosed_fence_stays_text() -> None:
    assert mrkdwn_to_html("a ``` b") == "a <br>" + "``` b<br>"


def test_bullets_and_quotes() -> None:
    html = mrkdwn_to_html("• one\n- two\n> said")
    assert html == (
        '<div class="bullet">• one</div><div class="bullet">• two</div>'
        "<blockquote>said</blockquote>"
    )


def test_markup_in_text_is_escaped() -> None:
    html = mrkdwn_to_html('<img src=x onerror="alert(1)"> & <b>')
    assert "<img" not in html
    assert '&lt;img src=x onerror="alert(1)"&gt; &amp; &lt;b&gt;' in html


def test_javascript_links_are_not_links() -> None:
    assert "<a " not in mrkdwn_to_html("<javascript:alert(1)|click>")


@settings(max_examples=50)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=200))
def test_no_raw_angle_brackets_survive(text: str) -> None:
    html = mrkdwn_to_html(text)
    stripped = html
    for tag in (
        "<b>",
        "</b>",
        "<i>",
        "</i>",
        "<s>",
        "</s>",
        "<code>",
        "</code>",
        "<pre>",
        "</pre>",
        "<br>",
        "<blockquote>",
        "</blockquote>",
        '<div class="bullet">',
        "</div>",
        '<span class="mention">',
        "</span>",
        "</a>",
    ):
        stripped = stripped.replace(tag, "")
    # Links are the only tag with attributes; drop their opening tag.
    while "<a href=" in stripped:
        start = stripped.index("<a href=")
        stripped = stripped[:start] + stripped[stripped.index(">", start) + 1 :]
    assert "<" not in stripped
    assert ">" not in stripped
