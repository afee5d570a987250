/**
 * Page side of the protocol: `call()` sends one typed request to the background and returns its
 * reply (or throws an {@link ExtensionError}); `subscribe()` receives pushes over the `events`
 * port and reconnects when the background restarts. The browser's own API carries both (see
 * {@link nativeApi}).
 */
import { ExtensionError } from './errors.js';
import { translate } from './i18n/core.js';
import { nativeApi } from './platform.js';
import { CHANNEL, EVENTS_PORT, type MessageType, type PushEvent, type Reply, type RequestOf, type ResponseOf } from './protocol.js';

/** Chrome's rejection when no listener answered (webextension-polyfill made that a missing reply). */
const NO_ANSWER = /message port closed before a response/i;

/** Sends one request; its reply is not checked yet (see {@link unwrap}). */
export async function send<K extends MessageType>(type: K, payload: RequestOf<K>): Promise<Reply<K> | undefined> {
  try {
    const reply: unknown = await nativeApi().runtime.sendMessage({ channel: CHANNEL, type, payload });
    return reply && typeof reply === 'object' ? (reply as Reply<K>) : undefined;
  } catch (error) {
    if (error instanceof Error && NO_ANSWER.test(error.message)) return undefined;
    throw error;
  }
}

/** A reply's value, or the error it carries. */
export function unwrap<K extends MessageType>(reply: Reply<K> | undefined): ResponseOf<K> {
  if (!reply) throw new ExtensionError('internal', translate('ext.error.internal'));
  if (!reply.ok) throw ExtensionError.fromWire(reply.error);
  return reply.value;
}

export async function call<K extends MessageType>(type: K, payload: RequestOf<K>): Promise<ResponseOf<K>> {
  return unwrap(await send(type, payload));
}

/** Listens to background pushes until the returned function is called. */
export function subscribe(listener: (event: PushEvent) => void): () => void {
  let port: chrome.runtime.Port | null = null;
  let stopped = false;
  const connect = (): void => {
    if (stopped) return;
    port = nativeApi().runtime.connect({ name: EVENTS_PORT });
    port.onMessage.addListener((message: PushEvent) => listener(message));
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
