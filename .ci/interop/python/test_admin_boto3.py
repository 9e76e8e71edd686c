"""boto3 (botocore's own JSON 1.1 serializer and error parser) drives pool, client and user
administration, and sees Cognito's exceptions as its modeled exception classes."""

import uuid

import pytest

from conftest import make_user


def test_pool_lifecycle(idp):
    created = idp.create_user_pool(
        PoolName="lifecycle",
        Policies={"PasswordPolicy": {"MinimumLength": 10, "RequireSymbols": False, "TemporaryPasswordValidityDays": 3}},
        AliasAttributes=["email", "preferred_username"],
        AutoVerifiedAttributes=["email"],
        MfaConfiguration="OFF",
        Schema=[
            {"Name": "name", "AttributeDataType": "String", "Required": True, "Mutable": True},
            {"Name": "team", "AttributeDataType": "String", "Mutable": True},
        ],
        UserPoolTags={"env": "test"},
    )["UserPool"]
    pool_id = created["Id"]
    region, suffix = pool_id.split("_")
    assert region == "us-east-1" and len(suffix) == 9
    assert created["Arn"].endswith(f":userpool/{pool_id}")

    described = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    policy = described["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == 10
    assert policy["RequireSymbols"] is False
    assert policy["RequireUppercase"] is True
    assert policy["TemporaryPasswordValidityDays"] == 3
    assert described["AliasAttributes"] == ["email", "preferred_username"]
    names = {a["Name"]: a for a in described["SchemaAttributes"]}
    assert names["name"]["Required"] is True
    assert "custom:team" in names
    assert names["sub"]["Mutable"] is False
    assert described["UserPoolTags"] == {"env": "test"}
    assert described["CreationDate"].year >= 2024  # botocore parsed the epoch timestamp

    idp.update_user_pool(UserPoolId=pool_id, MfaConfiguration="OFF", AutoVerifiedAttributes=["email"])
    updated = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    # As in Cognito, settings left out of UpdateUserPool go back to their defaults.
    assert updated["Policies"]["PasswordPolicy"]["MinimumLength"] == 8
    assert updated["UserPoolTags"] == {}

    idp.delete_user_pool(UserPoolId=pool_id)
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.describe_user_pool(UserPoolId=pool_id)


def test_list_user_pools_paginates(idp):
    ids = {idp.create_user_pool(PoolName=f"page{i}")["UserPool"]["Id"] for i in range(5)}
    seen = set()
    paginator = idp.get_paginator("list_user_pools")
    pages = 0
    for page in paginator.paginate(MaxResults=2):
        pages += 1
        assert len(page["UserPools"]) <= 2
        seen.update(p["Id"] for p in page["UserPools"])
    assert ids <= seen
    assert pages >= 3
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.list_user_pools(MaxResults=61)


def test_client_lifecycle_and_validation(idp, pool):
    c = idp.create_user_pool_client(
        UserPoolId=pool["pool_id"],
        ClientName="with-secret",
        GenerateSecret=True,
        AccessTokenValidity=30,
        IdTokenValidity=2,
        RefreshTokenValidity=7,
        TokenValidityUnits={"AccessToken": "minutes", "IdToken": "hours", "RefreshToken": "days"},
        PreventUserExistenceErrors="ENABLED",
        EnableTokenRevocation=True,
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    assert len(c["ClientId"]) == 26 and c["ClientId"].isalnum() and c["ClientId"].lower() == c["ClientId"]
    assert len(c["ClientSecret"]) >= 40
    d = idp.describe_user_pool_client(UserPoolId=pool["pool_id"], ClientId=c["ClientId"])["UserPoolClient"]
    assert d["AccessTokenValidity"] == 30
    assert d["TokenValidityUnits"]["IdToken"] == "hours"
    assert d["PreventUserExistenceErrors"] == "ENABLED"
    assert d["ClientSecret"] == c["ClientSecret"]

    listed = idp.list_user_pool_clients(UserPoolId=pool["pool_id"], MaxResults=60)["UserPoolClients"]
    assert {x["ClientId"] for x in listed} >= {c["ClientId"], pool["client_id"]}

    u = idp.update_user_pool_client(UserPoolId=pool["pool_id"], ClientId=c["ClientId"], ClientName="renamed")["UserPoolClient"]
    assert u["ClientName"] == "renamed"
    assert u["AccessTokenValidity"] == 60  # back to the default, as in Cognito
    assert u["ClientSecret"] == c["ClientSecret"]

    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.create_user_pool_client(UserPoolId=pool["pool_id"], ClientName="x", AccessTokenValidity=2, TokenValidityUnits={"AccessToken": "days"})
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.create_user_pool_client(UserPoolId=pool["pool_id"], ClientName="x", ExplicitAuthFlows=["ALLOW_EVERYTHING"])

    idp.delete_user_pool_client(UserPoolId=pool["pool_id"], ClientId=c["ClientId"])
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.describe_user_pool_client(UserPoolId=pool["pool_id"], ClientId=c["ClientId"])


def test_sign_up_confirm_resend(emulator, idp, pool):
    out = idp.sign_up(
        ClientId=pool["client_id"],
        Username="henry",
        Password="Sup3r-Secret!",
        UserAttributes=[{"Name": "email", "Value": "henry@example.com"}],
        ValidationData=[{"Name": "source", "Value": "test"}],
        ClientMetadata={"campaign": "x"},
    )
    assert out["UserConfirmed"] is False
    assert out["CodeDeliveryDetails"] == {"Destination": "h***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    uuid.UUID(out["UserSub"])

    with pytest.raises(idp.exceptions.UsernameExistsException):
        idp.sign_up(ClientId=pool["client_id"], Username="henry", Password="Sup3r-Secret!")
    with pytest.raises(idp.exceptions.InvalidPasswordException) as weak:
        idp.sign_up(ClientId=pool["client_id"], Username="ivy", Password="short")
    assert "Password did not conform with policy" in weak.value.response["Error"]["Message"]

    first = emulator.last_code(pool["pool_id"], "henry")
    idp.resend_confirmation_code(ClientId=pool["client_id"], Username="henry")
    second = emulator.last_code(pool["pool_id"], "henry")
    assert len(second) == 6 and second.isdigit()
    if first != second:
        with pytest.raises(idp.exceptions.CodeMismatchException):
            idp.confirm_sign_up(ClientId=pool["client_id"], Username="henry", ConfirmationCode=first)
    idp.confirm_sign_up(ClientId=pool["client_id"], Username="henry", ConfirmationCode=second)
    user = idp.admin_get_user(UserPoolId=pool["pool_id"], Username="henry")
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.confirm_sign_up(ClientId=pool["client_id"], Username="henry", ConfirmationCode=second)
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.resend_confirmation_code(ClientId=pool["client_id"], Username="henry")


def test_expired_confirmation_code(emulator, idp, pool):
    idp.sign_up(ClientId=pool["client_id"], Username="jack", Password="Sup3r-Secret!", UserAttributes=[{"Name": "email", "Value": "j@example.com"}])
    code = emulator.last_code(pool["pool_id"], "jack")
    emulator.clock(advanceSeconds=25 * 3600)
    with pytest.raises(idp.exceptions.ExpiredCodeException):
        idp.confirm_sign_up(ClientId=pool["client_id"], Username="jack", ConfirmationCode=code)


def test_admin_user_operations(emulator, idp, pool):
    created = idp.admin_create_user(
        UserPoolId=pool["pool_id"],
        Username="kate",
        UserAttributes=[{"Name": "email", "Value": "kate@example.com"}, {"Name": "name", "Value": "Kate"}],
        DesiredDeliveryMediums=["EMAIL"],
    )["User"]
    assert created["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert created["Enabled"] is True
    temp = emulator.last_code(pool["pool_id"], "kate")
    assert len(temp) >= 8
    with pytest.raises(idp.exceptions.UsernameExistsException):
        idp.admin_create_user(UserPoolId=pool["pool_id"], Username="kate", MessageAction="SUPPRESS")

    idp.admin_set_user_password(UserPoolId=pool["pool_id"], Username="kate", Password="N3w-Password!", Permanent=True)
    assert idp.admin_get_user(UserPoolId=pool["pool_id"], Username="kate")["UserStatus"] == "CONFIRMED"

    idp.admin_disable_user(UserPoolId=pool["pool_id"], Username="kate")
    assert idp.admin_get_user(UserPoolId=pool["pool_id"], Username="kate")["Enabled"] is False
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.admin_initiate_auth(
            UserPoolId=pool["pool_id"], ClientId=pool["client_id"], AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "kate", "PASSWORD": "N3w-Password!"},
        )
    idp.admin_enable_user(UserPoolId=pool["pool_id"], Username="kate")

    idp.sign_up(ClientId=pool["client_id"], Username="liam", Password="Sup3r-Secret!", UserAttributes=[{"Name": "email", "Value": "liam@example.com"}])
    idp.admin_confirm_sign_up(UserPoolId=pool["pool_id"], Username="liam")
    assert idp.admin_get_user(UserPoolId=pool["pool_id"], Username="liam")["UserStatus"] == "CONFIRMED"

    idp.admin_delete_user(UserPoolId=pool["pool_id"], Username="liam")
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user(UserPoolId=pool["pool_id"], Username="liam")


def test_list_users_filters_and_pages(idp, pool):
    for i in range(7):
        make_user(idp, pool["pool_id"], f"user{i}", "Sup3r-Secret!", email=f"u{i}@{'corp' if i % 2 else 'home'}.example")
    idp.admin_disable_user(UserPoolId=pool["pool_id"], Username="user3")

    exact = idp.list_users(UserPoolId=pool["pool_id"], Filter='username = "user4"')["Users"]
    assert [u["Username"] for u in exact] == ["user4"]
    prefix = idp.list_users(UserPoolId=pool["pool_id"], Filter='email ^= "u1@"')["Users"]
    assert [u["Username"] for u in prefix] == ["user1"]
    disabled = idp.list_users(UserPoolId=pool["pool_id"], Filter='status = "Disabled"')["Users"]
    assert [u["Username"] for u in disabled] == ["user3"]
    confirmed = idp.list_users(UserPoolId=pool["pool_id"], Filter='cognito:user_status = "CONFIRMED"')["Users"]
    assert len(confirmed) == 7

    only_email = idp.list_users(UserPoolId=pool["pool_id"], AttributesToGet=["email"], Limit=1)["Users"][0]
    assert [a["Name"] for a in only_email["Attributes"]] == ["email"]

    names = []
    for page in idp.get_paginator("list_users").paginate(UserPoolId=pool["pool_id"], PaginationConfig={"PageSize": 3}):
        assert len(page["Users"]) <= 3
        names += [u["Username"] for u in page["Users"]]
    assert sorted(names) == [f"user{i}" for i in range(7)]

    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.list_users(UserPoolId=pool["pool_id"], Filter="email = unquoted")
