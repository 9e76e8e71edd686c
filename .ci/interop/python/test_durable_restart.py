"""Durable mode seen by third-party clients: a server started with `--data DIR` is stopped
with SIGTERM and started again on the same directory. boto3, pycognito and PyJWT must not
notice: tokens issued before the restart verify against the new process's JWKS and refresh,
a revoked refresh token stays revoked, SRP still works from the stored verifier, and the
state exported over HTTP is accepted by `cognito-emulator check` and as a seed."""

import json
import subprocess

import jwt
import pytest
import requests
from pycognito.aws_srp import AWSSRP

from conftest import BIN, Emulator, make_user


@pytest.fixture()
def data_dir(tmp_path):
    return tmp_path / "data"


def test_a_restart_is_invisible_to_clients(data_dir, tmp_path):
    # The issuer must not change with the port, as it does not with a fixed port or in compose.
    args = ("--data", str(data_dir), "--issuer", "aws")
    first = Emulator(*args)
    idp = first.client()
    pool_id = idp.create_user_pool(PoolName="durable", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    make_user(idp, pool_id, "dora", "Sup3r-Secret!", email_verified="true")
    idp.create_group(UserPoolId=pool_id, GroupName="editors")
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="dora", GroupName="editors")
    kept = AWSSRP("dora", "Sup3r-Secret!", pool_id, client_id, client=idp).authenticate_user()["AuthenticationResult"]
    revoked = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                AuthParameters={"USERNAME": "dora", "PASSWORD": "Sup3r-Secret!"})["AuthenticationResult"]
    idp.revoke_token(Token=revoked["RefreshToken"], ClientId=client_id)
    exported = requests.get(f"{first.endpoint}/_emulator/state", timeout=5).json()
    first.stop()  # SIGTERM: requests in flight finish, pending writes are stored
    assert first.proc.returncode == 0

    second = Emulator(*args)
    idp = second.client()
    try:
        me = idp.get_user(AccessToken=kept["AccessToken"])
        assert me["Username"] == "dora"
        refreshed = idp.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                      AuthParameters={"REFRESH_TOKEN": kept["RefreshToken"]})["AuthenticationResult"]
        issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
        jwks = jwt.PyJWKClient(f"{second.endpoint}/{pool_id}/.well-known/jwks.json")
        for token in (kept["IdToken"], refreshed["IdToken"]):
            claims = jwt.decode(token, jwks.get_signing_key_from_jwt(token).key, algorithms=["RS256"],
                                audience=client_id, issuer=issuer, options={"verify_exp": False})
            assert claims["cognito:groups"] == ["editors"]
        with pytest.raises(idp.exceptions.NotAuthorizedException):
            idp.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                              AuthParameters={"REFRESH_TOKEN": revoked["RefreshToken"]})
        with pytest.raises(idp.exceptions.NotAuthorizedException):
            idp.get_user(AccessToken=revoked["AccessToken"])
        again = AWSSRP("dora", "Sup3r-Secret!", pool_id, client_id, client=idp).authenticate_user()
        assert "AccessToken" in again["AuthenticationResult"]
        with pytest.raises(idp.exceptions.NotAuthorizedException):
            AWSSRP("dora", "Wrong-Secret!", pool_id, client_id, client=idp).authenticate_user()
    finally:
        second.stop()

    # The export is a valid seed, and a server seeded with it (no data directory) accepts
    # the tokens of the first server.
    state = tmp_path / "state.json"
    state.write_text(json.dumps(exported))
    checked = subprocess.run([BIN, "check", str(state)], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    third = Emulator("--seed", str(state), "--issuer", "aws")
    try:
        assert third.client().get_user(AccessToken=kept["AccessToken"])["Username"] == "dora"
    finally:
        third.stop()
