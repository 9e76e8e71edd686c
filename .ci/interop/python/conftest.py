"""Starts the emulator binary on a free loopback port for each test module; gives tests boto3
clients pointed at it and small helpers for the emulator-only endpoints."""

import json
import os
import pathlib
import re
import shutil
import subprocess
import uuid

import boto3
import pytest
import requests
from botocore.config import Config

ROOT = pathlib.Path(__file__).resolve().parents[3]

# Every answer a boto3 client gets from the emulator is checked against the output shape of
# botocore's installed model: no member the model does not define, every member of the type the
# model gives it, and required members present. A test fails if any answer broke its shape.
RESPONSE_PROBLEMS = []


def shape_problems(shape, value, path):
    """What in `value` does not fit botocore shape `shape` (a list of strings)."""
    kind = shape.type_name
    if shape.metadata.get("document"):
        return []
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {type(value).__name__}"]
        out = []
        for name, member in value.items():
            if name not in shape.members:
                out.append(f"{path}.{name}: not a member of {shape.name}")
            elif member is not None:
                out += shape_problems(shape.members[name], member, f"{path}.{name}")
        out += [f"{path}.{r}: required member missing" for r in shape.required_members if r not in value]
        return out
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: expected a list"]
        return [p for i, v in enumerate(value) for p in shape_problems(shape.member, v, f"{path}[{i}]")]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: expected a map"]
        return [p for k, v in value.items() for p in shape_problems(shape.value, v, f"{path}.{k}")]
    expected = {
        "string": str, "blob": str, "boolean": bool, "integer": int, "long": int,
        "float": (int, float), "double": (int, float), "timestamp": (int, float),
    }.get(kind)
    if expected and (not isinstance(value, expected) or (kind in ("integer", "long") and isinstance(value, bool))):
        return [f"{path}: expected {kind}, got {type(value).__name__} {value!r:.40}"]
    if kind == "string" and shape.enum and value not in shape.enum:
        return [f"{path}: {value!r} is not in the enum of {shape.name}"]
    return []


def check_response(http_response, model, **_):
    if http_response.status_code != 200 or model.output_shape is None or not http_response.content:
        return
    try:
        body = json.loads(http_response.content)
    except ValueError:
        RESPONSE_PROBLEMS.append(f"{model.name}: the answer is not JSON")
        return
    RESPONSE_PROBLEMS.extend(f"{model.name}: {p}" for p in shape_problems(model.output_shape, body, "$"))


_boto3_client = boto3.client


def checked_client(*args, **kwargs):
    client = _boto3_client(*args, **kwargs)
    client.meta.events.register("after-call", check_response)
    return client


boto3.client = checked_client


def pytest_configure(config):
    config.addinivalue_line("markers", "broken_answers: the test injects faults that break answers on purpose")


@pytest.fixture(autouse=True)
def answers_fit_the_model(request):
    RESPONSE_PROBLEMS.clear()
    yield
    problems = sorted(set(RESPONSE_PROBLEMS))
    RESPONSE_PROBLEMS.clear()
    if request.node.get_closest_marker("broken_answers"):
        return
    assert not problems, "answers that do not fit botocore's model:\n" + "\n".join(problems[:40])
BIN = os.environ.get("COGNITO_EMULATOR_BIN", str(ROOT / "target" / "debug" / "cognito-emulator"))


class Emulator:
    def __init__(self, *extra_args):
        self.proc = subprocess.Popen(
            [BIN, "serve", "--port", "0", *extra_args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for line in self.proc.stdout:
            m = re.search(r"listening on (http://\S+)", line)
            if m:
                self.endpoint = m.group(1)
                break
        else:
            raise RuntimeError("emulator did not start")

    def client(self):
        return boto3.client(
            "cognito-idp",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
        )

    def last_code(self, pool_id, username):
        r = requests.get(f"{self.endpoint}/_emulator/outbox", params={"poolId": pool_id, "username": username}, timeout=5)
        messages = r.json()["messages"]
        assert messages, f"no message for {username}"
        return messages[-1]["code"]

    def clock(self, **body):
        return requests.post(f"{self.endpoint}/_emulator/clock", json=body, timeout=5).json()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


CHROMEDRIVER = shutil.which("chromedriver")
# Browser tests run wherever chromedriver is installed, and must run in CI (.ci/run installs it).
needs_browser = pytest.mark.skipif(
    CHROMEDRIVER is None and not os.environ.get("CI_REQUIRE_BROWSER"),
    reason="chromium and chromedriver are not installed (.ci/run installs them)",
)


def wait_until(browser, condition, timeout=10):
    """Polls `condition` until it is truthy. A command that lands while the page is being
    replaced (a form post, a redirect) fails in chromedriver with "aborted by navigation", or
    finds an element of the old page gone stale; both mean the next page is not there yet, so
    they are polled again like a missing element. Any other WebDriver error fails the test."""
    from selenium.common.exceptions import (
        NoSuchElementException,
        StaleElementReferenceException,
        WebDriverException,
    )
    from selenium.webdriver.support.ui import WebDriverWait

    def attempt(driver):
        try:
            return condition(driver)
        except (NoSuchElementException, StaleElementReferenceException):
            return False
        except WebDriverException as error:
            if "aborted by navigation" in str(error) or "navigated or closed" in str(error):
                return False
            raise

    return WebDriverWait(browser, timeout).until(attempt)


@pytest.fixture()
def browser():
    """Debian's headless Chromium driven through chromedriver by Selenium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(arg)
    if shutil.which("chromium"):
        options.binary_location = shutil.which("chromium")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def emulator():
    """One emulator per test module, so clock moves in one module never leak into another."""
    emu = Emulator()
    yield emu
    emu.stop()


@pytest.fixture()
def frozen(emulator):
    """The emulator clock stands still unless a test moves it, so a wall-clock second cannot
    tick between two calls that test a boundary to the second."""
    emulator.clock(freeze=True)
    yield
    emulator.clock(unfreeze=True)


@pytest.fixture()
def idp(emulator):
    return emulator.client()


@pytest.fixture()
def pool(idp):
    """A fresh pool (email auto-verified) with a public client that allows every flow."""
    p = idp.create_user_pool(PoolName=f"py-{uuid.uuid4().hex[:8]}", AutoVerifiedAttributes=["email"])["UserPool"]
    c = idp.create_user_pool_client(
        UserPoolId=p["Id"],
        ClientName="py",
        ExplicitAuthFlows=[
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
        ],
    )["UserPoolClient"]
    return {"pool_id": p["Id"], "client_id": c["ClientId"]}


def make_user(idp, pool_id, username, password, **attrs):
    attrs.setdefault("email", f"{username}@example.com")
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in attrs.items()],
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)
