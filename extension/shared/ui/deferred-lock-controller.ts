import type { ReactiveControllerHost } from 'lit';

export interface DeferredLockOptions {
  /** True while a new secret is on its way from the NAS or shown in a reveal dialog. */
  holdsSecret(): boolean;
  /** Forgets everything the locked vault made readable (lists, hosts, connections). */
  lock(): void;
}

/**
 * The vault's lock, deferred while a new secret has not reached the user yet: the NAS shows a
 * key once, so a lock (by hand or by the idle deadline) never takes it off the screen. The page
 * keeps showing the secret with a banner (`pending`) and locks once its dialog closes or the
 * call that brings it ends (`release`). Shared by the popup and the full view; it needs no
 * lifecycle hooks, only the host's requestUpdate.
 */
export class DeferredLockController {
  /** The vault has locked, but a secret is still on screen or on its way. */
  pending = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: DeferredLockOptions,
  ) {}

  /** The vault reported locked: lock the page now, or once the secret reached the user. */
  vaultLocked(): void {
    if (this.options.holdsSecret()) this.setPending(true);
    else this.lockNow();
  }

  /** The vault reported unlocked: a lock that waited is void. */
  vaultUnlocked(): void {
    this.setPending(false);
  }

  /** A reveal dialog closed or a secret call ended: a lock that waited for it happens now. */
  readonly release = (): void => {
    if (this.pending && !this.options.holdsSecret()) this.lockNow();
  };

  private lockNow(): void {
    this.setPending(false);
    this.options.lock();
  }

  private setPending(pending: boolean): void {
    if (this.pending === pending) return;
    this.pending = pending;
    this.host.requestUpdate();
  }
}
