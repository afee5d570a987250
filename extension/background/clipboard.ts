/**
 * Copy a secret, then clear the clipboard after the configured delay, but only if it still holds
 * our value where the browser lets us check (clipboardRead). On Chrome the clipboard is reached
 * through an offscreen document (the service worker has no DOM); on Firefox the background page
 * has a DOM and does it itself. The code path is the same for both.
 *
 * Rules (docs/extension.md, "Clipboard"):
 * - Every copy and clear (copySecret, clearNow, the scheduled clear task, the lock's clear) runs
 *   in ONE queue, one after another, in the order they were asked for.
 * - A copy writes its clear record (per-copy id, salted digest, clearsAt) and schedules the clear
 *   task BEFORE it touches the clipboard; if either fails, nothing is copied and the caller gets
 *   an error saying so. If the clipboard write is refused, the record is taken back.
 * - A clear removes only its own record (by per-copy id).
 * - A clear whose read-back fails (the document threw, was killed, disconnected or did not answer
 *   in time) clears anyway, through a fresh document: a stale secret is worse than a lost
 *   clipboard entry. Only a clipboard that provably holds something else is left alone.
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
import { cancel, deadlineOf, defineTask, schedule } from './scheduler.js';
import { getSettings } from './settings.js';
import { readLocal, removeLocal, writeLocal } from './store.js';
import { clipboardWriteLost } from './test-hooks.js';

const TASK = 'clipboard-clear';
const KEY = 'clipboard.copied';
const OFFSCREEN_PATH = 'offscreen/offscreen.html';
/** How long one request to the offscreen document may take before it counts as failed. */
const OFFSCREEN_TIMEOUT_MS = 4000;
/** A clear that could not write the clipboard is retried this often, this many times. */
const RETRY_MS = 5000;
const MAX_ATTEMPTS = 12;

interface CopiedRecord {
  /** Per-copy id: a clear removes only the record it was started for. */
  id: string;
  salt: string;
  digest: string;
  clearsAt: number;
  /** Failed clear attempts so far (a retry is scheduled after each). */
  attempts?: number;
  /**
   * Digests of values earlier copies put on the clipboard that this copy may not have replaced
   * (its write's outcome was unknown): the clear treats them as ours too, so an earlier secret is
   * not left behind because a newer record no longer knows it.
   */
  earlier?: Array<{ salt: string; digest: string }>;
}

/** At most this many earlier digests are carried (each failed copy adds one). */
const MAX_EARLIER = 8;

/**
 * The values a record stands for: its own and the earlier ones it carries. An empty digest (a
 * damaged or pre-digest record) stands for "whatever is there".
 */
function digestsOf(record: CopiedRecord): Array<{ salt: string; digest: string }> {
  return [{ salt: record.salt, digest: record.digest }, ...(record.earlier ?? [])];
}

/** What a new record carries of the one it replaces (its value may not be replaced yet). */
function earlierOf(previous: CopiedRecord | undefined): Array<{ salt: string; digest: string }> {
  return previous ? digestsOf(previous).slice(0, MAX_EARLIER) : [];
}

async function digestOf(text: string, salt: string): Promise<string> {
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${salt}\u0000${text}`));
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---- The one queue --------------------------------------------------------------------------------

let tail: Promise<unknown> = Promise.resolve();

/** Runs `task` after every copy/clear queued before it (whether those succeeded or not). */
function enqueue<T>(task: () => Promise<T>): Promise<T> {
  const run = tail.then(task, task);
  tail = run.catch(() => undefined);
  return run;
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

function failPending(error: string): void {
  for (const [id, resolve] of pending) resolve({ id, ok: false, error });
  pending.clear();
}

/** onConnect handler for the offscreen port (registered at top level). */
export function acceptOffscreenPort(port: browser.Runtime.Port): void {
  // Only one document exists at a time; a port still held is from one that is gone or going.
  if (offscreenPort && offscreenPort !== port) {
    const old = offscreenPort;
    offscreenPort = null;
    failPending('replaced');
    old.disconnect();
  }
  offscreenPort = port;
  port.onMessage.addListener((message) => {
    const reply = message as OffscreenReply;
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  port.onDisconnect.addListener(() => {
    if (offscreenPort !== port) return;
    offscreenPort = null;
    failPending('disconnected');
  });
  const waiters = portWaiters;
  portWaiters = [];
  for (const resolve of waiters) resolve(port);
}

async function documentExists(api: typeof chrome.offscreen): Promise<boolean> {
  if (typeof chrome.runtime.getContexts === 'function') {
    const contexts = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
    return contexts.length > 0;
  }
  return api.hasDocument ? await api.hasDocument() : false;
}

/** Rejects after `ms` with `message` unless `promise` settles first. */
function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function offscreenDocumentPort(api: typeof chrome.offscreen): Promise<browser.Runtime.Port> {
  if (offscreenPort) return offscreenPort;
  let waiter: ((port: browser.Runtime.Port) => void) | undefined;
  const connected = new Promise<browser.Runtime.Port>((resolve) => {
    waiter = resolve;
    portWaiters.push(resolve);
  });
  // Only one offscreen document may exist: every caller shares one creation.
  creating ??= (async () => {
    // A document left over (from an earlier background instance, or one that stopped answering)
    // has lost its port: replace it.
    if (await documentExists(api)) await api.closeDocument().catch(() => undefined);
    await api.createDocument({
      url: OFFSCREEN_PATH,
      reasons: ['CLIPBOARD'],
      justification: 'Copy API keys to the clipboard and clear them again after the configured delay.',
    });
  })().finally(() => {
    creating = null;
  });
  try {
    await within(creating, OFFSCREEN_TIMEOUT_MS, 'the offscreen document could not be created');
    return await within(connected, OFFSCREEN_TIMEOUT_MS, 'the offscreen document did not connect');
  } finally {
    portWaiters = portWaiters.filter((w) => w !== waiter);
  }
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * One request to the offscreen document. Never hangs: a document that does not answer in time,
 * disconnects or cannot be reached gives `{ ok: false }` (with `sent` telling whether the request
 * may have reached it), and the document is closed so the next request gets a fresh one.
 */
async function offscreenCall(request: WithoutId<OffscreenRequest>): Promise<OffscreenReply & { sent: boolean }> {
  const api = offscreenApi()!;
  let port: browser.Runtime.Port;
  try {
    port = await offscreenDocumentPort(api);
  } catch (error) {
    await closeOffscreen();
    return { id: 0, ok: false, error: reason(error), sent: false };
  }
  const id = nextId++;
  const reply = new Promise<OffscreenReply>((resolve) => pending.set(id, resolve));
  try {
    port.postMessage({ ...request, id });
  } catch (error) {
    // A port whose document has just gone: the request never left.
    pending.delete(id);
    if (offscreenPort === port) offscreenPort = null;
    await closeOffscreen();
    return { id, ok: false, error: reason(error), sent: false };
  }
  const answer = await within(reply, OFFSCREEN_TIMEOUT_MS, 'the offscreen document did not answer in time').catch(
    (error: unknown): OffscreenReply => ({ id, ok: false, error: reason(error) }),
  );
  pending.delete(id);
  // Timed out, disconnected or threw (a plain refusal has no error): the next operation gets a fresh document.
  if (!answer.ok && answer.error !== undefined) await closeOffscreen();
  return { ...answer, sent: true };
}

async function closeOffscreen(): Promise<void> {
  const api = offscreenApi();
  if (!api) return;
  const port = offscreenPort;
  offscreenPort = null;
  if (port) failPending('closed');
  try {
    port?.disconnect();
  } catch {
    // already gone
  }
  if (await documentExists(api).catch(() => true)) await api.closeDocument().catch(() => undefined);
}

// ---- Write / read, per browser ----------------------------------------------------------------

/** `written`; `refused` (the browser said no, nothing changed); `unknown` (it may have been written). */
type WriteOutcome = 'written' | 'refused' | 'unknown';

async function writeOnce(text: string): Promise<WriteOutcome> {
  if (clipboardWriteLost()) return 'unknown';
  if (offscreenApi()) {
    const reply = await offscreenCall({ op: 'write', text });
    if (reply.ok) return 'written';
    // The document answered "refused" (execCommand said no): nothing was written.
    if (reply.error === undefined) return 'refused';
    return reply.sent ? 'unknown' : 'refused';
  }
  if (hasDocument()) {
    try {
      return writeClipboard(text) ? 'written' : 'refused';
    } catch {
      return 'refused';
    }
  }
  return 'refused';
}

/** Writes, and once more through a fresh document if the first try failed. Writing twice is harmless. */
async function write(text: string): Promise<{ ok: boolean; maybeWritten: boolean }> {
  const first = await writeOnce(text);
  if (first === 'written') return { ok: true, maybeWritten: true };
  if (offscreenApi()) await closeOffscreen();
  const second = await writeOnce(text);
  return { ok: second === 'written', maybeWritten: first === 'unknown' || second !== 'refused' };
}

/** What the clipboard holds: its text; `unreadable` (the browser does not let us read); `failed`. */
type ReadOutcome = { kind: 'text'; text: string } | { kind: 'unreadable' } | { kind: 'failed'; error: string };

async function read(): Promise<ReadOutcome> {
  if (offscreenApi()) {
    const reply = await offscreenCall({ op: 'read' });
    if (!reply.ok) return { kind: 'failed', error: reply.error ?? 'failed' };
    return typeof reply.text === 'string' ? { kind: 'text', text: reply.text } : { kind: 'unreadable' };
  }
  if (hasDocument()) {
    try {
      const text = readClipboard();
      return text === null ? { kind: 'unreadable' } : { kind: 'text', text };
    } catch (error) {
      return { kind: 'failed', error: reason(error) };
    }
  }
  return { kind: 'unreadable' };
}

// ---- Records ------------------------------------------------------------------------------------

function isRecord(value: unknown): value is CopiedRecord {
  const r = value as Partial<CopiedRecord> | undefined;
  return !!r && typeof r.salt === 'string' && typeof r.digest === 'string' && typeof r.clearsAt === 'number';
}

function isDigest(value: unknown): value is { salt: string; digest: string } {
  const d = value as { salt?: unknown; digest?: unknown } | null;
  return !!d && typeof d.salt === 'string' && typeof d.digest === 'string';
}

async function currentRecord(): Promise<CopiedRecord | undefined> {
  const value = await readLocal<unknown>(KEY);
  if (value === undefined) return undefined;
  // A record from before per-copy ids (or damaged) still gets cleared: give it an id.
  if (!isRecord(value)) return { id: 'legacy', salt: '', digest: '', clearsAt: 0 };
  const earlier = Array.isArray(value.earlier) ? value.earlier.filter(isDigest) : [];
  return { ...value, id: typeof value.id === 'string' ? value.id : 'legacy', earlier };
}

/** Removes the record only if it is still the one with this id (a newer copy's record stays). */
async function removeRecord(id: string): Promise<void> {
  const stored = await currentRecord();
  if (stored && stored.id !== id) return;
  await removeLocal(KEY);
  await cancel(TASK);
}

/** The error a copy reports when its clear could not be recorded; nothing was copied. */
function notRecorded(error: unknown): ExtensionError {
  const full = /quota/i.test(reason(error));
  return new ExtensionError('clipboard', translate(full ? 'ext.clipboard.error.storageFull' : 'ext.clipboard.error.notRecorded'));
}

/** Puts a previous record (and its deadline) back after a copy that did not happen. */
async function restore(previous: CopiedRecord | undefined, mine: string): Promise<void> {
  try {
    if (previous) {
      await writeLocal(KEY, previous);
      await schedule(TASK, previous.clearsAt);
    } else {
      await removeRecord(mine);
    }
  } catch (error) {
    console.error('[clipboard] could not restore the previous clear record:', reason(error));
    await removeRecord(mine).catch(() => undefined);
  }
}

// ---- Copy and clear (always inside the queue) ------------------------------------------------------

/** `clearsAt` of a copy made with the delay "never": only a lock or an explicit clear clears it. */
const NEVER = Number.MAX_SAFE_INTEGER;

async function copyNow(text: string): Promise<{ clearsAt: number | null }> {
  const { clipboardClearMs } = await getSettings();
  const previous = await currentRecord();
  const salt = crypto.randomUUID();
  const own = { id: crypto.randomUUID(), salt, digest: await digestOf(text, salt) };
  // Until this value is confirmed on the clipboard, the previous one may still be there: its
  // clear time stands if it comes first.
  const previousDeadline = previous && previous.clearsAt !== NEVER ? previous.clearsAt : NEVER;

  if (clipboardClearMs <= 0) {
    // "Never": no timed clear, but a record without a deadline, so a lock still clears our value.
    // A previous copy's record stays until this one is on the clipboard.
    const result = await write(text);
    if (!result.ok && !result.maybeWritten) throw new ExtensionError('clipboard', translate('ext.error.clipboard'));
    // Written: this value alone, no deadline. Not confirmed: it stands for the previous value too,
    // which keeps its own deadline.
    const record: CopiedRecord = result.ok ? { ...own, clearsAt: NEVER, earlier: [] } : { ...own, clearsAt: previousDeadline, earlier: earlierOf(previous) };
    await writeLocal(KEY, record).catch(() => undefined);
    if (record.clearsAt === NEVER) await cancel(TASK);
    else await schedule(TASK, record.clearsAt).catch(() => undefined);
    if (offscreenApi()) await closeOffscreen();
    if (!result.ok) throw new ExtensionError('clipboard', translate('ext.error.clipboard'));
    return { clearsAt: null };
  }

  const clearsAt = Date.now() + clipboardClearMs;
  const record: CopiedRecord = { ...own, clearsAt: Math.min(clearsAt, previousDeadline), earlier: earlierOf(previous) };
  // 1. Record and schedule the clear. If either fails, nothing is copied.
  try {
    await writeLocal(KEY, record);
  } catch (error) {
    throw notRecorded(error);
  }
  try {
    await schedule(TASK, record.clearsAt);
  } catch (error) {
    await restore(previous, record.id);
    throw notRecorded(error);
  }
  // 2. Only now the clipboard.
  const result = await write(text);
  if (result.ok) {
    // Written: the previous value is gone, so the record stands for this one, at its own time.
    // (If storing that fails, the earlier time stands: cleared sooner, never later.)
    if (record.clearsAt !== clearsAt || record.earlier?.length) {
      const confirmed: CopiedRecord = { ...record, clearsAt, earlier: [] };
      await writeLocal(KEY, confirmed)
        .then(() => schedule(TASK, clearsAt))
        .catch(() => undefined);
    }
    return { clearsAt };
  }
  // Provably not written: take the record back (the previous copy's clear stands).
  if (!result.maybeWritten) await restore(previous, record.id);
  // May have been written (or not): the record stays, standing for both values at the earlier
  // time; the caller is told the copy failed.
  throw new ExtensionError('clipboard', translate('ext.error.clipboard'));
}

/**
 * Clears the clipboard for `record` if it still holds that value; a failed read clears anyway.
 * Returns false when the clipboard could not be written (the caller retries).
 */
async function clearFor(record: CopiedRecord): Promise<boolean> {
  const current = await read();
  if (current.kind === 'text') {
    const digests = digestsOf(record);
    // A damaged or pre-digest record (an empty digest) clears whatever is there.
    if (!digests.some((d) => d.digest === '')) {
      const text = current.text;
      const ours = await Promise.all(digests.map(async (d) => (await digestOf(text, d.salt)) === d.digest));
      if (!ours.includes(true)) return true; // someone else's text
    }
  }
  if (current.kind === 'failed') console.warn('[clipboard] could not read the clipboard back; clearing it anyway:', current.error);
  // `write` closes a failed document first, so the empty string goes through a fresh one.
  return (await write('')).ok;
}

async function clearRecord(record: CopiedRecord): Promise<void> {
  let cleared = false;
  try {
    cleared = await clearFor(record);
  } finally {
    if (cleared) {
      await removeRecord(record.id);
    } else {
      const attempts = (record.attempts ?? 0) + 1;
      if (attempts >= MAX_ATTEMPTS) {
        console.error(`[clipboard] the clipboard could not be cleared after ${attempts} attempts; giving up`);
        await removeRecord(record.id);
      } else {
        const retry: CopiedRecord = { ...record, attempts, clearsAt: Date.now() + RETRY_MS };
        await writeLocal(KEY, retry).catch(() => undefined);
        await schedule(TASK, retry.clearsAt).catch(() => undefined);
      }
    }
    await closeOffscreen();
  }
}

/** The scheduled clear: clears the current record if it is due (a newer copy's record is not). */
async function scheduledClear(): Promise<void> {
  const record = await currentRecord();
  if (!record || record.clearsAt === NEVER) return;
  if (record.clearsAt > Date.now() + 50) {
    // Fired for an earlier copy that a newer one replaced: the newer one keeps its own time.
    if ((await deadlineOf(TASK)) !== record.clearsAt) await schedule(TASK, record.clearsAt);
    return;
  }
  await clearRecord(record);
}

// ---- Public API ----------------------------------------------------------------------------------

/**
 * Copies a secret and schedules the clear (queued behind every earlier copy and clear). Returns
 * when the clipboard is cleared (epoch ms), or null if never. Throws an ExtensionError with a
 * translated message when nothing was copied.
 */
export function copySecret(text: string): Promise<{ clearsAt: number | null }> {
  return enqueue(() => copyNow(text));
}

/**
 * Clears now (lock, explicit request), queued like a copy: only if the clipboard still holds our
 * value; when it cannot be read back it is cleared anyway.
 */
export function clearNow(): Promise<void> {
  return enqueue(async () => {
    const record = await currentRecord();
    if (!record) {
      await cancel(TASK);
      return;
    }
    await clearRecord(record);
  });
}

defineTask(TASK, () => enqueue(scheduledClear));
