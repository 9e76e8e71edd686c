"""Terms documents, managed login branding and user pool replicas driven by boto3: created,
described, listed, updated and deleted with Cognito's answers and errors (these are stored and
returned: see README, "Operations")."""

import base64

import pytest


def test_terms(idp, pool):
    pool_id, client_id = pool["pool_id"], pool["client_id"]
    links = {"cognito:default": "https://example.com/terms", "cognito:french": "https://example.com/fr/terms"}
    created = idp.create_terms(UserPoolId=pool_id, ClientId=client_id, TermsName="terms-of-use", TermsSource="LINK",
                               Enforcement="NONE", Links=links)["Terms"]
    assert created["Links"] == links and created["ClientId"] == client_id and len(created["TermsId"]) == 36
    with pytest.raises(idp.exceptions.TermsExistsException):
        idp.create_terms(UserPoolId=pool_id, ClientId=client_id, TermsName="terms-of-use", TermsSource="LINK", Enforcement="NONE")
    privacy = idp.create_terms(UserPoolId=pool_id, ClientId=client_id, TermsName="privacy-policy", TermsSource="LINK",
                               Enforcement="NONE", Links={"cognito:default": "https://example.com/privacy"})["Terms"]
    assert idp.describe_terms(UserPoolId=pool_id, TermsId=created["TermsId"])["Terms"] == created
    by_client = idp.describe_terms_by_client(UserPoolId=pool_id, ClientId=client_id, TermsName="privacy-policy")["Terms"]
    assert by_client["TermsId"] == privacy["TermsId"]
    first = idp.list_terms(UserPoolId=pool_id, MaxResults=1)
    second = idp.list_terms(UserPoolId=pool_id, MaxResults=1, NextToken=first["NextToken"])
    assert {t["TermsId"] for t in first["Terms"] + second["Terms"]} == {created["TermsId"], privacy["TermsId"]}
    updated = idp.update_terms(UserPoolId=pool_id, TermsId=created["TermsId"], Links={"cognito:default": "https://example.com/v2"})["Terms"]
    assert updated["Links"] == {"cognito:default": "https://example.com/v2"} and updated["TermsName"] == "terms-of-use"
    with pytest.raises(idp.exceptions.TermsExistsException):
        idp.update_terms(UserPoolId=pool_id, TermsId=created["TermsId"], TermsName="privacy-policy")
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.create_terms(UserPoolId=pool_id, ClientId=client_id, TermsName="cookies", TermsSource="LINK", Enforcement="NONE")
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.update_terms(UserPoolId=pool_id, TermsId=created["TermsId"], Links={"cognito:klingon": "https://example.com"})
    idp.delete_terms(UserPoolId=pool_id, TermsId=created["TermsId"])
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.describe_terms(UserPoolId=pool_id, TermsId=created["TermsId"])
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.describe_terms_by_client(UserPoolId=pool_id, ClientId=client_id, TermsName="terms-of-use")


def test_managed_login_branding(idp, pool):
    pool_id, client_id = pool["pool_id"], pool["client_id"]
    logo = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    created = idp.create_managed_login_branding(
        UserPoolId=pool_id, ClientId=client_id,
        Settings={"components": {"primaryButton": {"lightMode": {"defaults": {"backgroundColor": "0972d3ff"}}}}},
        Assets=[{"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": logo}],
    )["ManagedLoginBranding"]
    branding_id = created["ManagedLoginBrandingId"]
    assert created["UseCognitoProvidedValues"] is False and created["Assets"][0]["Bytes"] == logo
    with pytest.raises(idp.exceptions.ManagedLoginBrandingExistsException):
        idp.create_managed_login_branding(UserPoolId=pool_id, ClientId=client_id, UseCognitoProvidedValues=True)
    with pytest.raises(idp.exceptions.InvalidParameterException):
        other = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="other")["UserPoolClient"]["ClientId"]
        idp.create_managed_login_branding(UserPoolId=pool_id, ClientId=other, UseCognitoProvidedValues=True, Settings={"a": 1})
    updated = idp.update_managed_login_branding(
        UserPoolId=pool_id, ManagedLoginBrandingId=branding_id,
        Settings={"components": {"primaryButton": {"darkMode": {"defaults": {"backgroundColor": "000000ff"}}}}},
        Assets=[{"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "SVG", "Bytes": b"<svg/>"},
                {"Category": "FAVICON_ICO", "ColorMode": "DYNAMIC", "Extension": "ICO", "Bytes": b"\x00\x00\x01\x00"}],
    )["ManagedLoginBranding"]
    button = updated["Settings"]["components"]["primaryButton"]
    assert set(button) == {"lightMode", "darkMode"}  # merged, not replaced
    assert sorted((a["Category"], a["Extension"]) for a in updated["Assets"]) == [("FAVICON_ICO", "ICO"), ("FORM_LOGO", "SVG")]
    by_client = idp.describe_managed_login_branding_by_client(UserPoolId=pool_id, ClientId=client_id)["ManagedLoginBranding"]
    assert by_client == idp.describe_managed_login_branding(UserPoolId=pool_id, ManagedLoginBrandingId=branding_id)["ManagedLoginBranding"]
    reset = idp.update_managed_login_branding(UserPoolId=pool_id, ManagedLoginBrandingId=branding_id, UseCognitoProvidedValues=True)
    assert reset["ManagedLoginBranding"]["UseCognitoProvidedValues"] is True and reset["ManagedLoginBranding"]["Assets"] == []
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.update_managed_login_branding(UserPoolId=pool_id, ManagedLoginBrandingId=branding_id,
                                          Assets=[{"Category": "WALLPAPER", "ColorMode": "LIGHT", "Extension": "PNG"}])
    idp.delete_managed_login_branding(UserPoolId=pool_id, ManagedLoginBrandingId=branding_id)
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.describe_managed_login_branding_by_client(UserPoolId=pool_id, ClientId=client_id)
    assert base64.b64encode(logo)


def test_user_pool_replicas(idp, pool):
    pool_id = pool["pool_id"]
    created = idp.create_user_pool_replica(UserPoolId=pool_id, RegionName="eu-west-1")["UserPoolReplica"]
    assert (created["RegionName"], created["Status"], created["Role"]) == ("eu-west-1", "CREATING", "SECONDARY")
    assert created["UserPoolArn"].startswith("arn:aws:cognito-idp:eu-west-1:") and created["UserPoolArn"].endswith(pool_id)
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.create_user_pool_replica(UserPoolId=pool_id, RegionName="us-east-1")  # the primary's own
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.create_user_pool_replica(UserPoolId=pool_id, RegionName="eu-west-1")
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.create_user_pool_replica(UserPoolId=pool_id, RegionName="moon-base")
    listed = idp.list_user_pool_replicas(UserPoolId=pool_id)["UserPoolReplicas"]
    assert [(r["RegionName"], r["Role"], r["Status"]) for r in listed] == [("us-east-1", "PRIMARY", "ACTIVE"), ("eu-west-1", "SECONDARY", "ACTIVE")]
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.delete_user_pool_replica(UserPoolId=pool_id, RegionName="eu-west-1")  # still active
    out = idp.update_user_pool_replica(UserPoolId=pool_id, RegionName="eu-west-1", Status="INACTIVE")["UserPoolReplica"]
    assert out["Status"] == "INACTIVE"
    assert idp.delete_user_pool_replica(UserPoolId=pool_id, RegionName="eu-west-1")["UserPoolReplica"]["Status"] == "DELETING"
    assert len(idp.list_user_pool_replicas(UserPoolId=pool_id)["UserPoolReplicas"]) == 1
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.update_user_pool_replica(UserPoolId=pool_id, RegionName="eu-west-1", Status="ACTIVE")
