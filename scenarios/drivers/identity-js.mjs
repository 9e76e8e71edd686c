// The scenario driver for amazon-cognito-identity-js (the version pinned in package.json), as an
// app uses it: a CognitoUserPool with the emulator as its endpoint and an in-memory Storage,
// callbacks turned into outcomes, and getSession() before each request. It has no USER_AUTH,
// passkeys or client secrets; it confirms devices itself where the pool tracks them.
import { createRequire } from 'node:module';
import { MapStorage, serve, unsupported } from './protocol.mjs';

const {
  AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool,
} = createRequire(import.meta.url)('amazon-cognito-identity-js');

const storage = new MapStorage();
let pool;
const users = new Map();
const pending = new Map();

function userNamed(name) {
  if (!users.has(name)) users.set(name, new CognitoUser({ Username: name, Pool: pool, Storage: storage }));
  return users.get(name);
}

function current(name) {
  if (name) return userNamed(name);
  const u = pool.getCurrentUser();
  if (!u) throw Object.assign(new Error('No current user in storage'), { name: 'NotSignedIn' });
  return u;
}

const call = (fn) => new Promise((resolve, reject) => fn((err, out) => (err ? reject(err) : resolve(out))));

/** The sign-in callbacks, resolving to an outcome (the challenge kept for the next step). */
function outcomes(user, resolve, reject) {
  const wait = (outcome, kind) => () => { pending.set(user.getUsername(), kind); resolve({ ok: true, outcome }); };
  return {
    onSuccess: () => { pending.delete(user.getUsername()); resolve({ ok: true, outcome: 'signed_in' }); },
    onFailure: reject,
    newPasswordRequired: wait('new_password_required', 'NEW_PASSWORD_REQUIRED'),
    mfaRequired: (name) => wait('mfa_required', name || 'SMS_MFA')(),
    totpRequired: wait('mfa_required', 'SOFTWARE_TOKEN_MFA'),
    selectMFAType: wait('select_mfa_type', 'SELECT_MFA_TYPE'),
    mfaSetup: wait('mfa_setup', 'MFA_SETUP'),
    customChallenge: wait('custom_challenge', 'CUSTOM_CHALLENGE'),
  };
}

async function session(user) {
  return call((cb) => user.getSession(cb));
}

serve({
  configure: async (c) => {
    pool = new CognitoUserPool({ UserPoolId: c.poolId, ClientId: c.clientId, endpoint: c.endpoint, Storage: storage });
    return { ok: true, client: 'amazon-cognito-identity-js' };
  },
  sign_up: async (c) => {
    const attrs = Object.entries(c.attributes || {}).map(([Name, Value]) => new CognitoUserAttribute({ Name, Value }));
    await call((cb) => pool.signUp(c.user, c.password, attrs, null, cb));
    return { ok: true, outcome: 'ok' };
  },
  confirm_sign_up: async (c) => {
    await call((cb) => userNamed(c.user).confirmRegistration(c.code, true, cb));
    return { ok: true, outcome: 'ok' };
  },
  resend_code: async (c) => {
    await call((cb) => userNamed(c.user).resendConfirmationCode(cb));
    return { ok: true, outcome: 'ok' };
  },
  sign_in: (c) => new Promise((resolve, reject) => {
    const user = userNamed(c.user);
    const details = new AuthenticationDetails({ Username: c.user, Password: c.password });
    switch (c.flow) {
      case 'srp': user.setAuthenticationFlowType('USER_SRP_AUTH'); user.authenticateUser(details, outcomes(user, resolve, reject)); break;
      case 'password': user.setAuthenticationFlowType('USER_PASSWORD_AUTH'); user.authenticateUser(details, outcomes(user, resolve, reject)); break;
      case 'custom': user.setAuthenticationFlowType('CUSTOM_AUTH'); user.initiateAuth(details, outcomes(user, resolve, reject)); break;
      case 'custom_srp': user.setAuthenticationFlowType('CUSTOM_AUTH'); user.authenticateUser(details, outcomes(user, resolve, reject)); break;
      default: resolve(unsupported(`${c.flow} sign-in`));
    }
  }),
  send_mfa_code: (c) => new Promise((resolve, reject) => {
    const user = userNamed(c.user);
    const kind = pending.get(c.user);
    if (kind === 'SOFTWARE_TOKEN_MFA') user.sendMFACode(c.code, outcomes(user, resolve, reject), 'SOFTWARE_TOKEN_MFA');
    else user.sendMFACode(c.code, outcomes(user, resolve, reject), kind || 'SMS_MFA');
  }),
  answer_custom_challenge: (c) => new Promise((resolve, reject) => {
    const user = userNamed(c.user);
    user.sendCustomChallengeAnswer(c.answer, outcomes(user, resolve, reject));
  }),
  complete_new_password: (c) => new Promise((resolve, reject) => {
    const user = userNamed(c.user);
    user.completeNewPasswordChallenge(c.password, c.attributes || {}, outcomes(user, resolve, reject));
  }),
  get_session: async (c) => {
    const s = await session(current(c.user));
    return s && s.isValid() ? { ok: true, outcome: 'ok' } : { ok: false, error: { name: 'InvalidSession', kind: 'not_signed_in', message: 'the session is not valid', causes: [] } };
  },
  refresh_session: async (c) => {
    const user = current(c.user);
    const s = await session(user);
    await call((cb) => user.refreshSession(s.getRefreshToken(), cb));
    return { ok: true, outcome: 'ok' };
  },
  get_user_attributes: async (c) => {
    const user = current(c.user);
    await session(user);
    await call((cb) => user.getUserAttributes(cb));
    return { ok: true, outcome: 'ok' };
  },
  global_sign_out: async (c) => {
    const user = current(c.user);
    await session(user);
    await new Promise((resolve, reject) => user.globalSignOut({ onSuccess: resolve, onFailure: reject }));
    return { ok: true, outcome: 'ok' };
  },
  sign_out: async (c) => {
    const user = current(c.user);
    if (c.revoke) {
      await session(user);
      await new Promise((resolve, reject) => user.signOut((err) => (err ? reject(err) : resolve())));
    } else {
      user.clearCachedUser();
    }
    return { ok: true, outcome: 'ok' };
  },
  storage: async (c) => ({ ok: true, tokens: storage.tokens(c.user) }),
  dump_storage: async () => ({ ok: true, items: storage.dump() }),
  load_storage: async (c) => { storage.load(c.items); return { ok: true, outcome: 'ok' }; },
});
