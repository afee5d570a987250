/**
 * App data that names hosts, users or keys (the saved-host list, cached key lists and
 * capabilities) is kept in `storage.local` sealed under the vault's data key: a profile copy shows
 * ciphertext, and a locked extension cannot read it (the popup shows the unlock screen, not the
 * list). The storage key doubles as the seal label, so a blob moved to another key does not open.
 *
 * Reads and writes need the vault unlocked (`locked` otherwise). A blob that does not open (from
 * another vault, or damaged) reads as absent: every sealed value is a cache or is rebuilt by the
 * user, and the vault itself holds the secrets.
 */
import { VaultTamperedError } from '../vault/errors.js';
import { readLocal, removeLocal, writeLocal } from './store.js';
import { requireUnlocked } from './vault-instance.js';

function isSealed(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { v?: unknown }).v === 1 && typeof (value as { iv?: unknown }).iv === 'string' && typeof (value as { ct?: unknown }).ct === 'string';
}

export async function readSealed<T>(key: string): Promise<T | undefined> {
  const vault = await requireUnlocked();
  const blob = await readLocal<unknown>(key);
  if (blob === undefined) return undefined;
  if (!isSealed(blob)) {
    // Written in clear by a version before sealing: seal it now, so nothing is lost on upgrade.
    await writeSealed(key, blob);
    return blob as T;
  }
  try {
    return (await vault.open(key, blob)) as T;
  } catch (error) {
    if (error instanceof VaultTamperedError) return undefined;
    throw error;
  }
}

/** Seals and writes `value`; returns the stored size in characters (for the cache budget). */
export async function writeSealed(key: string, value: unknown): Promise<number> {
  const vault = await requireUnlocked();
  const blob = await vault.seal(key, value);
  await writeLocal(key, blob);
  return blob.ct.length + blob.iv.length;
}

export async function removeSealed(key: string): Promise<void> {
  await removeLocal(key);
}
