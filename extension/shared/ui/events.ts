/** Events between the extension's own page elements (not part of the components' public API). */
export class ExtEvent<Detail = undefined> extends Event {
  readonly detail: Detail;
  constructor(type: string, detail: Detail) {
    super(type, { bubbles: true, composed: true });
    this.detail = detail;
  }
}

export const UNLOCKED = 'nkm-unlocked';
export const HOST_SAVED = 'nkm-host-saved';
export const CANCEL = 'nkm-cancel';
