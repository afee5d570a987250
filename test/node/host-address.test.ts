/**
 * One set of address rules: every case goes through the library's parser (components/client/url.ts)
 * and the extension's wrapper (extension/shared/hosts.ts), which must reach the same verdict.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { checkHostAddress, InvalidUrlError, isLoopbackHost, parseHostAddress, type AddressProblem } from '../../components/client/index.js';
import { ExtensionError } from '../../extension/shared/errors.js';
import { isLoopbackHost as extIsLoopback, parseHostAddress as extParse } from '../../extension/shared/hosts.js';
import en from '../../extension/shared/i18n/en.js';

type Ok = { origin: string; tls: boolean; loopback: boolean; legacy?: boolean };
type Case = [input: string, verdict: Ok | AddressProblem['kind']];

const https = (origin: string, loopback = false): Ok => ({ origin, tls: true, loopback });
const http = (origin: string, loopback = false): Ok => ({ origin, tls: false, loopback });

const CASES: Case[] = [
  // What people type and paste.
  ['nas.local', https('https://nas.local')],
  ['  nas.local  ', https('https://nas.local')],
  ['nas.local:8443', https('https://nas.local:8443')],
  ['192.168.1.10:8443', https('https://192.168.1.10:8443')],
  ['192.168.1.10', https('https://192.168.1.10')],
  ['[fd00::5]', https('https://[fd00::5]')],
  ['[fd00::5]:8443', https('https://[fd00::5]:8443')],
  ['https://nas.local', https('https://nas.local')],
  ['HTTPS://NAS.Local:443/', https('https://nas.local')],
  ['https://nas.local/ui/dashboard?x=1#top', https('https://nas.local')],
  ['https://nas.local/ui/credentials/users/api-keys', https('https://nas.local')],
  ['https://nas.local/path@with-at', https('https://nas.local')],
  ['http://10.0.0.5', http('http://10.0.0.5')],
  ['http://10.0.0.5:8080/ui/', http('http://10.0.0.5:8080')],
  ['ws://10.0.0.5', http('http://10.0.0.5')],
  ['wss://nas/websocket', { ...https('https://nas'), legacy: true }],
  ['wss://nas.local/api/current', https('https://nas.local')],
  ['localhost:8080', https('https://localhost:8080', true)],
  ['nas:65535', https('https://nas:65535')],
  // Loopback: 127.0.0.0/8, ::1 in any spelling, IPv4-mapped loopback, exactly localhost.
  ['http://127.0.0.1', http('http://127.0.0.1', true)],
  ['http://127.8.9.10:81', http('http://127.8.9.10:81', true)],
  ['http://127.1', http('http://127.0.0.1', true)],
  ['http://0x7f.0.0.1', http('http://127.0.0.1', true)],
  ['http://[::1]:8080', http('http://[::1]:8080', true)],
  ['http://[0:0:0:0:0:0:0:1]', http('http://[::1]', true)],
  ['http://[::ffff:127.0.0.1]', http('http://[::ffff:7f00:1]', true)],
  ['http://[::ffff:7f00:1]', http('http://[::ffff:7f00:1]', true)],
  ['http://[::ffff:127.255.0.9]', http('http://[::ffff:7fff:9]', true)],
  ['http://localhost', http('http://localhost', true)],
  ['http://LocalHost:81', http('http://localhost:81', true)],
  // Not loopback.
  ['http://localhost.', http('http://localhost.')],
  ['http://LOCALHOST.', http('http://localhost.')],
  ['http://nas.localhost', http('http://nas.localhost')],
  ['http://localhost.example.com', http('http://localhost.example.com')],
  ['http://127.0.0.1.nip.io', http('http://127.0.0.1.nip.io')],
  ['http://128.0.0.1', http('http://128.0.0.1')],
  ['http://0.0.0.0', http('http://0.0.0.0')],
  ['http://[::2]', http('http://[::2]')],
  ['http://[::ffff:10.0.0.1]', http('http://[::ffff:a00:1]')],
  ['http://[::127.0.0.1]', http('http://[::7f00:1]')],
  // Refused.
  ['', 'empty'],
  ['   ', 'empty'],
  ['nas local', 'spaces'],
  ['https://exa mple', 'spaces'],
  ['nas\tlocal', 'spaces'],
  [`3-${'k'.repeat(64)}`, 'api-key'],
  [`https://nas.local/${'7-'}${'Z'.repeat(64)}`, 'api-key'],
  ['https://nas\\@evil.example', 'backslash'],
  ['https://nas.local\\', 'backslash'],
  ['nas\\evil', 'backslash'],
  ['https://admin:secret@nas', 'credentials'],
  ['https://admin@nas', 'credentials'],
  ['admin:hunter2@nas', 'credentials'],
  ['admin@nas.local', 'credentials'],
  ['https://admin:hunter2@nas:99999', 'credentials'],
  ['http:/nas', 'slashes'],
  ['https:nas', 'slashes'],
  ['http:///nas', 'slashes'],
  ['HTTP:/nas.local:8080/ui', 'slashes'],
  ['wss:nas', 'slashes'],
  ['ftp://nas', 'scheme'],
  ['file:///etc/passwd', 'scheme'],
  ['javascript://nas', 'scheme'],
  ['nas:0', 'port'],
  ['https://nas:0', 'port'],
  ['http://127.0.0.1:0/', 'port'],
  ['[fd00::5]:0', 'port'],
  ['nas:65536', 'port'],
  ['http://', 'invalid'],
  ['https://', 'invalid'],
  ['https://:8443', 'invalid'],
  ['/nas', 'invalid'],
  ['fd00::5', 'invalid'],
  ['javascript:alert(1)', 'invalid'],
  ['https://[fd00::5', 'invalid'],
  ['https://nas..local%', 'invalid'],
];

/** The English field text the extension shows for each library problem. */
function extensionText(problem: AddressProblem, input: string): string {
  switch (problem.kind) {
    case 'empty': return en['ext.host.error.addressEmpty'];
    case 'spaces': return en['ext.host.error.addressSpaces'];
    case 'api-key': return en['ext.host.error.addressKey'];
    case 'backslash': return en['ext.host.error.addressBackslash'];
    case 'credentials': return en['ext.host.error.addressCredentials'];
    case 'slashes': return en['ext.host.error.addressSlashes'](problem.scheme, problem.example);
    case 'scheme': return en['ext.host.error.addressScheme'](problem.scheme);
    case 'port': return en['ext.host.error.addressPort'];
    case 'invalid': return en['ext.host.error.addressInvalid'](input.trim());
  }
}

for (const [input, verdict] of CASES) {
  test(`address ${JSON.stringify(input)} → ${typeof verdict === 'string' ? verdict : verdict.origin}`, () => {
    const checked = checkHostAddress(input);
    let ext: ReturnType<typeof extParse> | ExtensionError;
    try {
      ext = extParse(input);
    } catch (error) {
      assert.ok(error instanceof ExtensionError, `the extension throws an ExtensionError for ${input}`);
      ext = error;
    }
    if (typeof verdict === 'string') {
      assert.equal(checked.ok, false, `the library refuses ${input}`);
      if (checked.ok) return;
      assert.equal(checked.problem.kind, verdict, `the library's problem for ${input}`);
      assert.throws(() => parseHostAddress(input), (e: unknown) => e instanceof InvalidUrlError && e.problem.kind === verdict);
      assert.ok(ext instanceof ExtensionError, `the extension refuses ${input}`);
      assert.equal(ext.code, 'bad-request');
      assert.equal(ext.fieldErrors[0]?.field, 'address');
      assert.equal(ext.message, extensionText(checked.problem, input), `the extension's text for ${input}`);
      // No text ever echoes a password or a key typed into the address.
      for (const secret of ['hunter2', 'secret', 'k'.repeat(64), 'Z'.repeat(64)]) {
        assert.ok(!ext.message.includes(secret), `the extension's text for ${input} hides the secret`);
        assert.ok(!errorText(input).includes(secret), `the library's text for ${input} hides the secret`);
      }
      return;
    }
    assert.equal(checked.ok, true, `the library accepts ${input}: ${checked.ok ? '' : checked.problem.kind}`);
    if (!checked.ok) return;
    assert.ok(!(ext instanceof ExtensionError), `the extension accepts ${input}: ${ext instanceof Error ? ext.message : ''}`);
    const lib = checked.address;
    assert.equal(lib.baseUrl, verdict.origin, `library origin of ${input}`);
    assert.equal(lib.tls, verdict.tls, `library TLS of ${input}`);
    assert.equal(lib.loopback, verdict.loopback, `library loopback of ${input}`);
    assert.equal(lib.forcedProtocol === 'legacy', verdict.legacy === true, `library protocol of ${input}`);
    assert.equal(ext.origin, verdict.origin, `extension origin of ${input}`);
    assert.equal(ext.secure, verdict.tls, `extension TLS of ${input}`);
    assert.equal(ext.loopback, verdict.loopback, `extension loopback of ${input}`);
    assert.equal(ext.scheme, verdict.tls ? 'https' : 'http');
    assert.equal(ext.permissionPattern, `${ext.scheme}://${lib.hostname}/*`);
    assert.equal(isLoopbackHost(lib.hostname), verdict.loopback, `isLoopbackHost(${lib.hostname})`);
    assert.equal(extIsLoopback(lib.hostname), verdict.loopback, `the extension's isLoopbackHost(${lib.hostname})`);
  });
}

function errorText(input: string): string {
  try {
    parseHostAddress(input);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

test('a wrong slash count names the corrected address', () => {
  for (const [input, example] of [['http:/nas', 'http://nas'], ['https:nas.local:8443', 'https://nas.local:8443'], ['http:///nas', 'http://nas']] as const) {
    const checked = checkHostAddress(input);
    assert.ok(!checked.ok && checked.problem.kind === 'slashes' && checked.problem.example === example, input);
    assert.match(errorText(input), new RegExp(`write the address like ${example.replace(/[.]/g, '\\.')}`), input);
  }
});

test('isLoopbackHost takes hostnames with or without brackets, in any spelling', () => {
  for (const h of ['localhost', 'LOCALHOST', '127.0.0.1', '127.255.255.254', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '[::ffff:7f00:1]', '2130706433']) {
    assert.equal(isLoopbackHost(h), true, h);
    assert.equal(extIsLoopback(h), true, h);
  }
  for (const h of ['localhost.', 'a.localhost', 'localhost:80', '', 'nas', '10.0.0.1', '::', '::ffff:10.0.0.1', '127.0.0.1/x', 'x@127.0.0.1']) {
    assert.equal(isLoopbackHost(h), false, h);
    assert.equal(extIsLoopback(h), false, h);
  }
});
