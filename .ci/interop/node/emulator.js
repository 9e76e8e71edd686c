// Starts the emulator binary on a free loopback port for one test file, and offers a raw
// JSON-1.1 call for set-up (pools, clients, users) and the emulator-only endpoints.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');
const fs = require('node:fs');
const os = require('node:os');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = process.env.COGNITO_EMULATOR_BIN || path.join(ROOT, 'target', 'debug', 'cognito-emulator');

// `seed`: an optional seed document (pools, clients, users, triggers), written to a temporary
// file and passed with --seed the way a server is configured.
async function startEmulator({ seed } = {}) {
  const env = { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' };
  const args = ['serve', '--port', '0'];
  if (seed) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cognito-seed-'));
    const file = path.join(dir, 'seed.json');
    fs.writeFileSync(file, JSON.stringify(seed));
    args.push('--seed', file);
  }
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  const lines = readline.createInterface({ input: child.stdout });
  const endpoint = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    lines.on('line', (line) => {
      const m = line.match(/listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
  });
  lines.on('line', () => {});

  async function call(operation, body) {
    const res = await fetch(endpoint + '/', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status !== 200) {
      const err = new Error(`${operation}: ${json.__type}: ${json.message}`);
      err.code = json.__type;
      throw err;
    }
    return json;
  }

  async function lastCode(poolId, username) {
    const res = await fetch(`${endpoint}/_emulator/outbox?poolId=${encodeURIComponent(poolId)}&username=${encodeURIComponent(username)}`);
    const { messages } = await res.json();
    if (messages.length === 0) throw new Error(`no message for ${username}`);
    return messages[messages.length - 1].code;
  }

  async function clock(body) {
    const res = await fetch(`${endpoint}/_emulator/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return res.json();
  }

  async function makePool(extra = {}, clientExtra = {}) {
    const { UserPool } = await call('CreateUserPool', { PoolName: 'js-interop', AutoVerifiedAttributes: ['email'], ...extra });
    const { UserPoolClient } = await call('CreateUserPoolClient', {
      UserPoolId: UserPool.Id,
      ClientName: 'js',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH'],
      ...clientExtra,
    });
    return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId };
  }

  async function makeUser(poolId, username, password, attributes = { email: `${username}@example.com` }) {
    await call('AdminCreateUser', {
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    });
    await call('AdminSetUserPassword', { UserPoolId: poolId, Username: username, Password: password, Permanent: true });
  }

  return {
    endpoint,
    call,
    lastCode,
    clock,
    makePool,
    makeUser,
    stop: () => child.kill('SIGINT'),
  };
}

module.exports = { startEmulator };
