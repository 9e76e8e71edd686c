"""Starts the emulator binary on a free loopback port for each test module; gives tests boto3
clients pointed at it and small helpers for the emulator-only endpoints."""

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
