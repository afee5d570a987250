import { expect } from '@open-wc/testing';
import { toBase64 } from './codec.js';
import { MemorySessionStore, type Vault } from './index.js';
import { PASSPHRASE, dropDatabase, rawDump, secretFor, testVault, uniqueName } from './testing/support.js';

/** Every form a string could take if it leaked: UTF-8, UTF-16, base64 (all alignments), base64url, hex, URL-encoded. */
function leakForms(text: string): Array<{ form: string; bytes: Uint8Array }> {
  const utf8 = new TextEncoder().encode(text);
  const utf16 = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    utf16[2 * i] = text.charCodeAt(i) & 0xff;
    utf16[2 * i + 1] = text.charCodeAt(i) >> 8;
  }
  const forms: Array<{ form: string; bytes: Uint8Array }> = [
    { form: 'utf-8', bytes: utf8 },
    { form: 'utf-16le', bytes: utf16 },
    { form: 'hex', bytes: new TextEncoder().encode(Array.from(utf8, (b) => b.toString(16).padStart(2, '0')).join('')) },
    { form: 'url-encoded', bytes: new TextEncoder().encode(encodeURIComponent(text)) },
  ];
  // base64 of the string at each of the three byte alignments, minus the edge characters that depend on neighbours.
  for (let pad = 0; pad < 3; pad++) {
    const padded = new Uint8Array(pad + utf8.length);
    padded.set(utf8, pad);
    const b64 = toBase64(padded);
    const start = pad === 0 ? 0 : Math.ceil((pad * 4) / 3) + 1;
    const core = b64.replace(/=+$/, '').slice(start, -2);
    forms.push({ form: `base64/${pad}`, bytes: new TextEncoder().encode(core) });
    forms.push({ form: `base64url/${pad}`, bytes: new TextEncoder().encode(core.replace(/\+/g, '-').replace(/\//g, '_')) });
  }
  return forms;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Everything stored, as one byte string: every string (UTF-8 and UTF-16), every byte array raw and
 * as base64/hex text, every number and key, walking nested values.
 */
function flatten(value: unknown, out: Uint8Array[] = []): Uint8Array[] {
  const enc = new TextEncoder();
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
    const bytes = value instanceof Uint8Array ? value : new Uint8Array(value);
    out.push(bytes, enc.encode(toBase64(bytes)), enc.encode(Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')));
  } else if (typeof value === 'string') {
    out.push(enc.encode(value));
    flatten(leakForms(value).find((f) => f.form === 'utf-16le')!.bytes, out);
  } else if (Array.isArray(value)) {
    value.forEach((v) => flatten(v, out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push(enc.encode(k));
      flatten(v, out);
    }
  } else if (value !== undefined) {
    out.push(enc.encode(String(value)));
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length + 1, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length + 1; // a zero separator so matches never span two values
  }
  return out;
}

describe('vault: nothing sensitive is stored in clear', () => {
  let name: string;
  let vault: Vault;
  const sessionStore = new MemorySessionStore();
  const sensitive = {
    secretA: secretFor(4, 'at-rest-a'),
    secretOld: secretFor(5, 'at-rest-old'),
    secretNew: secretFor(5, 'at-rest-new'),
    hostKey: secretFor(11, 'host-login'),
    host1: 'truenas-basement.example.internal',
    host2: 'https://backup-box.example.internal:8443',
    keyName1: 'homeassistant-integration',
    keyName2: 'offsite-replication-job',
    notes: 'Used by the Grafana exporter on rack 7',
    username: 'svc-keymanager',
    password: 'Tr0ub4dor&3-horse-staple',
  };

  before(async () => {
    name = uniqueName('vault-at-rest');
    vault = testVault(name, { sessionStore });
    await vault.create(PASSPHRASE);
    await vault.saveKey({ host: sensitive.host1, keyId: 4, name: sensitive.keyName1, secret: sensitive.secretA, source: 'create', notes: sensitive.notes });
    await vault.saveKey({ host: sensitive.host2, keyId: 5, name: sensitive.keyName2, secret: sensitive.secretOld, source: 'create' });
    await vault.saveKey({ host: sensitive.host2, keyId: 5, name: sensitive.keyName2, secret: sensitive.secretNew, source: 'reset' });
    await vault.saveHostCredential(sensitive.host1, { kind: 'password', username: sensitive.username, password: sensitive.password });
    await vault.saveHostCredential(sensitive.host2, { kind: 'api-key', apiKey: sensitive.hostKey });
  });
  after(async () => {
    vault.close();
    await dropDatabase(name);
  });

  it('the search finds a leak in every form it checks (positive control)', () => {
    for (const { form, bytes } of leakForms(sensitive.secretA)) {
      const haystack = concat(flatten({ some: 'thing', [form]: new TextDecoder().decode(bytes), arr: [1, 2] }));
      expect(indexOf(haystack, bytes), form).to.be.greaterThan(-1);
    }
    // A raw byte array holding the secret is found too.
    const haystack = concat(flatten({ ct: new TextEncoder().encode(`xx${sensitive.password}yy`) }));
    const forms = leakForms(sensitive.password);
    expect(indexOf(haystack, forms.find((f) => f.form === 'utf-8')!.bytes)).to.be.greaterThan(-1);
    // Its base64 text is found at whichever alignment it sits (here after two bytes).
    expect(forms.filter((f) => f.form.startsWith('base64/')).some((f) => indexOf(haystack, f.bytes) > -1)).to.equal(true);
  });

  it('the raw IndexedDB contents hold no secret, host name, key name, note, username or password in any form', async () => {
    const dump = await rawDump(name);
    expect(dump.keys).to.have.length(2);
    expect(dump.hosts).to.have.length(2);
    const haystack = concat(flatten(dump));
    for (const [label, value] of Object.entries(sensitive)) {
      for (const { form, bytes } of leakForms(value)) expect(indexOf(haystack, bytes), `${label} as ${form}`).to.equal(-1);
    }
    // Also the meaningful parts of a host name on their own.
    for (const fragment of ['truenas-basement', 'backup-box', 'homeassistant', 'Grafana', 'svc-keymanager']) {
      expect(indexOf(haystack, new TextEncoder().encode(fragment)), fragment).to.equal(-1);
    }
    // The stored records really are the vault's (the search is looking at real data): ids are found.
    expect(indexOf(haystack, new TextEncoder().encode(String(dump.keys![0]!.key)))).to.be.greaterThan(-1);
  });

  it('rows keep only opaque ids, versions, revisions and timestamps in clear', async () => {
    const dump = await rawDump(name);
    for (const store of ['keys', 'hosts']) {
      for (const { key, value } of dump[store]!) {
        const row = value as Record<string, unknown>;
        expect(Object.keys(row).sort(), store).to.deep.equal(['ct', 'id', 'iv', 'rev', 'updated', 'v']);
        expect(row.id).to.equal(key);
        expect(row.id).to.match(/^[A-Za-z0-9_-]{22}$/);
        expect(row.iv).to.be.instanceOf(Uint8Array).with.length(12);
      }
    }
    // Every record was encrypted with its own IV.
    const ivs = [...dump.keys!, ...dump.hosts!].map(({ value }) => toBase64((value as { iv: Uint8Array }).iv));
    expect(new Set(ivs).size).to.equal(ivs.length);
  });

  it('neither the session store nor an encrypted export holds any of them', async () => {
    const snapshot = await sessionStore.load();
    expect(snapshot).to.not.equal(undefined);
    const exported = (await vault.exportEncrypted('export passphrase here')).content;
    for (const [where, haystack] of [
      ['session store', concat(flatten(snapshot))],
      ['export file', concat(flatten(exported))],
    ] as const) {
      for (const [label, value] of Object.entries(sensitive)) {
        for (const { form, bytes } of leakForms(value)) expect(indexOf(haystack, bytes), `${label} as ${form} in ${where}`).to.equal(-1);
      }
    }
  });
});
