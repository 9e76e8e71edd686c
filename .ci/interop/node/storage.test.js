// Session storage interop: a session written by amazon-cognito-identity-js is restored, used
// and refreshed by the Rust SDK (its `session` example), and a session written by the Rust SDK
// (its `sign_in` example) is restored and used by amazon-cognito-identity-js.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { AuthenticationDetails, CognitoUser, CognitoUserPool } = require('amazon-cognito-identity-js');
const { startEmulator } = require('./emulator');
const { FileStorage } = require('./file-storage');

const EXAMPLES = process.env.COGNITO_EXAMPLES_DIR || path.resolve(__dirname, '..', '..', '..', 'target', 'debug', 'examples');

let emu;
let dir;
before(async () => {
  emu = await startEmulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cognito-storage-'));
});
after(() => {
  emu.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function rust(example, args) {
  return execFileSync(path.join(EXAMPLES, example), args, { encoding: 'utf8' });
}

function jsPool(ids, file) {
  return new CognitoUserPool({ UserPoolId: ids.poolId, ClientId: ids.clientId, endpoint: emu.endpoint + '/', Storage: new FileStorage(file) });
}

test('a session written by amazon-cognito-identity-js is used and refreshed by the Rust SDK', async () => {
  const ids = await emu.makePool();
  await emu.makeUser(ids.poolId, 'jsuser', 'Corr3ct-Horse!');
  const file = path.join(dir, 'from-js.json');
  const pool = jsPool(ids, file);
  const user = new CognitoUser({ Username: 'jsuser', Pool: pool, Storage: new FileStorage(file) });
  const session = await new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: 'jsuser', Password: 'Corr3ct-Horse!' }), { onSuccess: resolve, onFailure: reject }),
  );

  // Rust restores the JS session as it is.
  const used = JSON.parse(rust('session', [emu.endpoint, ids.poolId, ids.clientId, '--storage', file]));
  assert.equal(used.username, 'jsuser');
  assert.equal(used.accessToken, session.getAccessToken().getJwtToken());
  assert.equal(used.attributes.email, 'jsuser@example.com');

  // Rust refreshes it and writes the new tokens back; JS picks them up.
  const refreshed = JSON.parse(rust('session', [emu.endpoint, ids.poolId, ids.clientId, '--storage', file, '--force-refresh']));
  assert.notEqual(refreshed.accessToken, used.accessToken);
  const again = jsPool(ids, file).getCurrentUser();
  assert.equal(again.getUsername(), 'jsuser');
  const jsSession = await new Promise((resolve, reject) => again.getSession((err, s) => (err ? reject(err) : resolve(s))));
  assert.equal(jsSession.getAccessToken().getJwtToken(), refreshed.accessToken);
  assert.equal(jsSession.getRefreshToken().getToken(), session.getRefreshToken().getToken());
});

test('a session written by the Rust SDK is used by amazon-cognito-identity-js', async () => {
  const ids = await emu.makePool();
  await emu.makeUser(ids.poolId, 'rustuser', 'Corr3ct-Horse!');
  const file = path.join(dir, 'from-rust.json');
  const out = rust('sign_in', [emu.endpoint, ids.poolId, ids.clientId, 'rustuser', 'Corr3ct-Horse!', '--storage', file]);
  assert.match(out, /signed in as\s+rustuser/);
  assert.equal((fs.statSync(file).mode & 0o777).toString(8), '600');

  const user = jsPool(ids, file).getCurrentUser();
  assert.ok(user, 'amazon-cognito-identity-js finds LastAuthUser');
  const session = await new Promise((resolve, reject) => user.getSession((err, s) => (err ? reject(err) : resolve(s))));
  assert.ok(session.isValid());
  const attrs = await new Promise((resolve, reject) => user.getUserAttributes((err, a) => (err ? reject(err) : resolve(a))));
  assert.equal(attrs.find((a) => a.getName() === 'email').getValue(), 'rustuser@example.com');

  // JS refreshes; Rust reads what JS wrote.
  const refreshed = await new Promise((resolve, reject) =>
    user.refreshSession(session.getRefreshToken(), (err, s) => (err ? reject(err) : resolve(s))),
  );
  const read = JSON.parse(rust('session', [emu.endpoint, ids.poolId, ids.clientId, '--storage', file]));
  assert.equal(read.accessToken, refreshed.getAccessToken().getJwtToken());
});
