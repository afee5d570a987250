import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiKeyRow } from '../model/api-key.js';
import { deepActiveElement } from '../internal/modal.js';

/**
 * The row-actions menu of a narrow table (ARIA menu button pattern): one `popover` menu for the
 * whole table, in the top layer so the row's clipping cannot cut it. Opening focuses the first
 * item (ArrowUp: the last); arrows, Home and End move; Esc closes and returns focus to the menu
 * button; Tab closes and moves on from the button; a click outside closes it (light dismiss).
 */
export class RowMenuController implements ReactiveController {
  /** The row the menu is open for. */
  row: ApiKeyRow | null = null;

  readonly #host: ReactiveControllerHost;
  readonly #menu: () => HTMLElement | null | undefined;
  #trigger: HTMLElement | null = null;

  constructor(host: ReactiveControllerHost, menu: () => HTMLElement | null | undefined) {
    this.#host = host;
    this.#menu = menu;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.close(false);
  }

  get trigger(): HTMLElement | null {
    return this.#trigger;
  }

  async open(trigger: HTMLElement, row: ApiKeyRow, focus: 'first' | 'last'): Promise<void> {
    this.#trigger = trigger;
    this.row = row;
    this.#host.requestUpdate();
    await this.#host.updateComplete;
    const menu = this.#menu();
    if (!menu) return;
    if (!menu.matches(':popover-open')) menu.showPopover();
    place(menu, trigger);
    const items = this.#items();
    (focus === 'first' ? items[0] : items[items.length - 1])?.focus();
  }

  /** Closes the menu; `returnFocus` puts focus back on its button. */
  close(returnFocus: boolean): void {
    const menu = this.#menu();
    const trigger = this.#trigger;
    this.#trigger = null;
    if (this.row === null) return;
    this.row = null;
    if (menu?.matches(':popover-open')) menu.hidePopover();
    this.#host.requestUpdate();
    if (returnFocus && trigger?.isConnected) trigger.focus();
  }

  /** The browser closed it (a click outside, Esc): forget the row; focus returns unless the click put it elsewhere. */
  readonly onToggle = (event: Event): void => {
    if ((event as ToggleEvent).newState !== 'closed' || this.row === null) return;
    const menu = this.#menu();
    const focused = deepActiveElement();
    this.close(focused === null || focused === document.body || (menu?.contains(focused) ?? false));
  };

  readonly onKeydown = (event: KeyboardEvent): void => {
    const items = this.#items();
    const at = items.indexOf(event.target as HTMLElement);
    let next: HTMLElement | undefined;
    switch (event.key) {
      case 'ArrowDown':
        next = items[(at + 1) % items.length];
        break;
      case 'ArrowUp':
        next = items[(at - 1 + items.length) % items.length];
        break;
      case 'Home':
        next = items[0];
        break;
      case 'End':
        next = items[items.length - 1];
        break;
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        this.close(true);
        return;
      case 'Tab': {
        // Tab goes on from the button's cell (the grid's tab stop) to what follows the grid. The
        // menu closes only after the move: hiding it first would leave Chromium's starting point
        // in a hidden node, and Tab would restart at the top of the component.
        (this.#trigger?.closest<HTMLElement>('[data-col]') ?? this.#trigger)?.focus({ preventScroll: true });
        setTimeout(() => this.close(false));
        return;
      }
      default:
        return;
    }
    event.preventDefault();
    next?.focus();
  };

  #items(): HTMLElement[] {
    return [...(this.#menu()?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  }
}

/** Below the button, aligned with its inline end; above it or shifted when the viewport is short. */
function place(menu: HTMLElement, trigger: HTMLElement): void {
  const button = trigger.getBoundingClientRect();
  const box = menu.getBoundingClientRect();
  const rtl = getComputedStyle(trigger).direction === 'rtl';
  const left = rtl ? button.left : button.right - box.width;
  const below = button.bottom + 4;
  const top = below + box.height > innerHeight && button.top - box.height - 4 >= 0 ? button.top - box.height - 4 : below;
  menu.style.left = `${Math.max(4, Math.min(left, innerWidth - box.width - 4))}px`;
  menu.style.top = `${Math.max(4, Math.min(top, innerHeight - box.height - 4))}px`;
}
