"""The hosted UI in headless Chromium (Debian's chromium and chromedriver, driven by
Selenium): authorize with PKCE S256 → the sign-in page (a wrong password first) → the redirect
with a code → the token exchange with requests → tokens verified by PyJWT and userInfo."""

import base64
import hashlib
import secrets
import urllib.parse

import jwt
import requests

from conftest import make_user, needs_browser

pytestmark = needs_browser


def test_sign_in_through_the_hosted_page(emulator, idp, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    pool_id = idp.create_user_pool(PoolName="hosted")["UserPool"]["Id"]
    idp.create_user_pool_domain(Domain="hostedui", UserPoolId=pool_id)
    callback = f"{emulator.endpoint}/_emulator/health"
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid", "email"], CallbackURLs=[callback],
        ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    make_user(idp, pool_id, "wendy", "Sup3r-Secret!", email_verified="true")
    domain = idp.describe_user_pool_domain(Domain="hostedui")["DomainDescription"]
    assert domain["UserPoolId"] == pool_id and domain["Status"] == "ACTIVE"
    base = f"{emulator.endpoint}/domains/hostedui"

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    state = secrets.token_urlsafe(16)
    browser.get(f"{base}/oauth2/authorize?" + urllib.parse.urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": callback, "scope": "openid email",
        "state": state, "code_challenge": challenge, "code_challenge_method": "S256",
    }))

    def submit(password):
        browser.find_element(By.ID, "signInFormUsername").clear()
        browser.find_element(By.ID, "signInFormUsername").send_keys("wendy")
        browser.find_element(By.ID, "signInFormPassword").send_keys(password)
        browser.find_element(By.ID, "signInSubmitButton").click()

    submit("wrong-password")
    error = WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.ID, "loginErrorMessage")))
    assert error.text == "Incorrect username or password."
    submit("Sup3r-Secret!")
    WebDriverWait(browser, 10).until(lambda d: d.current_url.startswith(callback))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(browser.current_url).query)
    assert query["state"] == [state]

    tokens = requests.post(f"{base}/oauth2/token", data={
        "grant_type": "authorization_code", "client_id": client_id, "code": query["code"][0],
        "redirect_uri": callback, "code_verifier": verifier,
    }, timeout=5).json()
    issuer = f"{emulator.endpoint}/{pool_id}"
    jwks = jwt.PyJWKClient(f"{issuer}/.well-known/jwks.json")
    claims = jwt.decode(tokens["id_token"], jwks.get_signing_key_from_jwt(tokens["id_token"]).key,
                        algorithms=["RS256"], audience=client_id, issuer=issuer)
    assert claims["cognito:username"] == "wendy"
    info = requests.get(f"{base}/oauth2/userInfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=5).json()
    assert info["email"] == "wendy@example.com"

    # The same code a second time, or without the verifier, is refused.
    again = requests.post(f"{base}/oauth2/token", data={
        "grant_type": "authorization_code", "client_id": client_id, "code": query["code"][0],
        "redirect_uri": callback, "code_verifier": verifier,
    }, timeout=5)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
