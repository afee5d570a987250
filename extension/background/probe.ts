/**
 * Why could a socket not be opened? Browsers hide the reason from WebSocket and fetch errors
 * alike, but `webRequest.onErrorOccurred` reports the network error of a request to an origin
 * the extension has host access to (e.g. `net::ERR_CERT_AUTHORITY_INVALID`). One plain HTTPS
 * request to the NAS tells "certificate not trusted" from "nothing answers".
 */
import browser from 'webextension-polyfill';
import type { HostAddress } from '../shared/hosts.js';

export type ProbeResult = 'reachable' | 'certificate' | 'unreachable';

const CERTIFICATE = /CERT|SEC_ERROR|SSL_ERROR|MOZILLA_PKIX|ERR_SSL/i;

export async function probe(address: HostAddress, timeoutMs = 8000): Promise<ProbeResult> {
  const url = `${address.origin}/api/versions?probe=${crypto.randomUUID()}`;
  let netError: string | null = null;
  const onError = (details: { url: string; error: string }): void => {
    if (details.url === url) netError = details.error;
  };
  const events = browser.webRequest?.onErrorOccurred;
  events?.addListener(onError, { urls: [address.permissionPattern] });
  try {
    await fetch(url, { cache: 'no-store', credentials: 'omit', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    return 'reachable';
  } catch {
    // The webRequest event may arrive just after the rejection.
    for (let i = 0; i < 10 && netError === null; i++) await new Promise((r) => setTimeout(r, 20));
    return netError !== null && CERTIFICATE.test(netError) ? 'certificate' : 'unreachable';
  } finally {
    events?.removeListener(onError);
  }
}
