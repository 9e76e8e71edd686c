"""Triggers configured the way a server is: a seed file declaring a webhook (here a plain
Python http.server receiving the Lambda-shaped event) and declarative rules. boto3 sees the
outcomes: auto-confirmed sign-ups, UserLambdaValidationException, claims added to tokens."""

import http.server
import json
import threading

import boto3
import jwt
import pytest
from botocore.config import Config

from conftest import Emulator

POOL = "us-east-1_PyTrigger"
CLIENT = "pytriggerclient00000000001"
EVENTS = []


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        event = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        EVENTS.append(event)
        if (event["request"].get("validationData") or {}).get("invite") != "yes":
            self.send_response(400)
            self.end_headers()
            self.wfile.write(b"Invitations only")
            return
        event["response"] = {"autoConfirmUser": True, "autoVerifyEmail": True}
        body = json.dumps(event).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def triggered(tmp_path_factory):
    server = http.server.HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    seed = {"Pools": [{
        "Id": POOL, "PoolName": "py", "AutoVerifiedAttributes": ["email"],
        "Clients": [{"ClientId": CLIENT, "ClientName": "c", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}],
        "Triggers": {
            "PreSignUp": {"webhook": f"http://127.0.0.1:{server.server_port}/presignup"},
            "PreTokenGeneration": {"response": {"claimsOverrideDetails": {"claimsToAddOrOverride": {"plan": "gold"}}}},
        },
    }]}
    path = tmp_path_factory.mktemp("seed") / "seed.json"
    path.write_text(json.dumps(seed))
    emu = Emulator("--seed", str(path))
    yield emu
    emu.stop()
    server.shutdown()


def test_webhook_and_declarative_triggers(triggered):
    idp = boto3.client("cognito-idp", endpoint_url=triggered.endpoint, region_name="us-east-1",
                       aws_access_key_id="x", aws_secret_access_key="x",
                       config=Config(retries={"mode": "standard", "total_max_attempts": 1}))
    out = idp.sign_up(ClientId=CLIENT, Username="ann", Password="Sup3r-Secret!",
                      UserAttributes=[{"Name": "email", "Value": "ann@example.com"}],
                      ValidationData=[{"Name": "invite", "Value": "yes"}], ClientMetadata={"campaign": "spring"})
    assert out["UserConfirmed"] is True
    event = EVENTS[-1]
    assert event["triggerSource"] == "PreSignUp_SignUp"
    assert event["userPoolId"] == POOL and event["callerContext"]["clientId"] == CLIENT
    assert event["request"]["userAttributes"]["email"] == "ann@example.com"
    assert event["request"]["clientMetadata"] == {"campaign": "spring"}

    with pytest.raises(idp.exceptions.UserLambdaValidationException) as refused:
        idp.sign_up(ClientId=CLIENT, Username="bob", Password="Sup3r-Secret!")
    assert refused.value.response["Error"]["Message"] == "PreSignUp failed with error Invitations only."

    tokens = idp.initiate_auth(ClientId=CLIENT, AuthFlow="USER_PASSWORD_AUTH",
                               AuthParameters={"USERNAME": "ann", "PASSWORD": "Sup3r-Secret!"})["AuthenticationResult"]
    claims = jwt.decode(tokens["IdToken"], options={"verify_signature": False})
    assert claims["plan"] == "gold"
    assert claims["email_verified"] is True
