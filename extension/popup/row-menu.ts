import { css, html, nothing } from 'lit';
import { property, query, queryAll, state } from 'lit/decorators.js';
import { controls, tokens, icon, type IconName } from '../../components/kit.js';
import { ExtElement } from '../shared/ui/ext-element.js';
import { ExtEvent } from '../shared/ui/events.js';

export type RowAction = 'quick-reset' | 'copy' | 'edit' | 'reset' | 'delete';

export interface RowMenuItem {
  action: RowAction;
  label: string;
  /** Tooltip and description: what the item does beyond its label. */
  hint: string;
  icon: IconName;
  /** Shown but not usable (e.g. no vault entry to copy); `hint` says why. */
  disabled?: boolean;
}

/** Fired with the chosen action; the menu has closed and focus is back on its button. */
export const ROW_ACTION = 'nkm-row-action';

/**
 * A row's kebab menu, following the WAI-ARIA menu button pattern: Enter, Space or Down opens it
 * on the first item, Up on the last; Up/Down/Home/End move (wrapping), Escape and Tab close it,
 * Escape returning focus to the button; a click outside closes it.
 */
export class NkmRowMenu extends ExtElement {
  static override styles = [
    tokens,
    controls,
    css`
      :host {
        display: inline-block;
        position: relative;
      }
      /* "Edit…" keeps its ellipsis at its end when English shows in a right-to-left page. */
      .item-label {
        unicode-bidi: plaintext;
      }
      [role='menu'] {
        position: absolute;
        inset-inline-end: 0;
        z-index: 2;
        min-inline-size: 12rem;
        max-inline-size: min(18rem, calc(100vw - 2rem));
        margin: 0;
        padding: var(--_space-1);
        list-style: none;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_raised);
        box-shadow: var(--_shadow-raised);
      }
      [role='menu'].up {
        inset-block-end: 100%;
      }
      [role='menuitem'] {
        display: flex;
        inline-size: 100%;
        justify-content: flex-start;
        text-align: start;
        white-space: normal;
      }
      [role='menuitem'][data-action='quick-reset'] {
        font-weight: var(--_weight-strong);
      }
      [role='menuitem'][data-action='delete']:not([aria-disabled='true']) {
        color: var(--_danger);
      }
    `,
  ];

  /** The button's accessible name, e.g. "Actions for backup". */
  @property() label = '';
  @property({ attribute: false }) items: RowMenuItem[] = [];
  @state() private open = false;
  /** Opens upwards when there is no room below (the popup is at most 600 px tall). */
  @state() private up = false;
  @query('button[name="row-menu"]') private button!: HTMLButtonElement;
  @queryAll('[role="menuitem"]') private menuItems!: NodeListOf<HTMLButtonElement>;

  private readonly outside = (event: Event): void => {
    if (!event.composedPath().includes(this)) this.close(false);
  };

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('pointerdown', this.outside, true);
  }

  private async show(focus: 'first' | 'last'): Promise<void> {
    const rect = this.getBoundingClientRect();
    this.up = window.innerHeight - rect.bottom < 44 * this.items.length + 16 && rect.top > window.innerHeight - rect.bottom;
    this.open = true;
    document.addEventListener('pointerdown', this.outside, true);
    await this.updateComplete;
    const items = [...this.menuItems];
    (focus === 'first' ? items[0] : items.at(-1))?.focus();
  }

  private close(restoreFocus: boolean): void {
    if (!this.open) return;
    this.open = false;
    document.removeEventListener('pointerdown', this.outside, true);
    if (restoreFocus) this.button.focus();
  }

  private onButtonKey(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      void this.show(event.key === 'ArrowDown' ? 'first' : 'last');
    }
  }

  private onMenuKey(event: KeyboardEvent): void {
    const items = [...this.menuItems];
    const index = items.indexOf(this.renderRoot.querySelector<HTMLButtonElement>('[role="menuitem"]:focus') ?? items[0]!);
    const move = (to: number): void => {
      event.preventDefault();
      items[(to + items.length) % items.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowUp') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(items.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.close(true);
    } else if (event.key === 'Tab') this.close(true); // focus back on the button first, so Tab moves on from the row
  }

  private choose(item: RowMenuItem): void {
    if (item.disabled) return;
    this.close(true);
    this.dispatchEvent(new ExtEvent(ROW_ACTION, item.action));
  }

  override render() {
    return html`<button
        type="button"
        name="row-menu"
        class="quiet icon-only"
        aria-haspopup="menu"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="menu"
        aria-label=${this.label}
        title=${this.label}
        @click=${() => (this.open ? this.close(true) : void this.show('first'))}
        @keydown=${this.onButtonKey}
      >
        ${icon('more')}
      </button>
      ${this.open
        ? html`<div role="menu" id="menu" class=${this.up ? 'up' : ''} aria-label=${this.label} @keydown=${this.onMenuKey}>
            ${this.items.map(
              (item) => html`<button
                type="button"
                role="menuitem"
                class="quiet"
                tabindex="-1"
                data-action=${item.action}
                title=${item.hint}
                aria-describedby=${`hint-${item.action}`}
                aria-disabled=${item.disabled ? 'true' : nothing}
                @click=${() => this.choose(item)}
              >
                ${icon(item.icon)}<span class="item-label">${item.label}</span><span id=${`hint-${item.action}`} hidden>${item.hint}</span>
              </button>`,
            )}
          </div>`
        : nothing}`;
  }
}
