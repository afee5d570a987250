/**
 * Base of every component event: bubbles and crosses shadow roots, carries a typed `detail`.
 * Each event is its own subclass in `events/<name>.ts` with a static `eventName` and an entry in
 * `GlobalEventHandlersEventMap`, so `addEventListener('nas-…', e => e.detail)` is typed.
 * "Request" events (the host may veto) are cancelable.
 */
export abstract class NasEvent<Detail> extends Event {
  readonly detail: Detail;

  protected constructor(type: string, detail: Detail, cancelable = false) {
    super(type, { bubbles: true, composed: true, cancelable });
    this.detail = detail;
  }
}
