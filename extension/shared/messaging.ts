/**
 * Page side of the protocol: `call()` sends one typed request to the background and returns its
 * reply (or throws an {@link ExtensionError}); `subscribe()` receives pushes over the `events`
 * port and reconnects when the background restarts.
 */
import browser from 'webextension-polyfill';
import { ExtensionError } from './errors.js';
import { translate } from './i18n/core.js';
import { CHANNEL, EVENTS_PORT, type MessageType, type PushEvent, type Reply, type RequestOf, type ResponseOf } from './protocol.js';

export async function call<K extends MessageType>(type: K, payload: RequestOf<K>): Promise<ResponseOf<K>> {
  const reply = (await browser.runtime.sendMessage({ channel: CHANNEL, type, payload })) as Reply<K> | undefined;
  if (!reply || typeof reply !== 'object') throw new ExtensionError('internal', translate('ext.error.internal'));
  if (!reply.ok) throw ExtensionError.fromWire(reply.error);
  return reply.value;
}

/** Listens to background pushes until the returned function is called. */
export function subscribe(listener: (event: PushEvent) => void): () => void {
  let port: browser.Runtime.Port | null = null;
  let stopped = false;
  const connect = (): void => {
    if (stopped) return;
    port = browser.runtime.connect({ name: EVENTS_PORT });
    port.onMessage.addListener((message) => listener(message as PushEvent));
    port.onDisconnect.addListener(() => {
      port = null;
      // The background restarted (Chrome stops idle service workers): reconnect shortly.
      if (!stopped) setTimeout(connect, 250);
    });
  };
  connect();
  return () => {
    stopped = true;
    port?.disconnect();
  };
}
