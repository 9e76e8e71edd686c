// A file-backed Storage for amazon-cognito-identity-js (its Storage interface is synchronous:
// setItem, getItem, removeItem, clear). The file is one JSON object of strings: the same
// format as the Rust SDK's FileStorage, so either library can read the other's session.
'use strict';
const fs = require('node:fs');

class FileStorage {
  constructor(path) {
    this.path = path;
  }
  load() {
    try {
      return JSON.parse(fs.readFileSync(this.path, 'utf8'));
    } catch (e) {
      if (e.code === 'ENOENT') return {};
      throw e;
    }
  }
  save(map) {
    fs.writeFileSync(this.path, JSON.stringify(map, null, 2), { mode: 0o600 });
  }
  setItem(key, value) {
    const m = this.load();
    m[key] = String(value);
    this.save(m);
  }
  getItem(key) {
    const m = this.load();
    return Object.prototype.hasOwnProperty.call(m, key) ? m[key] : null;
  }
  removeItem(key) {
    const m = this.load();
    delete m[key];
    this.save(m);
  }
  clear() {
    this.save({});
  }
}

module.exports = { FileStorage };
