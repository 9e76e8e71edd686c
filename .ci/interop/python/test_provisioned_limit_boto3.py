"""Get/UpdateProvisionedLimit drive the emulator's quota buckets: with UserAuthentication held
at a bucket of two requests that never refills, the third sign-in is throttled; raising the
provisioned limit lets sign-ins through at once."""

import pytest
from botocore.exceptions import ClientError

from conftest import Emulator, make_user

AUTH = {"LimitClass": "API_CATEGORY", "Attributes": {"Category": "UserAuthentication"}}


@pytest.fixture(scope="module")
def held():
    emu = Emulator("--quota", "UserAuthentication=0:2")
    yield emu
    emu.stop()


def test_raising_the_provisioned_limit_raises_the_rate(held):
    idp = held.client()
    pool = idp.create_user_pool(PoolName="limits")["UserPool"]["Id"]
    client = idp.create_user_pool_client(UserPoolId=pool, ClientName="c",
                                         ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    make_user(idp, pool, "lim", "Sup3r-Secret!")

    def sign_in():
        return idp.initiate_auth(ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
                                 AuthParameters={"USERNAME": "lim", "PASSWORD": "Sup3r-Secret!"})

    limit = idp.get_provisioned_limit(LimitDefinition=AUTH)["Limit"]
    assert (limit["ProvisionedLimitValue"], limit["FreeLimitValue"]) == (0, 120)
    sign_in()
    sign_in()
    with pytest.raises(ClientError) as e:
        sign_in()
    assert e.value.response["Error"]["Code"] == "TooManyRequestsException"

    raised = idp.update_provisioned_limit(LimitDefinition=AUTH, RequestedLimitValue=200)["Limit"]
    assert raised["ProvisionedLimitValue"] == 200
    for _ in range(5):
        assert "AuthenticationResult" in sign_in()
    assert idp.get_provisioned_limit(LimitDefinition=AUTH)["Limit"]["ProvisionedLimitValue"] == 200

    with pytest.raises(ClientError) as e:
        idp.update_provisioned_limit(LimitDefinition=AUTH, RequestedLimitValue=10)
    assert e.value.response["Error"]["Code"] == "InvalidParameterException"
    with pytest.raises(ClientError) as e:
        idp.get_provisioned_limit(LimitDefinition={"LimitClass": "API_CATEGORY", "Attributes": {"Category": "Nope"}})
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
