"""The Slack app manifest (`slack/manifest.yaml`) checked against the code it configures.

The command, the event subscriptions and the scopes are derived from the code independently:
the listeners are registered on a real Bolt app, the Web API methods are found in the source,
and only the scope each method or event needs comes from a table taken from Slack's docs.
"""

from __future__ import annotations

import ast
import inspect
import re
import time
from functools import cache
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import pytest
import yaml
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

import artbattle_ops
from artbattle_ops.config.settings import AssistantSettings
from artbattle_ops.policy.roles import ROLES
from artbattle_ops.slack.app import EVENTS_PATH
from artbattle_ops.slack.handlers import SlackDeps, SlackHandlers, _message_kind
from artbattle_ops.tools.manifest import load_manifest

MANIFEST_PATH: Final = Path(__file__).resolve().parents[3] / "slack" / "manifest.yaml"
SOURCE_ROOT: Final = Path(artbattle_ops.__file__).resolve().parent
BOT_USER_ID: Final = "UBOT"

# Bot-token scopes from Slack's method reference (docs.slack.dev/reference/methods/<method>).
# The conversations.* methods need the history scope of each conversation type the code reads:
# threads of mentions in public and private channels, DMs and assistant threads, group DMs
# (`fetch_thread`); recent history of DMs only (`fetch_history`).
METHOD_SCOPES: Final[dict[str, frozenset[str]]] = {
    "assistant.threads.setStatus": frozenset({"assistant:write"}),
    "assistant.threads.setSuggestedPrompts": frozenset({"assistant:write"}),
    "assistant.threads.setTitle": frozenset({"assistant:write"}),
    "chat.postEphemeral": frozenset({"chat:write"}),
    "chat.postMessage": frozenset({"chat:write"}),
    "chat.update": frozenset({"chat:write"}),
    "conversations.history": frozenset({"im:history"}),
    "conversations.replies": frozenset(
        {"channels:history", "groups:history", "im:history", "mpim:history"}
    ),
    "users.info": frozenset({"users:read"}),
    "views.publish": frozenset(),
}

# Scopes of the event subscriptions (docs.slack.dev/reference/events/<event>).
EVENT_SCOPES: Final[dict[str, frozenset[str]]] = {
    "app_home_opened": frozenset(),
    "app_mention": frozenset({"app_mentions:read"}),
    "assistant_thread_context_changed": frozenset(),
    "assistant_thread_started": frozenset(),
    "message.channels": frozenset({"channels:history"}),
    "message.groups": frozenset({"groups:history"}),
    "message.im": frozenset({"im:history"}),
    "message.mpim": frozenset({"mpim:history"}),
    "reaction_added": frozenset({"reactions:read"}),
    "reaction_removed": frozenset({"reactions:read"}),
}

# Scopes that come with a manifest feature: a slash command needs `commands`, and the assistant
# view goes with `assistant:write`.
FEATURE_SCOPES: Final[dict[str, frozenset[str]]] = {
    "slash_commands": frozenset({"commands"}),
    "assistant_view": frozenset({"assistant:write"}),
}

# The `message` subscription for each `channel_type` a message event carries.
MESSAGE_SUBSCRIPTIONS: Final = {
    "channel": "message.channels",
    "group": "message.groups",
    "im": "message.im",
    "mpim": "message.mpim",
}


class RecordingApp(AsyncApp):
    """A real Bolt app that also remembers the event types and actions registered."""

    def __init__(self) -> None:
        super().__init__(token="xoxb-manifest-test", signing_secret="manifest-test-secret")
        self.event_types: list[str] = []
        self.action_ids: list[str] = []

    def event(self, event: Any, *args: Any, **kwargs: Any) -> Any:
        self.event_types.append(event)
        return super().event(event, *args, **kwargs)

    def action(self, constraints: Any, *args: Any, **kwargs: Any) -> Any:
        self.action_ids.append(constraints)
        return super().action(constraints, *args, **kwargs)


@cache
def manifest() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(MANIFEST_PATH.read_text(encoding="utf-8"))
    return document


@cache
def registered_app() -> RecordingApp:
    """The listeners of the Slack service, registered as the app's lifespan does."""
    unused: Any = None  # registration reads none of the dependencies but the command
    deps = SlackDeps(
        assistant=unused,
        client=unused,
        claims=unused,
        audit=unused,
        roles=unused,
        manifest=unused,
        limits=unused,
        command=default_command(),
        clock=time.time,
    )
    app = RecordingApp()
    SlackHandlers(deps).register(app)
    return app


def default_command() -> str:
    default = AssistantSettings.model_fields["slack_command_prefix"].default
    assert isinstance(default, str)
    return default


def subscribed_events() -> set[str]:
    """The registered event types, with `message` narrowed to the conversation types whose
    messages the listener answers."""
    events = set(registered_app().event_types)
    if "message" in events:
        events.remove("message")
        events |= {name for kind, name in MESSAGE_SUBSCRIPTIONS.items() if is_answered(kind)}
    return events


def is_answered(channel_type: str) -> bool:
    event = {
        "type": "message",
        "channel_type": channel_type,
        "user": "U0123ABCD",
        "text": f"<@{BOT_USER_ID}> when is the next event?",
        "ts": "1700000000.000100",
    }
    return _message_kind(event, BOT_USER_ID) is not None


@cache
def web_api_methods() -> frozenset[str]:
    """Web API methods referenced anywhere in the package: `AsyncWebClient` methods by name,
    and `api_call("<method>")`."""
    client_methods = {
        name for name, value in vars(AsyncWebClient).items() if callable(value) and name[0] != "_"
    }
    found: set[str] = set()
    for path in SOURCE_ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in client_methods:
                found.add(api_method_of(node.attr))
            elif (named := api_call_argument(node)) is not None:
                found.add(named)
    return frozenset(found)


def api_method_of(client_method: str) -> str:
    """The Web API method an `AsyncWebClient` method calls, read from slack_sdk's source."""
    source = inspect.getsource(getattr(AsyncWebClient, client_method))
    match = re.search(r'api_call\(\s*"([\w.]+)"', source)
    assert match is not None, client_method
    return match.group(1)


def api_call_argument(node: ast.AST) -> str | None:
    """The method named by a literal `api_call("<method>", ...)`, else None."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    if node.func.attr != "api_call" or not node.args:
        return None
    first = node.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def needed_scopes() -> dict[str, set[str]]:
    """Scope to the methods, events and features that need it."""
    needs: dict[str, set[str]] = {}
    features = set(manifest()["features"])
    reasons = [(m, METHOD_SCOPES.get(m, frozenset())) for m in web_api_methods()]
    reasons += [(e, EVENT_SCOPES.get(e, frozenset())) for e in subscribed_events()]
    reasons += [(f, scopes) for f, scopes in FEATURE_SCOPES.items() if f in features]
    for reason, scopes in reasons:
        for scope in scopes:
            needs.setdefault(scope, set()).add(reason)
    return needs


def requested_scopes() -> set[str]:
    return set(manifest()["oauth_config"]["scopes"]["bot"])


def test_the_slash_command_is_the_default_command_prefix() -> None:
    commands = [entry["command"] for entry in manifest()["features"]["slash_commands"]]

    assert commands == [default_command()]


def test_bot_events_are_the_events_the_listeners_register() -> None:
    bot_events = manifest()["settings"]["event_subscriptions"]["bot_events"]

    assert sorted(bot_events) == sorted(subscribed_events())


def test_every_web_api_method_the_code_calls_has_a_scope_entry() -> None:
    unknown = web_api_methods() - METHOD_SCOPES.keys()

    assert not unknown, f"add the bot scopes of {sorted(unknown)} to METHOD_SCOPES"


def test_every_subscribed_event_has_a_scope_entry() -> None:
    unknown = subscribed_events() - EVENT_SCOPES.keys()

    assert not unknown, f"add the bot scopes of {sorted(unknown)} to EVENT_SCOPES"


def test_no_scope_a_method_event_or_feature_needs_is_missing() -> None:
    missing = {scope: sorted(why) for scope, why in needed_scopes().items()}
    for scope in requested_scopes():
        missing.pop(scope, None)

    assert missing == {}


def test_every_requested_scope_is_needed_by_a_method_event_or_feature() -> None:
    unneeded = requested_scopes() - needed_scopes().keys()

    assert unneeded == set()


@pytest.mark.parametrize(
    "where",
    [
        ("settings", "event_subscriptions", "request_url"),
        ("settings", "interactivity", "request_url"),
        ("features", "slash_commands", 0, "url"),
    ],
    ids=["event_subscriptions", "interactivity", "slash_command"],
)
def test_request_urls_point_at_the_events_path(where: tuple[str | int, ...]) -> None:
    value: Any = manifest()
    for key in where:
        value = value[key]

    assert urlsplit(value).path == EVENTS_PATH


def test_the_events_path_is_the_one_the_manifest_and_runbook_name() -> None:
    assert EVENTS_PATH == "/slack/events"


def test_interactivity_is_enabled_for_the_button_listeners() -> None:
    assert registered_app().action_ids

    assert manifest()["settings"]["interactivity"]["is_enabled"] is True


@pytest.mark.parametrize(
    ("flag", "event"),
    [("home_tab_enabled", "app_home_opened"), ("messages_tab_enabled", "message.im")],
)
def test_app_home_tabs_are_enabled_for_the_events_answered(flag: str, event: str) -> None:
    app_home = manifest()["features"]["app_home"]

    assert app_home[flag] is (event in subscribed_events())


def test_the_messages_tab_accepts_messages() -> None:
    assert manifest()["features"]["app_home"]["messages_tab_read_only_enabled"] is False


def test_socket_mode_matches_the_default_setting() -> None:
    default = AssistantSettings.model_fields["slack_use_socket_mode"].default

    assert manifest()["settings"]["socket_mode_enabled"] is default


def test_suggested_prompts_are_examples_of_read_tools_every_role_may_use() -> None:
    examples = {
        example
        for spec in load_manifest().values()
        if not spec.is_write and spec.allowed_roles >= ROLES
        for example in spec.examples
    }
    prompts = manifest()["features"]["assistant_view"]["suggested_prompts"]

    assert {prompt["message"] for prompt in prompts} <= examples


def test_there_are_at_most_four_suggested_prompts() -> None:
    prompts = manifest()["features"]["assistant_view"]["suggested_prompts"]

    assert 1 <= len(prompts) <= 4
