"""Machine tokens and token exchange driven by boto3, the issued JWTs checked by PyJWT against
the pool's JWKS: GetClientToken (client secret, resource-server scopes) and GetDerivedToken
(impersonation and delegation with `act`, narrowed scopes and audience, revoked subjects
refused)."""

import jwt
import pytest

from conftest import make_user

PASSWORD = "Sup3r-Secret!"


def claims(emulator, pool_id, token, audience=None):
    keys = jwt.PyJWKClient(f"{emulator.endpoint}/{pool_id}/.well-known/jwks.json")
    key = keys.get_signing_key_from_jwt(token).key
    return jwt.decode(token, key, algorithms=["RS256"], audience=audience, options={"verify_aud": audience is not None})


@pytest.fixture()
def setup(idp):
    pool_id = idp.create_user_pool(PoolName="m2m")["UserPool"]["Id"]
    idp.create_resource_server(UserPoolId=pool_id, Identifier="api", Name="api",
                               Scopes=[{"ScopeName": "read", "ScopeDescription": "r"}, {"ScopeName": "write", "ScopeDescription": "w"}])
    m2m = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="m2m", GenerateSecret=True, AllowedOAuthFlows=["client_credentials"],
                                      AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthScopes=["api/read", "api/write"],
                                      ExplicitAuthFlows=["ALLOW_TOKEN_EXCHANGE_IMPERSONATION", "ALLOW_TOKEN_EXCHANGE_DELEGATION"])["UserPoolClient"]
    app = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]
    make_user(idp, pool_id, "uma", PASSWORD)
    return pool_id, m2m, app


def test_get_client_token(emulator, idp, setup):
    pool_id, m2m, app = setup
    out = idp.get_client_token(ClientId=m2m["ClientId"], Secret=m2m["ClientSecret"])["ClientAuthenticationResult"]
    assert out["TokenType"] == "Bearer" and out["ExpiresIn"] == 3600
    c = claims(emulator, pool_id, out["AccessToken"])
    assert (c["sub"], c["client_id"], c["token_use"], c["scope"]) == (m2m["ClientId"], m2m["ClientId"], "access", "api/read api/write")
    narrow = idp.get_client_token(ClientId=m2m["ClientId"], Secret=m2m["ClientSecret"], Scopes=["api/read"])["ClientAuthenticationResult"]
    assert claims(emulator, pool_id, narrow["AccessToken"])["scope"] == "api/read"
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_client_token(ClientId=m2m["ClientId"], Secret="x" * 40)
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.get_client_token(ClientId=m2m["ClientId"], Secret=m2m["ClientSecret"], Scopes=["api/admin"])
    plain = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="plain", GenerateSecret=True)["UserPoolClient"]
    with pytest.raises(idp.exceptions.OperationNotEnabledException):
        idp.get_client_token(ClientId=plain["ClientId"], Secret=plain["ClientSecret"])


def test_get_derived_token(emulator, idp, setup):
    pool_id, m2m, app = setup
    signed_in = idp.initiate_auth(ClientId=app["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": "uma", "PASSWORD": PASSWORD})["AuthenticationResult"]
    user_sub = claims(emulator, pool_id, signed_in["AccessToken"])["sub"]
    base = {"ClientId": m2m["ClientId"], "ClientSecret": m2m["ClientSecret"], "SubjectToken": signed_in["AccessToken"], "SubjectTokenType": "ACCESS_TOKEN"}

    out = idp.get_derived_token(**base, Scopes=["api/read"], Audiences=["https://api.example.com"])
    assert (out["IssuedTokenType"], out["TokenType"], out["Scopes"]) == ("ACCESS_TOKEN", "Bearer", ["api/read"])
    c = claims(emulator, pool_id, out["IssuedToken"], audience="https://api.example.com")
    assert (c["sub"], c["client_id"], c["scope"], c["username"]) == (user_sub, m2m["ClientId"], "api/read", "uma")
    assert "act" not in c

    actor = idp.get_client_token(ClientId=m2m["ClientId"], Secret=m2m["ClientSecret"])["ClientAuthenticationResult"]["AccessToken"]
    delegated = idp.get_derived_token(**base, ActorToken=actor, ActorTokenType="ACCESS_TOKEN", Scopes=["api/write"])
    d = claims(emulator, pool_id, delegated["IssuedToken"])
    assert d["sub"] == user_sub and d["act"] == {"sub": m2m["ClientId"], "client_id": m2m["ClientId"]}

    as_id = idp.get_derived_token(**{**base, "SubjectToken": signed_in["IdToken"], "SubjectTokenType": "ID_TOKEN"}, RequestedTokenType="ID_TOKEN")
    assert (as_id["IssuedTokenType"], as_id["TokenType"]) == ("ID_TOKEN", "N_A")
    i = claims(emulator, pool_id, as_id["IssuedToken"], audience=m2m["ClientId"])
    assert (i["token_use"], i["sub"], i["email"]) == ("id", user_sub, "uma@example.com")

    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.get_derived_token(**base, Scopes=["api/admin"])
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.get_derived_token(**{**base, "SubjectTokenType": "SAML2"})
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_derived_token(**{**base, "SubjectToken": signed_in["IdToken"]})  # an id token called an access token
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_derived_token(**{**base, "ClientSecret": "y" * 40})
    with pytest.raises(idp.exceptions.OperationNotEnabledException):
        idp.get_derived_token(ClientId=app["ClientId"], SubjectToken=signed_in["AccessToken"], SubjectTokenType="ACCESS_TOKEN")
    idp.global_sign_out(AccessToken=signed_in["AccessToken"])
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_derived_token(**base)
