"""boto3's cognito-identity client against the emulator's identity pools: pools and roles,
GetId and GetCredentialsForIdentity for a user pool id token and for a guest, GetOpenIdToken
verified by PyJWT, and a request signed by botocore with the issued credentials accepted by the
emulator's SigV4 check."""

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import jwt
import pytest
import requests
from botocore.config import Config

from conftest import make_user

AUTH_ROLE = "arn:aws:iam::123456789012:role/app-authenticated"
GUEST_ROLE = "arn:aws:iam::123456789012:role/app-guest"


@pytest.fixture()
def cid(emulator):
    return boto3.client(
        "cognito-identity",
        endpoint_url=emulator.endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )


def identity_pool(cid, pool, guests):
    created = cid.create_identity_pool(
        IdentityPoolName="app",
        AllowUnauthenticatedIdentities=guests,
        CognitoIdentityProviders=[{
            "ProviderName": f"cognito-idp.us-east-1.amazonaws.com/{pool['pool_id']}",
            "ClientId": pool["client_id"],
            "ServerSideTokenCheck": False,
        }],
    )
    cid.set_identity_pool_roles(IdentityPoolId=created["IdentityPoolId"],
                                Roles={"authenticated": AUTH_ROLE, "unauthenticated": GUEST_ROLE})
    return created


def signed_call(emulator, credentials, body=b'{"q":1}'):
    url = f"{emulator.endpoint}/_emulator/sigv4/prod/items?x=1"
    creds = botocore.credentials.Credentials(credentials["AccessKeyId"], credentials["SecretKey"], credentials["SessionToken"])
    request = botocore.awsrequest.AWSRequest(method="POST", url=url, data=b'{"q":1}', headers={"content-type": "application/json"})
    botocore.auth.SigV4Auth(creds, "execute-api", "us-east-1").add_auth(request)
    return requests.post(url, data=body, headers=dict(request.headers), timeout=5)


def test_pools_roles_and_listing(cid, pool):
    created = identity_pool(cid, pool, guests=False)
    pool_id = created["IdentityPoolId"]
    assert pool_id.startswith("us-east-1:")
    described = cid.describe_identity_pool(IdentityPoolId=pool_id)
    assert described["IdentityPoolName"] == "app"
    assert described["CognitoIdentityProviders"][0]["ClientId"] == pool["client_id"]
    assert cid.get_identity_pool_roles(IdentityPoolId=pool_id)["Roles"] == {"authenticated": AUTH_ROLE, "unauthenticated": GUEST_ROLE}
    second = cid.create_identity_pool(IdentityPoolName="other", AllowUnauthenticatedIdentities=True)["IdentityPoolId"]
    first_page = cid.list_identity_pools(MaxResults=1)
    rest = cid.list_identity_pools(MaxResults=60, NextToken=first_page["NextToken"])
    listed = {p["IdentityPoolId"] for p in first_page["IdentityPools"] + rest["IdentityPools"]}
    assert {pool_id, second} <= listed
    cid.delete_identity_pool(IdentityPoolId=second)
    with pytest.raises(cid.exceptions.ResourceNotFoundException):
        cid.describe_identity_pool(IdentityPoolId=second)


def test_user_pool_login_to_credentials_and_a_signed_request(emulator, idp, cid, pool):
    make_user(idp, pool["pool_id"], "ivan", "Sup3r-Secret!")
    tokens = idp.initiate_auth(ClientId=pool["client_id"], AuthFlow="USER_PASSWORD_AUTH",
                               AuthParameters={"USERNAME": "ivan", "PASSWORD": "Sup3r-Secret!"})["AuthenticationResult"]
    pool_id = identity_pool(cid, pool, guests=False)["IdentityPoolId"]
    provider = f"cognito-idp.us-east-1.amazonaws.com/{pool['pool_id']}"
    logins = {provider: tokens["IdToken"]}

    identity_id = cid.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    assert cid.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"] == identity_id
    with pytest.raises(cid.exceptions.NotAuthorizedException):
        cid.get_id(IdentityPoolId=pool_id)
    with pytest.raises(cid.exceptions.NotAuthorizedException):
        cid.get_id(IdentityPoolId=pool_id, Logins={provider: tokens["AccessToken"]})

    out = cid.get_credentials_for_identity(IdentityId=identity_id, Logins=logins)
    credentials = out["Credentials"]
    assert out["IdentityId"] == identity_id
    assert credentials["AccessKeyId"].startswith("ASIA")
    assert credentials["Expiration"].tzinfo is not None  # botocore parsed the epoch timestamp

    answer = signed_call(emulator, credentials)
    assert answer.status_code == 200, answer.text
    assert answer.json()["identityId"] == identity_id and answer.json()["roleArn"] == AUTH_ROLE
    assert signed_call(emulator, credentials, body=b'{"q":2}').status_code == 403

    token = cid.get_open_id_token(IdentityId=identity_id, Logins=logins)["Token"]
    # Identity pools sign with the service's key, at its own JWKS (not a user pool's).
    jwks = jwt.PyJWKClient(f"{emulator.endpoint}/.well-known/jwks_uri")
    claims = jwt.decode(token, jwks.get_signing_key_from_jwt(token).key, algorithms=["RS256"], audience=pool_id,
                        issuer="https://cognito-identity.amazonaws.com")
    assert claims["sub"] == identity_id and "authenticated" in claims["amr"]


def test_guests_and_missing_roles(emulator, cid, pool):
    pool_id = identity_pool(cid, pool, guests=True)["IdentityPoolId"]
    guest = cid.get_id(IdentityPoolId=pool_id)["IdentityId"]
    credentials = cid.get_credentials_for_identity(IdentityId=guest)["Credentials"]
    answer = signed_call(emulator, credentials)
    assert answer.status_code == 200 and answer.json()["roleArn"] == GUEST_ROLE

    bare = cid.create_identity_pool(IdentityPoolName="bare", AllowUnauthenticatedIdentities=True)["IdentityPoolId"]
    nobody = cid.get_id(IdentityPoolId=bare)["IdentityId"]
    with pytest.raises(cid.exceptions.InvalidIdentityPoolConfigurationException):
        cid.get_credentials_for_identity(IdentityId=nobody)
    with pytest.raises(cid.exceptions.ResourceNotFoundException):
        cid.get_credentials_for_identity(IdentityId="us-east-1:00000000-0000-0000-0000-000000000000")


def test_update_pool_and_manage_identities(idp, cid, pool):
    """UpdateIdentityPool, DescribeIdentity, ListIdentities, UnlinkIdentity, DeleteIdentities."""
    created = identity_pool(cid, pool, guests=True)
    pool_id = created["IdentityPoolId"]
    updated = cid.update_identity_pool(IdentityPoolId=pool_id, IdentityPoolName="renamed",
                                       AllowUnauthenticatedIdentities=False,
                                       CognitoIdentityProviders=created["CognitoIdentityProviders"])
    assert updated["IdentityPoolName"] == "renamed"
    assert cid.describe_identity_pool(IdentityPoolId=pool_id)["AllowUnauthenticatedIdentities"] is False
    assert cid.get_identity_pool_roles(IdentityPoolId=pool_id)["Roles"]["authenticated"] == AUTH_ROLE
    with pytest.raises(cid.exceptions.NotAuthorizedException):
        cid.get_id(IdentityPoolId=pool_id)

    make_user(idp, pool["pool_id"], "ula", "Sup3r-Secret!")
    tokens = idp.initiate_auth(ClientId=pool["client_id"], AuthFlow="USER_PASSWORD_AUTH",
                               AuthParameters={"USERNAME": "ula", "PASSWORD": "Sup3r-Secret!"})["AuthenticationResult"]
    provider = f"cognito-idp.us-east-1.amazonaws.com/{pool['pool_id']}"
    logins = {provider: tokens["IdToken"]}
    identity_id = cid.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    described = cid.describe_identity(IdentityId=identity_id)
    assert described["IdentityId"] == identity_id and described["Logins"] == [provider]
    assert described["CreationDate"].tzinfo is not None
    listed = cid.list_identities(IdentityPoolId=pool_id, MaxResults=10)
    assert listed["IdentityPoolId"] == pool_id
    assert [i["IdentityId"] for i in listed["Identities"]] == [identity_id]

    with pytest.raises(cid.exceptions.NotAuthorizedException):
        cid.unlink_identity(IdentityId=identity_id, Logins={provider: "x.y.z"}, LoginsToRemove=[provider])
    cid.unlink_identity(IdentityId=identity_id, Logins=logins, LoginsToRemove=[provider])
    assert cid.describe_identity(IdentityId=identity_id)["Logins"] == []
    # The login now makes a new identity.
    assert cid.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"] != identity_id

    out = cid.delete_identities(IdentityIdsToDelete=[identity_id])
    assert out["UnprocessedIdentityIds"] == []
    with pytest.raises(cid.exceptions.ResourceNotFoundException):
        cid.describe_identity(IdentityId=identity_id)
    with pytest.raises(cid.exceptions.InvalidParameterException):
        cid.list_identities(IdentityPoolId=pool_id, MaxResults=61)


def test_identity_pool_tags(cid):
    pool_id = cid.create_identity_pool(IdentityPoolName="tagged", AllowUnauthenticatedIdentities=True,
                                       IdentityPoolTags={"team": "auth"})["IdentityPoolId"]
    region = pool_id.split(":")[0]
    arn = f"arn:aws:cognito-identity:{region}:000000000000:identitypool/{pool_id}"
    assert cid.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "auth"}
    cid.tag_resource(ResourceArn=arn, Tags={"env": "ci"})
    cid.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert cid.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "ci"}
    assert cid.describe_identity_pool(IdentityPoolId=pool_id)["IdentityPoolTags"] == {"env": "ci"}
    with pytest.raises(cid.exceptions.ResourceNotFoundException):
        cid.list_tags_for_resource(ResourceArn=arn.replace(pool_id, f"{region}:00000000-0000-0000-0000-000000000000"))


def test_developer_authenticated_identities(cid):
    """GetOpenIdTokenForDeveloperIdentity gives a backend's user an identity and a token that
    GetCredentialsForIdentity accepts; LookupDeveloperIdentity, MergeDeveloperIdentities and
    UnlinkDeveloperIdentity keep the links as Cognito does."""
    pool_id = cid.create_identity_pool(IdentityPoolName="dev", AllowUnauthenticatedIdentities=False,
                                       DeveloperProviderName="login.example")["IdentityPoolId"]
    cid.set_identity_pool_roles(IdentityPoolId=pool_id, Roles={"authenticated": AUTH_ROLE})
    first = cid.get_open_id_token_for_developer_identity(IdentityPoolId=pool_id, Logins={"login.example": "user-1"},
                                                         TokenDuration=3600, PrincipalTags={"team": "red"})
    claims = jwt.decode(first["Token"], options={"verify_signature": False}, audience=pool_id)
    assert claims["sub"] == first["IdentityId"] and claims["exp"] - claims["iat"] == 3600
    assert claims["https://aws.amazon.com/tags"]["principal_tags"] == {"team": ["red"]}
    creds = cid.get_credentials_for_identity(IdentityId=first["IdentityId"], Logins={"cognito-identity.amazonaws.com": first["Token"]})
    assert creds["Credentials"]["AccessKeyId"].startswith("ASIA")
    again = cid.get_open_id_token_for_developer_identity(IdentityPoolId=pool_id, Logins={"login.example": "user-1"})
    assert again["IdentityId"] == first["IdentityId"]
    with pytest.raises(cid.exceptions.NotAuthorizedException):  # another identity's token
        second_pool = cid.create_identity_pool(IdentityPoolName="other", AllowUnauthenticatedIdentities=False, DeveloperProviderName="login.other")["IdentityPoolId"]
        other = cid.get_open_id_token_for_developer_identity(IdentityPoolId=second_pool, Logins={"login.other": "x"})
        cid.get_credentials_for_identity(IdentityId=first["IdentityId"], Logins={"cognito-identity.amazonaws.com": other["Token"]})

    second = cid.get_open_id_token_for_developer_identity(IdentityPoolId=pool_id, Logins={"login.example": "user-2"})
    assert second["IdentityId"] != first["IdentityId"]
    with pytest.raises(cid.exceptions.DeveloperUserAlreadyRegisteredException):
        cid.get_open_id_token_for_developer_identity(IdentityPoolId=pool_id, IdentityId=second["IdentityId"], Logins={"login.example": "user-1"})
    found = cid.lookup_developer_identity(IdentityPoolId=pool_id, DeveloperUserIdentifier="user-1")
    assert (found["IdentityId"], found["DeveloperUserIdentifierList"]) == (first["IdentityId"], ["user-1"])
    with pytest.raises(cid.exceptions.ResourceConflictException):
        cid.lookup_developer_identity(IdentityPoolId=pool_id, IdentityId=second["IdentityId"], DeveloperUserIdentifier="user-1")
    with pytest.raises(cid.exceptions.InvalidParameterException):
        cid.lookup_developer_identity(IdentityPoolId=pool_id)

    merged = cid.merge_developer_identities(IdentityPoolId=pool_id, DeveloperProviderName="login.example",
                                            SourceUserIdentifier="user-2", DestinationUserIdentifier="user-1")
    assert merged["IdentityId"] == first["IdentityId"]
    both = cid.lookup_developer_identity(IdentityPoolId=pool_id, IdentityId=first["IdentityId"])
    assert sorted(both["DeveloperUserIdentifierList"]) == ["user-1", "user-2"]
    with pytest.raises(cid.exceptions.ResourceNotFoundException):
        cid.describe_identity(IdentityId=second["IdentityId"])
    cid.unlink_developer_identity(IdentityId=first["IdentityId"], IdentityPoolId=pool_id, DeveloperProviderName="login.example",
                                  DeveloperUserIdentifier="user-2")
    with pytest.raises(cid.exceptions.ResourceNotFoundException):
        cid.lookup_developer_identity(IdentityPoolId=pool_id, DeveloperUserIdentifier="user-2")
    with pytest.raises(cid.exceptions.ResourceConflictException):
        cid.unlink_developer_identity(IdentityId=first["IdentityId"], IdentityPoolId=pool_id, DeveloperProviderName="login.example",
                                      DeveloperUserIdentifier="user-2")
    fresh = cid.get_open_id_token_for_developer_identity(IdentityPoolId=pool_id, Logins={"login.example": "user-2"})
    assert fresh["IdentityId"] not in (first["IdentityId"], second["IdentityId"])
    with pytest.raises(cid.exceptions.InvalidParameterException):
        cid.merge_developer_identities(IdentityPoolId=pool_id, DeveloperProviderName="login.wrong",
                                       SourceUserIdentifier="user-2", DestinationUserIdentifier="user-1")


def test_principal_tag_attribute_map(cid, pool):
    pool_id = identity_pool(cid, pool, guests=False)["IdentityPoolId"]
    provider = f"cognito-idp.us-east-1.amazonaws.com/{pool['pool_id']}"
    got = cid.get_principal_tag_attribute_map(IdentityPoolId=pool_id, IdentityProviderName=provider)
    assert (got["UseDefaults"], got["PrincipalTags"]) == (True, {})
    out = cid.set_principal_tag_attribute_map(IdentityPoolId=pool_id, IdentityProviderName=provider, UseDefaults=False,
                                              PrincipalTags={"team": "custom:team", "client": "aud"})
    assert out["PrincipalTags"] == {"team": "custom:team", "client": "aud"} and out["UseDefaults"] is False
    assert cid.get_principal_tag_attribute_map(IdentityPoolId=pool_id, IdentityProviderName=provider)["PrincipalTags"] == out["PrincipalTags"]
    with pytest.raises(cid.exceptions.ResourceNotFoundException):
        cid.get_principal_tag_attribute_map(IdentityPoolId=pool_id, IdentityProviderName="accounts.google.com")
