"""The local console in a real browser: headless Chromium opens the page that
`create_service_app` serves, asks as a demo user, reads the answer as drawn, and confirms or
cancels a write as the requester. Expected names and stored values come from SQL, not from the
tools; the offline router answers, so no model is involved."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from artbattle_ops.assistant.app import create_service_app
from tests.fakes.openai_server import FakeOpenAI
from tests.integration.assistant.conftest import Stack, assistant_settings, served, wait_for_rows
from tests.integration.router.test_offline_router_gateway import OWED_SQL

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    pytest.skip("selenium is not installed", allow_module_level=True)


def _found(*names: str) -> str | None:
    """The first of `names` that is an executable on PATH (or an executable path)."""
    return next((path for name in names if (path := shutil.which(name))), None)


CHROMIUM = _found("chromium", "/usr/bin/chromium", "chromium-browser", "google-chrome")
CHROMEDRIVER = _found("chromedriver", "/usr/bin/chromedriver")
MISSING = "Chromium or chromedriver is missing (apt-get install chromium chromium-driver)"
pytestmark = pytest.mark.skipif(CHROMIUM is None or CHROMEDRIVER is None, reason=MISSING)

WAIT_SEC = 20
# An ops user of the stack other than UOPS, whose per-user rate limit bucket the `ask` CLI tests
# of this directory share at the default limit.
OPS_USER = "UOPS2"
HEADLESS_ARGUMENTS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
)
OFFLINE = {"OPENAI_BASE_URL": "", "OPENAI_API_KEY": "", "OFFLINE_ROUTER_ENABLED": True}
ANSWER = '[data-testid="answer"][data-status]'
OUTCOME = '[data-testid="outcome"][data-accepted]'
# Active Canadian profiles, each test its own (other tests of this directory take the first
# and the last), so no write ledger key is shared.
PROFILE_SQL = """
SELECT id::text, country FROM artist_profiles
WHERE superseded_by IS NULL AND country = 'CA'
ORDER BY id OFFSET %s LIMIT 1
"""
COUNTRY_SQL = "SELECT country FROM artist_profiles WHERE id = %s"
RESTORE_SQL = "UPDATE artist_profiles SET country = %s WHERE id = %s"
LEDGER_SQL = """
SELECT tool_name, status, attempts FROM esbmcp_write_operations
WHERE session_id = %s
"""
SESSION_SQL = """
SELECT interaction_type, status, slack_user_id FROM esbmcp_chat_sessions
WHERE id = %s
"""
AUDIT_SQL = """
SELECT event_type FROM esbmcp_audit_log
WHERE session_id = %s AND event_type = %s
"""


class Console:
    """The console page as a person drives it; every wait is bounded by `WAIT_SEC`."""

    def __init__(self, driver: WebDriver, url: str) -> None:
        self.driver = driver
        self.url = url
        self.wait = WebDriverWait(driver, WAIT_SEC)

    def open_as(self, user: str) -> None:
        """Load the page and pick `user` once the user list has arrived."""
        self.driver.get(self.url)
        option = f'#user option[value="{user}"]'
        self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, option))
        Select(self.driver.find_element(By.ID, "user")).select_by_value(user)

    def ask(self, question: str) -> WebElement:
        """The answer box once the reply is drawn."""
        self.driver.find_element(By.ID, "question").send_keys(question)
        self.driver.find_element(By.ID, "send").click()
        answers: list[WebElement] = self.wait.until(
            lambda d: d.find_elements(By.CSS_SELECTOR, ANSWER)
        )
        return answers[-1]

    def decide(self, answer: WebElement, action: str) -> WebElement:
        """Click Confirm or Cancel (`action`) under `answer`; the outcome once it is shown."""
        button = answer.find_element(By.CSS_SELECTOR, f'button[data-action="{action}"]')
        # The ask form is fixed at the bottom of the window: scroll as a person would.
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()
        outcomes: list[WebElement] = self.wait.until(
            lambda d: answer.find_elements(By.CSS_SELECTOR, OUTCOME)
        )
        return outcomes[0]


@pytest.fixture(scope="module")
def console_url(stack: Stack, fake_model_server: FakeOpenAI) -> Iterator[str]:
    """The whole service in local console mode (no Slack, no model: the offline router)."""
    settings = assistant_settings(stack, fake_model_server, **OFFLINE)
    with served(create_service_app(settings)) as url:
        yield url


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    """One headless Chromium for the module, quit at the end."""
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip(MISSING)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in HEADLESS_ARGUMENTS:
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture
def console(driver: WebDriver, console_url: str) -> Console:
    return Console(driver, console_url)


def texts(answer: WebElement, selector: str) -> list[str]:
    return [element.text for element in answer.find_elements(By.CSS_SELECTOR, selector)]


def session_id_of(answer: WebElement) -> str:
    session_id = answer.get_attribute("data-session-id")
    assert session_id, "the answer box carries no session id"
    return session_id


def session_of(stack: Stack, answer: WebElement) -> list[Any]:
    return wait_for_rows(stack, SESSION_SQL, (session_id_of(answer),), 1)


def audited(stack: Stack, answer: WebElement, event_type: str) -> list[Any]:
    return wait_for_rows(stack, AUDIT_SQL, (session_id_of(answer), event_type), 1)


def canadian_profile(stack: Stack, offset: int) -> tuple[str, str]:
    [(profile_id, country)] = stack.sql(PROFILE_SQL, (offset,))
    return str(profile_id), str(country)


def stored_country(stack: Stack, profile_id: str) -> str:
    [(country,)] = stack.sql(COUNTRY_SQL, (profile_id,))
    return str(country)


def test_a_question_asked_in_the_browser_shows_the_owed_artists_in_bold(
    console: Console, stack: Stack
) -> None:
    expected = {row[0] for row in stack.sql(OWED_SQL, ("AB4001",))}
    assert expected, "the demo data owes no artist at AB4001"
    console.open_as(OPS_USER)

    answer = console.ask("Who still needs to be paid for AB4001?")

    assert answer.get_attribute("data-status") == "completed"
    assert expected <= set(texts(answer, ".body b"))
    assert texts(answer, ".meta .tool") == ["get_artists_owed"]
    assert session_of(stack, answer) == [("console", "completed", OPS_USER)]


def test_the_requester_confirms_a_country_change_in_the_browser_and_it_is_made_once(
    console: Console, stack: Stack
) -> None:
    profile_id, country = canadian_profile(stack, 1)
    console.open_as(OPS_USER)
    try:
        answer = console.ask(f"set the country of artist {profile_id} to PT")
        previewed = stored_country(stack, profile_id)
        outcome = console.decide(answer, "confirm")
        changed = stored_country(stack, profile_id)
        ledger = stack.sql(LEDGER_SQL, (session_id_of(answer),))
        buttons = answer.find_elements(By.CSS_SELECTOR, "button[data-action]")
    finally:
        stack.execute(RESTORE_SQL, (country, profile_id))

    assert {"CA", "PT"} <= set(texts(answer, ".body code"))
    assert previewed == "CA"
    assert (outcome.get_attribute("data-accepted"), outcome.text[:5]) == ("true", "Done:")
    assert changed == "PT"
    assert ledger == [("update_artist_country", "succeeded", 1)]
    assert [button.is_enabled() for button in buttons] == [False, False]
    assert session_of(stack, answer) == [("console", "completed", OPS_USER)]
    assert audited(stack, answer, "confirmation_granted") == [("confirmation_granted",)]


def test_cancel_in_the_browser_leaves_the_country_unchanged(console: Console, stack: Stack) -> None:
    profile_id, country = canadian_profile(stack, 2)
    console.open_as(OPS_USER)
    try:
        answer = console.ask(f"set the country of artist {profile_id} to PT")
        outcome = console.decide(answer, "cancel")
        kept = stored_country(stack, profile_id)
        ledger = stack.sql(LEDGER_SQL, (session_id_of(answer),))
    finally:
        stack.execute(RESTORE_SQL, (country, profile_id))

    assert outcome.get_attribute("data-accepted") == "false"
    assert not outcome.text.startswith("Done:")
    assert kept == "CA"
    assert ledger == []
    assert session_of(stack, answer) == [("console", "completed", OPS_USER)]
    assert audited(stack, answer, "confirmation_rejected") == [("confirmation_rejected",)]
