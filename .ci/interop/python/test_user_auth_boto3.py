"""Choice-based sign-in (USER_AUTH) driven by boto3: SELECT_CHALLENGE with AvailableChallenges,
an email one-time code from the outbox, and a preferred PASSWORD challenge."""

import pytest

from conftest import make_user


def pool_with_choices(idp):
    p = idp.create_user_pool(PoolName="choices", Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}})["UserPool"]
    c = idp.create_user_pool_client(UserPoolId=p["Id"], ClientName="c", ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]
    return p["Id"], c["ClientId"]


def test_select_challenge_then_email_code(emulator, idp):
    pool_id, client_id = pool_with_choices(idp)
    make_user(idp, pool_id, "ola", "Sup3r-Secret!")
    first = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "ola"})
    assert first["ChallengeName"] == "SELECT_CHALLENGE"
    assert first["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    otp = idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="SELECT_CHALLENGE", Session=first["Session"],
                                        ChallengeResponses={"USERNAME": "ola", "ANSWER": "EMAIL_OTP"})
    assert otp["ChallengeName"] == "EMAIL_OTP"
    assert otp["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    code = emulator.last_code(pool_id, "ola")
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="EMAIL_OTP", Session=otp["Session"],
                                      ChallengeResponses={"USERNAME": "ola", "EMAIL_OTP_CODE": "00000000"})
    done = idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="EMAIL_OTP", Session=otp["Session"],
                                         ChallengeResponses={"USERNAME": "ola", "EMAIL_OTP_CODE": code})
    assert idp.get_user(AccessToken=done["AuthenticationResult"]["AccessToken"])["Username"] == "ola"


def test_preferred_password_and_the_client_gate(idp):
    pool_id, client_id = pool_with_choices(idp)
    make_user(idp, pool_id, "pia", "Sup3r-Secret!")
    done = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH",
                             AuthParameters={"USERNAME": "pia", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Sup3r-Secret!"})
    assert "AccessToken" in done["AuthenticationResult"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH",
                          AuthParameters={"USERNAME": "pia", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "wrong"})
    other = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="srp-only", ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"])["UserPoolClient"]
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.initiate_auth(ClientId=other["ClientId"], AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "pia"})


def test_user_auth_factors(idp):
    """GetUserAuthFactors and AdminGetUserAuthFactors list what USER_AUTH offers the user and
    the MFA factors they enabled."""
    import pyotp

    pool_id, client_id = pool_with_choices(idp)
    make_user(idp, pool_id, "uma", "Sup3r-Secret!")
    admin = idp.admin_get_user_auth_factors(UserPoolId=pool_id, Username="uma")
    assert admin["Username"] == "uma" and admin["ConfiguredUserAuthFactors"] == ["PASSWORD", "EMAIL_OTP"]
    assert "UserMFASettingList" not in admin
    done = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH",
                             AuthParameters={"USERNAME": "uma", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Sup3r-Secret!"})
    token = done["AuthenticationResult"]["AccessToken"]
    secret = idp.associate_software_token(AccessToken=token)["SecretCode"]
    idp.verify_software_token(AccessToken=token, UserCode=pyotp.TOTP(secret).now())
    idp.set_user_mfa_preference(AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    mine = idp.get_user_auth_factors(AccessToken=token)
    assert mine["ConfiguredUserAuthFactors"] == ["PASSWORD", "EMAIL_OTP", "SOFTWARE_TOKEN"]
    assert (mine["PreferredMfaSetting"], mine["UserMFASettingList"]) == ("SOFTWARE_TOKEN_MFA", ["SOFTWARE_TOKEN_MFA"])
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user_auth_factors(UserPoolId=pool_id, Username="nobody")
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_user_auth_factors(AccessToken="not-a-token")
