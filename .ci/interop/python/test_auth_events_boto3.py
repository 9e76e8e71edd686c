"""Sign-in history driven by boto3: in a pool with threat protection, the emulator's own
sign-ins (failed, passed, through a challenge), password resets and their feedback show up in
AdminListUserAuthEvents, newest first, with Cognito's shapes and errors."""

import pytest
import requests

from conftest import make_user

PASSWORD = "Sup3r-Secret!"


def test_auth_events_and_feedback(emulator, idp):
    plain = idp.create_user_pool(PoolName="no-threat-protection")["UserPool"]["Id"]
    make_user(idp, plain, "pat", PASSWORD)
    with pytest.raises(idp.exceptions.UserPoolAddOnNotEnabledException):
        idp.admin_list_user_auth_events(UserPoolId=plain, Username="pat")

    pool_id = idp.create_user_pool(PoolName="audited", AutoVerifiedAttributes=["email"], UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"},
                                   Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}})["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c",
                                            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    make_user(idp, pool_id, "ivy", PASSWORD, email_verified="true")
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "ivy", "PASSWORD": "wrong"})
    ok = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "ivy", "PASSWORD": PASSWORD})
    # A refresh is not a sign-in.
    idp.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": ok["AuthenticationResult"]["RefreshToken"]})
    first = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ivy", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
    assert first["ChallengeName"] == "EMAIL_OTP"
    in_progress = idp.admin_list_user_auth_events(UserPoolId=pool_id, Username="ivy")["AuthEvents"][0]
    assert (in_progress["EventType"], in_progress["EventResponse"]) == ("SignIn", "InProgress")
    idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="EMAIL_OTP", Session=first["Session"],
                                  ChallengeResponses={"USERNAME": "ivy", "EMAIL_OTP_CODE": emulator.last_code(pool_id, "ivy")})
    idp.forgot_password(ClientId=client_id, Username="ivy")

    events = idp.admin_list_user_auth_events(UserPoolId=pool_id, Username="ivy")["AuthEvents"]
    summary = [(e["EventType"], e["EventResponse"], [(c["ChallengeName"], c["ChallengeResponse"]) for c in e["ChallengeResponses"]]) for e in events]
    assert summary == [
        ("ForgotPassword", "Pass", []),
        ("SignIn", "Pass", [("Mfa", "Success")]),
        ("SignIn", "Pass", [("Password", "Success")]),
        ("SignIn", "Fail", [("Password", "Failure")]),
    ], summary
    assert events[1]["EventId"] == in_progress["EventId"]  # one event across the challenge
    assert all(e["EventRisk"]["RiskDecision"] == "NoRisk" for e in events)
    page = idp.admin_list_user_auth_events(UserPoolId=pool_id, Username="ivy", MaxResults=3)
    rest = idp.admin_list_user_auth_events(UserPoolId=pool_id, Username="ivy", MaxResults=3, NextToken=page["NextToken"])
    assert [e["EventId"] for e in page["AuthEvents"] + rest["AuthEvents"]] == [e["EventId"] for e in events]

    failed_id = events[3]["EventId"]
    idp.admin_update_auth_event_feedback(UserPoolId=pool_id, Username="ivy", EventId=failed_id, FeedbackValue="Invalid")
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.admin_update_auth_event_feedback(UserPoolId=pool_id, Username="ivy", EventId="no-such-event", FeedbackValue="Valid")
    shown = requests.get(f"{emulator.endpoint}/_emulator/auth-events", params={"poolId": pool_id, "username": "ivy"}, timeout=5).json()["events"]
    token = next(e["feedbackToken"] for e in shown if e["EventId"] == events[2]["EventId"])
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.update_auth_event_feedback(UserPoolId=pool_id, Username="ivy", EventId=events[2]["EventId"], FeedbackToken=token[:-2] + "AA", FeedbackValue="Valid")
    idp.update_auth_event_feedback(UserPoolId=pool_id, Username="ivy", EventId=events[2]["EventId"], FeedbackToken=token, FeedbackValue="Valid")
    after = {e["EventId"]: e for e in idp.admin_list_user_auth_events(UserPoolId=pool_id, Username="ivy")["AuthEvents"]}
    assert (after[failed_id]["EventFeedback"]["FeedbackValue"], after[failed_id]["EventFeedback"]["Provider"]) == ("Invalid", "Admin")
    assert (after[events[2]["EventId"]]["EventFeedback"]["FeedbackValue"], after[events[2]["EventId"]]["EventFeedback"]["Provider"]) == ("Valid", "User")
