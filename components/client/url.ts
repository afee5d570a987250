/** Turning what a user typed into websocket endpoints, and deciding what counts as secure. */
import { InvalidUrlError, redactSecrets } from './errors.js';
import type { Protocol } from '../model/api-key.js';

export interface HostAddress {
  /** `https://host[:port]` or `http://host[:port]`: the NAS web address (for /api/docs, certificate hints). */
  baseUrl: string;
  /** `host[:port]` as shown to users and used as the rate-limiter key. */
  host: string;
  /** True for https/wss. */
  tls: boolean;
  /** True for 127.0.0.0/8, ::1 and localhost: TrueNAS treats these as a secure transport. */
  loopback: boolean;
  /** A protocol forced by the URL path (`/websocket` → legacy, `/api/...` → jsonrpc), else null. */
  forcedProtocol: Protocol | null;
  /** Path of the JSON-RPC endpoint (`/api/current` unless the URL pinned a version). */
  jsonRpcPath: string;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/**
 * Parses `nas.local`, `https://nas.local`, `http://10.0.0.5:8080`, `wss://nas/api/current`, `ws://nas/websocket`.
 * A bare host means https: plain ws:// is used only when the address says http:// or ws://.
 */
export function parseHostAddress(input: string): HostAddress {
  const text = typeof input === 'string' ? input.trim() : '';
  if (text === '') throw new InvalidUrlError('Enter the address of the NAS, for example https://nas.local.');
  // Refused before parsing, so no message below can echo a credential typed into the address.
  if (redactSecrets(text) !== text) throw new InvalidUrlError('This looks like an API key, not a NAS address; enter the key in its own field.');
  if (text.replace(SCHEME, '').split(/[/?#]/, 1)[0]!.includes('@')) throw userinfoError();
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  let url: URL;
  try {
    url = new URL(scheme ? text : `https://${text}`);
  } catch {
    throw new InvalidUrlError(`"${text.slice(0, 200)}" is not a valid NAS address; use a form like https://nas.local or 192.168.1.10.`);
  }
  const protocol = url.protocol.slice(0, -1);
  if (!['http', 'https', 'ws', 'wss'].includes(protocol)) {
    throw new InvalidUrlError(`Unsupported address scheme "${protocol}:"; use https:// (or http:// only on a trusted network).`);
  }
  if (url.username || url.password) throw userinfoError();
  if (url.hostname === '') throw new InvalidUrlError('The NAS address has no host name.');
  const tls = protocol === 'https' || protocol === 'wss';
  const path = url.pathname.replace(/\/+$/, '');
  let forcedProtocol: Protocol | null = null;
  let jsonRpcPath = '/api/current';
  if (path === '/websocket') forcedProtocol = 'legacy';
  else if (/^\/api\/(current|v[0-9][0-9A-Za-z.]*)$/.test(path)) {
    forcedProtocol = 'jsonrpc';
    jsonRpcPath = path;
  }
  return {
    baseUrl: `${tls ? 'https' : 'http'}://${url.host}`,
    host: url.host,
    tls,
    loopback: isLoopbackHost(url.hostname),
    forcedProtocol,
    jsonRpcPath,
  };
}

function userinfoError(): InvalidUrlError {
  return new InvalidUrlError('Do not put a username or password in the NAS address; enter credentials in the sign-in form.');
}

/** The websocket URL of an endpoint. */
export function endpointUrl(address: HostAddress, protocol: Protocol): string {
  return `${address.tls ? 'wss' : 'ws'}://${address.host}${protocol === 'legacy' ? '/websocket' : address.jsonRpcPath}`;
}

/**
 * Loopback as TrueNAS decides it (`ipaddress.is_loopback`): 127.0.0.0/8 and ::1, plus the name
 * `localhost`. Expects a hostname as the WHATWG URL parser normalises it (IPv6 in brackets).
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  if (h === '[::1]') return true;
  // IPv4-mapped loopback, which the URL parser writes as hex groups: [::ffff:7f00:1].
  const mapped = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/.exec(h);
  if (mapped) return parseInt(mapped[1]!, 16) >> 8 === 127;
  return false;
}
