"""Device tracking driven by clients nobody here wrote: pycognito makes the device verifier
(generate_hash_device) and answers DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER with its own SRP
math (without a Session, as it does); boto3 drives ConfirmDevice, Get/List/UpdateStatus/Forget
device and their Admin* twins, and device-bound refresh."""

import jwt
import pytest
from pycognito.aws_srp import AWSSRP, generate_hash_device

from conftest import make_user

PW = "Sup3r-Secret!"


def device_pool(idp, on_prompt):
    p = idp.create_user_pool(
        PoolName="devices",
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": on_prompt},
    )["UserPool"]
    assert p["DeviceConfiguration"] == {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": on_prompt}
    c = idp.create_user_pool_client(
        UserPoolId=p["Id"],
        ClientName="c",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    return p["Id"], c["ClientId"]


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def attributes(device):
    return {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}


def test_pycognito_device_srp_and_device_bound_refresh(idp):
    pool_id, client_id = device_pool(idp, on_prompt=False)
    make_user(idp, pool_id, "dee", PW)
    first = AWSSRP("dee", PW, pool_id, client_id, client=idp).authenticate_user()["AuthenticationResult"]
    meta = first["NewDeviceMetadata"]
    assert claims(first["AccessToken"])["device_key"] == meta["DeviceKey"]

    device_password, config = generate_hash_device(meta["DeviceGroupKey"], meta["DeviceKey"])
    confirmed = idp.confirm_device(AccessToken=first["AccessToken"], DeviceKey=meta["DeviceKey"],
                                   DeviceSecretVerifierConfig=config, DeviceName="pycognito")
    assert confirmed["UserConfirmationNecessary"] is False

    def with_device(password):
        return AWSSRP("dee", PW, pool_id, client_id, client=idp, device_key=meta["DeviceKey"],
                      device_group_key=meta["DeviceGroupKey"], device_password=password)

    done = with_device(device_password).authenticate_user()["AuthenticationResult"]
    assert "NewDeviceMetadata" not in done
    assert claims(done["AccessToken"])["device_key"] == meta["DeviceKey"]
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        with_device("not-the-device-password").authenticate_user()

    # The refresh token is bound to the device.
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": done["RefreshToken"]})
    refreshed = idp.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                  AuthParameters={"REFRESH_TOKEN": done["RefreshToken"], "DEVICE_KEY": meta["DeviceKey"]})
    assert claims(refreshed["AuthenticationResult"]["AccessToken"])["device_key"] == meta["DeviceKey"]
    idp.forget_device(AccessToken=done["AccessToken"], DeviceKey=meta["DeviceKey"])
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                          AuthParameters={"REFRESH_TOKEN": done["RefreshToken"], "DEVICE_KEY": meta["DeviceKey"]})


def test_device_operations_and_admin_twins(idp):
    pool_id, client_id = device_pool(idp, on_prompt=True)
    make_user(idp, pool_id, "eve", PW)

    def login(**extra):
        return idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                 AuthParameters={"USERNAME": "eve", "PASSWORD": PW, **extra})["AuthenticationResult"]

    keys = []
    for name in ("phone", "laptop"):
        result = login()
        meta = result["NewDeviceMetadata"]
        _, config = generate_hash_device(meta["DeviceGroupKey"], meta["DeviceKey"])
        out = idp.confirm_device(AccessToken=result["AccessToken"], DeviceKey=meta["DeviceKey"],
                                 DeviceSecretVerifierConfig=config, DeviceName=name)
        assert out["UserConfirmationNecessary"] is True
        keys.append(meta["DeviceKey"])
    at = result["AccessToken"]

    device = idp.get_device(AccessToken=at, DeviceKey=keys[0])["Device"]
    assert attributes(device)["device_name"] == "phone"
    assert "dev:device_remembered_status" not in attributes(device)
    assert device["DeviceCreateDate"] and device["DeviceLastAuthenticatedDate"]

    first_page = idp.list_devices(AccessToken=at, Limit=1)
    second_page = idp.list_devices(AccessToken=at, Limit=1, PaginationToken=first_page["PaginationToken"])
    assert "PaginationToken" not in second_page
    assert sorted(d["DeviceKey"] for d in first_page["Devices"] + second_page["Devices"]) == sorted(keys)

    idp.update_device_status(AccessToken=at, DeviceKey=keys[0], DeviceRememberedStatus="remembered")
    got = idp.admin_get_device(UserPoolId=pool_id, Username="eve", DeviceKey=keys[0])["Device"]
    assert attributes(got)["dev:device_remembered_status"] == "remembered"
    idp.admin_update_device_status(UserPoolId=pool_id, Username="eve", DeviceKey=keys[0], DeviceRememberedStatus="not_remembered")
    got = idp.admin_get_device(UserPoolId=pool_id, Username="eve", DeviceKey=keys[0])["Device"]
    assert attributes(got)["dev:device_remembered_status"] == "not_remembered"
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.update_device_status(AccessToken=at, DeviceKey=keys[0], DeviceRememberedStatus="forever")

    listed = idp.admin_list_devices(UserPoolId=pool_id, Username="eve")["Devices"]
    assert len(listed) == 2
    idp.admin_forget_device(UserPoolId=pool_id, Username="eve", DeviceKey=keys[1])
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.get_device(AccessToken=at, DeviceKey=keys[1])
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.admin_forget_device(UserPoolId=pool_id, Username="eve", DeviceKey=keys[1])
    assert [d["DeviceKey"] for d in idp.admin_list_devices(UserPoolId=pool_id, Username="eve")["Devices"]] == [keys[0]]

    # A device the pool does not know is refused by name; a confirmed one must prove itself.
    with pytest.raises(idp.exceptions.ResourceNotFoundException) as refused:
        login(DEVICE_KEY=keys[1])
    assert refused.value.response["Error"]["Message"] == "Device does not exist."
    again = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "eve", "PASSWORD": PW, "DEVICE_KEY": keys[0]})
    assert again["ChallengeName"] == "DEVICE_SRP_AUTH" and again["Session"]
    assert "AuthenticationResult" not in again
