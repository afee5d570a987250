import { fieldError } from './errors.js';
import { translate } from './i18n/index.js';

/** A NAS address, normalised and classified. */
export interface HostAddress {
  /** `https://nas.local`, `http://127.0.0.1:8080` (default ports dropped). */
  origin: string;
  scheme: 'https' | 'http';
  /** Host name or IP as typed (IPv6 in brackets). */
  hostname: string;
  port: number | null;
  /** TLS (https/wss). */
  secure: boolean;
  /** 127.0.0.0/8, ::1, `localhost`: TrueNAS treats these as secure even without TLS. */
  loopback: boolean;
  /** Match pattern for the optional host permission, e.g. `https://nas.local/*` (ports are not part of patterns). */
  permissionPattern: string;
}

const SCHEMES: Record<string, 'https' | 'http'> = { 'https:': 'https', 'wss:': 'https', 'http:': 'http', 'ws:': 'http' };

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  return /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Parses what a user typed as a NAS address: `https://nas.local`, `nas.local`, `192.168.1.10:8443`,
 * `[fd00::5]`, or a pasted web-UI URL (the path is dropped). No scheme means HTTPS.
 * Throws a field error (`address`) with a specific message for anything unusable.
 */
export function parseHostAddress(input: string): HostAddress {
  const text = input.trim();
  if (!text) throw fieldError('address', translate('ext.host.error.addressEmpty'));
  if (/\s/.test(text)) throw fieldError('address', translate('ext.host.error.addressSpaces'));
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw fieldError('address', translate('ext.host.error.addressInvalid', text));
  }
  const scheme = SCHEMES[url.protocol];
  if (!scheme) throw fieldError('address', translate('ext.host.error.addressScheme', url.protocol.replace(/:$/, '')));
  if (url.username || url.password) throw fieldError('address', translate('ext.host.error.addressCredentials'));
  if (!url.hostname) throw fieldError('address', translate('ext.host.error.addressInvalid', text));
  // new URL() accepts a port up to 65535 and rejects larger; an explicit :0 is unusable.
  if (url.port === '0') throw fieldError('address', translate('ext.host.error.addressPort'));
  const port = url.port ? Number(url.port) : null;
  // Normalise ws/wss to http/https: the client picks the socket path and scheme itself.
  const origin = `${scheme}://${url.hostname}${port ? `:${port}` : ''}`;
  return {
    origin,
    scheme,
    hostname: url.hostname,
    port,
    secure: scheme === 'https',
    loopback: isLoopbackHost(url.hostname),
    permissionPattern: `${scheme}://${url.hostname}/*`,
  };
}

/** True when sending a plain API key to this address would leak it (and make TrueNAS 25.04+ revoke it). */
export function plainKeyForbidden(address: HostAddress): boolean {
  return !address.secure && !address.loopback;
}
