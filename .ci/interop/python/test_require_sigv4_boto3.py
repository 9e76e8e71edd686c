"""`--require-sigv4` as boto3 sees it: the operations Cognito serves only to AWS credentials
must be signed with a configured key pair, and each way of getting that wrong fails with the
error AWS gives; the operations the service model marks unauthenticated need no signature.
The list of which is which is checked against botocore's own service model."""

import datetime
import uuid

import boto3
import botocore
import botocore.session
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError
from freezegun import freeze_time

from conftest import Emulator

AKID, SECRET = "AKIAEMULATOREXAMPLE1", "emulator/secret/EXAMPLEKEY"
NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.fixture(scope="module")
def signed_emulator():
    emu = Emulator("--require-sigv4", f"{AKID}:{SECRET}")
    yield emu
    emu.stop()


def client(emu, service="cognito-idp", key=AKID, secret=SECRET, token=None, **config):
    return boto3.client(
        service,
        endpoint_url=emu.endpoint,
        region_name="eu-west-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=NO_RETRY.merge(Config(**config)),
    )


def code_of(call):
    with pytest.raises(ClientError) as e:
        call()
    return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]


def test_signed_admin_calls_work_and_public_ones_need_no_signature(signed_emulator):
    idp = client(signed_emulator)
    pool = idp.create_user_pool(PoolName=f"sig-{uuid.uuid4().hex[:6]}")["UserPool"]["Id"]
    app = idp.create_user_pool_client(
        UserPoolId=pool, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool, Username="ann", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username="ann", Password="Passw0rd!x", Permanent=True)

    unsigned = client(signed_emulator, signature_version=botocore.UNSIGNED)
    tokens = unsigned.initiate_auth(
        ClientId=app, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "ann", "PASSWORD": "Passw0rd!x"}
    )["AuthenticationResult"]
    assert unsigned.get_user(AccessToken=tokens["AccessToken"])["Username"] == "ann"

    identity = client(signed_emulator, "cognito-identity")
    created = identity.create_identity_pool(IdentityPoolName="p", AllowUnauthenticatedIdentities=True)
    assert created["IdentityPoolId"].startswith("eu-west-1:") or ":" in created["IdentityPoolId"]
    assert code_of(lambda: client(signed_emulator, "cognito-identity", signature_version=botocore.UNSIGNED)
                   .list_identity_pools(MaxResults=5))[0] == "MissingAuthenticationTokenException"


def test_each_bad_signature_fails_as_aws_fails_it(signed_emulator):
    unsigned = client(signed_emulator, signature_version=botocore.UNSIGNED)
    assert code_of(lambda: unsigned.list_user_pools(MaxResults=5)) == (
        "MissingAuthenticationTokenException", "Missing Authentication Token")

    wrong_secret = client(signed_emulator, secret="not-the-secret")
    code, message = code_of(lambda: wrong_secret.list_user_pools(MaxResults=5))
    assert code == "InvalidSignatureException"
    assert message.startswith("The request signature we calculated does not match")

    unknown = client(signed_emulator, key="AKIAUNKNOWNKEY000000")
    assert code_of(lambda: unknown.list_user_pools(MaxResults=5)) == (
        "UnrecognizedClientException", "The security token included in the request is invalid.")

    # A long-term key presented with a session token is not a credential AWS knows.
    with_token = client(signed_emulator, token="FwoGZXIvYXdzEXAMPLE")
    assert code_of(lambda: with_token.list_user_pools(MaxResults=5))[0] == "UnrecognizedClientException"

    # Signed for another service.
    wrong_service = client(signed_emulator)
    wrong_service._request_signer._signing_name = "s3"
    code, message = code_of(lambda: wrong_service.list_user_pools(MaxResults=5))
    assert code == "InvalidSignatureException" and "cognito-idp" in message

    # Signed an hour ago: outside AWS's five minutes either way.
    stale = client(signed_emulator)
    an_hour_ago = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
    with freeze_time(an_hour_ago):
        code, message = code_of(lambda: stale.list_user_pools(MaxResults=5))
    assert code == "InvalidSignatureException" and message.startswith("Signature expired:")
    with freeze_time(an_hour_ago + datetime.timedelta(hours=2)):
        code, message = code_of(lambda: stale.list_user_pools(MaxResults=5))
    assert code == "InvalidSignatureException" and message.startswith("Signature not yet current:")


def test_the_body_is_covered_by_the_signature(signed_emulator):
    """A signed request whose body changes on the way is refused."""
    idp = client(signed_emulator)

    def tamper(request, **_):
        request.body = request.body.replace(b'"MaxResults": 5', b'"MaxResults": 6')

    idp.meta.events.register_last("before-send.cognito-identity-provider.ListUserPools", tamper)
    assert code_of(lambda: idp.list_user_pools(MaxResults=5))[0] == "InvalidSignatureException"


def test_the_unauthenticated_list_is_the_service_models(signed_emulator):
    index = requests.get(signed_emulator.endpoint + "/", timeout=5).json()
    for service, key in (("cognito-idp", "unauthenticated"), ("cognito-identity", "identityUnauthenticated")):
        operations = botocore.session.get_session().get_service_data(service)["operations"]
        public = {
            name for name, op in operations.items()
            if op.get("authtype") == "none" or op.get("auth") == ["smithy.api#noAuth"]
        }
        assert set(index[key]) == public, service


def test_without_the_flag_nothing_is_checked(emulator):
    unsigned = client(emulator, signature_version=botocore.UNSIGNED)
    assert "UserPools" in unsigned.list_user_pools(MaxResults=5)
