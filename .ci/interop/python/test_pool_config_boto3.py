"""Pool configuration operations through boto3: UpdateGroup, resource servers and identity
providers listed, updated and deleted, GetIdentityProviderByIdentifier, and tags on a pool's
ARN (TagResource, UntagResource, ListTagsForResource, UserPoolTags at creation)."""

import uuid

import pytest
from botocore.exceptions import ClientError


def code(e):
    return e.value.response["Error"]["Code"]


@pytest.fixture()
def pool_id(idp):
    return idp.create_user_pool(PoolName=f"cfg-{uuid.uuid4().hex[:6]}", UserPoolTags={"team": "auth"})["UserPool"]["Id"]


def test_update_group(idp, pool_id):
    idp.create_group(UserPoolId=pool_id, GroupName="admins", Description="old", Precedence=5)
    out = idp.update_group(UserPoolId=pool_id, GroupName="admins", Description="new", Precedence=1)["Group"]
    assert (out["Description"], out["Precedence"]) == ("new", 1)
    got = idp.get_group(UserPoolId=pool_id, GroupName="admins")["Group"]
    assert (got["Description"], got["Precedence"]) == ("new", 1)
    assert got["LastModifiedDate"] >= got["CreationDate"]
    with pytest.raises(ClientError) as e:
        idp.update_group(UserPoolId=pool_id, GroupName="nobody", Description="x")
    assert code(e) == "ResourceNotFoundException"


def test_resource_servers_list_update_delete(idp, pool_id):
    for ident in ("https://a.example", "https://b.example", "https://c.example"):
        idp.create_resource_server(UserPoolId=pool_id, Identifier=ident, Name=ident[8:],
                                   Scopes=[{"ScopeName": "read", "ScopeDescription": "r"}])
    seen, token = [], None
    while True:
        kw = {"NextToken": token} if token else {}
        page = idp.list_resource_servers(UserPoolId=pool_id, MaxResults=2, **kw)
        seen += [s["Identifier"] for s in page["ResourceServers"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == ["https://a.example", "https://b.example", "https://c.example"]
    updated = idp.update_resource_server(UserPoolId=pool_id, Identifier="https://a.example", Name="A",
                                         Scopes=[{"ScopeName": "write", "ScopeDescription": "w"}])["ResourceServer"]
    assert [s["ScopeName"] for s in updated["Scopes"]] == ["write"]
    described = idp.describe_resource_server(UserPoolId=pool_id, Identifier="https://a.example")["ResourceServer"]
    assert described["Name"] == "A"
    idp.delete_resource_server(UserPoolId=pool_id, Identifier="https://b.example")
    with pytest.raises(ClientError) as e:
        idp.describe_resource_server(UserPoolId=pool_id, Identifier="https://b.example")
    assert code(e) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        idp.list_resource_servers(UserPoolId=pool_id, MaxResults=51)
    assert code(e) == "InvalidParameterException"
    with pytest.raises(ClientError) as e:
        idp.update_resource_server(UserPoolId=pool_id, Identifier="https://a.example", Name="A",
                                   Scopes=[{"ScopeName": "bad scope", "ScopeDescription": "x"}])
    assert code(e) == "InvalidParameterException"


def test_identity_providers_list_update_find_delete(idp, pool_id):
    details = {"client_id": "c", "client_secret": "s", "oidc_issuer": "https://idp.example", "authorize_scopes": "openid"}
    idp.create_identity_provider(UserPoolId=pool_id, ProviderName="Corp", ProviderType="OIDC",
                                 ProviderDetails=details, IdpIdentifiers=["corp"])
    idp.create_identity_provider(UserPoolId=pool_id, ProviderName="Other", ProviderType="OIDC",
                                 ProviderDetails=details, IdpIdentifiers=["other"])
    listed = idp.list_identity_providers(UserPoolId=pool_id, MaxResults=1)
    assert [p["ProviderName"] for p in listed["Providers"]] == ["Corp"]
    rest = idp.list_identity_providers(UserPoolId=pool_id, MaxResults=1, NextToken=listed["NextToken"])
    assert [p["ProviderName"] for p in rest["Providers"]] == ["Other"] and "NextToken" not in rest
    found = idp.get_identity_provider_by_identifier(UserPoolId=pool_id, IdpIdentifier="corp")["IdentityProvider"]
    assert found["ProviderName"] == "Corp"
    updated = idp.update_identity_provider(UserPoolId=pool_id, ProviderName="Corp",
                                           AttributeMapping={"email": "mail"})["IdentityProvider"]
    assert updated["AttributeMapping"]["email"] == "mail" and updated["ProviderType"] == "OIDC"
    with pytest.raises(ClientError) as e:
        idp.update_identity_provider(UserPoolId=pool_id, ProviderName="Corp", IdpIdentifiers=["other"])
    assert code(e) == "DuplicateProviderException"
    idp.delete_identity_provider(UserPoolId=pool_id, ProviderName="Other")
    with pytest.raises(ClientError) as e:
        idp.get_identity_provider_by_identifier(UserPoolId=pool_id, IdpIdentifier="other")
    assert code(e) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        idp.delete_identity_provider(UserPoolId=pool_id, ProviderName="Other")
    assert code(e) == "ResourceNotFoundException"


def test_tags_on_the_pools_arn(idp, pool_id):
    arn = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Arn"]
    assert arn.startswith("arn:aws:cognito-idp:") and arn.endswith(f":userpool/{pool_id}")
    assert idp.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "auth"}
    idp.tag_resource(ResourceArn=arn, Tags={"env": "test", "team": "identity"})
    assert idp.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "test", "team": "identity"}
    idp.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert idp.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "test"}
    assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["UserPoolTags"] == {"env": "test"}
    with pytest.raises(ClientError) as e:
        idp.tag_resource(ResourceArn=arn, Tags={f"k{i}": "v" for i in range(50)})
    assert code(e) == "InvalidParameterException"
    missing = arn.rsplit("/", 1)[0] + "/us-east-1_Nope00000"
    with pytest.raises(ClientError) as e:
        idp.list_tags_for_resource(ResourceArn=missing)
    assert code(e) == "ResourceNotFoundException"


def test_add_custom_attributes(idp, pool_id):
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="c")["UserPoolClient"]["ClientId"]
    with pytest.raises(ClientError) as e:
        idp.sign_up(ClientId=client_id, Username="early", Password="Passw0rd!x",
                    UserAttributes=[{"Name": "custom:team", "Value": "blue"}])
    assert code(e) == "InvalidParameterException"
    idp.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=[
        {"Name": "team", "AttributeDataType": "String", "Mutable": True},
        {"Name": "level", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "1", "MaxValue": "9"}},
    ])
    schema = {a["Name"]: a for a in idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]}
    assert schema["custom:team"]["AttributeDataType"] == "String"
    assert schema["custom:level"]["NumberAttributeConstraints"] == {"MinValue": "1", "MaxValue": "9"}
    idp.sign_up(ClientId=client_id, Username="later", Password="Passw0rd!x",
                UserAttributes=[{"Name": "custom:team", "Value": "blue"}, {"Name": "custom:level", "Value": "3"}])
    attrs = {a["Name"]: a["Value"] for a in idp.admin_get_user(UserPoolId=pool_id, Username="later")["UserAttributes"]}
    assert (attrs["custom:team"], attrs["custom:level"]) == ("blue", "3")
    for bad in ([{"Name": "team", "AttributeDataType": "String"}],
                [{"Name": "x" * 21, "AttributeDataType": "String"}],
                [{"Name": f"a{i}", "AttributeDataType": "String"} for i in range(26)]):
        with pytest.raises(ClientError) as e:
            idp.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=bad)
        assert code(e) == "InvalidParameterException"
    # All or nothing: a batch with one bad attribute adds none of them.
    with pytest.raises(ClientError):
        idp.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=[
            {"Name": "fresh", "AttributeDataType": "String"}, {"Name": "team", "AttributeDataType": "String"}])
    names = [a["Name"] for a in idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]]
    assert "custom:fresh" not in names


def test_user_pool_domain_update_and_description(emulator, idp, pool_id):
    domain = f"d{uuid.uuid4().hex[:10]}"
    created = idp.create_user_pool_domain(UserPoolId=pool_id, Domain=domain, ManagedLoginVersion=2)
    host = emulator.endpoint.split("://", 1)[1]
    assert created["CloudFrontDomain"] == host and created["ManagedLoginVersion"] == 2
    described = idp.describe_user_pool_domain(Domain=domain)["DomainDescription"]
    assert described["AWSAccountId"] and described["CloudFrontDistribution"] == host
    assert (described["UserPoolId"], described["Status"], described["ManagedLoginVersion"]) == (pool_id, "ACTIVE", 2)
    updated = idp.update_user_pool_domain(UserPoolId=pool_id, Domain=domain, ManagedLoginVersion=1)
    assert updated["ManagedLoginVersion"] == 1
    assert idp.describe_user_pool_domain(Domain=domain)["DomainDescription"]["ManagedLoginVersion"] == 1
    with pytest.raises(ClientError) as e:
        idp.update_user_pool_domain(UserPoolId=pool_id, Domain="not-this-pools", ManagedLoginVersion=2)
    assert code(e) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        idp.update_user_pool_domain(UserPoolId=pool_id, Domain=domain, ManagedLoginVersion=3)
    assert code(e) == "InvalidParameterException"


def test_client_secret_rotation(idp, pool_id):
    """Two active secrets during a rotation: SECRET_HASH under either signs in; the first can be
    retired, the last cannot."""
    import base64
    import hashlib
    import hmac

    client = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="conf", GenerateSecret=True,
                                         ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]
    client_id, first = client["ClientId"], client["ClientSecret"]
    idp.admin_create_user(UserPoolId=pool_id, Username="rot", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool_id, Username="rot", Password="Passw0rd!x", Permanent=True)

    def sign_in(secret):
        digest = hmac.new(secret.encode(), ("rot" + client_id).encode(), hashlib.sha256).digest()
        return idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={
            "USERNAME": "rot", "PASSWORD": "Passw0rd!x", "SECRET_HASH": base64.b64encode(digest).decode()})

    listed = idp.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client_id)["ClientSecrets"]
    assert len(listed) == 1 and "ClientSecretValue" not in listed[0]
    first_id = listed[0]["ClientSecretId"]
    added = idp.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client_id)["ClientSecretDescriptor"]
    second, second_id = added["ClientSecretValue"], added["ClientSecretId"]
    assert second != first
    for secret in (first, second):
        assert "AuthenticationResult" in sign_in(secret)
    with pytest.raises(ClientError) as e:
        sign_in("x" * 40)
    assert code(e) == "NotAuthorizedException"
    with pytest.raises(ClientError) as e:
        idp.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client_id)
    assert code(e) == "LimitExceededException"
    ids = [s["ClientSecretId"] for s in idp.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client_id)["ClientSecrets"]]
    assert ids == [first_id, second_id]

    idp.delete_user_pool_client_secret(UserPoolId=pool_id, ClientId=client_id, ClientSecretId=first_id)
    with pytest.raises(ClientError) as e:
        sign_in(first)
    assert code(e) == "NotAuthorizedException"
    assert "AuthenticationResult" in sign_in(second)
    assert idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]["ClientSecret"] == second
    remaining = idp.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client_id)["ClientSecrets"]
    assert [s["ClientSecretId"] for s in remaining] == [second_id]
    with pytest.raises(ClientError) as e:
        idp.delete_user_pool_client_secret(UserPoolId=pool_id, ClientId=client_id, ClientSecretId=second_id)
    assert code(e) == "InvalidParameterException"
    own = idp.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client_id,
                                          ClientSecret="my0wn0secret0of0enough0length")["ClientSecretDescriptor"]
    assert own["ClientSecretValue"] == "my0wn0secret0of0enough0length"


def test_stored_configuration_operations(idp, pool_id):
    """UI customization, log delivery and risk configuration: validated, stored, returned."""
    client_id = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="ui")["UserPoolClient"]["ClientId"]
    assert idp.get_ui_customization(UserPoolId=pool_id)["UICustomization"]["UserPoolId"] == pool_id
    ui = idp.set_ui_customization(UserPoolId=pool_id, CSS=".banner-customizable {background: #123}")["UICustomization"]
    assert ui["ClientId"] == "ALL" and ui["CSS"].startswith(".banner")
    mine = idp.set_ui_customization(UserPoolId=pool_id, ClientId=client_id, CSS=".logo-customizable {}")["UICustomization"]
    assert idp.get_ui_customization(UserPoolId=pool_id, ClientId=client_id)["UICustomization"]["CSS"] == mine["CSS"]
    assert idp.get_ui_customization(UserPoolId=pool_id)["UICustomization"]["CSS"] == ui["CSS"]

    log = {"LogLevel": "ERROR", "EventSource": "userNotification",
           "CloudWatchLogsConfiguration": {"LogGroupArn": "arn:aws:logs:us-east-1:000000000000:log-group:cognito"}}
    out = idp.set_log_delivery_configuration(UserPoolId=pool_id, LogConfigurations=[log])
    assert out["LogDeliveryConfiguration"]["LogConfigurations"] == [log]
    assert idp.get_log_delivery_configuration(UserPoolId=pool_id)["LogDeliveryConfiguration"]["LogConfigurations"] == [log]
    with pytest.raises(ClientError) as e:
        idp.set_log_delivery_configuration(UserPoolId=pool_id, LogConfigurations=[{"LogLevel": "INFO", "EventSource": "userAuthEvents"}])
    assert code(e) == "InvalidParameterException"

    risk = idp.set_risk_configuration(UserPoolId=pool_id, CompromisedCredentialsRiskConfiguration={
        "Actions": {"EventAction": "BLOCK"}})["RiskConfiguration"]
    assert risk["CompromisedCredentialsRiskConfiguration"]["Actions"]["EventAction"] == "BLOCK"
    described = idp.describe_risk_configuration(UserPoolId=pool_id, ClientId=client_id)["RiskConfiguration"]
    assert described["CompromisedCredentialsRiskConfiguration"]["Actions"]["EventAction"] == "BLOCK"
    with pytest.raises(ClientError) as e:
        idp.set_risk_configuration(UserPoolId=pool_id, CompromisedCredentialsRiskConfiguration={"Actions": {"EventAction": "MAYBE"}})
    assert code(e) == "InvalidParameterException"
    with pytest.raises(ClientError) as e:
        idp.describe_risk_configuration(UserPoolId=pool_id, ClientId="nonexistentclient000000000")
    assert code(e) == "ResourceNotFoundException"


def test_csv_header(idp, pool_id):
    idp.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=[{"Name": "team", "AttributeDataType": "String"}])
    header = idp.get_csv_header(UserPoolId=pool_id)
    assert header["UserPoolId"] == pool_id
    columns = header["CSVHeader"]
    assert "sub" not in columns and {"email", "email_verified", "phone_number", "custom:team"} <= set(columns)
    assert columns[-2:] == ["cognito:mfa_enabled", "cognito:username"]


def test_link_an_external_identity_to_a_native_user(emulator, idp, pool_id):
    """AdminLinkProviderForUser: the hosted UI's `identity_provider=` then signs the external
    user in as the native one; AdminDisableProviderForUser undoes it."""
    import urllib.parse

    import jwt
    import requests

    callback = "https://app.example/cb"
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", CallbackURLs=[callback], AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid"], AllowedOAuthFlowsUserPoolClient=True,
        SupportedIdentityProviders=["COGNITO", "Google"])["UserPoolClient"]["ClientId"]
    idp.create_identity_provider(UserPoolId=pool_id, ProviderName="Google", ProviderType="Google", ProviderDetails={
        "client_id": "g", "client_secret": "s", "authorize_scopes": "openid", "emulator_subject": "g-123"})
    domain = f"l{uuid.uuid4().hex[:10]}"
    idp.create_user_pool_domain(UserPoolId=pool_id, Domain=domain)
    idp.admin_create_user(UserPoolId=pool_id, Username="nat", MessageAction="SUPPRESS")

    def federated_username():
        query = urllib.parse.urlencode({"client_id": client_id, "response_type": "code", "redirect_uri": callback,
                                        "scope": "openid", "identity_provider": "Google"})
        r = requests.get(f"{emulator.endpoint}/domains/{domain}/oauth2/authorize?{query}", allow_redirects=False, timeout=5)
        assert r.status_code in (302, 303), r.text
        code_ = urllib.parse.parse_qs(urllib.parse.urlsplit(r.headers["location"]).query)["code"][0]
        tokens = requests.post(f"{emulator.endpoint}/domains/{domain}/oauth2/token", data={
            "grant_type": "authorization_code", "client_id": client_id, "code": code_, "redirect_uri": callback}, timeout=5).json()
        return jwt.decode(tokens["id_token"], options={"verify_signature": False})["cognito:username"]

    with pytest.raises(ClientError) as e:
        idp.admin_link_provider_for_user(UserPoolId=pool_id,
                                         DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "nat"},
                                         SourceUser={"ProviderName": "Google", "ProviderAttributeName": "email", "ProviderAttributeValue": "g-123"})
    assert code(e) == "InvalidParameterException"
    idp.admin_link_provider_for_user(UserPoolId=pool_id,
                                     DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "nat"},
                                     SourceUser={"ProviderName": "Google", "ProviderAttributeName": "Cognito_Subject", "ProviderAttributeValue": "g-123"})
    assert federated_username() == "nat"
    attrs = {a["Name"]: a["Value"] for a in idp.admin_get_user(UserPoolId=pool_id, Username="nat")["UserAttributes"]}
    assert '"providerName": "Google"' in attrs["identities"].replace('":"', '": "')

    idp.admin_disable_provider_for_user(UserPoolId=pool_id, User={
        "ProviderName": "Google", "ProviderAttributeName": "Cognito_Subject", "ProviderAttributeValue": "g-123"})
    assert federated_username() == "Google_g-123"
    with pytest.raises(ClientError) as e:
        idp.admin_link_provider_for_user(UserPoolId=pool_id,
                                         DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "nobody"},
                                         SourceUser={"ProviderName": "Google", "ProviderAttributeName": "Cognito_Subject", "ProviderAttributeValue": "g-9"})
    assert code(e) == "UserNotFoundException"


def test_signing_certificate(idp, pool):
    """GetSigningCertificate: a self-signed X.509 certificate, read by the `cryptography`
    package: RSA-2048, SHA-256 with RSA, ten years, the same on every call, one per pool."""
    import base64
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    first = idp.get_signing_certificate(UserPoolId=pool["pool_id"])["Certificate"]
    assert idp.get_signing_certificate(UserPoolId=pool["pool_id"])["Certificate"] == first
    cert = x509.load_der_x509_certificate(base64.b64decode(first))
    assert pool["pool_id"] in cert.subject.rfc4514_string()
    assert cert.issuer == cert.subject
    assert cert.public_key().key_size == 2048
    assert isinstance(cert.signature_hash_algorithm, hashes.SHA256)
    cert.public_key().verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), cert.signature_hash_algorithm)
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert abs(lifetime - datetime.timedelta(days=3650)) < datetime.timedelta(days=1)
    other = idp.create_user_pool(PoolName="other")["UserPool"]["Id"]
    assert idp.get_signing_certificate(UserPoolId=other)["Certificate"] != first
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.get_signing_certificate(UserPoolId="us-east-1_nosuchpool")
