import { fieldError } from './errors.js';
import { translate } from './i18n/index.js';

/** User settings (non-secret), kept in `storage.local`. */
export interface Settings {
  /** Minutes of inactivity before the vault locks itself; 0 = only on browser restart or "Lock". */
  autoLockMinutes: number;
  /** Milliseconds after a copy before the clipboard is cleared; 0 = never. */
  clipboardClearMs: number;
  /** Show browser notifications for revoked and expiring keys (needs the optional permission). */
  notifications: boolean;
  /** Keys expiring within this many days count as "expiring" (badge, filters). */
  expiringDays: number;
}

export const DEFAULT_SETTINGS: Settings = {
  autoLockMinutes: 15,
  clipboardClearMs: 30_000,
  notifications: false,
  expiringDays: 14,
};

/** Choices the options page offers (minutes). */
export const AUTO_LOCK_CHOICES = [1, 5, 15, 30, 60, 240, 0] as const;
/** Choices the options page offers (milliseconds). */
export const CLIPBOARD_CLEAR_CHOICES = [10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 0] as const;

function wholeNumber(value: unknown, field: keyof Settings, min: number, max: number, message: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw fieldError(field, message);
  return value;
}

/**
 * Validates a partial update against the current settings and returns the merged result.
 * The clipboard delay accepts any value from 1 s (tests use short delays) or 0 for never.
 */
export function mergeSettings(current: Settings, update: Partial<Record<keyof Settings, unknown>>): Settings {
  const next = { ...current };
  for (const [key, value] of Object.entries(update)) {
    switch (key as keyof Settings) {
      case 'autoLockMinutes':
        next.autoLockMinutes = wholeNumber(value, 'autoLockMinutes', 0, 24 * 60, translate('ext.settings.error.autoLock'));
        break;
      case 'clipboardClearMs': {
        const ms = wholeNumber(value, 'clipboardClearMs', 0, 3_600_000, translate('ext.settings.error.clipboard'));
        if (ms !== 0 && ms < 1000) throw fieldError('clipboardClearMs', translate('ext.settings.error.clipboard'));
        next.clipboardClearMs = ms;
        break;
      }
      case 'notifications':
        if (typeof value !== 'boolean') throw fieldError('notifications', translate('ext.settings.error.notifications'));
        next.notifications = value;
        break;
      case 'expiringDays':
        next.expiringDays = wholeNumber(value, 'expiringDays', 1, 365, translate('ext.settings.error.expiringDays'));
        break;
      default:
        throw fieldError(key, translate('ext.settings.error.unknown', key));
    }
  }
  return next;
}

/** Reads stored settings leniently: anything invalid falls back to its default. */
export function settingsFromStorage(stored: unknown): Settings {
  const out = { ...DEFAULT_SETTINGS };
  if (typeof stored !== 'object' || stored === null) return out;
  for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>) {
    try {
      Object.assign(out, mergeSettings(out, { [key]: (stored as Record<string, unknown>)[key] }));
    } catch {
      // keep the default for this key
    }
  }
  return out;
}
