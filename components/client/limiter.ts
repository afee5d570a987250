/**
 * Client-side login limiter. TrueNAS allows 20 unauthenticated calls per method and IP per
 * minute and then locks the client out for minutes, and it delays failed logins; a client that
 * retries blindly (reconnect loops, several tabs) would lock the user out. So every login attempt
 * to a host first takes a slot here: at most `maxAttempts` per sliding `windowMs`.
 */
export interface LoginLimiterOptions {
  /** Attempts allowed per host per window (default 5). */
  maxAttempts?: number;
  /** Window length in ms (default 60,000). */
  windowMs?: number;
  /** Clock (tests). */
  now?: () => number;
}

export class LoginLimiter {
  readonly maxAttempts: number;
  readonly windowMs: number;
  readonly #now: () => number;
  readonly #attempts = new Map<string, number[]>();

  constructor(options: LoginLimiterOptions = {}) {
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 5));
    this.windowMs = Math.max(1, options.windowMs ?? 60_000);
    this.#now = options.now ?? Date.now;
  }

  /** Takes a slot for `host`; returns 0 on success, else the ms to wait before a slot frees. */
  tryAcquire(host: string): number {
    const now = this.#now();
    const recent = (this.#attempts.get(host) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.maxAttempts) {
      this.#attempts.set(host, recent);
      return Math.max(1, recent[0]! + this.windowMs - now);
    }
    recent.push(now);
    this.#attempts.set(host, recent);
    return 0;
  }

  /** Forgets a host's attempts (e.g. after the user changed its address). */
  reset(host?: string): void {
    if (host === undefined) this.#attempts.clear();
    else this.#attempts.delete(host);
  }
}

/** The limiter clients share by default, so separate clients to one host count together. */
export const defaultLoginLimiter = new LoginLimiter();
