/**
 * Copy a secret, then clear the clipboard after the configured delay, but only if it still holds
 * our value where the browser lets us check (clipboardRead). On Chrome the clipboard is reached
 * through an offscreen document (the service worker has no DOM); on Firefox the background page
 * has a DOM and writes itself.
 *
 * Only a salted SHA-256 digest of the copied value is kept (in storage.local, so a clear that
 * came due while the browser was closed still happens at the next start), never the value.
 */
import browser from 'webextension-polyfill';
import { readClipboard, writeClipboard } from '../shared/clipboard-dom.js';
import { ExtensionError } from '../shared/errors.js';
import { translate } from '../shared/i18n/index.js';
import { hasDocument, offscreenApi } from '../shared/platform.js';
import { OFFSCREEN_PORT, type OffscreenReply, type OffscreenRequest } from '../shared/protocol.js';
import { cancel, defineTask, schedule } from './scheduler.js';
import { getSettings } from './settings.js';
import { readLocal, removeLocal, writeLocal } from './store.js';

const TASK = 'clipboard-clear';
const KEY = 'clipboard.copied';
const OFFSCREEN_PATH = 'offscreen/offscreen.html';

interface CopiedRecord {
  salt: string;
  digest: string;
  clearsAt: number;
}

async function digestOf(text: string, salt: string): Promise<string> {
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${salt}\u0000${text}`));
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---- Offscreen document (Chrome) --------------------------------------------------------------

let offscreenPort: browser.Runtime.Port | null = null;
let portWaiters: Array<(port: browser.Runtime.Port) => void> = [];
let creating: Promise<void> | null = null;
let nextId = 1;
const pending = new Map<number, (reply: OffscreenReply) => void>();

/** True for the port our own offscreen document opens (checked by exact URL). */
export function isOffscreenPort(port: browser.Runtime.Port): boolean {
  return port.name === OFFSCREEN_PORT && port.sender?.id === browser.runtime.id && port.sender?.url === browser.runtime.getURL(OFFSCREEN_PATH);
}

/** onConnect handler for the offscreen port (registered at top level). */
export function acceptOffscreenPort(port: browser.Runtime.Port): void {
  offscreenPort = port;
  port.onMessage.addListener((message) => {
    const reply = message as OffscreenReply;
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  port.onDisconnect.addListener(() => {
    if (offscreenPort === port) offscreenPort = null;
    for (const [id, resolve] of pending) resolve({ id, ok: false, error: 'disconnected' });
    pending.clear();
  });
  const waiters = portWaiters;
  portWaiters = [];
  for (const resolve of waiters) resolve(port);
}

async function documentExists(api: typeof chrome.offscreen): Promise<boolean> {
  if (typeof chrome.runtime.getContexts === 'function') {
    const contexts = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT' as chrome.runtime.ContextType] });
    return contexts.length > 0;
  }
  return api.hasDocument ? await api.hasDocument() : false;
}

async function offscreenDocumentPort(api: typeof chrome.offscreen): Promise<browser.Runtime.Port> {
  if (offscreenPort) return offscreenPort;
  const connected = new Promise<browser.Runtime.Port>((resolve, reject) => {
    portWaiters.push(resolve);
    setTimeout(() => reject(new Error('offscreen document did not connect')), 5000);
  });
  // Only one offscreen document may exist: every caller shares one creation.
  creating ??= (async () => {
    // A document left over from a previous background instance has lost its port: replace it.
    if (await documentExists(api)) await api.closeDocument().catch(() => undefined);
    await api.createDocument({
      url: OFFSCREEN_PATH,
      reasons: ['CLIPBOARD' as chrome.offscreen.Reason],
      justification: 'Copy API keys to the clipboard and clear them again after the configured delay.',
    });
  })().finally(() => {
    creating = null;
  });
  await creating;
  return connected;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

async function offscreenCall(request: WithoutId<OffscreenRequest>): Promise<OffscreenReply> {
  const api = offscreenApi()!;
  const port = await offscreenDocumentPort(api);
  const id = nextId++;
  return new Promise<OffscreenReply>((resolve) => {
    pending.set(id, resolve);
    port.postMessage({ ...request, id } as OffscreenRequest);
  });
}

async function closeOffscreen(): Promise<void> {
  const api = offscreenApi();
  if (!api) return;
  if (await documentExists(api)) await api.closeDocument().catch(() => undefined);
  offscreenPort = null;
}

// ---- Write / read, per browser ----------------------------------------------------------------

async function write(text: string): Promise<boolean> {
  if (offscreenApi()) return (await offscreenCall({ op: 'write', text })).ok;
  if (hasDocument()) return writeClipboard(text);
  return false;
}

async function read(): Promise<string | null> {
  if (offscreenApi()) {
    const reply = await offscreenCall({ op: 'read' });
    return reply.ok ? (reply.text ?? null) : null;
  }
  if (hasDocument()) return readClipboard();
  return null;
}

// ---- Public API ----------------------------------------------------------------------------------

/** Copies a secret and schedules the clear. Returns when the clipboard is cleared (epoch ms), or null if never. */
export async function copySecret(text: string): Promise<{ clearsAt: number | null }> {
  if (!(await write(text))) throw new ExtensionError('clipboard', translate('ext.error.clipboard'));
  const { clipboardClearMs } = await getSettings();
  if (clipboardClearMs <= 0) {
    await removeLocal(KEY);
    await cancel(TASK);
    await closeOffscreen();
    return { clearsAt: null };
  }
  const salt = crypto.randomUUID();
  const clearsAt = Date.now() + clipboardClearMs;
  const record: CopiedRecord = { salt, digest: await digestOf(text, salt), clearsAt };
  await writeLocal(KEY, record);
  await schedule(TASK, clearsAt);
  return { clearsAt };
}

/**
 * Clears the clipboard if it still holds what we copied. When the browser does not let us read
 * the clipboard, it clears anyway: a stale secret is worse than a lost clipboard entry.
 */
export async function clearIfOurs(): Promise<void> {
  const record = await readLocal<CopiedRecord>(KEY);
  if (!record) return;
  try {
    const current = await read();
    if (current === null || (await digestOf(current, record.salt)) === record.digest) await write('');
  } finally {
    await removeLocal(KEY);
    await closeOffscreen();
  }
}

/** Clears now (lock, explicit request) under the same "only if ours" rule. */
export async function clearNow(): Promise<void> {
  await cancel(TASK);
  await clearIfOurs();
}

defineTask(TASK, clearIfOurs);
