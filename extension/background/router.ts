/**
 * The background's message router. Accepts requests only from the extension's own pages (same
 * extension id, and the URL of the popup, options or full-view page), dispatches each to its typed handler,
 * and answers with a {@link Reply}. The reply goes to the asking page only; that is the one way a
 * secret ever leaves the background.
 */
import browser from 'webextension-polyfill';
import { ExtensionError } from '../shared/errors.js';
import { translate } from '../shared/i18n/index.js';
import { isRequest, CHANNEL, type MessageType, type Reply, type RequestOf, type ResponseOf, type WireError } from '../shared/protocol.js';

export interface RequestContext {
  /** URL of the page that asked. */
  pageUrl: string;
}

type Handler<K extends MessageType> = (payload: RequestOf<K>, context: RequestContext) => Promise<ResponseOf<K>>;
const handlers: { [K in MessageType]?: Handler<K> } = {};

export function handle<K extends MessageType>(type: K, handler: Handler<K>): void {
  handlers[type] = handler as (typeof handlers)[K];
}

/** Pages allowed to send requests. The offscreen document is deliberately not among them. */
const PAGES = ['popup/popup.html', 'options/options.html', 'manager/manager.html'];

export function isTrustedSender(sender: browser.Runtime.MessageSender): boolean {
  if (sender.id !== browser.runtime.id || typeof sender.url !== 'string') return false;
  let url: URL;
  try {
    url = new URL(sender.url);
  } catch {
    return false;
  }
  const base = new URL(browser.runtime.getURL('/'));
  return url.origin === base.origin && PAGES.some((page) => url.pathname === `/${page}`);
}

/** Converts anything thrown into a wire error; unknown errors become a generic message. */
let errorMapper: (error: unknown) => WireError | undefined = () => undefined;
export function setErrorMapper(mapper: (error: unknown) => WireError | undefined): void {
  errorMapper = mapper;
}

export function toWireError(error: unknown): WireError {
  if (error instanceof ExtensionError) return error.toWire();
  const mapped = errorMapper(error);
  if (mapped) return mapped;
  // Log the kind of failure for debugging; messages of unexpected errors are not shown to users.
  console.error('[background] unexpected error:', error instanceof Error ? `${error.name}: ${error.message}` : typeof error);
  return { code: 'internal', message: translate('ext.error.internal') };
}

/** The `runtime.onMessage` listener. Returns undefined for messages that are not ours. */
export function onMessage(message: unknown, sender: browser.Runtime.MessageSender): Promise<Reply<MessageType>> | undefined {
  if (typeof message !== 'object' || message === null || (message as { channel?: unknown }).channel !== CHANNEL) return undefined;
  if (!isTrustedSender(sender)) {
    return Promise.resolve({ ok: false, error: { code: 'forbidden', message: translate('ext.error.forbidden') } });
  }
  if (!isRequest(message)) {
    const type = String((message as { type?: unknown }).type);
    return Promise.resolve({ ok: false, error: { code: 'bad-request', message: translate('ext.error.unknownType', type) } });
  }
  return dispatch(message.type, message.payload, { pageUrl: sender.url! });
}

async function dispatch<K extends MessageType>(type: K, payload: RequestOf<K>, context: RequestContext): Promise<Reply<K>> {
  const handler = handlers[type];
  if (!handler) return { ok: false, error: { code: 'bad-request', message: translate('ext.error.unknownType', type) } };
  try {
    return { ok: true, value: await handler(payload, context) };
  } catch (error) {
    return { ok: false, error: toWireError(error) };
  }
}
