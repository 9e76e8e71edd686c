"""Session management driven by boto3: SetUserPoolSessionConfiguration turns tracking on, each
sign-in opens a token session, MaxPerUser ends the least recently used, and ListUserSessions,
RevokeUserSession and their Admin twins see and end them (refresh and access tokens both)."""

import pytest

from conftest import make_user

PASSWORD = "Sup3r-Secret!"


def sign_in(idp, pool):
    out = idp.admin_initiate_auth(UserPoolId=pool["pool_id"], ClientId=pool["client_id"], AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": "sam", "PASSWORD": PASSWORD})
    return out["AuthenticationResult"]


def refresh(idp, pool, tokens):
    return idp.initiate_auth(ClientId=pool["client_id"], AuthFlow="REFRESH_TOKEN_AUTH",
                             AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})["AuthenticationResult"]


def test_sessions_tracked_limited_listed_and_revoked(emulator, idp, pool):
    pool_id = pool["pool_id"]
    make_user(idp, pool_id, "sam", PASSWORD)
    assert idp.get_user_pool_session_configuration(UserPoolId=pool_id)["UserSessionTracking"] == "DISABLED"
    assert idp.get_user_pool_session_configuration(UserPoolId=pool_id)["TokenSession"] == {"MaxPerUser": 20}
    untracked = sign_in(idp, pool)
    assert idp.list_user_sessions(AccessToken=untracked["AccessToken"])["Sessions"] == []

    out = idp.set_user_pool_session_configuration(UserPoolId=pool_id, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": 2})
    assert (out["UserSessionTracking"], out["TokenSession"]) == ("ENABLED", {"MaxPerUser": 2})
    first = sign_in(idp, pool)
    emulator.clock(advanceSeconds=60)
    second = sign_in(idp, pool)
    emulator.clock(advanceSeconds=60)
    refresh(idp, pool, first)  # the first is now the more recently used
    emulator.clock(advanceSeconds=60)
    third = sign_in(idp, pool)  # over the limit: the least recently used (second) ends

    with pytest.raises(idp.exceptions.NotAuthorizedException):
        refresh(idp, pool, second)
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_user(AccessToken=second["AccessToken"])
    listed = idp.list_user_sessions(AccessToken=third["AccessToken"])["Sessions"]
    assert len(listed) == 2
    assert all(s["SessionId"].startswith("tkn") and len(s["SessionId"]) == 28 for s in listed)
    assert all(s["SessionType"] == "TOKEN" and s["ClientId"] == pool["client_id"] for s in listed)
    current = [s for s in listed if s["IsCurrentSession"]]
    other = [s for s in listed if not s["IsCurrentSession"]]
    assert len(current) == 1 and len(other) == 1
    assert other[0]["LastActiveDate"] > other[0]["CreateDate"]  # refreshed a minute after sign-in

    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.revoke_user_session(AccessToken=third["AccessToken"], SessionId=current[0]["SessionId"])
    idp.revoke_user_session(AccessToken=third["AccessToken"], SessionId=other[0]["SessionId"])
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        refresh(idp, pool, first)
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.revoke_user_session(AccessToken=third["AccessToken"], SessionId=other[0]["SessionId"])
    # The untracked sign-in from before tracking is not a session, and still works.
    refresh(idp, pool, untracked)

    admin = idp.admin_list_user_sessions(UserPoolId=pool_id, Username="sam")["Sessions"]
    assert [s["SessionId"] for s in admin] == [current[0]["SessionId"]]
    idp.admin_revoke_user_session(UserPoolId=pool_id, Username="sam", SessionId=current[0]["SessionId"], RevokeAssociatedSessions="LINKED")
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        refresh(idp, pool, third)
    assert idp.admin_list_user_sessions(UserPoolId=pool_id, Username="sam")["Sessions"] == []
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_list_user_sessions(UserPoolId=pool_id, Username="nobody")


def test_client_session_configuration_and_the_tier(idp, pool):
    pool_id, client_id = pool["pool_id"], pool["client_id"]
    got = idp.get_user_pool_client_session_configuration(UserPoolId=pool_id, ClientId=client_id)
    assert got["SSOSession"] == {"MaxValidityMinutes": 60}
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.set_user_pool_client_session_configuration(UserPoolId=pool_id, ClientId=client_id, SSOSession={"MaxValidityMinutes": 5})
    idp.set_user_pool_session_configuration(UserPoolId=pool_id, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": 20})
    out = idp.set_user_pool_client_session_configuration(UserPoolId=pool_id, ClientId=client_id, SSOSession={"MaxValidityMinutes": 5})
    assert out["SSOSession"] == {"MaxValidityMinutes": 5}
    assert idp.get_user_pool_client_session_configuration(UserPoolId=pool_id, ClientId=client_id)["SSOSession"] == {"MaxValidityMinutes": 5}
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.get_user_pool_client_session_configuration(UserPoolId=pool_id, ClientId="nosuchclient")
    lite = idp.create_user_pool(PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]
    with pytest.raises(idp.exceptions.FeatureUnavailableInTierException):
        idp.set_user_pool_session_configuration(UserPoolId=lite, UserSessionTracking="ENABLED", TokenSession={"MaxPerUser": 5})
