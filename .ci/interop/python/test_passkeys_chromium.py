"""Passkeys made and used by headless Chromium's virtual authenticator (WebDriver's
virtual-authenticator commands through Selenium): a page on http://localhost calls
`navigator.credentials.create` with StartWebAuthnRegistration's options and
`navigator.credentials.get` with the WEB_AUTHN challenge's, boto3 carries the browser's answers
to the emulator, and the user signs in with user verification required; the hosted UI's passkey
sign-in, and passkeys as MFA."""

import json
import urllib.parse

import jwt
import requests

from conftest import make_user, needs_browser, wait_until

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


def add_authenticator(browser):
    from selenium.webdriver.common.virtual_authenticator import Protocol, Transport, VirtualAuthenticatorOptions

    options = VirtualAuthenticatorOptions()
    options.protocol = Protocol.CTAP2
    options.transport = Transport.INTERNAL
    options.has_resident_key = True
    options.has_user_verification = True
    options.is_user_verified = True
    browser.add_virtual_authenticator(options)
    browser.set_script_timeout(20)


def test_a_virtual_authenticator_registers_and_signs_in(emulator, idp, browser):
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
    add_authenticator(browser)

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


def test_passkey_sign_in_through_the_hosted_ui_and_as_mfa(emulator, idp, browser):
    """The hosted UI offers a passkey beside the password: its page hands the options to the
    virtual authenticator and posts the assertion back; the redirect carries a code that the
    token endpoint exchanges. With passkey MFA on, the same passkey (user verified) satisfies a
    pool that requires MFA, where the password alone leads to the second factor."""
    from selenium.webdriver.common.by import By

    port = emulator.endpoint.rsplit(":", 1)[1]
    local = f"http://localhost:{port}"
    pool_id = idp.create_user_pool(PoolName="hosted-passkeys",
                                   Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}})["UserPool"]["Id"]
    idp.create_user_pool_domain(Domain="passkeyui", UserPoolId=pool_id)
    webauthn = {"RelyingPartyId": "localhost", "UserVerification": "required"}
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OFF", WebAuthnConfiguration=webauthn)
    callback = f"{local}/_emulator/health"
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid"], CallbackURLs=[callback],
        ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    make_user(idp, pool_id, "hana", PASSWORD)
    token = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH",
                              AuthParameters={"USERNAME": "hana", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD})["AuthenticationResult"]["AccessToken"]
    browser.get(f"{local}/")
    add_authenticator(browser)
    made = browser.execute_async_script(CREATE, idp.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"])
    assert not made.startswith("ERROR"), made
    idp.complete_web_authn_registration(AccessToken=token, Credential=json.loads(made))

    def hosted_passkey_sign_in():
        browser.get(f"{local}/domains/passkeyui/oauth2/authorize?" + urllib.parse.urlencode({
            "response_type": "code", "client_id": client_id, "redirect_uri": callback, "scope": "openid", "state": "s1"}))
        browser.find_element(By.ID, "passkeyUsername").send_keys("hana")
        browser.find_element(By.ID, "passkeySignInButton").click()
        wait_until(browser, lambda d: d.current_url.startswith(callback) or d.find_elements(By.ID, "loginErrorMessage"))
        assert browser.current_url.startswith(callback), browser.page_source
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(browser.current_url).query)
        assert query["state"] == ["s1"]
        tokens = requests.post(f"{local}/domains/passkeyui/oauth2/token", data={
            "grant_type": "authorization_code", "client_id": client_id, "code": query["code"][0], "redirect_uri": callback}, timeout=5).json()
        return jwt.decode(tokens["id_token"], options={"verify_signature": False})

    assert hosted_passkey_sign_in()["cognito:username"] == "hana"
    # The passkey step's page runs only its own script (a hash in its Content-Security-Policy).
    page = requests.post(f"{local}/domains/passkeyui/passkey", data={
        "client_id": client_id, "redirect_uri": callback, "response_type": "code", "username": "hana"}, timeout=5)
    assert "script-src 'sha256-" in page.headers["Content-Security-Policy"] and "passkeyOptions" in page.text

    # Passkey MFA: the pool requires MFA, and the user's verified passkey satisfies it.
    idp.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="ON", EmailMfaConfiguration={},
                                 WebAuthnConfiguration=dict(webauthn, FactorConfiguration="MULTI_FACTOR_WITH_USER_VERIFICATION"))
    idp.admin_set_user_mfa_preference(UserPoolId=pool_id, Username="hana", EmailMfaSettings={"Enabled": True},
                                      WebAuthnMfaSettings={"Enabled": True})
    by_password = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH",
                                    AuthParameters={"USERNAME": "hana", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD})
    assert by_password["ChallengeName"] == "EMAIL_OTP"
    first = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "hana", "PREFERRED_CHALLENGE": "WEB_AUTHN"})
    asserted = browser.execute_async_script(GET, json.loads(first["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]))
    assert not asserted.startswith("ERROR"), asserted
    signed = idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="WEB_AUTHN", Session=first["Session"],
                                           ChallengeResponses={"USERNAME": "hana", "CREDENTIAL": asserted})
    assert "AccessToken" in signed["AuthenticationResult"]
    assert hosted_passkey_sign_in()["cognito:username"] == "hana"
