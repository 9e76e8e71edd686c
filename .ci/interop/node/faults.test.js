// amazon-cognito-identity-js meets injected faults on refresh: connection resets and throttling,
// both of which the library retries (it retries every error) until a refresh passes.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { AuthenticationDetails, CognitoUser, CognitoUserPool } = require('amazon-cognito-identity-js');
const { startEmulator } = require('./emulator');

let emu;
before(async () => {
  emu = await startEmulator();
});
after(() => emu.stop());

async function fault(body) {
  const res = await fetch(`${emu.endpoint}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200);
}

async function signedIn() {
  const ids = await emu.makePool();
  await emu.makeUser(ids.poolId, 'kai', 'Corr3ct-Horse!');
  const pool = new CognitoUserPool({ UserPoolId: ids.poolId, ClientId: ids.clientId, endpoint: emu.endpoint + '/' });
  const user = new CognitoUser({ Username: 'kai', Pool: pool });
  const session = await new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: 'kai', Password: 'Corr3ct-Horse!' }), { onSuccess: resolve, onFailure: reject }),
  );
  return { user, session };
}

const refresh = (user, session) =>
  new Promise((resolve, reject) => user.refreshSession(session.getRefreshToken(), (err, s) => (err ? reject(err) : resolve(s))));

test('refreshes answered with connection resets are retried by the library until one passes', async () => {
  const { user, session } = await signedIn();
  // The library retries every error (jittered, up to ~5 minutes): reset every attempt for a
  // while, then let one through, and see that the library got there.
  await fault({ match: { operation: 'InitiateAuth', flow: 'REFRESH_TOKEN_AUTH', times: 2 }, fault: { kind: 'reset_before' } });
  const refreshed = await refresh(user, session);
  assert.ok(refreshed.isValid());
  const journal = await (await fetch(`${emu.endpoint}/_emulator/journal`)).json();
  const refreshes = journal.entries.filter((e) => e.flow === 'REFRESH_TOKEN_AUTH');
  assert.deepEqual(refreshes.map((e) => e.fault ?? null), ['reset_before', 'reset_before', null]);
});

test('throttled refreshes are retried by the library until one passes', async () => {
  const { user, session } = await signedIn();
  await fault({ match: { operation: 'InitiateAuth', flow: 'REFRESH_TOKEN_AUTH', times: 2 }, fault: { kind: 'exception', code: 'TooManyRequestsException', message: 'Rate exceeded' } });
  const refreshed = await refresh(user, session);
  assert.ok(refreshed.isValid());
  const journal = await (await fetch(`${emu.endpoint}/_emulator/journal`)).json();
  const errors = journal.entries.filter((e) => e.flow === 'REFRESH_TOKEN_AUTH').map((e) => e.error ?? null);
  assert.deepEqual(errors.slice(-3), ['TooManyRequestsException', 'TooManyRequestsException', null]);
});
