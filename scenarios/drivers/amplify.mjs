// The scenario driver for aws-amplify v6 (the version pinned in package.json), as an app uses
// it: Amplify.configure with the emulator as the user pool endpoint, an in-memory key-value
// storage for the tokens, nextStep turned into outcomes, and fetchAuthSession() before each
// request. Passkeys need a browser (navigator.credentials) and are not offered here.
import { MapStorage, serve, unsupported } from './protocol.mjs';

// Amplify warns on every configure that the endpoint is not AWS's: the emulator is the point.
const warn = console.warn;
console.warn = (...args) => { if (!String(args.join(' ')).includes('custom Amazon')) warn(...args); };

const { Amplify } = await import('aws-amplify');
const auth = await import('aws-amplify/auth');
const { cognitoUserPoolsTokenProvider } = await import('aws-amplify/auth/cognito');

const storage = new MapStorage();
const kv = {
  setItem: async (k, v) => { storage.setItem(k, v); },
  getItem: async (k) => storage.getItem(k),
  removeItem: async (k) => { storage.removeItem(k); },
  clear: async () => { storage.clear(); },
};

const STEPS = {
  DONE: 'signed_in',
  CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED: 'new_password_required',
  CONFIRM_SIGN_IN_WITH_SMS_CODE: 'mfa_required',
  CONFIRM_SIGN_IN_WITH_TOTP_CODE: 'mfa_required',
  CONFIRM_SIGN_IN_WITH_EMAIL_CODE: 'mfa_required',
  CONTINUE_SIGN_IN_WITH_MFA_SELECTION: 'select_mfa_type',
  CONTINUE_SIGN_IN_WITH_TOTP_SETUP: 'mfa_setup',
  CONTINUE_SIGN_IN_WITH_EMAIL_SETUP: 'mfa_setup',
  CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION: 'mfa_setup',
  CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE: 'custom_challenge',
  CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION: 'select_challenge',
};

/** A sign-in result as an outcome; the steps Amplify reports instead of Cognito's errors are
 * given as those errors. */
function outcome(result) {
  const step = result.nextStep?.signInStep;
  if (STEPS[step]) return { ok: true, outcome: STEPS[step] };
  if (step === 'CONFIRM_SIGN_UP') {
    return { ok: false, error: { name: 'UserNotConfirmedException', kind: 'service', message: 'Amplify: nextStep CONFIRM_SIGN_UP', causes: [] } };
  }
  if (step === 'RESET_PASSWORD') {
    return { ok: false, error: { name: 'PasswordResetRequiredException', kind: 'service', message: 'Amplify: nextStep RESET_PASSWORD', causes: [] } };
  }
  return { ok: false, error: { name: 'UnknownStep', kind: 'unknown', message: `Amplify: nextStep ${step}`, causes: [] } };
}

const FLOWS = {
  srp: 'USER_SRP_AUTH', password: 'USER_PASSWORD_AUTH', custom: 'CUSTOM_WITHOUT_SRP', custom_srp: 'CUSTOM_WITH_SRP', user_auth: 'USER_AUTH',
};
const FACTORS = {
  password: 'PASSWORD', password_srp: 'PASSWORD_SRP', email_otp: 'EMAIL_OTP', sms_otp: 'SMS_OTP', web_authn: 'WEB_AUTHN',
};

const notSignedIn = { ok: false, error: { name: 'NoTokens', kind: 'not_signed_in', message: 'fetchAuthSession gave no tokens', causes: [] } };

serve({
  configure: async (c) => {
    Amplify.configure({ Auth: { Cognito: { userPoolId: c.poolId, userPoolClientId: c.clientId, userPoolEndpoint: c.endpoint } } });
    cognitoUserPoolsTokenProvider.setKeyValueStorage(kv);
    return { ok: true, client: 'aws-amplify' };
  },
  sign_up: async (c) => {
    await auth.signUp({ username: c.user, password: c.password, options: { userAttributes: c.attributes || {} } });
    return { ok: true, outcome: 'ok' };
  },
  confirm_sign_up: async (c) => {
    await auth.confirmSignUp({ username: c.user, confirmationCode: c.code });
    return { ok: true, outcome: 'ok' };
  },
  resend_code: async (c) => {
    await auth.resendSignUpCode({ username: c.user });
    return { ok: true, outcome: 'ok' };
  },
  sign_in: async (c) => {
    const flow = FLOWS[c.flow];
    if (!flow) return unsupported(`${c.flow} sign-in`);
    if (c.factor === 'web_authn') return unsupported('passkey sign-in outside a browser');
    const options = { authFlowType: flow };
    if (c.factor) options.preferredChallenge = FACTORS[c.factor];
    const password = c.password === '' ? undefined : c.password;
    return outcome(await auth.signIn({ username: c.user, password, options }));
  },
  send_mfa_code: async (c) => outcome(await auth.confirmSignIn({ challengeResponse: c.code })),
  answer_custom_challenge: async (c) => outcome(await auth.confirmSignIn({ challengeResponse: c.answer })),
  complete_new_password: async (c) => outcome(await auth.confirmSignIn({
    challengeResponse: c.password, options: { userAttributes: c.attributes || {} },
  })),
  get_session: async () => ((await auth.fetchAuthSession()).tokens ? { ok: true, outcome: 'ok' } : notSignedIn),
  refresh_session: async () => ((await auth.fetchAuthSession({ forceRefresh: true })).tokens ? { ok: true, outcome: 'ok' } : notSignedIn),
  get_user_attributes: async () => { await auth.fetchUserAttributes(); return { ok: true, outcome: 'ok' }; },
  global_sign_out: async () => { await auth.signOut({ global: true }); return { ok: true, outcome: 'ok' }; },
  sign_out: async () => { await auth.signOut(); return { ok: true, outcome: 'ok' }; },
  confirm_device: async (c) => {
    if (c.remember) await auth.rememberDevice();
    return { ok: true, outcome: 'ok' };
  },
  forget_device: async () => { await auth.forgetDevice(); return { ok: true, outcome: 'ok' }; },
  storage: async (c) => ({ ok: true, tokens: storage.tokens(c.user) }),
  dump_storage: async () => ({ ok: true, items: storage.dump() }),
  load_storage: async (c) => { storage.load(c.items); return { ok: true, outcome: 'ok' }; },
});
