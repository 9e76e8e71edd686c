"""PyJWT verifies the emulator's tokens against its JWKS: RS256 signature, kid, issuer,
audience (id token), client_id and token_use (access token), expiry."""

import jwt
import requests

from conftest import make_user


def test_tokens_verify_against_jwks(emulator, idp, pool):
    make_user(idp, pool["pool_id"], "zoe", "Sup3r-Secret!", name="Zoe", email_verified="true")
    res = idp.initiate_auth(ClientId=pool["client_id"], AuthFlow="USER_PASSWORD_AUTH",
                            AuthParameters={"USERNAME": "zoe", "PASSWORD": "Sup3r-Secret!"})["AuthenticationResult"]
    issuer = f"{emulator.endpoint}/{pool['pool_id']}"
    discovery = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5).json()
    assert discovery["issuer"] == issuer
    jwks = jwt.PyJWKClient(discovery["jwks_uri"])

    id_key = jwks.get_signing_key_from_jwt(res["IdToken"])
    claims = jwt.decode(res["IdToken"], id_key.key, algorithms=["RS256"], audience=pool["client_id"], issuer=issuer)
    assert claims["token_use"] == "id"
    assert claims["cognito:username"] == "zoe"
    assert claims["name"] == "Zoe"
    assert claims["email_verified"] is True  # a JSON boolean, as Cognito sends it
    for claim in ("sub", "auth_time", "iat", "exp", "jti", "origin_jti", "event_id"):
        assert claim in claims

    access_key = jwks.get_signing_key_from_jwt(res["AccessToken"])
    access = jwt.decode(res["AccessToken"], access_key.key, algorithms=["RS256"], issuer=issuer, options={"verify_aud": False})
    assert access["token_use"] == "access"
    assert access["client_id"] == pool["client_id"]
    assert access["scope"] == "aws.cognito.signin.user.admin"
    assert access["username"] == "zoe"
    assert access["origin_jti"] == claims["origin_jti"]
    assert access["exp"] - access["iat"] == 3600

    tampered = res["AccessToken"][:-4] + ("AAAA" if not res["AccessToken"].endswith("AAAA") else "BBBB")
    try:
        jwt.decode(tampered, access_key.key, algorithms=["RS256"], options={"verify_aud": False})
        raise AssertionError("a tampered token verified")
    except jwt.InvalidSignatureError:
        pass


def test_jwks_of_unknown_pool_is_404(emulator):
    assert requests.get(f"{emulator.endpoint}/us-east-1_Nope12345/.well-known/jwks.json", timeout=5).status_code == 404


def test_openssl_reads_the_signing_key_and_signs_the_same_bytes(emulator, idp, pool, tmp_path):
    """The emulator's key, exported with the state, is a key OpenSSL accepts (on CPUs with
    AVX-512 IFMA a four-prime one, in multi-prime PKCS#1), and OpenSSL signing a token's
    header and payload with it gives the emulator's signature byte for byte: RS256 with
    PKCS#1 v1.5 is deterministic, so both did the same RSA."""
    import base64
    import re
    import shutil
    import subprocess

    openssl = shutil.which("openssl")
    assert openssl, "the openssl command line tool is needed (Debian: openssl)"
    make_user(idp, pool["pool_id"], "olga", "Sup3r-Secret!")
    res = idp.initiate_auth(ClientId=pool["client_id"], AuthFlow="USER_PASSWORD_AUTH",
                            AuthParameters={"USERNAME": "olga", "PASSWORD": "Sup3r-Secret!"})["AuthenticationResult"]
    state = requests.get(f"{emulator.endpoint}/_emulator/state", timeout=5).json()
    # The pool's own keys: one signs its id tokens, the other its access tokens.
    pems = next(p for p in state["pools"] if p["id"] == pool["pool_id"])["signing_keys"]
    for token, pem in ((res["IdToken"], pems["id"]), (res["AccessToken"], pems["access"])):
        key = tmp_path / "key.pem"
        key.write_text(pem)
        # `openssl rsa -check` is not used: OpenSSL validates at most three primes for a key
        # under 4096 bits (its own cap), though it reads and signs with four.
        text = subprocess.run([openssl, "rsa", "-in", str(key), "-text", "-noout"],
                              capture_output=True, text=True, check=True).stdout
        assert re.search(r"Private-Key: \(2048 bit, [24] primes\)", text), text[:80]
        header_payload, signature = token.rsplit(".", 1)
        signed = subprocess.run([openssl, "dgst", "-sha256", "-sign", str(key)],
                                input=header_payload.encode(), capture_output=True, check=True).stdout
        assert base64.urlsafe_b64encode(signed).rstrip(b"=").decode() == signature
