// amazon-cognito-identity-js (the library Amplify v5 and countless apps use) against the
// emulator: SRP sign-in right and wrong, refresh, sign-up and confirmation, the new-password
// challenge, and sign-in by email alias where USER_ID_FOR_SRP is not what the user typed.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
} = require('amazon-cognito-identity-js');
const { startEmulator } = require('./emulator');

let emu;
before(async () => {
  emu = await startEmulator();
});
after(() => emu.stop());

function poolFor({ poolId, clientId }) {
  return new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: emu.endpoint + '/' });
}

function signIn(user, username, password) {
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ session }),
      onFailure: reject,
      newPasswordRequired: (userAttributes, requiredAttributes) =>
        resolve({ newPasswordRequired: { userAttributes, requiredAttributes } }),
    });
  });
}

function payload(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

test('USER_SRP_AUTH with the right password yields a valid session', async () => {
  const ids = await emu.makePool();
  await emu.makeUser(ids.poolId, 'alice', 'Corr3ct-Horse!');
  const user = new CognitoUser({ Username: 'alice', Pool: poolFor(ids) });
  const { session } = await signIn(user, 'alice', 'Corr3ct-Horse!');
  assert.ok(session.isValid());
  const access = payload(session.getAccessToken().getJwtToken());
  assert.equal(access.username, 'alice');
  assert.equal(access.token_use, 'access');
  assert.equal(access.client_id, ids.clientId);
  assert.ok(access.origin_jti);
  const id = payload(session.getIdToken().getJwtToken());
  assert.equal(id['cognito:username'], 'alice');
  assert.equal(id.aud, ids.clientId);
  assert.equal(id.iss, `${emu.endpoint}/${ids.poolId}`);
});

test('USER_SRP_AUTH with a wrong password is NotAuthorizedException', async () => {
  const ids = await emu.makePool();
  await emu.makeUser(ids.poolId, 'bob', 'Corr3ct-Horse!');
  const user = new CognitoUser({ Username: 'bob', Pool: poolFor(ids) });
  await assert.rejects(signIn(user, 'bob', 'Wr0ng-Horse!'), (err) => {
    assert.equal(err.code, 'NotAuthorizedException');
    assert.equal(err.message, 'Incorrect username or password.');
    return true;
  });
});

test('an unknown user is UserNotFoundException (LEGACY) and NotAuthorized when existence errors are prevented', async () => {
  const legacy = await emu.makePool();
  await assert.rejects(signIn(new CognitoUser({ Username: 'ghost', Pool: poolFor(legacy) }), 'ghost', 'Whatever1!'), {
    code: 'UserNotFoundException',
  });
  const strict = await emu.makePool({}, { PreventUserExistenceErrors: 'ENABLED' });
  await assert.rejects(signIn(new CognitoUser({ Username: 'ghost', Pool: poolFor(strict) }), 'ghost', 'Whatever1!'), {
    code: 'NotAuthorizedException',
  });
});

test('REFRESH_TOKEN_AUTH through refreshSession keeps auth_time and origin_jti', async () => {
  const ids = await emu.makePool();
  await emu.makeUser(ids.poolId, 'carol', 'Corr3ct-Horse!');
  const user = new CognitoUser({ Username: 'carol', Pool: poolFor(ids) });
  const { session } = await signIn(user, 'carol', 'Corr3ct-Horse!');
  await emu.clock({ advanceSeconds: 7200 });
  const refreshed = await new Promise((resolve, reject) =>
    user.refreshSession(session.getRefreshToken(), (err, s) => (err ? reject(err) : resolve(s))),
  );
  const before = payload(session.getAccessToken().getJwtToken());
  const afterTok = payload(refreshed.getAccessToken().getJwtToken());
  assert.notEqual(refreshed.getAccessToken().getJwtToken(), session.getAccessToken().getJwtToken());
  assert.equal(afterTok.origin_jti, before.origin_jti);
  assert.equal(afterTok.auth_time, before.auth_time);
  assert.ok(afterTok.iat >= before.iat + 7200);
  // The refresh token was not rotated, so the library keeps the old one.
  assert.equal(refreshed.getRefreshToken().getToken(), session.getRefreshToken().getToken());
});

test('a revoked refresh token is refused with NotAuthorizedException', async () => {
  const ids = await emu.makePool();
  await emu.makeUser(ids.poolId, 'dave', 'Corr3ct-Horse!');
  const user = new CognitoUser({ Username: 'dave', Pool: poolFor(ids) });
  const { session } = await signIn(user, 'dave', 'Corr3ct-Horse!');
  await emu.call('GlobalSignOut', { AccessToken: session.getAccessToken().getJwtToken() });
  await assert.rejects(
    new Promise((resolve, reject) =>
      user.refreshSession(session.getRefreshToken(), (err, s) => (err ? reject(err) : resolve(s))),
    ),
    { code: 'NotAuthorizedException' },
  );
});

test('sign-up, UserNotConfirmedException before confirmation, confirm with the outbox code, sign in', async () => {
  const ids = await emu.makePool();
  const pool = poolFor(ids);
  const result = await new Promise((resolve, reject) =>
    pool.signUp('erin', 'Corr3ct-Horse!', [new CognitoUserAttribute({ Name: 'email', Value: 'erin@example.com' })], [], (err, r) =>
      err ? reject(err) : resolve(r),
    ),
  );
  assert.equal(result.userConfirmed, false);
  assert.match(result.userSub, /^[0-9a-f-]{36}$/);
  assert.equal(result.codeDeliveryDetails.DeliveryMedium, 'EMAIL');
  assert.equal(result.codeDeliveryDetails.Destination, 'e***@e***');
  const user = result.user;
  await assert.rejects(signIn(user, 'erin', 'Corr3ct-Horse!'), { code: 'UserNotConfirmedException' });
  await assert.rejects(
    new Promise((resolve, reject) => user.confirmRegistration('000000', true, (err, r) => (err ? reject(err) : resolve(r)))),
    { code: 'CodeMismatchException' },
  );
  const code = await emu.lastCode(ids.poolId, 'erin');
  const confirmed = await new Promise((resolve, reject) =>
    user.confirmRegistration(code, true, (err, r) => (err ? reject(err) : resolve(r))),
  );
  assert.equal(confirmed, 'SUCCESS');
  const { session } = await signIn(user, 'erin', 'Corr3ct-Horse!');
  assert.equal(payload(session.getIdToken().getJwtToken()).email_verified, true);
});

test('an admin-created user answers NEW_PASSWORD_REQUIRED with the required attributes', async () => {
  const ids = await emu.makePool({ Schema: [{ Name: 'name', Required: true, AttributeDataType: 'String' }] });
  await emu.call('AdminCreateUser', {
    UserPoolId: ids.poolId,
    Username: 'frank',
    TemporaryPassword: 'Temp0rary-Pass!',
    MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: 'frank@example.com' }],
  });
  const user = new CognitoUser({ Username: 'frank', Pool: poolFor(ids) });
  const first = await signIn(user, 'frank', 'Temp0rary-Pass!');
  assert.deepEqual(first.newPasswordRequired.requiredAttributes, ['name']);
  assert.equal(first.newPasswordRequired.userAttributes.email, 'frank@example.com');
  const session = await new Promise((resolve, reject) =>
    user.completeNewPasswordChallenge('Perm4nent-Pass!', { name: 'Frank' }, { onSuccess: resolve, onFailure: reject }),
  );
  assert.equal(payload(session.getIdToken().getJwtToken()).name, 'Frank');
  const again = await signIn(new CognitoUser({ Username: 'frank', Pool: poolFor(ids) }), 'frank', 'Perm4nent-Pass!');
  assert.ok(again.session.isValid());
});

test('sign-in by email alias: USER_ID_FOR_SRP is the canonical username', async () => {
  const ids = await emu.makePool({ UsernameAttributes: ['email'] });
  const signedUp = await new Promise((resolve, reject) =>
    poolFor(ids).signUp('Grace@Example.com', 'Corr3ct-Horse!', [], [], (err, r) => (err ? reject(err) : resolve(r))),
  );
  await emu.call('AdminConfirmSignUp', { UserPoolId: ids.poolId, Username: signedUp.userSub });
  const user = new CognitoUser({ Username: 'Grace@Example.com', Pool: poolFor(ids) });
  const { session } = await signIn(user, 'Grace@Example.com', 'Corr3ct-Horse!');
  const access = payload(session.getAccessToken().getJwtToken());
  assert.equal(access.username, signedUp.userSub);
  assert.equal(access.sub, signedUp.userSub);
  // The library re-keys the user to USER_ID_FOR_SRP, as it does against Cognito.
  assert.equal(user.getUsername(), signedUp.userSub);
});
