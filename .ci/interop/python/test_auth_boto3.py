"""boto3 drives the non-SRP flows: USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, refresh,
GetUser, global sign-out, RevokeToken, NEW_PASSWORD_REQUIRED, SECRET_HASH, disabled flows."""

import base64
import hashlib
import hmac

import pytest

from conftest import make_user


def secret_hash(secret, username, client_id):
    mac = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def password_auth(idp, pool, username, password):
    return idp.initiate_auth(
        ClientId=pool["client_id"], AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )


def test_password_auth_get_user_refresh(emulator, idp, pool):
    make_user(idp, pool["pool_id"], "mia", "Sup3r-Secret!", name="Mia")
    res = password_auth(idp, pool, "mia", "Sup3r-Secret!")["AuthenticationResult"]
    assert res["TokenType"] == "Bearer" and res["ExpiresIn"] == 3600
    me = idp.get_user(AccessToken=res["AccessToken"])
    assert me["Username"] == "mia"
    assert {"Name": "name", "Value": "Mia"} in me["UserAttributes"]

    with pytest.raises(idp.exceptions.NotAuthorizedException) as wrong:
        password_auth(idp, pool, "mia", "Sup3r-Wrong!")
    assert wrong.value.response["Error"]["Message"] == "Incorrect username or password."
    with pytest.raises(idp.exceptions.UserNotFoundException):
        password_auth(idp, pool, "nobody", "Sup3r-Secret!")

    emulator.clock(advanceSeconds=3601)
    with pytest.raises(idp.exceptions.NotAuthorizedException) as expired:
        idp.get_user(AccessToken=res["AccessToken"])
    assert "expired" in expired.value.response["Error"]["Message"]
    refreshed = idp.initiate_auth(
        ClientId=pool["client_id"], AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": res["RefreshToken"]},
    )["AuthenticationResult"]
    assert "RefreshToken" not in refreshed
    assert idp.get_user(AccessToken=refreshed["AccessToken"])["Username"] == "mia"


def test_admin_password_auth_and_flow_checks(idp, pool):
    make_user(idp, pool["pool_id"], "noah", "Sup3r-Secret!")
    res = idp.admin_initiate_auth(
        UserPoolId=pool["pool_id"], ClientId=pool["client_id"], AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "noah", "PASSWORD": "Sup3r-Secret!"},
    )
    assert "AccessToken" in res["AuthenticationResult"]

    srp_only = idp.create_user_pool_client(UserPoolId=pool["pool_id"], ClientName="srp-only", ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"])["UserPoolClient"]
    with pytest.raises(idp.exceptions.InvalidParameterException) as refused:
        idp.initiate_auth(ClientId=srp_only["ClientId"], AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "noah", "PASSWORD": "Sup3r-Secret!"})
    assert "USER_PASSWORD_AUTH flow not enabled for this client" in refused.value.response["Error"]["Message"]
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.initiate_auth(ClientId=srp_only["ClientId"], AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": res["AuthenticationResult"]["RefreshToken"]})


def test_refresh_token_belongs_to_its_client(idp, pool):
    make_user(idp, pool["pool_id"], "olga", "Sup3r-Secret!")
    res = password_auth(idp, pool, "olga", "Sup3r-Secret!")["AuthenticationResult"]
    other = idp.create_user_pool_client(UserPoolId=pool["pool_id"], ClientName="other", ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(ClientId=other["ClientId"], AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": res["RefreshToken"]})


def test_refresh_refused_after_user_deleted_or_disabled(idp, pool):
    make_user(idp, pool["pool_id"], "pia", "Sup3r-Secret!")
    res = password_auth(idp, pool, "pia", "Sup3r-Secret!")["AuthenticationResult"]
    refresh = {"REFRESH_TOKEN": res["RefreshToken"]}
    idp.admin_disable_user(UserPoolId=pool["pool_id"], Username="pia")
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(ClientId=pool["client_id"], AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=refresh)
    idp.admin_enable_user(UserPoolId=pool["pool_id"], Username="pia")
    idp.initiate_auth(ClientId=pool["client_id"], AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=refresh)
    idp.admin_delete_user(UserPoolId=pool["pool_id"], Username="pia")
    make_user(idp, pool["pool_id"], "pia", "Sup3r-Secret!")  # same name, different sub
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(ClientId=pool["client_id"], AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=refresh)


def test_global_sign_out_and_revoke_token(idp, pool):
    make_user(idp, pool["pool_id"], "quinn", "Sup3r-Secret!")
    first = password_auth(idp, pool, "quinn", "Sup3r-Secret!")["AuthenticationResult"]
    second = password_auth(idp, pool, "quinn", "Sup3r-Secret!")["AuthenticationResult"]

    idp.revoke_token(Token=first["RefreshToken"], ClientId=pool["client_id"])
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_user(AccessToken=first["AccessToken"])
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(ClientId=pool["client_id"], AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]})
    # The other sign-in is untouched.
    assert idp.get_user(AccessToken=second["AccessToken"])["Username"] == "quinn"

    idp.global_sign_out(AccessToken=second["AccessToken"])
    with pytest.raises(idp.exceptions.NotAuthorizedException) as revoked:
        idp.get_user(AccessToken=second["AccessToken"])
    assert "revoked" in revoked.value.response["Error"]["Message"]
    with pytest.raises(idp.exceptions.UnsupportedTokenTypeException):
        idp.revoke_token(Token=second["AccessToken"], ClientId=pool["client_id"])


def test_new_password_required(idp, pool):
    idp.admin_create_user(UserPoolId=pool["pool_id"], Username="rosa", TemporaryPassword="Temp0rary-Pass!", MessageAction="SUPPRESS")
    ch = password_auth(idp, pool, "rosa", "Temp0rary-Pass!")
    assert ch["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert ch["ChallengeParameters"]["USER_ID_FOR_SRP"] == "rosa"
    with pytest.raises(idp.exceptions.InvalidPasswordException):
        idp.respond_to_auth_challenge(
            ClientId=pool["client_id"], ChallengeName="NEW_PASSWORD_REQUIRED", Session=ch["Session"],
            ChallengeResponses={"USERNAME": "rosa", "NEW_PASSWORD": "weak"},
        )
    done = idp.respond_to_auth_challenge(
        ClientId=pool["client_id"], ChallengeName="NEW_PASSWORD_REQUIRED", Session=ch["Session"],
        ChallengeResponses={"USERNAME": "rosa", "NEW_PASSWORD": "Perm4nent-Pass!", "userAttributes.name": "Rosa"},
    )
    assert "IdToken" in done["AuthenticationResult"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.respond_to_auth_challenge(
            ClientId=pool["client_id"], ChallengeName="NEW_PASSWORD_REQUIRED", Session=ch["Session"],
            ChallengeResponses={"USERNAME": "rosa", "NEW_PASSWORD": "Perm4nent-Pass2!"},
        )
    assert idp.admin_get_user(UserPoolId=pool["pool_id"], Username="rosa")["UserStatus"] == "CONFIRMED"


def test_temporary_password_expires(emulator, idp, pool):
    idp.admin_create_user(UserPoolId=pool["pool_id"], Username="sam", TemporaryPassword="Temp0rary-Pass!", MessageAction="SUPPRESS")
    emulator.clock(advanceSeconds=8 * 86400)
    with pytest.raises(idp.exceptions.NotAuthorizedException) as expired:
        password_auth(idp, pool, "sam", "Temp0rary-Pass!")
    assert "Temporary password has expired" in expired.value.response["Error"]["Message"]


def test_secret_hash_required_and_checked(idp, pool):
    c = idp.create_user_pool_client(
        UserPoolId=pool["pool_id"], ClientName="secret", GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    cid, secret = c["ClientId"], c["ClientSecret"]
    idp.sign_up(ClientId=cid, SecretHash=secret_hash(secret, "tara", cid), Username="tara", Password="Sup3r-Secret!",
                UserAttributes=[{"Name": "email", "Value": "tara@example.com"}])
    idp.admin_confirm_sign_up(UserPoolId=pool["pool_id"], Username="tara")
    with pytest.raises(idp.exceptions.NotAuthorizedException) as missing:
        idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "tara", "PASSWORD": "Sup3r-Secret!"})
    assert "secret was not received" in missing.value.response["Error"]["Message"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                          AuthParameters={"USERNAME": "tara", "PASSWORD": "Sup3r-Secret!", "SECRET_HASH": secret_hash(secret, "other", cid)})
    res = idp.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH",
                            AuthParameters={"USERNAME": "tara", "PASSWORD": "Sup3r-Secret!", "SECRET_HASH": secret_hash(secret, "tara", cid)})
    refresh = res["AuthenticationResult"]["RefreshToken"]
    idp.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH",
                      AuthParameters={"REFRESH_TOKEN": refresh, "SECRET_HASH": secret_hash(secret, "tara", cid)})
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(ClientId=cid, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": refresh})
