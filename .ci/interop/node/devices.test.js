// Remembered devices with amazon-cognito-identity-js: a first sign-in answers SMS_MFA, gets
// NewDeviceMetadata and confirms the device by itself; once remembered, the next sign-in
// answers DEVICE_SRP_AUTH instead of MFA; refresh sends the device key; a device the pool has
// forgotten is refused with ResourceNotFoundException, which the library handles by dropping it
// and signing in again. Device SRP across libraries: a device confirmed by
// amazon-cognito-identity-js signs in through the Rust SDK, and one confirmed by the Rust SDK
// signs in through amazon-cognito-identity-js.
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
const PASSWORD = 'Sup3r-Secret!';

let emu;
let dir;
before(async () => {
  emu = await startEmulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cognito-devices-'));
});
after(() => {
  emu.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function payload(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

function outcome(resolve, reject) {
  return {
    onSuccess: (session, userConfirmationNecessary) => resolve({ session, userConfirmationNecessary }),
    onFailure: reject,
    mfaRequired: (challengeName) => resolve({ mfa: challengeName }),
  };
}

function callback(resolve, reject) {
  return { onSuccess: resolve, onFailure: reject };
}

async function outboxSize(poolId, username) {
  const res = await fetch(`${emu.endpoint}/_emulator/outbox?poolId=${encodeURIComponent(poolId)}&username=${encodeURIComponent(username)}`);
  return (await res.json()).messages.length;
}

async function devicePool(mfa, onPrompt) {
  return emu.makePool({
    MfaConfiguration: mfa,
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: onPrompt },
  });
}

// Signs in with a fresh CognitoUser on `storage`, answering SMS_MFA from the outbox when asked.
async function signIn(ids, username, storage) {
  const pool = new CognitoUserPool({ UserPoolId: ids.poolId, ClientId: ids.clientId, endpoint: emu.endpoint + '/', Storage: storage });
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  const details = new AuthenticationDetails({ Username: username, Password: PASSWORD });
  const first = await new Promise((res, rej) => user.authenticateUser(details, outcome(res, rej)));
  if (!first.mfa) return { user, result: first, mfa: false };
  assert.equal(first.mfa, 'SMS_MFA');
  const code = await emu.lastCode(ids.poolId, username);
  const done = await new Promise((res, rej) => user.sendMFACode(code, outcome(res, rej), 'SMS_MFA'));
  return { user, result: done, mfa: true };
}

test('a remembered device replaces SMS_MFA; a forgotten one is dropped and signed in again', async () => {
  const ids = await devicePool('ON', true);
  await emu.makeUser(ids.poolId, 'rae', PASSWORD, {
    email: 'rae@example.com',
    phone_number: '+15555550188',
    phone_number_verified: 'true',
  });
  await emu.call('AdminSetUserMFAPreference', {
    UserPoolId: ids.poolId,
    Username: 'rae',
    SMSMfaSettings: { Enabled: true, PreferredMfa: true },
  });
  const storage = new FileStorage(path.join(dir, 'js-remembered.json'));

  // New device: MFA, then NewDeviceMetadata confirmed by the library; the pool asks the user.
  const first = await signIn(ids, 'rae', storage);
  assert.equal(first.mfa, true);
  assert.equal(first.result.userConfirmationNecessary, true);
  const deviceKey = payload(first.result.session.getAccessToken().getJwtToken()).device_key;
  assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);
  const prefix = `CognitoIdentityServiceProvider.${ids.clientId}.rae`;
  assert.equal(storage.getItem(`${prefix}.deviceKey`), deviceKey);
  assert.ok(storage.getItem(`${prefix}.randomPasswordKey`));
  assert.ok(storage.getItem(`${prefix}.deviceGroupKey`).startsWith('-'));
  await new Promise((res, rej) => first.user.setDeviceStatusRemembered(callback(res, rej)));
  const listed = await new Promise((res, rej) => first.user.listDevices(10, null, callback(res, rej)));
  assert.equal(listed.Devices.length, 1);
  const status = Object.fromEntries(listed.Devices[0].DeviceAttributes.map((a) => [a.Name, a.Value]));
  assert.equal(status['dev:device_remembered_status'], 'remembered');
  const got = await new Promise((res, rej) => first.user.getDevice(callback(res, rej)));
  assert.equal(got.Device.DeviceKey, deviceKey);

  // Remembered: DEVICE_SRP_AUTH instead of MFA (no code sent).
  const sent = await outboxSize(ids.poolId, 'rae');
  const second = await signIn(ids, 'rae', storage);
  assert.equal(second.mfa, false);
  assert.equal(await outboxSize(ids.poolId, 'rae'), sent);
  assert.equal(payload(second.result.session.getAccessToken().getJwtToken()).device_key, deviceKey);

  // The refresh token is bound to the device; the library sends DEVICE_KEY.
  const refreshed = await new Promise((res, rej) =>
    second.user.refreshSession(second.result.session.getRefreshToken(), (err, s) => (err ? rej(err) : res(s))),
  );
  assert.equal(payload(refreshed.getAccessToken().getJwtToken()).device_key, deviceKey);

  // An administrator forgets the device: PASSWORD_VERIFIER refuses it, the library drops it,
  // answers again without it, and this is a new device (MFA again, new metadata).
  await emu.call('AdminForgetDevice', { UserPoolId: ids.poolId, Username: 'rae', DeviceKey: deviceKey });
  const third = await signIn(ids, 'rae', storage);
  assert.equal(third.mfa, true);
  const newKey = payload(third.result.session.getAccessToken().getJwtToken()).device_key;
  assert.notEqual(newKey, deviceKey);
  assert.equal(storage.getItem(`${prefix}.deviceKey`), newKey);
});

test('device SRP across libraries: JS-confirmed devices sign in through the Rust SDK and back', async () => {
  const ids = await devicePool('OFF', false);
  await emu.makeUser(ids.poolId, 'sam', PASSWORD);

  // amazon-cognito-identity-js confirms the device (its verifier, its random password).
  const file = path.join(dir, 'js-then-rust.json');
  const storage = new FileStorage(file);
  const first = await signIn(ids, 'sam', storage);
  const jsDevice = payload(first.result.session.getAccessToken().getJwtToken()).device_key;
  assert.ok(storage.getItem(`CognitoIdentityServiceProvider.${ids.clientId}.sam.randomPasswordKey`));

  // The Rust SDK signs in from the same storage and proves the device with that password.
  const out = execFileSync(path.join(EXAMPLES, 'sign_in'), [emu.endpoint, ids.poolId, ids.clientId, 'sam', PASSWORD, '--storage', file], { encoding: 'utf8' });
  assert.match(out, new RegExp(`device\\s+${jsDevice}`));

  // The reverse: the Rust SDK confirms a new device, amazon-cognito-identity-js proves it.
  await emu.makeUser(ids.poolId, 'tia', PASSWORD);
  const rustFile = path.join(dir, 'rust-then-js.json');
  const confirmed = execFileSync(
    path.join(EXAMPLES, 'sign_in'),
    [emu.endpoint, ids.poolId, ids.clientId, 'tia', PASSWORD, '--storage', rustFile, '--remember-device', 'rust laptop'],
    { encoding: 'utf8' },
  );
  const rustDevice = confirmed.match(/remembered\s+(\S+)/)[1];
  const journal = async () => (await (await fetch(`${emu.endpoint}/_emulator/journal`)).json()).entries;
  const before = (await journal()).filter((e) => e.flow === 'DEVICE_PASSWORD_VERIFIER').length;
  const back = await signIn(ids, 'tia', new FileStorage(rustFile));
  assert.equal(payload(back.result.session.getAccessToken().getJwtToken()).device_key, rustDevice);
  const verified = (await journal()).filter((e) => e.flow === 'DEVICE_PASSWORD_VERIFIER' && e.status === 200).length;
  assert.equal(verified, before + 1);
});
