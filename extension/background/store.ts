/**
 * Typed access to `storage.local` (survives restarts) and `storage.session` (memory only, cleared
 * when the browser closes). Nothing secret is ever written to either: secrets live in the vault.
 */
import browser from 'webextension-polyfill';

export async function readLocal<T>(key: string): Promise<T | undefined> {
  const items = await browser.storage.local.get(key);
  return items[key] as T | undefined;
}

export async function writeLocal(key: string, value: unknown): Promise<void> {
  await browser.storage.local.set({ [key]: value });
}

export async function removeLocal(key: string): Promise<void> {
  await browser.storage.local.remove(key);
}

/** `storage.session` where the browser has it (Chrome 102+, Firefox 115+); falls back to memory. */
const memory = new Map<string, unknown>();
function sessionArea(): browser.Storage.StorageArea | undefined {
  return (browser.storage as { session?: browser.Storage.StorageArea }).session;
}

export async function readSession<T>(key: string): Promise<T | undefined> {
  const area = sessionArea();
  if (!area) return memory.get(key) as T | undefined;
  const items = await area.get(key);
  return items[key] as T | undefined;
}

export async function writeSession(key: string, value: unknown): Promise<void> {
  const area = sessionArea();
  if (!area) memory.set(key, value);
  else await area.set({ [key]: value });
}

export async function removeSession(key: string): Promise<void> {
  const area = sessionArea();
  if (!area) memory.delete(key);
  else await area.remove(key);
}

/** Serialises read-modify-write cycles on one key within this background instance. */
const chains = new Map<string, Promise<unknown>>();
export function serialized<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = chains.get(key) ?? Promise.resolve();
  const next = previous.then(task, task);
  chains.set(
    key,
    next.catch(() => undefined),
  );
  return next;
}
