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


def test_passwordless_sign_up_then_a_first_password(emulator, idp):
    """SignUp without a password where passwordless sign-in is active; the user signs in with an
    email code, then sets a first password with ChangePassword and no PreviousPassword."""
    p = idp.create_user_pool(PoolName="passwordless", AutoVerifiedAttributes=["email"],
                             Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}})["UserPool"]
    pool_id = p["Id"]
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_AUTH"])["UserPoolClient"]["ClientId"]
    out = idp.sign_up(ClientId=client_id, Username="nopw", UserAttributes=[{"Name": "email", "Value": "nopw@example.com"}])
    assert not out["UserConfirmed"]
    idp.confirm_sign_up(ClientId=client_id, Username="nopw", ConfirmationCode=emulator.last_code(pool_id, "nopw"))
    first = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "nopw"})
    # No password: the email code is the only choice offered.
    assert (first["ChallengeName"], first["AvailableChallenges"]) == ("SELECT_CHALLENGE", ["EMAIL_OTP"]), first
    otp = idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="SELECT_CHALLENGE", Session=first["Session"],
                                        ChallengeResponses={"USERNAME": "nopw", "ANSWER": "EMAIL_OTP"})
    done = idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="EMAIL_OTP", Session=otp["Session"],
                                         ChallengeResponses={"USERNAME": "nopw", "EMAIL_OTP_CODE": emulator.last_code(pool_id, "nopw")})
    token = done["AuthenticationResult"]["AccessToken"]
    idp.change_password(AccessToken=token, ProposedPassword="Fir5t-Password!")
    # Now there is a password: it must be proved to change it again.
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.change_password(AccessToken=token, ProposedPassword="S3cond-Password!")
    idp.change_password(AccessToken=token, PreviousPassword="Fir5t-Password!", ProposedPassword="S3cond-Password!")
    ok = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH",
                           AuthParameters={"USERNAME": "nopw", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "S3cond-Password!"})
    assert "AccessToken" in ok["AuthenticationResult"]


def test_sign_up_without_a_password_needs_passwordless(idp):
    p = idp.create_user_pool(PoolName="classic", AutoVerifiedAttributes=["email"])["UserPool"]
    client_id = idp.create_user_pool_client(UserPoolId=p["Id"], ClientName="c", ExplicitAuthFlows=["ALLOW_USER_AUTH"])["UserPoolClient"]["ClientId"]
    for extra in ({}, {"Password": ""}):
        with pytest.raises(idp.exceptions.InvalidParameterException):
            idp.sign_up(ClientId=client_id, Username="nopw", UserAttributes=[{"Name": "email", "Value": "n@example.com"}], **extra)
