// aws-amplify v6 (pinned in package.json) against the emulator binary: SRP sign-in,
// fetchAuthSession and fetchAuthSession({forceRefresh: true}) (which Amplify makes through
// GetTokensFromRefreshToken) with refresh token rotation off and on, faults injected by the
// emulator's own rules on the refresh (a reset, a 500, throttling: once, which Amplify retries
// through, and for good, which it reports while keeping its tokens), signOut locally and globally
// revoking server-side, and a refresh token revoked elsewhere ending the session.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';

const { startEmulator } = createRequire(import.meta.url)('./emulator.js');

// Amplify's token storage, kept where the test can read the refresh token Amplify holds.
class MapStorage {
  constructor() { this.map = new Map(); }
  async setItem(k, v) { this.map.set(k, v); }
  async getItem(k) { return this.map.has(k) ? this.map.get(k) : null; }
  async removeItem(k) { this.map.delete(k); }
  async clear() { this.map.clear(); }
  refreshToken() {
    for (const [k, v] of this.map) if (k.endsWith('.refreshToken')) return v;
    return null;
  }
}

let emu;
let storage;
before(async () => { emu = await startEmulator(); });
after(() => emu.stop());
beforeEach(async () => {
  await fetch(`${emu.endpoint}/_emulator/faults`, { method: 'DELETE' });
});

async function configure(pool) {
  storage = new MapStorage();
  Amplify.configure({
    Auth: { Cognito: { userPoolId: pool.poolId, userPoolClientId: pool.clientId, userPoolEndpoint: emu.endpoint } },
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
}

async function journal(operation) {
  const { entries } = await (await fetch(`${emu.endpoint}/_emulator/journal`)).json();
  return entries.filter((e) => e.operation === operation);
}

async function addFault(fault, times) {
  const res = await fetch(`${emu.endpoint}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ match: { flow: 'REFRESH_TOKEN_AUTH', times }, fault }),
  });
  assert.equal(res.status, 200);
}

async function refreshWith(pool, token) {
  return emu.call('GetTokensFromRefreshToken', { ClientId: pool.clientId, RefreshToken: token });
}

async function signedIn(clientExtra, username) {
  const pool = await emu.makePool({}, clientExtra);
  await emu.makeUser(pool.poolId, username, 'Sup3r-Secret!');
  await configure(pool);
  const out = await signIn({ username, password: 'Sup3r-Secret!' });
  assert.equal(out.isSignedIn, true);
  assert.equal(out.nextStep.signInStep, 'DONE');
  return pool;
}

test('SRP sign-in, session and forced refresh without rotation', async () => {
  const pool = await signedIn({}, 'amy');
  const [srp] = (await journal('InitiateAuth')).slice(-1);
  assert.equal(srp.flow, 'USER_SRP_AUTH');
  const first = await fetchAuthSession();
  assert.equal(first.tokens.accessToken.payload.username, 'amy');
  const refreshToken = storage.refreshToken();
  const before = (await journal('GetTokensFromRefreshToken')).length;
  const refreshed = await fetchAuthSession({ forceRefresh: true });
  assert.notEqual(refreshed.tokens.accessToken.toString(), first.tokens.accessToken.toString());
  assert.equal((await journal('GetTokensFromRefreshToken')).length, before + 1);
  assert.equal(storage.refreshToken(), refreshToken, 'no rotation: the refresh token stays');
  await signOut();
  void pool;
});

test('with rotation Amplify stores each new refresh token and uses it next', async () => {
  const pool = await signedIn({ RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } }, 'ben');
  const r0 = storage.refreshToken();
  await fetchAuthSession({ forceRefresh: true });
  const r1 = storage.refreshToken();
  assert.notEqual(r1, r0, 'the rotated token is stored');
  // With no grace period r0 is dead; the second forced refresh only works with r1.
  await fetchAuthSession({ forceRefresh: true });
  assert.notEqual(storage.refreshToken(), r1);
  await assert.rejects(refreshWith(pool, r0), /RefreshTokenReuseException/);
  await signOut();
});

test('a refresh meeting a reset, a 500 or throttling once is retried through', async () => {
  await signedIn({}, 'cal');
  for (const fault of [
    { kind: 'reset_before' },
    { kind: 'internal_error' },
    { kind: 'exception', code: 'TooManyRequestsException', message: 'Rate exceeded' },
  ]) {
    const before = (await journal('GetTokensFromRefreshToken')).length;
    await addFault(fault, 1);
    const session = await fetchAuthSession({ forceRefresh: true });
    assert.ok(session.tokens, `${fault.kind}: Amplify recovered`);
    const seen = (await journal('GetTokensFromRefreshToken')).slice(before);
    assert.ok(seen.length >= 2, `${fault.kind}: a failed attempt and a retry`);
    assert.ok(seen[0].fault, `${fault.kind}: the emulator's rule fired`);
    assert.equal(seen[seen.length - 1].status, 200);
  }
  await signOut();
});

test('a refresh failing for good is reported and the tokens are kept', async () => {
  await signedIn({}, 'dot');
  await addFault({ kind: 'internal_error' }, 100);
  await assert.rejects(fetchAuthSession({ forceRefresh: true }), (e) => e.name === 'InternalErrorException');
  assert.ok(storage.refreshToken(), 'tokens kept after a server error');
  await fetch(`${emu.endpoint}/_emulator/faults`, { method: 'DELETE' });
  assert.ok((await fetchAuthSession({ forceRefresh: true })).tokens);
  await signOut();
});

test('signOut revokes the refresh token server-side, locally and globally', async () => {
  let pool = await signedIn({}, 'eve');
  let token = storage.refreshToken();
  await signOut();
  assert.ok((await journal('RevokeToken')).length >= 1);
  await assert.rejects(refreshWith(pool, token), /NotAuthorizedException/);

  pool = await signedIn({}, 'fay');
  token = storage.refreshToken();
  await signOut({ global: true });
  assert.ok((await journal('GlobalSignOut')).length >= 1);
  await assert.rejects(refreshWith(pool, token), /NotAuthorizedException/);
});

test('a refresh token revoked elsewhere ends the session', async () => {
  const pool = await signedIn({}, 'gus');
  await emu.call('AdminUserGlobalSignOut', { UserPoolId: pool.poolId, Username: 'gus' });
  // Amplify answers the refused refresh with a session without tokens, and forgets them.
  const refused = await fetchAuthSession({ forceRefresh: true });
  assert.equal(refused.tokens, undefined);
  const [last] = (await journal('GetTokensFromRefreshToken')).slice(-1);
  assert.equal(last.error, 'NotAuthorizedException');
  assert.equal(storage.refreshToken(), null, 'Amplify signed the user out');
  assert.equal((await fetchAuthSession()).tokens, undefined);
});
