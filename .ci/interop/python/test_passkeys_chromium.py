"""Passkeys made and used by headless Chromium's virtual authenticator (WebDriver's
virtual-authenticator commands through Selenium): a page on http://localhost calls
`navigator.credentials.create` with StartWebAuthnRegistration's options and
`navigator.credentials.get` with the WEB_AUTHN challenge's, boto3 carries the browser's answers
to the emulator, and the user signs in with user verification required."""

import json

from conftest import make_user, needs_browser

pytestmark = needs_browser

PASSWORD = "Sup3r-Secret!"

CREATE = """
const [options, done] = arguments;
navigator.credentials.create({publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options)})
  .then(c => done(JSON.stringify(c.toJSON())), e => done("ERROR " + e.name + ": " + e.message));
"""
GET = """
const [options, done] = arguments;
navigator.credentials.get({publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options)})
  .then(c => done(JSON.stringify(c.toJSON())), e => done("ERROR " + e.name + ": " + e.message));
"""


def test_a_virtual_authenticator_registers_and_signs_in(emulator, idp, browser):
    from selenium.webdriver.common.virtual_authenticator import Protocol, Transport, VirtualAuthenticatorOptions

    pool_id = idp.create_user_pool(PoolName="browser-passkeys",
                                   Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}})["UserPool"]["Id"]
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OFF",
                                 WebAuthnConfiguration={"RelyingPartyId": "localhost", "UserVerification": "required"})
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web",
                                            ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    make_user(idp, pool_id, "vera", PASSWORD)
    token = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH",
                              AuthParameters={"USERNAME": "vera", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD})["AuthenticationResult"]["AccessToken"]

    # A page of the emulator's on http://localhost: a secure context whose origin the RP id allows.
    port = emulator.endpoint.rsplit(":", 1)[1]
    browser.get(f"http://localhost:{port}/")
    options = VirtualAuthenticatorOptions()
    options.protocol = Protocol.CTAP2
    options.transport = Transport.INTERNAL
    options.has_resident_key = True
    options.has_user_verification = True
    options.is_user_verified = True
    browser.add_virtual_authenticator(options)
    browser.set_script_timeout(20)

    creation = idp.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    made = browser.execute_async_script(CREATE, creation)
    assert not made.startswith("ERROR"), made
    credential = json.loads(made)
    idp.complete_web_authn_registration(AccessToken=token, Credential=credential)
    assert len(browser.get_credentials()) == 1
    listed = idp.list_web_authn_credentials(AccessToken=token)["Credentials"]
    assert [c["CredentialId"] for c in listed] == [credential["id"]]

    first = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "vera", "PREFERRED_CHALLENGE": "WEB_AUTHN"})
    assert first["ChallengeName"] == "WEB_AUTHN"
    request = json.loads(first["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    asserted = browser.execute_async_script(GET, request)
    assert not asserted.startswith("ERROR"), asserted
    signed = idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="WEB_AUTHN", Session=first["Session"],
                                           ChallengeResponses={"USERNAME": "vera", "CREDENTIAL": asserted})
    assert idp.get_user(AccessToken=signed["AuthenticationResult"]["AccessToken"])["Username"] == "vera"

    # The same assertion for a new challenge is refused (its challenge and sign count are spent).
    second = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "vera", "PREFERRED_CHALLENGE": "WEB_AUTHN"})
    try:
        idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="WEB_AUTHN", Session=second["Session"],
                                      ChallengeResponses={"USERNAME": "vera", "CREDENTIAL": asserted})
        raise AssertionError("a replayed assertion signed in")
    except idp.exceptions.NotAuthorizedException:
        pass
