"""The SDK's SigV4 signer (the `sigv4` example) against botocore's on the same requests: headers
and presigned query strings for API Gateway, AppSync, a generic service and S3, with and
without a session token; and an S3 presigned POST whose policy botocore signs itself."""

import base64
import json
import os
import pathlib
import subprocess
import urllib.parse

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest
from botocore.config import Config
from freezegun import freeze_time

ROOT = pathlib.Path(__file__).resolve().parents[3]
EXAMPLES = pathlib.Path(os.environ.get("COGNITO_EXAMPLES_DIR", ROOT / "target" / "debug" / "examples"))
AT = 1793494923  # 2026-11-01T01:02:03Z
AT_ISO = "2026-11-01T01:02:03Z"
REGION = "eu-west-1"
AKID, SECRET = "ASIAEXAMPLEEXAMPLE01", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKENS = [None, "FwoGZXIvYXdzEXAMPLEsessiontokenEXAMPLE+/="]

REQUESTS = [
    ("execute-api", "GET", "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/pets?type=dog&limit=10", {}, ""),
    ("execute-api", "POST", "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/pets/a%20b", {"content-type": "application/json"}, '{"name":"rex"}'),
    ("appsync", "POST", "https://xyz.appsync-api.eu-west-1.amazonaws.com/graphql", {"content-type": "application/json"}, '{"query":"{ listPets { id } }"}'),
    ("service", "GET", "https://example.amazonaws.com/a/./b/../c?x=%2F&y=1", {"x-custom": "  two   spaces  "}, ""),
]


def ours(**req):
    out = subprocess.run([str(EXAMPLES / "sigv4")], input=json.dumps(req), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def creds(token):
    return botocore.credentials.Credentials(AKID, SECRET, token)


def botocore_signed(auth_class, service, method, url, headers, body, token, **kw):
    request = botocore.awsrequest.AWSRequest(method=method, url=url, data=body.encode(), headers=dict(headers))
    with freeze_time(AT_ISO):
        auth_class(creds(token), service, REGION, **kw).add_auth(request)
    return request


def query_signature(url):
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["X-Amz-Signature"][0]


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize("service,method,url,headers,body", REQUESTS)
def test_headers_match_botocore(service, method, url, headers, body, token):
    theirs = botocore_signed(botocore.auth.SigV4Auth, service, method, url, headers, body, token)
    mine = ours(mode="headers", method=method, url=url, headers=headers, body=body, region=REGION, service=service,
                time=AT, accessKeyId=AKID, secretAccessKey=SECRET, sessionToken=token)
    assert mine["headers"]["authorization"] == theirs.headers["Authorization"]
    assert mine["headers"]["x-amz-date"] == theirs.headers["X-Amz-Date"]
    assert mine["headers"].get("x-amz-security-token") == theirs.headers.get("X-Amz-Security-Token")


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize("service,method,url,headers,body", REQUESTS)
def test_presigned_query_matches_botocore(service, method, url, headers, body, token):
    theirs = botocore_signed(botocore.auth.SigV4QueryAuth, service, method, url, headers, "", token, expires=900)
    mine = ours(mode="presign", method=method, url=url, headers=headers, region=REGION, service=service,
                time=AT, accessKeyId=AKID, secretAccessKey=SECRET, sessionToken=token, expires=900)
    assert query_signature(mine["url"]) == query_signature(theirs.url)


@pytest.mark.parametrize("token", TOKENS)
def test_s3_get_and_presigned_get_match_botocore(token):
    # Over http botocore signs the payload hash too, as the SDK's S3 signer always does.
    url = "http://photos.s3.eu-west-1.amazonaws.com/albums/2026/cat%201.jpg"
    theirs = botocore_signed(botocore.auth.S3SigV4Auth, "s3", "GET", url, {}, "", token)
    mine = ours(mode="headers", s3=True, method="GET", url=url, region=REGION, time=AT, accessKeyId=AKID,
                secretAccessKey=SECRET, sessionToken=token)
    assert mine["headers"]["authorization"] == theirs.headers["Authorization"]
    assert mine["headers"]["x-amz-content-sha256"] == theirs.headers["X-Amz-Content-SHA256"]

    https = url.replace("http://", "https://")
    theirs = botocore_signed(botocore.auth.S3SigV4QueryAuth, "s3", "GET", https, {}, "", token, expires=3600)
    mine = ours(mode="presign", s3=True, method="GET", url=https, region=REGION, time=AT, accessKeyId=AKID,
                secretAccessKey=SECRET, sessionToken=token, expires=3600)
    assert query_signature(mine["url"]) == query_signature(theirs.url)


@pytest.mark.parametrize("token", TOKENS)
def test_repeated_query_keys_are_all_signed(token):
    # botocore's query signer keeps one value per key, so only header signing is compared here.
    url = "https://example.amazonaws.com/items?tag=b&tag=a&page=2"
    theirs = botocore_signed(botocore.auth.SigV4Auth, "service", "GET", url, {}, "", token)
    mine = ours(mode="headers", method="GET", url=url, region=REGION, service="service", time=AT,
                accessKeyId=AKID, secretAccessKey=SECRET, sessionToken=token)
    assert mine["headers"]["authorization"] == theirs.headers["Authorization"]


@pytest.mark.parametrize("token", TOKENS)
def test_presigned_post_is_signed_as_botocore_signs_policies(token):
    conditions = [["content-length-range", 0, 1048576], {"acl": "private"}]
    mine = ours(mode="post", region=REGION, bucket="uploads", key="u/alice.png", time=AT, expires=600,
                accessKeyId=AKID, secretAccessKey=SECRET, sessionToken=token, conditions=conditions)
    fields = mine["fields"]
    # botocore signs our policy document with its own key derivation.
    signer = botocore.auth.S3SigV4PostAuth(creds(token), "s3", REGION)
    request = botocore.awsrequest.AWSRequest()
    request.context["timestamp"] = fields["x-amz-date"]
    assert fields["x-amz-signature"] == signer.signature(fields["policy"], request)

    # The policy says what botocore's own presigned POST says.
    s3 = boto3.client("s3", region_name=REGION, aws_access_key_id=AKID, aws_secret_access_key=SECRET,
                      aws_session_token=token, config=Config(signature_version="s3v4"))
    with freeze_time(AT_ISO):
        theirs = s3.generate_presigned_post("uploads", "u/alice.png", Conditions=conditions, ExpiresIn=600)
    mine_policy = json.loads(base64.b64decode(fields["policy"]))
    their_policy = json.loads(base64.b64decode(theirs["fields"]["policy"]))
    assert mine_policy["expiration"] == their_policy["expiration"]

    def canon(policy):
        return sorted(json.dumps(c, sort_keys=True) for c in policy["conditions"])

    assert canon(mine_policy) == canon(their_policy)
    for name in ("key", "x-amz-algorithm", "x-amz-credential", "x-amz-date"):
        assert fields[name] == theirs["fields"][name], name
    assert fields.get("x-amz-security-token") == theirs["fields"].get("x-amz-security-token")
