"""The emulator's web console in headless Chromium (Debian's chromium and chromedriver, driven
by Selenium): sign a user up from the page and see the confirmation code appear (and confirm
with it through boto3), turn a fault on and see boto3 meet it and the journal show it, then the
quota toggle, the clock and the user columns (groups, MFA)."""

import re
import uuid

import pytest
import requests
from botocore.exceptions import ClientError

from conftest import needs_browser, wait_until

pytestmark = needs_browser

POOL = "us-east-1_DemoPool1"
CLIENT = "democlient0000000000000001"


def wait(browser, condition, timeout=15):
    """Polls until `condition` holds; tables are re-rendered on every refresh, so a row read
    mid-refresh (stale) is just read again."""
    return wait_until(browser, condition, timeout)


def rows(browser, table):
    from selenium.webdriver.common.by import By

    return browser.find_elements(By.CSS_SELECTOR, f"#{table} tbody tr")


def row_for(browser, table, attribute, value):
    from selenium.webdriver.common.by import By

    found = browser.find_elements(By.CSS_SELECTOR, f'#{table} tbody tr[data-{attribute}="{value}"]')
    return found[0] if found else False


def cells(row):
    from selenium.webdriver.common.by import By

    return [td.text for td in row.find_elements(By.TAG_NAME, "td")]


def refreshed(browser):
    """Clicks Refresh and waits for the page to say it finished."""
    from selenium.webdriver.common.by import By

    before = browser.find_element(By.TAG_NAME, "body").get_attribute("data-refreshed")
    browser.find_element(By.ID, "refresh").click()
    wait(browser, lambda b: b.find_element(By.TAG_NAME, "body").get_attribute("data-refreshed") != before)


def test_console_shows_codes_faults_journal_quotas_and_clock(emulator, idp, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(f"{emulator.endpoint}/_emulator/console")
    wait(browser, lambda b: Select(b.find_element(By.ID, "pool")).first_selected_option.get_attribute("value") == POOL)
    wait(browser, lambda b: len(Select(b.find_element(By.ID, "signup-client")).options) > 0)
    assert row_for(browser, "users", "username", "demo"), "the demo user is listed"

    # Sign up from the page: the confirmation code shows in the outbox panel.
    username = f"console-{uuid.uuid4().hex[:8]}"
    Select(browser.find_element(By.ID, "signup-client")).select_by_value(CLIENT)
    browser.find_element(By.ID, "signup-username").send_keys(username)
    browser.find_element(By.ID, "signup-password").send_keys("Console-Passw0rd!")
    browser.find_element(By.ID, "signup-email").send_keys(f"{username}@example.com")
    browser.find_element(By.ID, "signup-submit").click()
    message = wait(browser, lambda b: row_for(b, "outbox", "username", username))
    code = cells(message)[-1]
    assert re.fullmatch(r"\d{6}", code), code
    assert code == emulator.last_code(POOL, username)
    assert cells(row_for(browser, "users", "username", username))[1] == "UNCONFIRMED"

    # The code on the page is the real one: boto3 confirms the sign-up with it. A group shows
    # in the user's row.
    idp.confirm_sign_up(ClientId=CLIENT, Username=username, ConfirmationCode=code)
    idp.create_group(UserPoolId=POOL, GroupName="console-admins")
    idp.admin_add_user_to_group(UserPoolId=POOL, Username=username, GroupName="console-admins")
    refreshed(browser)
    user_cells = cells(row_for(browser, "users", "username", username))
    assert user_cells[1] == "CONFIRMED"
    assert f"email={username}@example.com" in user_cells[3]
    assert user_cells[4] == "none"  # no MFA
    assert user_cells[6] == "none"  # no passkeys
    assert user_cells[7] == "console-admins"

    # A fault turned on in the page: boto3 meets it, the journal shows it.
    browser.find_element(By.ID, "fault-operation").send_keys("InitiateAuth")
    Select(browser.find_element(By.ID, "fault-kind")).select_by_value("internal_error")
    browser.find_element(By.ID, "fault-add").click()
    wait(browser, lambda b: row_for(b, "faults", "kind", "internal_error"))
    listed = requests.get(f"{emulator.endpoint}/_emulator/faults", timeout=5).json()["rules"]
    assert [r["match"]["operation"] for r in listed] == ["InitiateAuth"]
    with pytest.raises(ClientError) as failed:
        idp.initiate_auth(
            ClientId=CLIENT,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": "Console-Passw0rd!"},
        )
    assert failed.value.response["Error"]["Code"] == "InternalErrorException"
    refreshed(browser)
    browser.find_element(By.ID, "journal-operation").send_keys("InitiateAuth")
    browser.find_element(By.ID, "journal-errors").click()
    # Each keystroke re-filters; wait for the filtered table, all of it InitiateAuth.
    shown = wait(
        browser,
        lambda b: (lambda t: t if t and all(c[1] == "InitiateAuth" for c in t) else False)(
            [cells(r) for r in rows(b, "journal")]
        ),
    )
    entry = shown[0]
    assert entry[1] == "InitiateAuth" and entry[4] == "500" and entry[6] == "internal_error", entry

    # Removing the fault from the page lets sign-ins through again.
    row_for(browser, "faults", "kind", "internal_error").find_element(By.CLASS_NAME, "fault-remove").click()
    wait(browser, lambda b: not rows(b, "faults"))
    signed_in = idp.initiate_auth(
        ClientId=CLIENT,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": "Console-Passw0rd!"},
    )
    assert "AccessToken" in signed_in["AuthenticationResult"]

    # Quotas: the toggle switches metering.
    assert requests.get(f"{emulator.endpoint}/_emulator/quotas", timeout=5).json()["enabled"] is False
    browser.find_element(By.ID, "quotas-enabled").click()
    wait(browser, lambda b: requests.get(f"{emulator.endpoint}/_emulator/quotas", timeout=5).json()["enabled"])
    browser.find_element(By.ID, "quotas-enabled").click()
    wait(browser, lambda b: not requests.get(f"{emulator.endpoint}/_emulator/quotas", timeout=5).json()["enabled"])
    wait(browser, lambda b: not b.find_element(By.ID, "quotas-enabled").is_selected())
    wait(browser, lambda b: any(cells(r)[0] == "UserAuthentication" for r in rows(b, "quotas")))

    # The clock: advancing a day from the page moves the emulator's clock and the display.
    before = requests.get(f"{emulator.endpoint}/_emulator/clock", timeout=5).json()["now"]
    shown_before = browser.find_element(By.ID, "clock-now").text
    seconds = browser.find_element(By.ID, "clock-seconds")
    seconds.clear()
    seconds.send_keys("86400")
    browser.find_element(By.ID, "clock-advance").click()
    wait(browser, lambda b: b.find_element(By.ID, "clock-now").text != shown_before)
    after = requests.get(f"{emulator.endpoint}/_emulator/clock", timeout=5).json()["now"]
    assert after - before >= 86400
