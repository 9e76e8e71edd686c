// The driver protocol's loop, shared by the shipped drivers: one JSON command per line on stdin,
// one JSON answer per line on stdout (scenarios/README.md). It owns the client's clock (Date
// moved by `advance_clock`, starting at the emulator's time) and the token storage (a map the
// runner can read, dump and load), and turns a client's errors into {name, message, kind, causes}.
import readline from 'node:readline';

const RealDate = Date;
let offsetMs = 0;

/** Date, moved with the scenario's clock (the clients read Date.now() and new Date()). */
class ScenarioDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(...args);
  }
  static now() { return RealDate.now() + offsetMs; }
}
globalThis.Date = ScenarioDate;

export function setNow(ms) { offsetMs = ms - RealDate.now(); }
export function advance(seconds) { offsetMs += seconds * 1000; }

/** Storage with both the Web Storage (sync) and Amplify's KeyValueStorage (async) shapes. */
export class MapStorage {
  constructor() { this.map = new Map(); }
  setItem(k, v) { this.map.set(k, String(v)); return v; }
  getItem(k) { return this.map.has(k) ? this.map.get(k) : null; }
  removeItem(k) { this.map.delete(k); }
  clear() { this.map.clear(); }
  dump() { return Object.fromEntries(this.map); }
  load(items) { for (const [k, v] of Object.entries(items || {})) this.map.set(k, v); }
  /** Whether an access and a refresh token are held (for `user`, when named). */
  tokens(user) {
    const has = (suffix) => [...this.map.keys()].some((k) =>
      k.endsWith(suffix) && (!user || k.includes(`.${user}.`) || k.includes(`.${user.toLowerCase()}.`)));
    return has('.accessToken') && has('.refreshToken') ? 'present' : 'absent';
  }
}

const NETWORK = /network|fetch failed|ECONNRESET|ECONNREFUSED|socket|other side closed/i;

/** A client error as the protocol carries it: name, message, kind and the chain of causes. */
export function describe(err) {
  const name = err?.name && err.name !== 'Error' ? err.name : (err?.code || err?.name || 'Error');
  const message = String(err?.message ?? err);
  const causes = [];
  let cause = err?.underlyingError ?? err?.cause;
  for (let i = 0; cause && i < 5; i += 1) {
    causes.push(`${cause.name || 'Error'}: ${cause.message ?? JSON.stringify(cause)}`);
    cause = cause.underlyingError ?? cause.cause;
  }
  let kind = 'unknown';
  if (/Exception$/.test(name)) kind = 'service';
  else if (name === 'NetworkError' || NETWORK.test(message) || causes.some((c) => NETWORK.test(c))) kind = 'network';
  else if (/timeout|aborted/i.test(name + message)) kind = 'timeout';
  else if (/UserUnAuthenticated|not authenticated|No current user|No valid session/i.test(name + message)) kind = 'not_signed_in';
  return { name, message, kind, causes };
}

export function unsupported(what) {
  return { ok: false, error: { name: 'Unsupported', kind: 'unsupported', message: `this client has no ${what}`, causes: [] } };
}

/** Runs the loop: `handlers[cmd](command)` resolves to an answer object. */
export function serve(handlers) {
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  const run = async (command) => {
    if (command.cmd === 'advance_clock') { advance(command.seconds); return { ok: true }; }
    if (command.cmd === 'concurrent') {
      const results = await Promise.all(Array.from({ length: command.count }, () => run(command.step)));
      return { ok: true, results };
    }
    const handler = handlers[command.cmd];
    if (!handler) return unsupported(command.cmd);
    try {
      return await handler(command);
    } catch (err) {
      return { ok: false, error: describe(err) };
    }
  };
  // One command at a time, in order.
  let queue = Promise.resolve();
  rl.on('line', (line) => {
    queue = queue.then(async () => {
      let answer;
      try {
        const command = JSON.parse(line);
        if (command.cmd === 'configure') setNow(command.nowMs);
        answer = await run(command);
      } catch (err) {
        answer = { ok: false, error: describe(err) };
      }
      process.stdout.write(`${JSON.stringify(answer)}\n`);
    });
  });
  rl.on('close', () => { queue.then(() => process.exit(0)); });
}
