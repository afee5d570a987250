import { NasEvent } from './nas-event.js';

/**
 * An event whose handler may do async work for the component: call `event.waitUntil(promise)`
 * synchronously in the listener and the component stays busy until the promise settles, showing
 * the rejection's message on failure. When no listener calls it, the component treats the action
 * as done at once.
 */
export abstract class NasAsyncEvent<Detail> extends NasEvent<Detail> {
  private work: Promise<unknown> | null = null;

  /** Lets the component wait for the host's work; call it synchronously inside the listener. */
  waitUntil(promise: Promise<unknown>): void {
    this.work = this.work ? Promise.all([this.work, promise]) : promise;
  }

  /** The work registered through `waitUntil`, or null. */
  get pending(): Promise<unknown> | null {
    return this.work;
  }
}
