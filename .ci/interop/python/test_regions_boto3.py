"""One emulator, several regions, as Cognito's regional endpoints: boto3 clients configured for
different regions create pools and identity pools whose ids and ARNs carry their region, and
each lists only its region's pools. Unsigned calls (sign-in by client id) reach a pool in any
region."""

import boto3
from botocore.config import Config

from conftest import make_user


def client(emulator, service, region):
    return boto3.client(service, endpoint_url=emulator.endpoint, region_name=region, aws_access_key_id="test",
                        aws_secret_access_key="test", config=Config(retries={"mode": "standard", "total_max_attempts": 1}))


def test_pools_carry_the_region_the_client_asked_for(emulator):
    eu, us = client(emulator, "cognito-idp", "eu-west-1"), client(emulator, "cognito-idp", "us-east-1")
    eu_pool = eu.create_user_pool(PoolName="in-ireland")["UserPool"]
    us_pool = us.create_user_pool(PoolName="in-virginia")["UserPool"]
    assert eu_pool["Id"].startswith("eu-west-1_") and ":eu-west-1:" in eu_pool["Arn"]
    assert us_pool["Id"].startswith("us-east-1_") and ":us-east-1:" in us_pool["Arn"]
    eu_ids = {p["Id"] for p in eu.list_user_pools(MaxResults=60)["UserPools"]}
    us_ids = {p["Id"] for p in us.list_user_pools(MaxResults=60)["UserPools"]}
    assert eu_pool["Id"] in eu_ids and us_pool["Id"] not in eu_ids
    assert us_pool["Id"] in us_ids and eu_pool["Id"] not in us_ids
    assert all(i.startswith("eu-west-1_") for i in eu_ids)

    client_id = eu.create_user_pool_client(UserPoolId=eu_pool["Id"], ClientName="app",
                                           ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    make_user(eu, eu_pool["Id"], "niamh", "Sup3r-Secret!")
    # InitiateAuth is unsigned: the client id finds the pool whatever region the caller names.
    out = us.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "niamh", "PASSWORD": "Sup3r-Secret!"})
    assert "AccessToken" in out["AuthenticationResult"]

    cid_eu, cid_us = client(emulator, "cognito-identity", "eu-west-1"), client(emulator, "cognito-identity", "us-east-1")
    identity_pool = cid_eu.create_identity_pool(IdentityPoolName="ireland", AllowUnauthenticatedIdentities=True)["IdentityPoolId"]
    assert identity_pool.startswith("eu-west-1:")
    assert identity_pool in {p["IdentityPoolId"] for p in cid_eu.list_identity_pools(MaxResults=60)["IdentityPools"]}
    assert identity_pool not in {p["IdentityPoolId"] for p in cid_us.list_identity_pools(MaxResults=60)["IdentityPools"]}
