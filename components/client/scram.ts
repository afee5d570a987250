/**
 * SCRAM-SHA-512 (RFC 5802 with SHA-512) for TrueNAS 26.0+ API-key login, on WebCrypto only.
 * TrueNAS departs from the RFC in one place: the client-first message names the key as
 * `n=<username>:<key id>` so the NAS can pick the right key of a user with several.
 * The secret part of the key is the SCRAM "password"; it never leaves this module.
 */
import { ProtocolError } from './errors.js';

/** Iteration bounds the client accepts from a NAS (TrueNAS uses 500,000; the cap stops a hostile server's DoS). */
export const SCRAM_MIN_ITERATIONS = 4096;
export const SCRAM_MAX_ITERATIONS = 5_000_000;

const encoder = new TextEncoder();

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new ProtocolError('SCRAM sign-in needs WebCrypto, which this context lacks (pages need https:// or localhost).');
  return s;
}

export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

export function fromBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function hmac(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const k = await subtle().importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-512' }, false, ['sign']);
  return new Uint8Array(await subtle().sign('HMAC', k, data as BufferSource));
}

async function sha512(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-512', data as BufferSource));
}

async function pbkdf2(password: Uint8Array, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const k = await subtle().importKey('raw', password as BufferSource, 'PBKDF2', false, ['deriveBits']);
  return new Uint8Array(await subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-512', salt: salt as BufferSource, iterations }, k, 512));
}

/** Constant-time comparison (the lengths are public). */
function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** RFC 5802 saslname: `=` and `,` are escaped. */
function saslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

function parseAttributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) out.set(part[0]!, part.slice(2));
  }
  return out;
}

/** One SCRAM conversation. Create, send `clientFirst`, feed the server's answers in order. */
export class ScramClient {
  readonly clientFirst: string;
  readonly #clientFirstBare: string;
  readonly #nonce: string;
  #secret: Uint8Array | null;
  #authMessage: string | null = null;
  #serverKey: Uint8Array | null = null;

  /** `key` is the full `<id>-<secret>` API key; only its secret part is used, as bytes. */
  constructor(username: string, keyId: number, secret: string) {
    const nonceBytes = new Uint8Array(32);
    globalThis.crypto.getRandomValues(nonceBytes);
    this.#nonce = toBase64(nonceBytes);
    this.#clientFirstBare = `n=${saslName(username)}:${keyId},r=${this.#nonce}`;
    this.clientFirst = `n,,${this.#clientFirstBare}`;
    this.#secret = encoder.encode(secret);
  }

  /** Consumes the server-first message, returns the client-final message with the proof. */
  async clientFinal(serverFirst: string): Promise<string> {
    if (!this.#secret) throw new ProtocolError('SCRAM exchange already used.');
    const attrs = parseAttributes(serverFirst);
    const nonce = attrs.get('r');
    const saltText = attrs.get('s');
    const iterations = Number(attrs.get('i'));
    if (attrs.has('e')) throw new ProtocolError(`The NAS ended the SCRAM exchange: ${attrs.get('e')!.slice(0, 200)}`);
    if (!nonce || !nonce.startsWith(this.#nonce) || nonce.length <= this.#nonce.length) {
      throw new ProtocolError('The NAS answered the SCRAM exchange with a nonce that does not extend ours.');
    }
    if (!Number.isSafeInteger(iterations) || iterations < SCRAM_MIN_ITERATIONS || iterations > SCRAM_MAX_ITERATIONS) {
      throw new ProtocolError('The NAS asked for an out-of-range SCRAM iteration count.');
    }
    let salt: Uint8Array;
    try {
      salt = fromBase64(saltText ?? '');
    } catch {
      throw new ProtocolError('The NAS sent a SCRAM salt that is not base64.');
    }
    if (salt.length === 0) throw new ProtocolError('The NAS sent an empty SCRAM salt.');

    const salted = await pbkdf2(this.#secret, salt, iterations);
    this.#secret.fill(0);
    this.#secret = null;
    const clientKey = await hmac(salted, encoder.encode('Client Key'));
    const storedKey = await sha512(clientKey);
    this.#serverKey = await hmac(salted, encoder.encode('Server Key'));
    salted.fill(0);
    const withoutProof = `c=biws,r=${nonce}`;
    this.#authMessage = `${this.#clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = await hmac(storedKey, encoder.encode(this.#authMessage));
    const proof = clientKey.map((b, i) => b ^ signature[i]!);
    clientKey.fill(0);
    return `${withoutProof},p=${toBase64(proof)}`;
  }

  /** Checks the server-final message (`v=<signature>`): proof that the NAS holds the key. */
  async verifyServerFinal(serverFinal: string): Promise<boolean> {
    if (!this.#authMessage || !this.#serverKey) return false;
    const v = parseAttributes(serverFinal).get('v');
    if (!v) return false;
    let received: Uint8Array;
    try {
      received = fromBase64(v);
    } catch {
      return false;
    }
    const expected = await hmac(this.#serverKey, encoder.encode(this.#authMessage));
    this.#serverKey.fill(0);
    this.#serverKey = null;
    return equalBytes(expected, received);
  }
}
