/**
 * The one set of rules for NAS addresses, used by the library and (through a thin wrapper that
 * translates the problems) by the extension: turning what a user typed into websocket endpoints,
 * and deciding what counts as loopback. `checkHostAddress` returns a structured problem instead
 * of throwing, so a UI can phrase it in its own language; `parseHostAddress` throws
 * `InvalidUrlError` with an English message and the same problem attached.
 */
import { InvalidUrlError, redactSecrets } from './errors.js';
import type { Protocol } from '../model/api-key.js';

export interface HostAddress {
  /** `https://host[:port]` or `http://host[:port]` (default ports dropped): the NAS web address (for /api/docs, certificate hints). */
  baseUrl: string;
  /** `host[:port]` as shown to users and used as the rate-limiter key. */
  host: string;
  /** The host name or IP as the URL parser normalises it (lower case, IPv4 dotted, IPv6 compressed in brackets). */
  hostname: string;
  /** An explicit, non-default port, else null. */
  port: number | null;
  /** True for https/wss. */
  tls: boolean;
  /** True for 127.0.0.0/8, ::1, IPv4-mapped loopback and exactly `localhost`: see {@link isLoopbackHost}. */
  loopback: boolean;
  /** A protocol forced by the URL path (`/websocket` → legacy, `/api/...` → jsonrpc), else null. */
  forcedProtocol: Protocol | null;
  /** Path of the JSON-RPC endpoint (`/api/current` unless the URL pinned a version). */
  jsonRpcPath: string;
}

/** Why an address cannot be used. No variant carries anything the user typed except a scheme name. */
export type AddressProblem =
  /** Nothing was entered. */
  | { kind: 'empty' }
  /** Spaces, tabs or line breaks inside the address. */
  | { kind: 'spaces' }
  /** The text contains something shaped like an API key (it is never echoed). */
  | { kind: 'api-key' }
  /** A backslash: browsers read `https://nas\@evil.example` as the host `nas`, other parsers differently. */
  | { kind: 'backslash' }
  /** `user:password@` in the address. */
  | { kind: 'credentials' }
  /** A known scheme with the wrong number of slashes (`http:/nas`, `https:nas`, `http:///nas`); `example` is the corrected form. */
  | { kind: 'slashes'; scheme: string; example: string }
  /** A scheme other than http, https, ws and wss. */
  | { kind: 'scheme'; scheme: string }
  /** A port outside 1-65535 (including an explicit :0). */
  | { kind: 'port' }
  /** Anything else the URL parser refuses, or no host name. */
  | { kind: 'invalid' };

export type AddressCheck = { ok: true; address: HostAddress } | { ok: false; problem: AddressProblem };

const SCHEMES: Record<string, boolean> = { https: true, wss: true, http: false, ws: false };
/** A leading `word:` (which may also be `host:port`), the slashes after it and the rest. */
const SCHEME_PREFIX = /^([a-z][a-z0-9+.-]*):(\/*)(.*)$/is;
const INVALID: AddressProblem = { kind: 'invalid' };

/**
 * Checks what a user typed as a NAS address: `nas.local`, `nas.local:8443`, `https://nas.local`,
 * `http://10.0.0.5:8080`, `[fd00::5]`, `wss://nas/api/current`, `ws://nas/websocket`, or a pasted
 * web-UI URL (its path is ignored unless it names an endpoint). A bare host means https: plain
 * ws:// is used only when the address says http:// or ws://.
 */
export function checkHostAddress(input: string): AddressCheck {
  const fail = (problem: AddressProblem): AddressCheck => ({ ok: false, problem });
  const text = typeof input === 'string' ? input.trim() : '';
  if (text === '') return fail({ kind: 'empty' });
  if (/\s/.test(text)) return fail({ kind: 'spaces' });
  // Refused before anything else, so no message can echo a key pasted into the address.
  if (redactSecrets(text) !== text) return fail({ kind: 'api-key' });
  if (text.includes('\\')) return fail({ kind: 'backslash' });

  let scheme: string | null = null;
  let rest = text;
  const prefix = SCHEME_PREFIX.exec(text);
  if (prefix) {
    const word = prefix[1]!.toLowerCase();
    const slashes = prefix[2]!;
    const after = prefix[3]!;
    if (word in SCHEMES) {
      scheme = word;
      rest = after;
      if (authorityOf(rest).includes('@')) return fail({ kind: 'credentials' });
      if (slashes.length !== 2) {
        const host = authorityOf(rest);
        return fail({ kind: 'slashes', scheme: word, example: `${word}://${host && host.length <= 100 ? host : 'nas.local'}` });
      }
    } else if (slashes === '' && /^\d*(?:[/?#]|$)/.test(after)) {
      // `nas.local:8443`, `localhost:8080/ui`: a host and a port, no scheme.
    } else if (slashes !== '') {
      return fail({ kind: 'scheme', scheme: word.slice(0, 20) });
    } else {
      return fail(authorityOf(text).includes('@') ? { kind: 'credentials' } : INVALID);
    }
  }
  if (scheme === null) {
    if (text.startsWith('/')) return fail(INVALID);
    if (authorityOf(text).includes('@')) return fail({ kind: 'credentials' });
  }
  const authority = authorityOf(rest);
  const typedPort = /:(\d+)$/.exec(authority.replace(/^\[[^\]]*\]/, ''));
  if (typedPort && (Number(typedPort[1]) === 0 || Number(typedPort[1]) > 65535)) return fail({ kind: 'port' });

  let url: URL;
  try {
    url = new URL(`${scheme ?? 'https'}://${rest}`);
  } catch {
    return fail(INVALID);
  }
  if (url.username || url.password) return fail({ kind: 'credentials' });
  if (url.hostname === '') return fail(INVALID);
  const tls = SCHEMES[scheme ?? 'https']!;
  const path = url.pathname.replace(/\/+$/, '');
  let forcedProtocol: Protocol | null = null;
  let jsonRpcPath = '/api/current';
  if (path === '/websocket') forcedProtocol = 'legacy';
  else if (/^\/api\/(current|v[0-9][0-9A-Za-z.]*)$/.test(path)) {
    forcedProtocol = 'jsonrpc';
    jsonRpcPath = path;
  }
  return {
    ok: true,
    address: {
      baseUrl: `${tls ? 'https' : 'http'}://${url.host}`,
      host: url.host,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : null,
      tls,
      loopback: isLoopbackHost(url.hostname),
      forcedProtocol,
      jsonRpcPath,
    },
  };
}

/** The `host[:port]` part of an address without its scheme. */
function authorityOf(rest: string): string {
  return rest.split(/[/?#]/, 1)[0]!;
}

/** The English text of an address problem. */
export function describeAddressProblem(problem: AddressProblem): string {
  switch (problem.kind) {
    case 'empty':
      return 'Enter the address of the NAS, for example https://nas.local.';
    case 'spaces':
      return 'The NAS address must not contain spaces.';
    case 'api-key':
      return 'This looks like an API key, not a NAS address; enter the key in its own field.';
    case 'backslash':
      return 'The NAS address must not contain a backslash (\\); write it like https://nas.local.';
    case 'credentials':
      return 'Do not put a username or password in the NAS address; enter credentials in the sign-in form.';
    case 'slashes':
      return `After "${problem.scheme}:" come two slashes: write the address like ${problem.example}.`;
    case 'scheme':
      return `Unsupported address scheme "${problem.scheme}:"; use https:// (or http:// only on a trusted network).`;
    case 'port':
      return 'The port of the NAS address must be a number from 1 to 65535.';
    case 'invalid':
      return 'This is not a valid NAS address; use a form like https://nas.local, 192.168.1.10:8443 or [fd00::5].';
  }
}

/** Parses an address by {@link checkHostAddress}; throws InvalidUrlError (with `problem`) when it cannot be used. */
export function parseHostAddress(input: string): HostAddress {
  const checked = checkHostAddress(input);
  if (!checked.ok) throw new InvalidUrlError(describeAddressProblem(checked.problem), checked.problem);
  return checked.address;
}

/**
 * May a new API key (the answer of `api_key.create` or a reset) come back over this connection?
 * Only over TLS or loopback: otherwise it would cross the network in clear. No option relaxes this.
 */
export function mayReceiveKey(address: Pick<HostAddress, 'tls' | 'loopback'>): boolean {
  return address.tls || address.loopback;
}

/** The websocket URL of an endpoint. */
export function endpointUrl(address: HostAddress, protocol: Protocol): string {
  return `${address.tls ? 'wss' : 'ws'}://${address.host}${protocol === 'legacy' ? '/websocket' : address.jsonRpcPath}`;
}

/**
 * Loopback: 127.0.0.0/8, ::1 in any spelling, IPv4-mapped loopback (`[::ffff:127.0.0.1]`, which the
 * URL parser writes `[::ffff:7f00:1]`), and exactly the name `localhost` in any case. Not loopback:
 * `localhost.` (Node resolves it through DNS), `*.localhost` (only some browsers resolve those
 * themselves), and every other name. Accepts a hostname with or without IPv6 brackets, in any
 * spelling the URL parser understands (`127.1`, `0x7f.0.0.1`, `[0:0:0:0:0:0:0:1]`).
 */
export function isLoopbackHost(hostname: string): boolean {
  if (typeof hostname !== 'string' || hostname === '' || /[\s/\\?#@]/.test(hostname)) return false;
  let h: string;
  try {
    const bracketed = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
    h = new URL(`http://${bracketed}`).hostname;
  } catch {
    return false;
  }
  if (h === 'localhost' || h === '[::1]') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  const mapped = /^\[::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}\]$/.exec(h);
  return mapped !== null && parseInt(mapped[1]!, 16) >> 8 === 127;
}
