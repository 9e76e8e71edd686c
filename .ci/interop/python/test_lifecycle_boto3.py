"""boto3 drives the account lifecycle: attribute updates and verification, attribute deletion,
password change and reset, self-deletion, groups in tokens, and revocation seen from outside."""

import jwt
import pytest

from conftest import make_user


def login(idp, pool, user, password="Sup3r-Secret!"):
    return idp.initiate_auth(ClientId=pool["client_id"], AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": user, "PASSWORD": password})["AuthenticationResult"]


def attrs(idp, token):
    return {a["Name"]: a["Value"] for a in idp.get_user(AccessToken=token)["UserAttributes"]}


def test_attributes_update_verify_delete(emulator, idp, pool):
    make_user(idp, pool["pool_id"], "ida", "Sup3r-Secret!", nickname="i")
    at = login(idp, pool, "ida")["AccessToken"]
    out = idp.update_user_attributes(AccessToken=at, UserAttributes=[{"Name": "email", "Value": "ida2@example.com"}],
                                     ClientMetadata={"k": "v"})
    assert out["CodeDeliveryDetailsList"][0]["AttributeName"] == "email"
    assert attrs(idp, at)["email_verified"] == "false"
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.verify_user_attribute(AccessToken=at, AttributeName="email", Code="000000")
    idp.verify_user_attribute(AccessToken=at, AttributeName="email", Code=emulator.last_code(pool["pool_id"], "ida2@example.com"))
    assert attrs(idp, at)["email_verified"] == "true"
    idp.get_user_attribute_verification_code(AccessToken=at, AttributeName="email")
    idp.delete_user_attributes(AccessToken=at, UserAttributeNames=["nickname"])
    assert "nickname" not in attrs(idp, at)
    idp.admin_update_user_attributes(UserPoolId=pool["pool_id"], Username="ida", UserAttributes=[{"Name": "name", "Value": "Ida"}])
    idp.admin_delete_user_attributes(UserPoolId=pool["pool_id"], Username="ida", UserAttributeNames=["name"])
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.update_user_attributes(AccessToken=at, UserAttributes=[{"Name": "sub", "Value": "x"}])


def test_passwords_change_forgot_reset(emulator, idp, pool):
    make_user(idp, pool["pool_id"], "jon", "Sup3r-Secret!", email_verified="true")
    at = login(idp, pool, "jon")["AccessToken"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.change_password(PreviousPassword="Wrong-Secret1!", ProposedPassword="N3w-Secret!", AccessToken=at)
    with pytest.raises(idp.exceptions.InvalidPasswordException):
        idp.change_password(PreviousPassword="Sup3r-Secret!", ProposedPassword="weak", AccessToken=at)
    idp.change_password(PreviousPassword="Sup3r-Secret!", ProposedPassword="N3w-Secret!", AccessToken=at)
    login(idp, pool, "jon", "N3w-Secret!")

    out = idp.forgot_password(ClientId=pool["client_id"], Username="jon")
    assert out["CodeDeliveryDetails"]["Destination"] == "j***@e***"
    code = emulator.last_code(pool["pool_id"], "jon")
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.confirm_forgot_password(ClientId=pool["client_id"], Username="jon", ConfirmationCode="000000", Password="Th1rd-Secret!")
    idp.confirm_forgot_password(ClientId=pool["client_id"], Username="jon", ConfirmationCode=code, Password="Th1rd-Secret!")
    login(idp, pool, "jon", "Th1rd-Secret!")

    idp.admin_reset_user_password(UserPoolId=pool["pool_id"], Username="jon")
    with pytest.raises(idp.exceptions.PasswordResetRequiredException):
        login(idp, pool, "jon", "Th1rd-Secret!")


def test_delete_user(idp, pool):
    make_user(idp, pool["pool_id"], "kit", "Sup3r-Secret!")
    tokens = login(idp, pool, "kit")
    idp.delete_user(AccessToken=tokens["AccessToken"])
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user(UserPoolId=pool["pool_id"], Username="kit")


def test_groups_reach_the_tokens(idp, pool):
    make_user(idp, pool["pool_id"], "lea", "Sup3r-Secret!")
    idp.create_group(UserPoolId=pool["pool_id"], GroupName="admins", Precedence=1, RoleArn="arn:aws:iam::000000000000:role/A")
    idp.create_group(UserPoolId=pool["pool_id"], GroupName="staff", Precedence=2)
    with pytest.raises(idp.exceptions.GroupExistsException):
        idp.create_group(UserPoolId=pool["pool_id"], GroupName="staff")
    for g in ("staff", "admins"):
        idp.admin_add_user_to_group(UserPoolId=pool["pool_id"], Username="lea", GroupName=g)
    claims = jwt.decode(login(idp, pool, "lea")["IdToken"], options={"verify_signature": False})
    assert claims["cognito:groups"] == ["admins", "staff"]
    assert claims["cognito:preferred_role"] == "arn:aws:iam::000000000000:role/A"
    assert [g["GroupName"] for g in idp.admin_list_groups_for_user(UserPoolId=pool["pool_id"], Username="lea")["Groups"]] == ["admins", "staff"]
    assert [u["Username"] for u in idp.list_users_in_group(UserPoolId=pool["pool_id"], GroupName="admins")["Users"]] == ["lea"]
    assert {g["GroupName"] for g in idp.list_groups(UserPoolId=pool["pool_id"])["Groups"]} == {"admins", "staff"}
    idp.admin_remove_user_from_group(UserPoolId=pool["pool_id"], Username="lea", GroupName="admins")
    idp.delete_group(UserPoolId=pool["pool_id"], GroupName="admins")
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.get_group(UserPoolId=pool["pool_id"], GroupName="admins")


def test_revocation_seen_from_outside(idp, pool):
    make_user(idp, pool["pool_id"], "max", "Sup3r-Secret!")
    tokens = login(idp, pool, "max")
    idp.global_sign_out(AccessToken=tokens["AccessToken"])
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.get_user(AccessToken=tokens["AccessToken"])
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(ClientId=pool["client_id"], AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.update_user_attributes(AccessToken=tokens["AccessToken"], UserAttributes=[{"Name": "name", "Value": "x"}])


def test_a_group_pages_through_botocores_paginator(idp, pool):
    pid = pool["pool_id"]
    idp.create_group(UserPoolId=pid, GroupName="crew")
    names = [f"m{n:02}" for n in range(7)]
    for name in names + ["outsider-a", "outsider-z"]:
        idp.admin_create_user(UserPoolId=pid, Username=name, MessageAction="SUPPRESS")
    for name in names:
        idp.admin_add_user_to_group(UserPoolId=pid, Username=name, GroupName="crew")
    pages = list(idp.get_paginator("list_users_in_group").paginate(UserPoolId=pid, GroupName="crew", PaginationConfig={"PageSize": 3}))
    assert [len(p["Users"]) for p in pages] == [3, 3, 1]
    assert [u["Username"] for p in pages for u in p["Users"]] == names
    assert "NextToken" not in pages[-1]
