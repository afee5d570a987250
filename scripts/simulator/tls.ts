/**
 * A self-signed certificate for `--tls`, made in-process: an EC P-256 key from node:crypto and a
 * minimal X.509 v3 certificate (DER) built by hand, for CN=localhost with SANs localhost,
 * 127.0.0.1 and ::1. Nothing is downloaded and no external tool is needed.
 */
import { X509Certificate, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

export interface SelfSigned {
  keyPem: string;
  certPem: string;
  /** SHA-256 fingerprint as Node prints it (AA:BB:...). */
  fingerprint256: string;
}

function der(tag: number, content: Buffer): Buffer {
  const len = content.length;
  let header: number[];
  if (len < 0x80) header = [tag, len];
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n >>= 8) bytes.unshift(n & 0xff);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  return Buffer.concat([Buffer.from(header), content]);
}

const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => der(0x31, Buffer.concat(parts));
const octets = (b: Buffer) => der(0x04, b);
const utf8 = (s: string) => der(0x0c, Buffer.from(s, 'utf8'));
const explicit = (n: number, content: Buffer) => der(0xa0 | n, content);

function integer(b: Buffer): Buffer {
  let body = b;
  while (body.length > 1 && body[0] === 0 && body[1]! < 0x80) body = body.subarray(1);
  if (body[0]! >= 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return der(0x02, body);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const bytes = [p & 0x7f];
    for (let n = p >> 7; n > 0; n >>= 7) bytes.unshift((n & 0x7f) | 0x80);
    out.push(...bytes);
  }
  return der(0x06, Buffer.from(out));
}

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const text = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return der(0x17, Buffer.from(text));
}

const ECDSA_SHA256 = '1.2.840.10045.4.3.2';

export function makeSelfSigned(commonName = 'localhost', days = 365): SelfSigned {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = seq(set(seq(oid('2.5.4.3'), utf8(commonName))));
  const now = Date.now();
  const loopback6 = Buffer.alloc(16);
  loopback6[15] = 1;
  const san = seq(der(0x82, Buffer.from('localhost')), der(0x87, Buffer.from([127, 0, 0, 1])), der(0x87, loopback6));
  const extensions = seq(
    seq(oid('2.5.29.19'), octets(seq())), // basicConstraints: not a CA
    seq(oid('2.5.29.17'), octets(san)), // subjectAltName
  );
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    seq(oid(ECDSA_SHA256)),
    name,
    seq(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + days * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const cert = seq(tbs, seq(oid(ECDSA_SHA256)), der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = cert.toString('base64').replace(/.{64}/g, '$&\n');
  const certPem = `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
  const x509 = new X509Certificate(certPem);
  if (!x509.checkPrivateKey(privateKey)) throw new Error('Generated certificate does not match its key');
  return { keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certPem, fingerprint256: x509.fingerprint256 };
}
