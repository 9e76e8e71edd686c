"""boto3/botocore meets every injected fault over the wire and sees it the way it would see a
real network or service failure; quotas produce botocore's TooManyRequestsException."""

import boto3
import botocore.exceptions as bex
import pytest
import requests
from botocore.config import Config

from conftest import make_user

CONNECTION_LOST = (bex.ConnectionClosedError, bex.EndpointConnectionError)


def add_fault(emulator, fault, **match):
    r = requests.post(f"{emulator.endpoint}/_emulator/faults", json={"match": match, "fault": fault}, timeout=5)
    assert r.status_code == 200, r.text
    return r.json()["id"]


def rules(emulator):
    return requests.get(f"{emulator.endpoint}/_emulator/faults", timeout=5).json()["rules"]


@pytest.fixture(autouse=True)
def clean(emulator):
    yield
    requests.delete(f"{emulator.endpoint}/_emulator/faults", timeout=5)
    requests.post(f"{emulator.endpoint}/_emulator/quotas", json={"enabled": False}, timeout=5)


def login(idp, pool, user="fay"):
    return idp.initiate_auth(ClientId=pool["client_id"], AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": user, "PASSWORD": "Sup3r-Secret!"})


def test_reset_before_and_after_processing(emulator, idp, pool):
    add_fault(emulator, {"kind": "reset_before"}, operation="SignUp", times=1)
    with pytest.raises(CONNECTION_LOST):
        idp.sign_up(ClientId=pool["client_id"], Username="gil", Password="Sup3r-Secret!")
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user(UserPoolId=pool["pool_id"], Username="gil")

    add_fault(emulator, {"kind": "reset_after"}, operation="SignUp", times=1)
    with pytest.raises(CONNECTION_LOST):
        idp.sign_up(ClientId=pool["client_id"], Username="gil", Password="Sup3r-Secret!")
    assert idp.admin_get_user(UserPoolId=pool["pool_id"], Username="gil")["UserStatus"] == "UNCONFIRMED"
    with pytest.raises(idp.exceptions.UsernameExistsException):
        idp.sign_up(ClientId=pool["client_id"], Username="gil", Password="Sup3r-Secret!")
    assert [r["fired"] for r in rules(emulator)] == [1, 1]


def test_hang_until_the_client_times_out(emulator, pool):
    impatient = boto3.client("cognito-idp", endpoint_url=emulator.endpoint, region_name="us-east-1",
                             aws_access_key_id="x", aws_secret_access_key="x",
                             config=Config(retries={"mode": "standard", "total_max_attempts": 1}, read_timeout=0.5, connect_timeout=2))
    add_fault(emulator, {"kind": "hang"}, operation="ListUserPools", times=1)
    with pytest.raises(bex.ReadTimeoutError):
        impatient.list_user_pools(MaxResults=1)
    assert impatient.list_user_pools(MaxResults=1)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_latency_then_an_answer(emulator, idp, pool):
    make_user(idp, pool["pool_id"], "fay", "Sup3r-Secret!")
    add_fault(emulator, {"kind": "latency", "ms": 200}, operation="InitiateAuth", times=1)
    assert "AccessToken" in login(idp, pool)["AuthenticationResult"]
    entry = requests.get(f"{emulator.endpoint}/_emulator/journal", timeout=5).json()["entries"][-1]
    assert entry["fault"] == "latency 200ms" and entry["latencyMs"] >= 200


def test_server_errors_and_gateway_pages(emulator, idp, pool):
    make_user(idp, pool["pool_id"], "fay", "Sup3r-Secret!")
    add_fault(emulator, {"kind": "internal_error"}, operation="InitiateAuth", times=1)
    with pytest.raises(idp.exceptions.InternalErrorException):
        login(idp, pool)
    add_fault(emulator, {"kind": "gateway", "status": 503}, operation="InitiateAuth", times=1)
    with pytest.raises(bex.ClientError) as gateway:
        login(idp, pool)
    assert gateway.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    add_fault(emulator, {"kind": "exception", "code": "TooManyRequestsException", "message": "Rate exceeded"},
              operation="InitiateAuth", username="fay", times=1)
    with pytest.raises(idp.exceptions.TooManyRequestsException):
        login(idp, pool)
    assert "AccessToken" in login(idp, pool)["AuthenticationResult"]


@pytest.mark.broken_answers
def test_broken_bodies(emulator, idp, pool):
    make_user(idp, pool["pool_id"], "fay", "Sup3r-Secret!")
    # botocore swallows an unparseable 200: the call "succeeds" with no AuthenticationResult.
    # (The Rust SDK reports these as Error::InvalidResponse carrying the body.)
    add_fault(emulator, {"kind": "truncated_body"}, operation="InitiateAuth", times=1)
    result = login(idp, pool)
    assert "AuthenticationResult" not in result
    assert result["ResponseMetadata"]["HTTPStatusCode"] == 200
    add_fault(emulator, {"kind": "non_json_body"}, operation="InitiateAuth", times=1)
    assert "AuthenticationResult" not in login(idp, pool)
    journal = requests.get(f"{emulator.endpoint}/_emulator/journal", timeout=5).json()["entries"]
    assert [e.get("fault") for e in journal[-2:]] == ["truncated_body", "non_json_body"]
    # botocore reads JSON whatever the Content-Type says, as it does against AWS.
    add_fault(emulator, {"kind": "wrong_content_type"}, operation="InitiateAuth", times=1)
    assert "AccessToken" in login(idp, pool)["AuthenticationResult"]
    assert [r["fired"] for r in rules(emulator)] == [1, 1, 1]


def test_quotas_throttle_like_cognito(emulator, idp, pool):
    emulator.clock(freeze=True)
    r = requests.post(f"{emulator.endpoint}/_emulator/quotas", json={"enabled": True, "quotas": {"UserCreation": {"rate": 2}}}, timeout=5)
    assert r.json()["quotas"]["UserCreation"]["operations"] == ["SignUp", "ConfirmSignUp", "AdminCreateUser", "AdminConfirmSignUp"]
    outcomes = []
    for i in range(4):
        try:
            idp.sign_up(ClientId=pool["client_id"], Username=f"q{i}", Password="Sup3r-Secret!")
            outcomes.append("ok")
        except idp.exceptions.TooManyRequestsException as e:
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
            outcomes.append("throttled")
    assert outcomes == ["ok", "ok", "throttled", "throttled"]
    emulator.clock(advanceSeconds=1)
    idp.sign_up(ClientId=pool["client_id"], Username="q9", Password="Sup3r-Secret!")
    emulator.clock(unfreeze=True)
