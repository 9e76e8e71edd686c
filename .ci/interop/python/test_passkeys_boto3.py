"""Passkeys driven by boto3 with a software authenticator nobody here wrote (soft-webauthn, on
python-fido2): StartWebAuthnRegistration's options go to the authenticator, its attestation to
CompleteWebAuthnRegistration; USER_AUTH offers WEB_AUTHN, and the authenticator's assertion
signs the user in. Every tampered variant is refused: another origin, another relying party, a
replayed assertion, an unknown credential, a broken signature, a ceremony answered twice."""

import base64
import copy
import json
import os

import pytest
from soft_webauthn import SoftWebauthnDevice

from conftest import make_user

ORIGIN = "http://localhost:8443"
PASSWORD = "Sup3r-Secret!"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def creation_for_device(options):
    o = copy.deepcopy(options)
    o["challenge"] = unb64(o["challenge"])
    o["user"]["id"] = unb64(o["user"]["id"])
    return {"publicKey": o}


def request_for_device(options):
    o = copy.deepcopy(options)
    o["challenge"] = unb64(o["challenge"])
    return {"publicKey": o}


def registration_json(att):
    return {"id": b64(att["rawId"]), "rawId": b64(att["rawId"]), "type": "public-key",
            "response": {"clientDataJSON": b64(att["response"]["clientDataJSON"]),
                         "attestationObject": b64(att["response"]["attestationObject"]), "transports": ["internal"]},
            "clientExtensionResults": {}, "authenticatorAttachment": "platform"}


def assertion_json(ass):
    return json.dumps({"id": b64(ass["rawId"]), "rawId": b64(ass["rawId"]), "type": "public-key",
                       "response": {"clientDataJSON": b64(ass["response"]["clientDataJSON"]),
                                    "authenticatorData": b64(ass["response"]["authenticatorData"]),
                                    "signature": b64(ass["response"]["signature"]),
                                    "userHandle": b64(ass["response"]["userHandle"])},
                       "clientExtensionResults": {}, "authenticatorAttachment": "platform"})


@pytest.fixture()
def passkey_pool(idp):
    pool_id = idp.create_user_pool(PoolName="passkeys", AutoVerifiedAttributes=["email"],
                                   Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}})["UserPool"]["Id"]
    # soft-webauthn never verifies the user (UV flag off): the pool prefers verification.
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OFF",
                                 WebAuthnConfiguration={"RelyingPartyId": "localhost", "UserVerification": "preferred"})
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web",
                                            ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    make_user(idp, pool_id, "pat", PASSWORD)
    token = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH",
                              AuthParameters={"USERNAME": "pat", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD})["AuthenticationResult"]["AccessToken"]
    return pool_id, client_id, token


def register(idp, token, device, origin=ORIGIN):
    options = idp.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    attestation = device.create(creation_for_device(options), origin)
    return options, registration_json(attestation)


def passkey_challenge(idp, client_id):
    first = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "pat", "PREFERRED_CHALLENGE": "WEB_AUTHN"})
    assert first["ChallengeName"] == "WEB_AUTHN", first
    return first["Session"], json.loads(first["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])


def answer(idp, client_id, session, credential):
    return idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="WEB_AUTHN", Session=session,
                                         ChallengeResponses={"USERNAME": "pat", "CREDENTIAL": credential})


def test_register_list_sign_in_and_delete(idp, passkey_pool):
    pool_id, client_id, token = passkey_pool
    device = SoftWebauthnDevice()
    options, credential = register(idp, token, device)
    assert options["rp"]["id"] == "localhost" and options["user"]["name"] == "pat"
    idp.complete_web_authn_registration(AccessToken=token, Credential=credential)
    listed = idp.list_web_authn_credentials(AccessToken=token)["Credentials"]
    assert [(c["CredentialId"], c["RelyingPartyId"], c["AuthenticatorAttachment"]) for c in listed] == [(credential["id"], "localhost", "platform")]
    # A second registration excludes the passkey the user has.
    again = idp.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    assert [c["id"] for c in again["excludeCredentials"]] == [credential["id"]]

    first = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "pat"})
    assert "WEB_AUTHN" in first["AvailableChallenges"]
    session, request = passkey_challenge(idp, client_id)
    assert [c["id"] for c in request["allowCredentials"]] == [credential["id"]]
    signed = answer(idp, client_id, session, assertion_json(device.get(request_for_device(request), ORIGIN)))
    assert idp.get_user(AccessToken=signed["AuthenticationResult"]["AccessToken"])["Username"] == "pat"

    idp.delete_web_authn_credential(AccessToken=token, CredentialId=credential["id"])
    assert idp.list_web_authn_credentials(AccessToken=token)["Credentials"] == []
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.delete_web_authn_credential(AccessToken=token, CredentialId=credential["id"])
    first = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "pat"})
    assert "WEB_AUTHN" not in first["AvailableChallenges"]


def test_tampered_registrations_are_refused(idp, passkey_pool):
    pool_id, client_id, token = passkey_pool
    _, wrong_origin = register(idp, token, SoftWebauthnDevice(), origin="https://evil.example")
    with pytest.raises(idp.exceptions.WebAuthnOriginNotAllowedException):
        idp.complete_web_authn_registration(AccessToken=token, Credential=wrong_origin)
    # The ceremony is spent: answering it again finds none.
    with pytest.raises(idp.exceptions.WebAuthnChallengeNotFoundException):
        idp.complete_web_authn_registration(AccessToken=token, Credential=wrong_origin)
    options = idp.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    device = SoftWebauthnDevice()
    options["rp"]["id"] = "elsewhere.example"  # the authenticator signs for another RP id
    with pytest.raises(idp.exceptions.WebAuthnRelyingPartyMismatchException):
        idp.complete_web_authn_registration(AccessToken=token, Credential=registration_json(device.create(creation_for_device(options), ORIGIN)))
    options = idp.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    options["challenge"] = b64(os.urandom(16))  # a challenge the emulator never issued
    with pytest.raises(idp.exceptions.WebAuthnChallengeNotFoundException):
        idp.complete_web_authn_registration(AccessToken=token, Credential=registration_json(SoftWebauthnDevice().create(creation_for_device(options), ORIGIN)))
    other_pool = idp.create_user_pool(PoolName="no-passkeys")["UserPool"]["Id"]
    other_client = idp.create_user_pool_client(UserPoolId=other_pool, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]["ClientId"]
    make_user(idp, other_pool, "pat", PASSWORD)
    other_token = idp.initiate_auth(ClientId=other_client, AuthFlow="USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": "pat", "PASSWORD": PASSWORD})["AuthenticationResult"]["AccessToken"]
    with pytest.raises(idp.exceptions.WebAuthnNotEnabledException):
        idp.start_web_authn_registration(AccessToken=other_token)


def test_user_verification_required_refuses_an_authenticator_without_it(idp, passkey_pool):
    pool_id, client_id, token = passkey_pool
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OFF",
                                 WebAuthnConfiguration={"RelyingPartyId": "localhost", "UserVerification": "required"})
    options, credential = register(idp, token, SoftWebauthnDevice())  # UV flag off
    assert options["authenticatorSelection"]["userVerification"] == "required"
    with pytest.raises(idp.exceptions.WebAuthnCredentialNotSupportedException):
        idp.complete_web_authn_registration(AccessToken=token, Credential=credential)
    assert idp.list_web_authn_credentials(AccessToken=token)["Credentials"] == []


def test_tampered_assertions_are_refused(idp, passkey_pool):
    pool_id, client_id, token = passkey_pool
    device = SoftWebauthnDevice()
    _, credential = register(idp, token, device)
    idp.complete_web_authn_registration(AccessToken=token, Credential=credential)

    session, request = passkey_challenge(idp, client_id)
    good = assertion_json(device.get(request_for_device(request), ORIGIN))
    signed = answer(idp, client_id, session, good)
    assert "AccessToken" in signed["AuthenticationResult"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):  # replayed: the session is spent
        answer(idp, client_id, session, good)

    session, request = passkey_challenge(idp, client_id)
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        answer(idp, client_id, session, assertion_json(device.get(request_for_device(request), "https://evil.example")))

    session, request = passkey_challenge(idp, client_id)
    broken = json.loads(assertion_json(device.get(request_for_device(request), ORIGIN)))
    signature = bytearray(unb64(broken["response"]["signature"]))
    signature[-1] ^= 1
    broken["response"]["signature"] = b64(bytes(signature))
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        answer(idp, client_id, session, json.dumps(broken))

    session, request = passkey_challenge(idp, client_id)
    stranger = SoftWebauthnDevice()  # a passkey the user never registered, claiming their handle
    stranger.cred_init("localhost", device.user_handle)
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        answer(idp, client_id, session, assertion_json(stranger.get(request_for_device(request), ORIGIN)))

    session, request = passkey_challenge(idp, client_id)
    stale = json.loads(good)  # an old assertion for a new challenge
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        answer(idp, client_id, session, json.dumps(stale))


def test_passkey_mfa_needs_the_pool_setting_another_factor_and_user_verification(idp, passkey_pool):
    pool_id, client_id, token = passkey_pool
    device = SoftWebauthnDevice()
    _, credential = register(idp, token, device)
    idp.complete_web_authn_registration(AccessToken=token, Credential=credential)
    webauthn = {"RelyingPartyId": "localhost", "UserVerification": "preferred"}
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL", EmailMfaConfiguration={},
                                 WebAuthnConfiguration=dict(webauthn, FactorConfiguration="SINGLE_FACTOR"))
    # The pool keeps passkeys a single factor: a user cannot make them their MFA.
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.set_user_mfa_preference(AccessToken=token, WebAuthnMfaSettings={"Enabled": True})
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON", EmailMfaConfiguration={},
                                 WebAuthnConfiguration=dict(webauthn, FactorConfiguration="MULTI_FACTOR_WITH_USER_VERIFICATION"))
    assert idp.get_user_pool_mfa_config(UserPoolId=pool_id)["WebAuthnConfiguration"]["FactorConfiguration"] == "MULTI_FACTOR_WITH_USER_VERIFICATION"
    # MFA is required and the user's passkey is not their MFA: a passkey alone is not on offer.
    first = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "pat"})
    assert "WEB_AUTHN" not in first["AvailableChallenges"]
    # Passkey MFA alone would lock the user out: another factor must be enabled beside it.
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.admin_set_user_mfa_preference(UserPoolId=pool_id, Username="pat", WebAuthnMfaSettings={"Enabled": True})
    idp.admin_set_user_mfa_preference(UserPoolId=pool_id, Username="pat", EmailMfaSettings={"Enabled": True},
                                      WebAuthnMfaSettings={"Enabled": True})
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.admin_set_user_mfa_preference(UserPoolId=pool_id, Username="pat", EmailMfaSettings={"Enabled": False})
    # Now the passkey is on offer, and it must verify the user (soft-webauthn never does).
    first = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "pat"})
    assert "WEB_AUTHN" in first["AvailableChallenges"]
    session, request = passkey_challenge(idp, client_id)
    assert request["userVerification"] == "required"
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        answer(idp, client_id, session, assertion_json(device.get(request_for_device(request), ORIGIN)))
    # The password still leads to the required second factor.
    signed = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH",
                               AuthParameters={"USERNAME": "pat", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD})
    assert signed["ChallengeName"] == "EMAIL_OTP"
