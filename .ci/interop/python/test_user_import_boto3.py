"""User import driven as a real script does it: boto3 creates the job, plain HTTP PUTs the CSV
to the job's pre-signed URL, boto3 starts it and polls it; imported users must reset their
password before they sign in. Bad rows are counted, a bad header fails the job, a stopped job
imports nobody and an unstarted job expires (on the emulator clock)."""

import csv
import io

import pytest
import requests

from conftest import make_user

ROLE = "arn:aws:iam::123456789012:role/CognitoImport"


def csv_text(header, rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in header})
    return out.getvalue()


def upload(url, text):
    return requests.put(url, data=text.encode(), headers={"Content-Type": "text/csv", "x-amz-server-side-encryption": "aws:kms"}, timeout=10)


def new_job(idp, pool_id, name="import"):
    return idp.create_user_import_job(JobName=name, UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE)["UserImportJob"]


def test_import_a_csv_then_reset_and_sign_in(emulator, idp, pool, frozen):
    pool_id, client_id = pool["pool_id"], pool["client_id"]
    make_user(idp, pool_id, "old", "Sup3r-Secret!")
    header = idp.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
    assert "cognito:username" in header and "email" in header
    good = {"email_verified": "true", "cognito:mfa_enabled": "false"}
    rows = [
        {"cognito:username": "ana", "email": "ana@example.com", **good},
        {"cognito:username": "ben", "email": "ben@example.com", "phone_number": "+15555550100", "email_verified": "true", "cognito:mfa_enabled": "true"},
        {"cognito:username": "bad user", "email": "x@example.com", **good},        # a space in the username
        {"cognito:username": "ana", "email": "ana2@example.com", **good},          # twice in the file
        {"cognito:username": "old", "email": "old@example.com", **good},          # already in the pool
        {"cognito:username": "cat", "email": "cat@example.com", "cognito:mfa_enabled": "maybe"},
        {"cognito:username": "dan", "email": "dan@example.com", "cognito:mfa_enabled": "true"},  # MFA without a phone
    ]
    job = new_job(idp, pool_id)
    assert job["Status"] == "Created" and job["JobId"].startswith("import-")
    url = job["PreSignedUrl"]
    assert url.startswith(emulator.endpoint)
    assert upload(url.replace("X-Amz-Signature=", "X-Amz-Signature=0"), "x").status_code == 403
    assert upload(url, csv_text(header, rows)).status_code == 200
    started = idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
    assert started["Status"] == "Pending" and "StartDate" in started
    with pytest.raises(idp.exceptions.PreconditionNotMetException):
        idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    assert upload(url, csv_text(header, rows)).status_code == 403  # started: no more uploads
    emulator.clock(advanceSeconds=2)
    done = idp.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
    assert (done["Status"], done["ImportedUsers"], done["FailedUsers"], done["SkippedUsers"]) == ("Succeeded", 2, 5, 0), done
    assert done["CompletionDate"] > done["StartDate"]

    ana = idp.admin_get_user(UserPoolId=pool_id, Username="ana")
    assert ana["UserStatus"] == "RESET_REQUIRED"
    ben = idp.admin_get_user(UserPoolId=pool_id, Username="ben")
    assert "SMS_MFA" in ben.get("UserMFASettingList", [])
    with pytest.raises(idp.exceptions.PasswordResetRequiredException):
        idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "ana", "PASSWORD": "anything-1A!"})
    idp.forgot_password(ClientId=client_id, Username="ana")
    idp.confirm_forgot_password(ClientId=client_id, Username="ana", ConfirmationCode=emulator.last_code(pool_id, "ana"), Password="N3w-Password!")
    ok = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "ana", "PASSWORD": "N3w-Password!"})
    assert "AccessToken" in ok["AuthenticationResult"]


def test_stop_header_expiry_and_listing(emulator, idp, pool, frozen):
    pool_id = pool["pool_id"]
    header = idp.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
    stopped = new_job(idp, pool_id, "stopped")
    upload(stopped["PreSignedUrl"], csv_text(header, [{"cognito:username": f"u{i}", "email": f"u{i}@example.com", "cognito:mfa_enabled": "false"} for i in range(3)]))
    with pytest.raises(idp.exceptions.PreconditionNotMetException):
        idp.stop_user_import_job(UserPoolId=pool_id, JobId=stopped["JobId"])  # not started
    idp.start_user_import_job(UserPoolId=pool_id, JobId=stopped["JobId"])
    out = idp.stop_user_import_job(UserPoolId=pool_id, JobId=stopped["JobId"])["UserImportJob"]
    assert (out["Status"], out["ImportedUsers"], out["SkippedUsers"]) == ("Stopped", 0, 3)
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user(UserPoolId=pool_id, Username="u0")

    bad = new_job(idp, pool_id, "bad-header")
    upload(bad["PreSignedUrl"], "cognito:username,favourite_colour\nzed,blue\n")
    idp.start_user_import_job(UserPoolId=pool_id, JobId=bad["JobId"])
    emulator.clock(advanceSeconds=2)
    failed = idp.describe_user_import_job(UserPoolId=pool_id, JobId=bad["JobId"])["UserImportJob"]
    assert (failed["Status"], failed["CompletionMessage"], failed["ImportedUsers"]) == ("Failed", "InvalidCSVHeader", 0)

    never = new_job(idp, pool_id, "never-uploaded")
    with pytest.raises(idp.exceptions.PreconditionNotMetException):
        idp.start_user_import_job(UserPoolId=pool_id, JobId=never["JobId"])
    emulator.clock(advanceSeconds=86_401)
    assert idp.describe_user_import_job(UserPoolId=pool_id, JobId=never["JobId"])["UserImportJob"]["Status"] == "Expired"

    page = idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=2)
    rest = idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=2, PaginationToken=page["PaginationToken"])
    names = [j["JobName"] for j in page["UserImportJobs"] + rest["UserImportJobs"]]
    assert names == ["stopped", "bad-header", "never-uploaded"]
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.describe_user_import_job(UserPoolId=pool_id, JobId="import-doesnotexist")
