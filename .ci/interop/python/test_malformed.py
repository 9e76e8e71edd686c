"""Malformed requests sent on the raw wire get Cognito's error shape (HTTP 400, __type,
message, x-amzn-RequestId) and the server keeps serving."""

import requests

TARGET = "AWSCognitoIdentityProviderService."


def post(emulator, body, target="ListUserPools", content_type="application/x-amz-json-1.1"):
    headers = {"Content-Type": content_type}
    if target is not None:
        headers["X-Amz-Target"] = TARGET + target if "." not in target else target
    return requests.post(emulator.endpoint + "/", data=body, headers=headers, timeout=5)


def check(r, error):
    assert r.status_code == 400, r.text
    assert r.headers["x-amzn-RequestId"]
    body = r.json()
    assert body["__type"] == error, body
    assert body["message"]
    return body["message"]


def test_malformed_inputs(emulator):
    check(post(emulator, b"{}", target=None), "UnknownOperationException")
    check(post(emulator, b"{}", target="NoSuchOperation"), "UnknownOperationException")
    check(post(emulator, b"{}", target="SomeOtherService.ListUserPools"), "UnknownOperationException")
    check(post(emulator, b"not json"), "SerializationException")
    check(post(emulator, b"[1, 2]"), "SerializationException")
    check(post(emulator, b""), "SerializationException")
    # A member of the wrong JSON type fails in Cognito's decoder, before any constraint.
    msg = check(post(emulator, b'{"MaxResults": "ten"}'), "SerializationException")
    assert "maxResults" in msg
    msg = check(post(emulator, b"{}", target="DescribeUserPool"), "InvalidParameterException")
    assert "userPoolId" in msg
    msg = check(post(emulator, b'{"ClientId": "x", "AuthFlow": "USER_SRP_AUTH", "AuthParameters": {"USERNAME": 5}}', target="InitiateAuth"), "SerializationException")
    assert "authParameters" in msg
    check(post(emulator, b'{"x": "' + b"a" * (2 << 20) + b'"}'), "InvalidParameterException")
    check(post(emulator, b'{"AuthFlow": "USER_SRP_AUTH", "ClientId": "nope"}', target="InitiateAuth"), "ResourceNotFoundException")
    # Still serving.
    ok = post(emulator, b'{"MaxResults": 5}')
    assert ok.status_code == 200
    assert ok.headers["x-amzn-RequestId"]
    assert ok.headers["Content-Type"] == "application/x-amz-json-1.1"


def test_srp_a_zero_mod_n_is_refused(emulator, idp, pool):
    n_hex = (
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
        "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
        "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
        "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
        "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
        "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
    )
    for a in ("0", n_hex, format(2 * int(n_hex, 16), "x")):
        try:
            idp.initiate_auth(ClientId=pool["client_id"], AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": "anyone", "SRP_A": a})
            raise AssertionError("A = 0 mod N was accepted")
        except idp.exceptions.InvalidParameterException as e:
            assert "A mod N" in e.response["Error"]["Message"]
