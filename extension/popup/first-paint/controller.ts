/**
 * The popup app's side of the first paint (shared/first-paint.ts): once the app has rendered what
 * this opening shows, it takes the first paint away; whenever it shows the key list as a new
 * opening would, it sends a fresh picture to the background (at most every few hundred ms; the
 * capture code is a chunk of its own, loaded then, off the opening's path).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FIRST_PAINT_ID } from '../../shared/first-paint.js';
import { call } from '../../shared/messaging.js';

export interface FirstPaintSource {
  /** Whether the app shows what this opening will show (a list, the lock screen, an error), not "Loading". */
  settled(): boolean;
  /** What the next opening should paint first, or null if the app shows anything else now. */
  picture(): { selected: string; validUntil: number; ready: Promise<unknown> } | null;
}

const CAPTURE_DELAY_MS = 400;

export class FirstPaintController implements ReactiveController {
  private handedOver = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly source: FirstPaintSource,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    if (!this.handedOver && this.source.settled()) {
      this.handedOver = true;
      void this.handOver();
    }
    clearTimeout(this.timer);
    if (this.source.picture()) this.timer = setTimeout(() => void this.send(), CAPTURE_DELAY_MS);
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  /** Removes the first paint once the app's own rendering is on screen underneath it. */
  private async handOver(): Promise<void> {
    await this.source.picture()?.ready;
    await new Promise((resolve) => requestAnimationFrame(resolve));
    document.getElementById(FIRST_PAINT_ID)?.remove();
  }

  private async send(): Promise<void> {
    const wanted = this.source.picture();
    if (!wanted) return;
    await wanted.ready;
    // Asked again: the state may have changed while the list rendered.
    const { capture } = await import('./capture.js');
    const still = this.source.picture();
    const paint = still && capture(this.host, still.selected, still.validUntil);
    // Best effort: without a picture the next opening renders as it always did.
    if (paint) await call('popup.firstPaint', paint).catch(() => undefined);
  }
}
