"""The browser tests' `wait_until` (conftest.py), without a browser: chromedriver's "aborted by
navigation" and a stale element mean the next page is still loading and are polled through;
any other WebDriver error fails at once."""

import pytest
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

from conftest import wait_until


class Page:
    """Answers a condition with the given outcomes in turn: an exception is raised, a value returned."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.calls = 0

    def __call__(self, _driver):
        self.calls += 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def test_a_navigation_in_progress_is_polled_through():
    page = Page(
        WebDriverException("aborted by navigation: Inspected target navigated or closed"),
        StaleElementReferenceException("stale element reference"),
        False,
        "the error message",
    )
    assert wait_until(object(), page, timeout=5) == "the error message"
    assert page.calls == 4


def test_any_other_webdriver_error_fails_at_once():
    page = Page(WebDriverException("invalid session id"), "never reached")
    with pytest.raises(WebDriverException, match="invalid session id"):
        wait_until(object(), page, timeout=5)
    assert page.calls == 1
