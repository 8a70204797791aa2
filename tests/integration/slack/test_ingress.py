"""Slack ingress over real HTTP: URL verification, signatures, health, redelivered events."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx2
import pytest

from artbattle_ops.assistant.contract import Inbound, Reply
from tests.fakes.slack_server import FakeSlack
from tests.integration.slack.conftest import ScriptedAssistant, Service, signed_headers, wait_until


def mention(text: str, ts: str = "1700000500.000100", **extra: str) -> dict[str, str]:
    return {"type": "app_mention", "user": "UOPS", "text": text, "ts": ts, "channel": "C1", **extra}


def test_url_verification_echoes_the_challenge(service: Service) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"}).encode()

    response = service.post(body, signed_headers(body, content_type="application/json"))

    assert response.status_code == 200
    assert response.json()["challenge"] == "c-123"


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        pytest.param({}, "missing_slack_headers", id="no-headers"),
        pytest.param(
            {"x-slack-request-timestamp": "1", "x-slack-signature": "v0=00"},
            "stale_slack_timestamp",
            id="stale",
        ),
        pytest.param(
            {"x-slack-request-timestamp": str(int(time.time())), "x-slack-signature": "v0=ab"},
            "invalid_slack_signature",
            id="bad-signature",
        ),
    ],
)
def test_a_refused_signature_is_401_and_audited_with_its_reason(
    service: Service, headers: dict[str, str], reason: str
) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "x"}).encode()

    response = service.post(body, headers)

    assert response.status_code == 401
    rows = service.wait_rows(
        "SELECT source, decision, detail FROM esbmcp_audit_log"
        " WHERE event_type = 'signature_denied'"
    )
    assert rows == [("slack", "deny", {"reason": reason, "path": "/slack/events"})]


def test_a_body_changed_after_signing_is_refused(service: Service) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "x"}).encode()
    headers = signed_headers(body)

    response = service.post(body.replace(b"x", b"y"), headers)

    assert response.status_code == 401


def test_healthz_answers_without_dependencies(service: Service) -> None:
    assert httpx2.get(f"{service.url}/healthz").json() == {"status": "ok"}


def test_readyz_is_503_until_the_core_provides_readiness(service: Service) -> None:
    response = httpx2.get(f"{service.url}/readyz")

    assert response.status_code == 503
    assert response.json()["reason"] == "assistant core not available"


def test_readyz_names_the_missing_slack_setting(
    start_service: Callable[..., Service], assistant: ScriptedAssistant
) -> None:
    service = start_service(assistant, SLACK_SIGNING_SECRET="")

    response = httpx2.get(f"{service.url}/readyz")

    assert (response.status_code, response.json()["reason"]) == (
        503,
        "SLACK_SIGNING_SECRET is not set",
    )


def test_metrics_exposes_the_slack_counters(service: Service) -> None:
    body = httpx2.get(f"{service.url}/metrics").text

    assert "artbattle_slack_requests_total" in body
    assert "artbattle_slack_ack_duration_seconds" in body


def test_a_redelivered_event_is_answered_once_and_audited(
    service: Service, assistant: ScriptedAssistant, fake_slack: FakeSlack
) -> None:
    event = mention("<@UBOT> how many tickets?")

    first = service.event(event, event_id="Ev1")
    again = service.event(
        event, event_id="Ev1", **{"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}
    )

    assert (first.status_code, again.status_code) == (200, 200)
    fake_slack.wait_for("chat.postMessage")
    rows = service.wait_rows(
        "SELECT detail FROM esbmcp_audit_log WHERE event_type = 'duplicate_request_ignored'"
    )
    assert rows == [({"slack_event_id": "Ev1", "retry_num": 1, "retry_reason": "http_timeout"},)]
    assert len(assistant.handled) == 1


def test_a_redelivery_to_another_replica_is_answered_once(
    start_service: Callable[..., Service], assistant: ScriptedAssistant, fake_slack: FakeSlack
) -> None:
    other = ScriptedAssistant()
    first, second = start_service(assistant), start_service(other)
    event = mention("<@UBOT> status of AB4023")

    first.event(event, event_id="Ev2")
    second.event(event, event_id="Ev2", **{"x-slack-retry-num": "1"})

    fake_slack.wait_for("chat.postMessage")
    first.wait_rows("SELECT 1 FROM esbmcp_audit_log WHERE event_type = 'duplicate_request_ignored'")
    assert len(assistant.handled) + len(other.handled) == 1


def test_the_acknowledgement_does_not_wait_for_the_answer(
    start_service: Callable[..., Service], fake_slack: FakeSlack
) -> None:
    assistant = GatedAssistant()
    service = start_service(assistant)

    response = service.event(mention("<@UBOT> hi"), event_id="Ev3")

    assert response.status_code == 200
    wait_until(lambda: len(assistant.handled) == 1, "the request reached the core")
    assert fake_slack.calls("chat.postMessage") == []
    assistant.gate.set()
    fake_slack.wait_for("chat.postMessage")


@dataclass
class GatedAssistant(ScriptedAssistant):
    """Holds every answer until `gate` is set (bounded at 15 s)."""

    gate: threading.Event = field(default_factory=threading.Event)

    async def handle(self, inbound: Inbound) -> Reply:
        self.handled.append(inbound)
        await asyncio.to_thread(self.gate.wait, 15)
        return self.script(inbound)
