"""pycognito's AWSSRP (an independent Python implementation of Cognito's SRP) signs in
against the emulator: right and wrong password, a client with a secret, sign-in by alias,
and NEW_PASSWORD_REQUIRED. pycognito answers PASSWORD_VERIFIER without a Session."""

import pytest
from pycognito.aws_srp import AWSSRP
from pycognito.exceptions import ForceChangePasswordException

from conftest import make_user


def test_srp_right_and_wrong_password(idp, pool):
    make_user(idp, pool["pool_id"], "uma", "Sup3r-Secret!")
    tokens = AWSSRP("uma", "Sup3r-Secret!", pool["pool_id"], pool["client_id"], client=idp).authenticate_user()
    result = tokens["AuthenticationResult"]
    assert idp.get_user(AccessToken=result["AccessToken"])["Username"] == "uma"
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        AWSSRP("uma", "Sup3r-Wrong!", pool["pool_id"], pool["client_id"], client=idp).authenticate_user()


def test_srp_unconfirmed_user_is_refused(idp, pool):
    idp.sign_up(ClientId=pool["client_id"], Username="vera", Password="Sup3r-Secret!", UserAttributes=[{"Name": "email", "Value": "v@example.com"}])
    with pytest.raises(idp.exceptions.UserNotConfirmedException):
        AWSSRP("vera", "Sup3r-Secret!", pool["pool_id"], pool["client_id"], client=idp).authenticate_user()


def test_srp_with_client_secret(idp, pool):
    c = idp.create_user_pool_client(UserPoolId=pool["pool_id"], ClientName="secret", GenerateSecret=True,
                                    ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]
    make_user(idp, pool["pool_id"], "wes", "Sup3r-Secret!")
    tokens = AWSSRP("wes", "Sup3r-Secret!", pool["pool_id"], c["ClientId"], client=idp, client_secret=c["ClientSecret"]).authenticate_user()
    assert "IdToken" in tokens["AuthenticationResult"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        AWSSRP("wes", "Sup3r-Secret!", pool["pool_id"], c["ClientId"], client=idp).authenticate_user()


def test_srp_by_verified_email_alias(idp):
    p = idp.create_user_pool(PoolName="alias", AliasAttributes=["email"])["UserPool"]
    c = idp.create_user_pool_client(UserPoolId=p["Id"], ClientName="c")["UserPoolClient"]
    make_user(idp, p["Id"], "xena", "Sup3r-Secret!", email="xena@example.com", email_verified="true")
    tokens = AWSSRP("xena@example.com", "Sup3r-Secret!", p["Id"], c["ClientId"], client=idp).authenticate_user()
    assert idp.get_user(AccessToken=tokens["AuthenticationResult"]["AccessToken"])["Username"] == "xena"


def test_srp_new_password_required(idp, pool):
    idp.admin_create_user(UserPoolId=pool["pool_id"], Username="yara", TemporaryPassword="Temp0rary-Pass!", MessageAction="SUPPRESS")
    with pytest.raises(ForceChangePasswordException):
        AWSSRP("yara", "Temp0rary-Pass!", pool["pool_id"], pool["client_id"], client=idp).authenticate_user()
    tokens = AWSSRP("yara", "Temp0rary-Pass!", pool["pool_id"], pool["client_id"], client=idp).set_new_password_challenge("Perm4nent-Pass!")
    assert "AccessToken" in tokens["AuthenticationResult"]
    AWSSRP("yara", "Perm4nent-Pass!", pool["pool_id"], pool["client_id"], client=idp).authenticate_user()
