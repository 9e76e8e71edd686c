"""boto3 drives GetTokensFromRefreshToken (the call Amplify v6 refreshes with) against the
emulator binary: without rotation it returns new id and access tokens only; with refresh token
rotation it returns a new refresh token each time, the old one works for the grace period on the
emulator clock and is refused with RefreshTokenReuseException after it, REFRESH_TOKEN_AUTH is
refused for the client, and a client secret is sent as ClientSecret."""

import uuid

import pytest

from conftest import make_user


def client_with(idp, pool, **extra):
    return idp.create_user_pool_client(
        UserPoolId=pool["pool_id"],
        ClientName=f"rot-{uuid.uuid4().hex[:6]}",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        **extra,
    )["UserPoolClient"]


def sign_in(idp, client_id, username, password, secret_hash=None):
    params = {"USERNAME": username, "PASSWORD": password}
    if secret_hash:
        params["SECRET_HASH"] = secret_hash
    return idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params)[
        "AuthenticationResult"
    ]


def test_without_rotation_only_id_and_access_tokens_come_back(idp, pool):
    make_user(idp, pool["pool_id"], "nora", "Sup3r-Secret!")
    refresh = sign_in(idp, pool["client_id"], "nora", "Sup3r-Secret!")["RefreshToken"]
    result = idp.get_tokens_from_refresh_token(ClientId=pool["client_id"], RefreshToken=refresh)["AuthenticationResult"]
    assert "RefreshToken" not in result
    assert idp.get_user(AccessToken=result["AccessToken"])["Username"] == "nora"
    idp.get_tokens_from_refresh_token(ClientId=pool["client_id"], RefreshToken=refresh)
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_tokens_from_refresh_token(ClientId=pool["client_id"], RefreshToken="not-a-token")


def test_rotation_grace_period_and_reuse(idp, pool, emulator, frozen):
    client = client_with(idp, pool, RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 20})
    described = idp.describe_user_pool_client(UserPoolId=pool["pool_id"], ClientId=client["ClientId"])
    assert described["UserPoolClient"]["RefreshTokenRotation"] == {"Feature": "ENABLED", "RetryGracePeriodSeconds": 20}
    make_user(idp, pool["pool_id"], "otto", "Sup3r-Secret!")
    first = sign_in(idp, client["ClientId"], "otto", "Sup3r-Secret!")["RefreshToken"]

    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.initiate_auth(ClientId=client["ClientId"], AuthFlow="REFRESH_TOKEN_AUTH",
                          AuthParameters={"REFRESH_TOKEN": first})

    second = idp.get_tokens_from_refresh_token(ClientId=client["ClientId"], RefreshToken=first)[
        "AuthenticationResult"]["RefreshToken"]
    assert second != first
    emulator.clock(advanceSeconds=19)
    retried = idp.get_tokens_from_refresh_token(ClientId=client["ClientId"], RefreshToken=first)
    assert retried["AuthenticationResult"]["RefreshToken"] not in (first, second)
    emulator.clock(advanceSeconds=1)
    with pytest.raises(idp.exceptions.RefreshTokenReuseException):
        idp.get_tokens_from_refresh_token(ClientId=client["ClientId"], RefreshToken=first)
    third = idp.get_tokens_from_refresh_token(ClientId=client["ClientId"], RefreshToken=second)["AuthenticationResult"]
    assert idp.get_user(AccessToken=third["AccessToken"])["Username"] == "otto"

    # Revoking one token of the rotated family ends all of it.
    idp.revoke_token(Token=third["RefreshToken"], ClientId=client["ClientId"])
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_tokens_from_refresh_token(ClientId=client["ClientId"], RefreshToken=second)


def test_zero_grace_and_invalid_settings(idp, pool):
    client = client_with(idp, pool, RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 0})
    make_user(idp, pool["pool_id"], "pia", "Sup3r-Secret!")
    first = sign_in(idp, client["ClientId"], "pia", "Sup3r-Secret!")["RefreshToken"]
    idp.get_tokens_from_refresh_token(ClientId=client["ClientId"], RefreshToken=first)
    with pytest.raises(idp.exceptions.RefreshTokenReuseException):
        idp.get_tokens_from_refresh_token(ClientId=client["ClientId"], RefreshToken=first)
    with pytest.raises(idp.exceptions.InvalidParameterException):
        client_with(idp, pool, RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 61})


def test_a_client_secret_goes_as_client_secret(idp, pool):
    import base64
    import hashlib
    import hmac

    client = client_with(idp, pool, GenerateSecret=True,
                         RefreshTokenRotation={"Feature": "ENABLED", "RetryGracePeriodSeconds": 5})
    secret = client["ClientSecret"]
    make_user(idp, pool["pool_id"], "quin", "Sup3r-Secret!")
    digest = hmac.new(secret.encode(), ("quin" + client["ClientId"]).encode(), hashlib.sha256).digest()
    refresh = sign_in(idp, client["ClientId"], "quin", "Sup3r-Secret!",
                      secret_hash=base64.b64encode(digest).decode())["RefreshToken"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_tokens_from_refresh_token(ClientId=client["ClientId"], RefreshToken=refresh)
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_tokens_from_refresh_token(ClientId=client["ClientId"], RefreshToken=refresh, ClientSecret="w" * len(secret))
    rotated = idp.get_tokens_from_refresh_token(ClientId=client["ClientId"], RefreshToken=refresh, ClientSecret=secret)
    assert rotated["AuthenticationResult"]["RefreshToken"]
