// CPU time of one client login compute in amazon-cognito-identity-js (A = g^a with its
// 128-byte a, then x, S, HKDF): median of RUNS runs. Run from the repository root after
// `npm ci` in .ci/interop/node:
//   node benches/reference/js-client-login.js
'use strict';
const path = require('node:path');
const modules = path.resolve(__dirname, '..', '..', '.ci', 'interop', 'node', 'node_modules');
const AuthenticationHelper = require(path.join(modules, 'amazon-cognito-identity-js', 'lib', 'AuthenticationHelper.js')).default;
const BigInteger = require(path.join(modules, 'amazon-cognito-identity-js', 'lib', 'BigInteger.js')).default;

const RUNS = Number(process.env.RUNS || 15);
// A server B and salt (any valid values do: the cost does not depend on them).
const B = new BigInteger('5'.repeat(760), 16);
const SALT = new BigInteger('5a'.repeat(16), 16);

function once() {
  return new Promise((resolve, reject) => {
    const start = process.cpuUsage();
    const helper = new AuthenticationHelper('ExaMPle12');
    helper.getLargeAValue((err) => {
      if (err) return reject(err);
      helper.getPasswordAuthenticationKey('alice', 'Passw0rd!', B, SALT, (err2) => {
        if (err2) return reject(err2);
        const used = process.cpuUsage(start);
        resolve((used.user + used.system) / 1000);
      });
    });
  });
}

(async () => {
  const times = [];
  for (let i = 0; i < RUNS; i += 1) times.push(await once());
  times.sort((a, b) => a - b);
  console.log(`amazon-cognito-identity-js client login compute: median ${times[Math.floor(times.length / 2)].toFixed(1)} ms CPU over ${RUNS} runs`);
})();
