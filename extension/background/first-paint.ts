/**
 * Keeps the popup's picture for its next opening (shared/first-paint.ts) in storage.session
 * (memory only), and only while the vault is unlocked: every lock forgets it (vault-service.ts),
 * and so does any change the picture could misstate before it runs out (hosts, settings).
 */
import { ExtensionError } from '../shared/errors.js';
import { FIRST_PAINT_KEY, FIRST_PAINT_MAX_AGE_MS, FIRST_PAINT_MAX_CHARS, isFirstPaint, type FirstPaint } from '../shared/first-paint.js';
import { translate } from '../shared/i18n/index.js';
import { removeSession, writeSession } from './store.js';
import { requireUnlocked, vault } from './vault-instance.js';

export function forgetFirstPaint(): Promise<void> {
  return removeSession(FIRST_PAINT_KEY);
}

export async function keepFirstPaint(payload: unknown): Promise<null> {
  if (!isFirstPaint(payload) || JSON.stringify(payload).length > FIRST_PAINT_MAX_CHARS) {
    throw new ExtensionError('bad-request', translate('ext.error.badRequest', 'payload'));
  }
  const unlocked = await requireUnlocked();
  const deadline = await unlocked.deadline();
  // Never shown past the idle lock, however long the popup asked for.
  const validUntil = Math.min(payload.validUntil, Date.now() + FIRST_PAINT_MAX_AGE_MS, deadline ?? Infinity);
  const paint: FirstPaint = { ...payload, validUntil };
  // Kept as one JSON string: reading one string is quicker than a tree of small objects.
  await writeSession(FIRST_PAINT_KEY, JSON.stringify(paint));
  // A lock that came while it was being written has already forgotten it: forget this one too.
  if (!vault().unlocked) await forgetFirstPaint();
  return null;
}
