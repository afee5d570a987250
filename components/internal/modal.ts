import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What asked a dialog to close. */
export type CloseSource = 'escape' | 'backdrop' | 'button';

/** The focused element, looking through open shadow roots. */
export function deepActiveElement(root: Document | ShadowRoot = document): Element | null {
  let active = root.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

function isTabbable(element: HTMLElement): boolean {
  if (element.tabIndex < 0 || element.inert || element.hasAttribute('disabled')) return false;
  if (element instanceof HTMLInputElement && element.type === 'hidden') return false;
  return element.checkVisibility();
}

/** Tabbable elements under `root` in composed-tree order (into shadow roots and slots). */
export function tabbableElements(root: Element): HTMLElement[] {
  const found: HTMLElement[] = [];
  const visit = (element: Element): void => {
    if (element instanceof HTMLElement && isTabbable(element)) found.push(element);
    if (element.shadowRoot) {
      for (const child of element.shadowRoot.children) visit(child);
    } else if (element instanceof HTMLSlotElement) {
      for (const assigned of element.assignedElements({ flatten: true })) visit(assigned);
    } else {
      for (const child of element.children) visit(child);
    }
  };
  for (const child of root.children) visit(child);
  return found;
}

export interface ModalOptions {
  /** Called for Esc, a backdrop click or a `[data-close]` button; the host decides whether to close. */
  requestClose(source: CloseSource): void;
  /** Called when the browser closed the dialog on its own (e.g. a second Esc Chromium will not let us veto). */
  closedByBrowser?(): void;
}

/**
 * Drives a native `<dialog>` as a modal: `showModal()` (page inert, top layer), Esc and backdrop
 * clicks routed to the host so it can veto or confirm, Tab kept inside the dialog (Chromium
 * otherwise lets it wander to the browser UI once per cycle), and focus returned to the trigger.
 * It listens on the `<dialog>` itself once the host has rendered it; the template binds nothing.
 */
export class ModalController implements ReactiveController {
  #trigger: HTMLElement | null = null;
  /** Set while a close we asked for has not yet fired its `close` event (which is queued). */
  #expectClose = false;
  /** The `<dialog>` the listeners are on (a re-render may replace it). */
  #listening: HTMLDialogElement | null = null;

  readonly #dialog: () => HTMLDialogElement | null | undefined;
  readonly #options: ModalOptions;

  constructor(host: ReactiveControllerHost & HTMLElement, dialog: () => HTMLDialogElement | null | undefined, options: ModalOptions) {
    this.#dialog = dialog;
    this.#options = options;
    host.addController(this);
  }

  get isOpen(): boolean {
    return this.#dialog()?.open ?? false;
  }

  /** Opens the dialog. `trigger` gets focus back on close; defaults to whatever has focus now. */
  show(trigger?: Element | null): void {
    const dialog = this.#dialog();
    if (!dialog) throw new Error('The dialog has not rendered yet; await updateComplete before show().');
    const from = trigger ?? deepActiveElement();
    // The body is not a trigger (nothing was focused); close() then uses its fallback.
    this.#trigger = from instanceof HTMLElement && from !== document.body && !dialog.contains(from) ? from : null;
    if (!dialog.open) dialog.showModal();
  }

  /** Closes the dialog and returns focus to the trigger (or to `fallback` when the trigger is gone). */
  close(fallback?: HTMLElement | null): void {
    const dialog = this.#dialog();
    const trigger = this.#trigger;
    this.#trigger = null;
    if (dialog?.open) {
      this.#expectClose = true;
      dialog.close();
    }
    const target = trigger?.isConnected ? trigger : fallback;
    target?.focus();
  }

  hostUpdated(): void {
    const dialog = this.#dialog();
    if (!dialog || dialog === this.#listening) return;
    this.#listening = dialog;
    dialog.addEventListener('keydown', this.#onKeydown);
    dialog.addEventListener('cancel', this.#onCancel);
    dialog.addEventListener('click', this.#onClick);
    dialog.addEventListener('close', this.#onClose);
  }

  hostDisconnected(): void {
    this.#trigger = null;
    const dialog = this.#dialog();
    if (dialog?.open) {
      this.#expectClose = true;
      dialog.close();
    }
  }

  /** The element that opened the dialog, if it is still in the page. */
  get triggerElement(): HTMLElement | null {
    return this.#trigger?.isConnected ? this.#trigger : null;
  }

  readonly #onKeydown = (event: KeyboardEvent): void => {
    const dialog = this.#dialog();
    if (!dialog || event.defaultPrevented) return;
    if (event.key === 'Escape') {
      // Handling Esc on keydown keeps the veto ours: Chromium stops honouring a prevented
      // `cancel` after the first one.
      event.preventDefault();
      event.stopPropagation();
      this.#options.requestClose('escape');
    } else if (event.key === 'Tab') {
      const items = tabbableElements(dialog);
      if (items.length === 0) return;
      const active = deepActiveElement();
      const first = items[0]!;
      const last = items[items.length - 1]!;
      if (event.shiftKey && (active === first || active === dialog)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && active === last) {
        event.preventDefault();
        first.focus();
      }
    }
  };

  readonly #onCancel = (event: Event): void => {
    if (!event.cancelable) return;
    event.preventDefault();
    this.#options.requestClose('escape');
  };

  readonly #onClick = (event: MouseEvent): void => {
    const dialog = this.#dialog();
    if (!dialog || event.target !== dialog) return;
    const box = dialog.getBoundingClientRect();
    const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
    // Keyboard "clicks" have no coordinates (0,0) and never count as backdrop clicks.
    if (!inside && event.detail > 0) this.#options.requestClose('backdrop');
  };

  readonly #onClose = (): void => {
    const expected = this.#expectClose;
    this.#expectClose = false;
    if (expected || this.#dialog()?.open) return;
    this.#options.closedByBrowser?.();
  };
}
