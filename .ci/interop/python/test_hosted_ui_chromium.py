"""The hosted UI in headless Chromium (Debian's chromium and chromedriver, driven by
Selenium): authorize with PKCE S256 → the sign-in page (a wrong password first) → the redirect
with a code → the token exchange with requests → tokens verified by PyJWT and userInfo."""

import base64
import hashlib
import secrets
import urllib.parse

import jwt
import requests

from conftest import make_user, needs_browser, wait_until

pytestmark = needs_browser


def test_sign_in_through_the_hosted_page(emulator, idp, browser):
    from selenium.webdriver.common.by import By

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
    error = wait_until(browser, lambda d: d.find_element(By.ID, "loginErrorMessage"))
    assert error.text == "Incorrect username or password."
    submit("Sup3r-Secret!")
    wait_until(browser, lambda d: d.current_url.startswith(callback))
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


SVG_LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#123456"/></svg>'


def test_sign_up_page_with_terms_and_branding(emulator, idp, browser):
    """The sign-in page's sign-up link → the sign-up page with the client's terms links and its
    managed login branding (button and page colors, form logo) → a refused weak password → the
    code from the outbox → the redirect with a code, exchanged for the new user's tokens."""
    from selenium.webdriver.common.by import By

    pool_id = idp.create_user_pool(PoolName="signup", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
    idp.create_user_pool_domain(Domain="signupui", UserPoolId=pool_id)
    callback = f"{emulator.endpoint}/_emulator/health"
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"], CallbackURLs=[callback], GenerateSecret=True,
    )["UserPoolClient"]
    secret = client_id["ClientSecret"]
    client_id = client_id["ClientId"]
    for name, url in [("terms-of-use", "https://example.com/terms"), ("privacy-policy", "https://example.com/privacy")]:
        idp.create_terms(UserPoolId=pool_id, ClientId=client_id, TermsName=name, TermsSource="LINK",
                         Enforcement="NONE", Links={"cognito:default": url})
    idp.create_managed_login_branding(UserPoolId=pool_id, ClientId=client_id, Settings={
        "components": {"primaryButton": {"lightMode": {"defaults": {"backgroundColor": "ff0000ff", "textColor": "ffffffff"}}},
                       "pageBackground": {"lightMode": {"color": "00ff00ff"}}}},
        Assets=[{"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "SVG", "Bytes": SVG_LOGO}])
    base = f"{emulator.endpoint}/domains/signupui"
    browser.get(f"{base}/oauth2/authorize?" + urllib.parse.urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": callback, "scope": "openid email", "state": "s2"}))
    browser.find_element(By.ID, "signUpLink").click()
    wait_until(browser, lambda d: d.find_elements(By.ID, "signUpButton"))
    assert browser.find_element(By.ID, "termsOfUseLink").get_attribute("href") == "https://example.com/terms"
    assert browser.find_element(By.ID, "privacyPolicyLink").get_attribute("href") == "https://example.com/privacy"
    assert browser.execute_script("return document.getElementById('formLogo').naturalWidth") == 40
    button = browser.find_element(By.ID, "signUpButton")
    assert button.value_of_css_property("background-color") == "rgba(255, 0, 0, 1)"
    assert browser.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(0, 255, 0)"

    def fill(password):
        for field, value in [("signUpUsername", "nora"), ("signUpEmail", "nora@example.com"), ("signUpPassword", password)]:
            browser.find_element(By.ID, field).clear()
            browser.find_element(By.ID, field).send_keys(value)
        browser.find_element(By.ID, "signUpButton").click()

    fill("short")
    error = wait_until(browser, lambda d: d.find_elements(By.ID, "signUpErrorMessage"))[0]
    assert "Password" in error.text
    fill("Sup3r-Secret!")
    wait_until(browser, lambda d: d.find_elements(By.ID, "confirmCode"))
    assert idp.admin_get_user(UserPoolId=pool_id, Username="nora")["UserStatus"] == "UNCONFIRMED"
    browser.find_element(By.ID, "confirmCode").send_keys(emulator.last_code(pool_id, "nora"))
    browser.find_element(By.ID, "confirmButton").click()
    wait_until(browser, lambda d: d.current_url.startswith(callback))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(browser.current_url).query)
    assert query["state"] == ["s2"]
    tokens = requests.post(f"{base}/oauth2/token", auth=(client_id, secret), data={
        "grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": callback}, timeout=5).json()
    assert jwt.decode(tokens["id_token"], options={"verify_signature": False})["cognito:username"] == "nora"
    assert idp.admin_get_user(UserPoolId=pool_id, Username="nora")["UserStatus"] == "CONFIRMED"
