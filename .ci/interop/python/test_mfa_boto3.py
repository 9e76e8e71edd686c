"""boto3 + pyotp (an independent TOTP implementation) set up software-token MFA and sign in
through the SOFTWARE_TOKEN_MFA and MFA_SETUP challenges; SMS_MFA codes come from the outbox."""

import pyotp
import pytest

from conftest import make_user


def pool_with_mfa(idp, mode):
    p = idp.create_user_pool(PoolName="mfa", MfaConfiguration=mode)["UserPool"]
    c = idp.create_user_pool_client(UserPoolId=p["Id"], ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]
    return p["Id"], c["ClientId"]


def login(idp, client_id, user):
    return idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": user, "PASSWORD": "Sup3r-Secret!"})


def test_totp_setup_and_sign_in(idp):
    pool_id, client_id = pool_with_mfa(idp, "OPTIONAL")
    make_user(idp, pool_id, "ana", "Sup3r-Secret!")
    at = login(idp, client_id, "ana")["AuthenticationResult"]["AccessToken"]
    secret = idp.associate_software_token(AccessToken=at)["SecretCode"]
    totp = pyotp.TOTP(secret)
    with pytest.raises(idp.exceptions.EnableSoftwareTokenMFAException):
        idp.verify_software_token(AccessToken=at, UserCode="000000")
    assert idp.verify_software_token(AccessToken=at, UserCode=totp.now(), FriendlyDeviceName="pyotp")["Status"] == "SUCCESS"
    idp.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    user = idp.get_user(AccessToken=at)
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"] and user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"

    challenge = login(idp, client_id, "ana")
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="SOFTWARE_TOKEN_MFA", Session=challenge["Session"],
                                      ChallengeResponses={"USERNAME": "ana", "SOFTWARE_TOKEN_MFA_CODE": "000000"})
    done = idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="SOFTWARE_TOKEN_MFA", Session=challenge["Session"],
                                         ChallengeResponses={"USERNAME": "ana", "SOFTWARE_TOKEN_MFA_CODE": totp.now()})
    assert "IdToken" in done["AuthenticationResult"]


def test_mfa_setup_challenge(idp):
    pool_id, client_id = pool_with_mfa(idp, "ON")
    make_user(idp, pool_id, "ben", "Sup3r-Secret!")
    challenge = login(idp, client_id, "ben")
    assert challenge["ChallengeName"] == "MFA_SETUP"
    assoc = idp.associate_software_token(Session=challenge["Session"])
    verified = idp.verify_software_token(Session=assoc["Session"], UserCode=pyotp.TOTP(assoc["SecretCode"]).now())
    done = idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="MFA_SETUP", Session=verified["Session"],
                                         ChallengeResponses={"USERNAME": "ben"})
    assert "AccessToken" in done["AuthenticationResult"]
    assert login(idp, client_id, "ben")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"


def test_sms_mfa_with_the_outbox(emulator, idp):
    pool_id, client_id = pool_with_mfa(idp, "OPTIONAL")
    make_user(idp, pool_id, "cal", "Sup3r-Secret!", phone_number="+15555550199", phone_number_verified="true")
    idp.admin_set_user_mfa_preference(UserPoolId=pool_id, Username="cal", SMSMfaSettings={"Enabled": True, "PreferredMfa": True})
    challenge = login(idp, client_id, "cal")
    assert challenge["ChallengeName"] == "SMS_MFA"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "+*******0199"
    code = emulator.last_code(pool_id, "cal")
    done = idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="SMS_MFA", Session=challenge["Session"],
                                         ChallengeResponses={"USERNAME": "cal", "SMS_MFA_CODE": code})
    assert "RefreshToken" in done["AuthenticationResult"]


def test_legacy_user_settings_switch_sms_mfa(emulator, idp):
    pool_id, client_id = pool_with_mfa(idp, "OPTIONAL")
    make_user(idp, pool_id, "dee", "Sup3r-Secret!", phone_number="+15555550188", phone_number_verified="true")
    at = login(idp, client_id, "dee")["AuthenticationResult"]["AccessToken"]
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.set_user_settings(AccessToken=at, MFAOptions=[{"DeliveryMedium": "EMAIL", "AttributeName": "email"}])
    idp.set_user_settings(AccessToken=at, MFAOptions=[{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}])
    user = idp.get_user(AccessToken=at)
    assert user["MFAOptions"] == [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    assert user["UserMFASettingList"] == ["SMS_MFA"]
    assert idp.admin_get_user(UserPoolId=pool_id, Username="dee")["MFAOptions"][0]["DeliveryMedium"] == "SMS"
    challenge = login(idp, client_id, "dee")
    assert challenge["ChallengeName"] == "SMS_MFA"
    done = idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="SMS_MFA", Session=challenge["Session"],
                                         ChallengeResponses={"USERNAME": "dee", "SMS_MFA_CODE": emulator.last_code(pool_id, "dee")})
    assert "AccessToken" in done["AuthenticationResult"]
    idp.admin_set_user_settings(UserPoolId=pool_id, Username="dee", MFAOptions=[])
    assert "MFAOptions" not in idp.get_user(AccessToken=at)
    assert "AuthenticationResult" in login(idp, client_id, "dee")


def test_email_otp_mfa(emulator, idp):
    pool_id, client_id = pool_with_mfa(idp, "OPTIONAL")
    make_user(idp, pool_id, "eli", "Sup3r-Secret!", email="eli@example.com")
    at = login(idp, client_id, "eli")["AuthenticationResult"]["AccessToken"]
    idp.set_user_mfa_preference(AccessToken=at, EmailMfaSettings={"Enabled": True, "PreferredMfa": True})
    user = idp.get_user(AccessToken=at)
    assert user["UserMFASettingList"] == ["EMAIL_OTP"] and user["PreferredMfaSetting"] == "EMAIL_OTP"
    challenge = login(idp, client_id, "eli")
    assert challenge["ChallengeName"] == "EMAIL_OTP"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    assert challenge["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "e***@e***"
    code = emulator.last_code(pool_id, "eli")
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="EMAIL_OTP", Session=challenge["Session"],
                                      ChallengeResponses={"USERNAME": "eli", "EMAIL_OTP_CODE": "000000" if code != "000000" else "111111"})
    done = idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="EMAIL_OTP", Session=challenge["Session"],
                                         ChallengeResponses={"USERNAME": "eli", "EMAIL_OTP_CODE": code})
    assert "IdToken" in done["AuthenticationResult"]


def test_set_user_pool_mfa_config_turns_totp_on_and_decides_the_factors(idp):
    """The usual way to turn on TOTP for a pool: SetUserPoolMfaConfig. Its factors then decide
    what sign-in asks for; without any factor MFA cannot be ON."""
    pool_id, client_id = pool_with_mfa(idp, "OFF")
    fresh = idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert fresh["MfaConfiguration"] == "OFF"
    set_out = idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON",
                                           SoftwareTokenMfaConfiguration={"Enabled": True})
    assert set_out["MfaConfiguration"] == "ON" and set_out["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    assert "SmsMfaConfiguration" not in set_out
    assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["MfaConfiguration"] == "ON"
    assert idp.get_user_pool_mfa_config(UserPoolId=pool_id)["SoftwareTokenMfaConfiguration"] == {"Enabled": True}

    make_user(idp, pool_id, "dee", "Sup3r-Secret!")
    challenge = login(idp, client_id, "dee")
    assert challenge["ChallengeName"] == "MFA_SETUP"
    assert challenge["ChallengeParameters"]["MFAS_CAN_SETUP"] == '["SOFTWARE_TOKEN_MFA"]'
    assoc = idp.associate_software_token(Session=challenge["Session"])
    verified = idp.verify_software_token(Session=assoc["Session"], UserCode=pyotp.TOTP(assoc["SecretCode"]).now())
    idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="MFA_SETUP", Session=verified["Session"],
                                  ChallengeResponses={"USERNAME": "dee"})
    assert login(idp, client_id, "dee")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"

    # Only SMS allowed now, MFA optional: dee's authenticator no longer counts, so no MFA.
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL",
                                 SmsMfaConfiguration={"SmsAuthenticationMessage": "Your code is {####}"})
    config = idp.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert config["SoftwareTokenMfaConfiguration"] == {"Enabled": False}
    assert config["SmsMfaConfiguration"]["SmsAuthenticationMessage"] == "Your code is {####}"
    assert "AuthenticationResult" in login(idp, client_id, "dee")

    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON")
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL",
                                     SmsMfaConfiguration={"SmsAuthenticationMessage": "no placeholder"})
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.get_user_pool_mfa_config(UserPoolId="us-east-1_Nope00000")


def test_admin_delete_software_token(idp):
    pool_id, client_id = pool_with_mfa(idp, "OPTIONAL")
    make_user(idp, pool_id, "eve", "Sup3r-Secret!")
    at = login(idp, client_id, "eve")["AuthenticationResult"]["AccessToken"]
    secret = idp.associate_software_token(AccessToken=at)["SecretCode"]
    idp.verify_software_token(AccessToken=at, UserCode=pyotp.TOTP(secret).now())
    idp.set_user_mfa_preference(AccessToken=at, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    assert login(idp, client_id, "eve")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    idp.admin_delete_software_token(UserPoolId=pool_id, Username="eve")
    assert "AuthenticationResult" in login(idp, client_id, "eve")
    user = idp.admin_get_user(UserPoolId=pool_id, Username="eve")
    assert "UserMFASettingList" not in user and "PreferredMfaSetting" not in user
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_delete_software_token(UserPoolId=pool_id, Username="nobody")
