// amazon-cognito-identity-js answering the emulator's challenges: SMS_MFA after SRP (the code
// read from the outbox endpoint, a wrong code refused); CUSTOM_AUTH driven by the declarative
// custom-auth rules of a seed file, with initiateAuth and with SRP_A first (a wrong answer gets
// a new challenge, the right one tokens, too many wrong ones fail the sign-in); and the legacy
// enableMFA / getMFAOptions / disableMFA (SetUserSettings and GetUser's MFAOptions).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { promisify } = require('node:util');
const { AuthenticationDetails, CognitoUser, CognitoUserPool } = require('amazon-cognito-identity-js');
const { startEmulator } = require('./emulator');

const CUSTOM_POOL = 'us-east-1_JsCustom';
const CUSTOM_CLIENT = 'jscustomclient000000000001';

let emu;
before(async () => {
  emu = await startEmulator({
    seed: {
      Pools: [
        {
          Id: CUSTOM_POOL,
          PoolName: 'js-custom',
          CustomAuth: { Answer: 'blue', MaxAttempts: 2 },
          Clients: [
            {
              ClientId: CUSTOM_CLIENT,
              ClientName: 'js',
              ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
            },
          ],
        },
      ],
    },
  });
});
after(() => emu.stop());

function poolFor({ poolId, clientId }) {
  return new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: emu.endpoint + '/' });
}

function payload(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

// Every callback settles the promise with what happened, so each step is awaited in turn.
function outcome(resolve, reject) {
  return {
    onSuccess: (session) => resolve({ session }),
    onFailure: reject,
    mfaRequired: (challengeName, parameters) => resolve({ mfa: { challengeName, parameters } }),
    customChallenge: (parameters) => resolve({ custom: parameters }),
  };
}

test('SMS_MFA after SRP: a wrong code is refused, the outbox code signs in', async () => {
  const ids = await emu.makePool({ MfaConfiguration: 'OPTIONAL' });
  await emu.makeUser(ids.poolId, 'mia', 'Sup3r-Secret!', {
    email: 'mia@example.com',
    phone_number: '+15555550142',
    phone_number_verified: 'true',
  });
  await emu.call('AdminSetUserMFAPreference', {
    UserPoolId: ids.poolId,
    Username: 'mia',
    SMSMfaSettings: { Enabled: true, PreferredMfa: true },
  });
  const user = new CognitoUser({ Username: 'mia', Pool: poolFor(ids) });
  const details = new AuthenticationDetails({ Username: 'mia', Password: 'Sup3r-Secret!' });

  const first = await new Promise((res, rej) => user.authenticateUser(details, outcome(res, rej)));
  assert.equal(first.mfa.challengeName, 'SMS_MFA');
  assert.equal(first.mfa.parameters.CODE_DELIVERY_DELIVERY_MEDIUM, 'SMS');
  assert.equal(first.mfa.parameters.CODE_DELIVERY_DESTINATION, '+*******0142');
  const code = await emu.lastCode(ids.poolId, 'mia');
  const wrong = code === '000000' ? '111111' : '000000';
  await assert.rejects(
    new Promise((res, rej) => user.sendMFACode(wrong, outcome(res, rej), 'SMS_MFA')),
    (err) => err.code === 'CodeMismatchException',
  );

  // A Cognito session survives a wrong code; the right one completes the sign-in.
  const done = await new Promise((res, rej) => user.sendMFACode(code, outcome(res, rej), 'SMS_MFA'));
  assert.ok(done.session.isValid());
  assert.equal(payload(done.session.getAccessToken().getJwtToken()).username, 'mia');
});

test('CUSTOM_AUTH: wrong answer, new challenge, right answer, tokens', async () => {
  const ids = { poolId: CUSTOM_POOL, clientId: CUSTOM_CLIENT };
  await emu.makeUser(CUSTOM_POOL, 'cora', 'Sup3r-Secret!');
  const user = new CognitoUser({ Username: 'cora', Pool: poolFor(ids) });
  user.setAuthenticationFlowType('CUSTOM_AUTH');
  const details = new AuthenticationDetails({ Username: 'cora' });

  const first = await new Promise((res, rej) => user.initiateAuth(details, outcome(res, rej)));
  assert.ok(first.custom, `expected a custom challenge, got ${JSON.stringify(first)}`);
  const second = await new Promise((res, rej) => user.sendCustomChallengeAnswer('red', outcome(res, rej)));
  assert.ok(second.custom, `expected another custom challenge, got ${JSON.stringify(second)}`);
  const done = await new Promise((res, rej) => user.sendCustomChallengeAnswer('blue', outcome(res, rej)));
  assert.ok(done.session.isValid());
  assert.equal(payload(done.session.getIdToken().getJwtToken())['cognito:username'], 'cora');

  // Two wrong answers end the attempt with NotAuthorizedException.
  const again = await new Promise((res, rej) => user.initiateAuth(details, outcome(res, rej)));
  assert.ok(again.custom);
  await new Promise((res, rej) => user.sendCustomChallengeAnswer('red', outcome(res, rej)));
  await assert.rejects(
    new Promise((res, rej) => user.sendCustomChallengeAnswer('green', outcome(res, rej))),
    (err) => err.code === 'NotAuthorizedException',
  );
});

test('CUSTOM_AUTH that starts with SRP_A: the password first, then the custom challenge', async () => {
  const ids = { poolId: CUSTOM_POOL, clientId: CUSTOM_CLIENT };
  await emu.makeUser(CUSTOM_POOL, 'cyd', 'Sup3r-Secret!');
  const user = new CognitoUser({ Username: 'cyd', Pool: poolFor(ids) });
  user.setAuthenticationFlowType('CUSTOM_AUTH');

  const wrong = new AuthenticationDetails({ Username: 'cyd', Password: 'Not-The-0ne!' });
  await assert.rejects(
    new Promise((res, rej) => user.authenticateUser(wrong, outcome(res, rej))),
    (err) => err.code === 'NotAuthorizedException',
  );

  const details = new AuthenticationDetails({ Username: 'cyd', Password: 'Sup3r-Secret!' });
  const challenged = await new Promise((res, rej) => user.authenticateUser(details, outcome(res, rej)));
  assert.ok(challenged.custom, `expected a custom challenge, got ${JSON.stringify(challenged)}`);
  assert.equal(challenged.custom.question, 'What is the answer?');
  const done = await new Promise((res, rej) => user.sendCustomChallengeAnswer('blue', outcome(res, rej)));
  assert.ok(done.session.isValid());
  assert.equal(payload(done.session.getAccessToken().getJwtToken()).username, 'cyd');
});

test('enableMFA, getMFAOptions and disableMFA switch SMS MFA on and off', async () => {
  const ids = await emu.makePool({ MfaConfiguration: 'OPTIONAL' });
  await emu.makeUser(ids.poolId, 'max', 'Sup3r-Secret!', {
    email: 'max@example.com',
    phone_number: '+15555550143',
    phone_number_verified: 'true',
  });
  const user = new CognitoUser({ Username: 'max', Pool: poolFor(ids) });
  const details = new AuthenticationDetails({ Username: 'max', Password: 'Sup3r-Secret!' });
  const signIn = () => new Promise((res, rej) => user.authenticateUser(details, outcome(res, rej)));

  assert.ok((await signIn()).session);
  assert.equal(await promisify(user.getMFAOptions.bind(user))(), undefined);
  assert.equal(await promisify(user.enableMFA.bind(user))(), 'SUCCESS');
  assert.deepEqual(await promisify(user.getMFAOptions.bind(user))(), [
    { DeliveryMedium: 'SMS', AttributeName: 'phone_number' },
  ]);

  const challenged = await signIn();
  assert.equal(challenged.mfa.challengeName, 'SMS_MFA');
  const code = await emu.lastCode(ids.poolId, 'max');
  const done = await new Promise((res, rej) => user.sendMFACode(code, outcome(res, rej)));
  assert.ok(done.session.isValid());

  assert.equal(await promisify(user.disableMFA.bind(user))(), 'SUCCESS');
  assert.equal(await promisify(user.getMFAOptions.bind(user))(), undefined);
  assert.ok((await signIn()).session);
});
