"""The emulator against botocore's installed service models, read here at test time (not the
copy the emulator embeds): every operation of `cognito-idp` and `cognito-identity` is served, and
every constrained input member is enforced the way Cognito's front end enforces it.

For each operation a minimal valid request is built from the model (required members filled
with values that satisfy their constraints). For each constrained member reachable from the
input (nested structures, list items, map keys and values), one request per constraint puts a
value there that breaks only that constraint (too short, too long, outside the pattern, outside
the enum, below or above the value range): Cognito's answer is HTTP 400
`InvalidParameterException` naming the member's path. The same request with a valid value
must not be refused for that member. A JSON value of the wrong type is a
`SerializationException`.
"""

import itertools
import json

import botocore.session
import pytest
import regex
import requests

TARGETS = {"cognito-idp": "AWSCognitoIdentityProviderService", "cognito-identity": "AWSCognitoIdentityService"}
LISTED = {"cognito-idp": "operations", "cognito-identity": "identityOperations"}

# Operations not served yet (none now). The test fails once one of them is served and still
# listed here, so the list can only shrink.
PENDING = {"cognito-idp": set(), "cognito-identity": set()}

# Strings tried, in order, for a value that satisfies a pattern (cut or padded to the bounds).
VALID_CANDIDATES = [
    "abc",
    "us-east-1_abcDEF123",
    "us-east-1_0000aaaa-0000-4000-8000-000000000000",
    "us-east-1:0000aaaa-0000-4000-8000-000000000000",
    "0000aaaa-0000-4000-8000-000000000000",
    "arn:aws:iam::123456789012:role/example",
    "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc",
    "name@example.com",
    "Level1",
    "terms-of-use",
    "import-abc123",
    "tkn" + "a" * 25,
    "12345",
    "abcdef0123",
    "cognito:english",
    "Code {####}",
    "Hi {##Verify##} now",
    "authenticated",
    "a.b_c-d",
]
# Characters tried, in order, for a value outside a pattern (one is put in a valid value).
INVALID_CHARACTERS = ["\u0000", "\u200b", "\u202e", " ", "!", "~", "é", "=", "/", "-", "."]


def java(pattern):
    """A Java pattern for the `regex` module, whole-value; ASCII `\\w \\d \\s` as in Java."""
    return regex.compile(pattern, flags=regex.ASCII | regex.V0)


def fits(shape, text):
    n = len(text.encode("utf-16-le")) // 2
    if n < shape.get("min", 0) or n > shape.get("max", 1 << 40):
        return False
    if "pattern" in shape and not java(shape["pattern"]).fullmatch(text):
        return False
    return "enum" not in shape or text in shape["enum"]


def valid_string(shape):
    if "enum" in shape:
        return shape["enum"][0]
    low, high = shape.get("min", 0), shape.get("max", 1 << 40)
    for candidate in VALID_CANDIDATES:
        for text in (candidate, candidate + candidate[-1] * max(0, low - len(candidate)), candidate[: max(high, 0)]):
            if fits(shape, text):
                return text
    if "pattern" not in shape:
        return "a" * max(low, 1)
    return None


def camel(member):
    return member[:1].lower() + member[1:]


class Model:
    def __init__(self, service):
        self.service = service
        self.data = botocore.session.get_session().get_service_data(service)
        self.shapes = self.data["shapes"]

    def valid(self, name, depth=0):
        """A value of shape `name` that satisfies every constraint (None if none is found)."""
        shape = self.shapes[name]
        kind = shape["type"]
        if kind == "structure":
            out = {}
            for member in shape.get("required", []):
                value = self.valid(shape["members"][member]["shape"], depth + 1)
                if value is None:
                    return None
                out[member] = value
            return out
        if kind == "list":
            if shape.get("min", 0) == 0:
                return []
            item = self.valid(shape["member"]["shape"], depth + 1)
            return None if item is None else [item] * shape["min"]
        if kind == "map":
            return {} if shape.get("min", 0) == 0 else None
        if kind == "string":
            return valid_string(shape)
        if kind in ("integer", "long"):
            return max(shape.get("min", 1), min(1, shape.get("max", 1)))
        if kind in ("double", "float"):
            return float(shape.get("min", 1))
        if kind == "boolean":
            return True
        if kind == "timestamp":
            return 0
        if kind == "blob":
            return "YQ=="
        return None

    def leaves(self, name, path=(), seen=()):
        """(path, shape name) of every member with a constraint, reachable from shape `name`.
        A path step is ("member", Name), ("item",), ("key",) or ("value",)."""
        shape = self.shapes[name]
        kind = shape["type"]
        if name in seen:
            return
        if any(k in shape for k in ("min", "max", "pattern", "enum")) and path:
            yield path, name
        if kind == "structure":
            for member, spec in shape["members"].items():
                yield from self.leaves(spec["shape"], path + (("member", member),), seen + (name,))
        elif kind == "list":
            yield from self.leaves(shape["member"]["shape"], path + (("item",),), seen + (name,))
        elif kind == "map":
            yield from self.leaves(shape["key"]["shape"], path + (("key",),), seen + (name,))
            yield from self.leaves(shape["value"]["shape"], path + (("value",),), seen + (name,))

    def violations(self, name):
        """(description, value) pairs, each breaking exactly one constraint of shape `name`."""
        shape = self.shapes[name]
        kind = shape["type"]
        out = []
        if kind == "string":
            good = valid_string(shape)
            low, high = shape.get("min", 0), shape.get("max")
            if "enum" in shape:
                out.append(("enum", "NOT_IN_THE_ENUM_" + shape["enum"][0]))
            filler = good[-1] if good else "a"
            if low > 0 and good is not None:
                short = good[: low - 1]
                if fits({k: v for k, v in shape.items() if k != "min"}, short) or low == 1:
                    out.append(("length below minimum", short))
            if high is not None and high <= 4096 and good is not None and "enum" not in shape:
                long = good + filler * (high + 1 - len(good))
                if fits({k: v for k, v in shape.items() if k != "max"}, long):
                    out.append(("length above maximum", long))
            if "pattern" in shape and good is not None and "enum" not in shape:
                for bad in INVALID_CHARACTERS:
                    text = good[:-1] + bad if len(good) > 1 else bad
                    if not java(shape["pattern"]).fullmatch(text) and fits(
                        {k: v for k, v in shape.items() if k != "pattern"}, text
                    ):
                        out.append(("pattern", text))
                        break
        elif kind in ("integer", "long"):
            if "min" in shape:
                out.append(("value below minimum", shape["min"] - 1))
            if "max" in shape and shape["max"] < 1 << 53:
                out.append(("value above maximum", shape["max"] + 1))
        elif kind in ("list", "map") and "max" in shape and shape["max"] <= 200:
            out.append(("size above maximum", None))
        return out


def place(model, root_shape, base, path, value):
    """`base` (a valid input) with `value` put at `path`, building what lies between with its
    required members; returns the request body and the member path Cognito reports."""
    body = json.loads(json.dumps(base))
    node, shape_name, report = body, root_shape, ""
    for i, step in enumerate(path):
        shape = model.shapes[shape_name]
        last = i == len(path) - 1
        if step[0] == "member":
            member = step[1]
            target = shape["members"][member]["shape"]
            report = f"{report}.{camel(member)}" if report else camel(member)
            if last:
                node[member] = value
                return body, report
            if member not in node or node[member] in (None, [], {}):
                node[member] = {} if model.shapes[target]["type"] in ("structure", "map") else []
                if model.shapes[target]["type"] == "structure":
                    node[member] = model.valid(target) or {}
            node, shape_name = node[member], target
        elif step[0] == "item":
            target = shape["member"]["shape"]
            if last:
                node.clear()
                node.append(value)
                return body, f"{report}.1.member"
            item = model.valid(target)
            if item is None:
                return None, None
            node.clear()
            node.append(item)
            report = f"{report}.1.member"
            node, shape_name = node[0], target
        elif step[0] == "key":
            if not last or not isinstance(value, str):
                return None, None
            value_shape = model.shapes[shape["value"]["shape"]]
            good = model.valid(shape["value"]["shape"])
            if good is None or value_shape["type"] != "string":
                return None, None
            node.clear()
            node[value] = good
            return body, report
        elif step[0] == "value":
            key = valid_string(model.shapes[shape["key"]["shape"]])
            if key is None:
                return None, None
            if last:
                node.clear()
                node[key] = value
                return body, report
            node.clear()
            node[key] = model.valid(shape["value"]["shape"]) or {}
            report = f"{report}.{key}"
            node, shape_name = node[key], shape["value"]["shape"]
    return None, None


@pytest.fixture(scope="module")
def served(emulator):
    return requests.get(emulator.endpoint + "/", timeout=5).json()


def call(session, emulator, service, operation, body):
    r = session.post(
        emulator.endpoint + "/",
        data=json.dumps(body),
        headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"{TARGETS[service]}.{operation}"},
        timeout=10,
    )
    return r.status_code, r.json() if r.content else {}


@pytest.mark.parametrize("service", sorted(TARGETS))
def test_every_operation_of_the_model_is_served(served, service):
    model = Model(service)
    listed = set(served[LISTED[service]])
    missing = set(model.data["operations"]) - listed
    assert missing == PENDING[service], f"not served: {sorted(missing - PENDING[service])}; served but still pending: {sorted(PENDING[service] - missing)}"
    assert not listed - set(model.data["operations"]), "served but not in the model"


@pytest.mark.parametrize("service", sorted(TARGETS))
def test_every_member_constraint_is_enforced(emulator, served, service):
    model = Model(service)
    session = requests.Session()
    checked, skipped, failures = 0, [], []
    listed = set(served[LISTED[service]])
    for operation, spec in sorted(model.data["operations"].items()):
        # What is not served fails the test above.
        if operation not in listed or "input" not in spec:
            continue
        root = spec["input"]["shape"]
        base = model.valid(root)
        if base is None:
            skipped.append((operation, "no valid input found"))
            continue
        status, answer = call(session, emulator, service, operation, base)
        if answer.get("__type") in ("InvalidParameterException", "SerializationException") and "validation error" in answer.get("message", ""):
            failures.append(f"{operation}: a valid minimal request was refused: {answer}")
            continue
        for path, leaf in itertools.islice(model.leaves(root), 400):
            for what, bad in model.violations(leaf):
                if bad is None:
                    shape = model.shapes[leaf]
                    size = shape["max"] + 1
                    if shape["type"] == "list":
                        item = model.valid(shape["member"]["shape"])
                        bad = None if item is None else [item] * size
                    else:
                        key_shape = model.shapes[shape["key"]["shape"]]
                        value = model.valid(shape["value"]["shape"])
                        keys = [f"k{i}" for i in range(size)]
                        bad = None if value is None or not all(fits(key_shape, k) for k in keys) else {k: value for k in keys}
                    if bad is None:
                        skipped.append((operation, path, what))
                        continue
                body, report = place(model, root, base, path, bad)
                if body is None:
                    skipped.append((operation, path, what))
                    continue
                checked += 1
                status, answer = call(session, emulator, service, operation, body)
                message = answer.get("message", "")
                if status != 400 or answer.get("__type") != "InvalidParameterException" or f"at '{report}'" not in message:
                    failures.append(f"{operation} {report} ({what}, {bad!r:.60}): {status} {answer}")
            good = model.valid(leaf)
            if good is None:
                continue
            body, report = place(model, root, base, path, good)
            if body is None:
                continue
            status, answer = call(session, emulator, service, operation, body)
            if answer.get("__type") == "InvalidParameterException" and f"at '{report}'" in answer.get("message", ""):
                failures.append(f"{operation} {report}: valid value {good!r:.60} refused: {answer}")
    assert not failures, f"{len(failures)} of {checked} checks failed:\n" + "\n".join(failures[:60])
    # Nearly every constraint is reachable with generated values; the rest are listed if they grow.
    assert checked > (700 if service == "cognito-idp" else 60), checked
    assert len(skipped) < checked // 10, skipped[:40]


def test_wrong_json_types_are_serialization_errors(emulator):
    session = requests.Session()
    for operation, body in [
        ("SignUp", {"ClientId": "abc", "Username": "u", "Password": "p", "AnalyticsMetadata": "not-a-structure"}),
        ("ListUsers", {"UserPoolId": "us-east-1_abc", "Limit": "5"}),
        ("AdminCreateUser", {"UserPoolId": "us-east-1_abc", "Username": "u", "UserAttributes": {"Name": "email"}}),
        ("InitiateAuth", {"ClientId": "abc", "AuthFlow": "USER_SRP_AUTH", "AuthParameters": {"USERNAME": 5}}),
        ("AdminDisableUser", {"UserPoolId": ["us-east-1_abc"], "Username": "u"}),
    ]:
        status, answer = call(session, emulator, "cognito-idp", operation, body)
        assert status == 400 and answer["__type"] == "SerializationException", (operation, answer)


def test_usernames_with_invisible_or_control_characters_are_refused(emulator):
    session = requests.Session()
    for bad in ["a\u0000b", "a\u200bb", "a\u202eb", "tab\there"]:
        status, answer = call(session, emulator, "cognito-idp", "SignUp", {"ClientId": "abc", "Username": bad, "Password": "Passw0rd!"})
        assert status == 400 and answer["__type"] == "InvalidParameterException", answer
        assert "at 'username'" in answer["message"] and bad not in answer["message"], answer


def test_pagination_tokens_the_server_did_not_issue_are_refused(emulator):
    idp = emulator.client()
    for i in range(3):
        idp.create_user_pool(PoolName=f"page-{i}")
    page = idp.list_user_pools(MaxResults=1)
    assert page["NextToken"]
    assert idp.list_user_pools(MaxResults=1, NextToken=page["NextToken"])["UserPools"]
    forged = page["NextToken"][:-2] + ("AA" if not page["NextToken"].endswith("AA") else "BB")
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.list_user_pools(MaxResults=1, NextToken=forged)
