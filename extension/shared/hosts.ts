/**
 * NAS addresses in the extension: a thin wrapper over the connection library's address rules
 * (components/client/url.ts, the single source of what is valid and what is loopback) that turns
 * its problems into translated field errors and adds what the extension needs (origin, permission
 * pattern).
 */
import { checkHostAddress, isLoopbackHost as libraryIsLoopback, type AddressProblem } from '../../components/client/url.js';
import { fieldError } from './errors.js';
import { translate } from './i18n/index.js';

/** A NAS address, normalised and classified. */
export interface HostAddress {
  /** `https://nas.local`, `http://127.0.0.1:8080` (default ports dropped). */
  origin: string;
  scheme: 'https' | 'http';
  /** Host name or IP as the URL parser normalises it (IPv6 in brackets). */
  hostname: string;
  port: number | null;
  /** TLS (https/wss). */
  secure: boolean;
  /** 127.0.0.0/8, ::1, IPv4-mapped loopback, exactly `localhost`: TrueNAS treats these as secure even without TLS. */
  loopback: boolean;
  /** Match pattern for the optional host permission, e.g. `https://nas.local/*` (ports are not part of patterns). */
  permissionPattern: string;
}

/** The library's loopback rule (see components/client/url.ts). */
export function isLoopbackHost(hostname: string): boolean {
  return libraryIsLoopback(hostname);
}

/** The translated text of an address problem; `text` is what the user typed (echoed only where harmless). */
function problemText(problem: AddressProblem, text: string): string {
  switch (problem.kind) {
    case 'empty':
      return translate('ext.host.error.addressEmpty');
    case 'spaces':
      return translate('ext.host.error.addressSpaces');
    case 'api-key':
      return translate('ext.host.error.addressKey');
    case 'backslash':
      return translate('ext.host.error.addressBackslash');
    case 'credentials':
      return translate('ext.host.error.addressCredentials');
    case 'slashes':
      return translate('ext.host.error.addressSlashes', problem.scheme, problem.example);
    case 'scheme':
      return translate('ext.host.error.addressScheme', problem.scheme);
    case 'port':
      return translate('ext.host.error.addressPort');
    case 'invalid':
      return translate('ext.host.error.addressInvalid', text.slice(0, 200));
  }
}

/**
 * Parses what a user typed as a NAS address: `https://nas.local`, `nas.local`, `192.168.1.10:8443`,
 * `[fd00::5]`, or a pasted web-UI URL (the path is dropped). No scheme means HTTPS; ws/wss become
 * http/https. Throws a field error (`address`) with a specific message for anything unusable.
 */
export function parseHostAddress(input: string): HostAddress {
  const text = typeof input === 'string' ? input.trim() : '';
  const checked = checkHostAddress(text);
  if (!checked.ok) throw fieldError('address', problemText(checked.problem, text));
  const { baseUrl, hostname, port, tls, loopback } = checked.address;
  const scheme = tls ? 'https' : 'http';
  return { origin: baseUrl, scheme, hostname, port, secure: tls, loopback, permissionPattern: `${scheme}://${hostname}/*` };
}

/** True when sending a plain API key to this address would leak it (and make TrueNAS 25.04+ revoke it). */
export function plainKeyForbidden(address: HostAddress): boolean {
  return !address.secure && !address.loopback;
}
