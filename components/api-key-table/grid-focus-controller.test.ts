import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LitElement } from 'lit';
import { GridFocusController } from './grid-focus-controller.js';

type Col = 'a' | 'b' | 'c';
const COLUMNS: readonly Col[] = ['a', 'b', 'c'];

/** A bare grid: a header row and `count` body rows, all rendered, tab stop from the controller. */
class GridFocusTestHost extends LitElement {
  count = 5;
  selectedRows: number[] = [];
  readonly grid = new GridFocusController<Col>(this, 'a', {
    header: () => this.renderRoot.querySelector<HTMLElement>('.header'),
    body: () => this.renderRoot.querySelector<HTMLElement>('.body'),
    columns: () => COLUMNS,
    rowCount: () => this.count,
    keyAt: (row) => (row >= 0 && row < this.count ? `k${row}` : null),
    indexOfKey: (key) => (Number(key.slice(1)) < this.count ? Number(key.slice(1)) : -1),
    isRendered: (row) => row >= 0 && row < this.count,
    scrollIntoView: () => {},
    rowHeight: () => 20,
    rtl: () => false,
    select: (row) => {
      this.selectedRows.push(row);
      return true;
    },
  });

  override render() {
    const cells = (row: number) =>
      COLUMNS.map(
        (c) =>
          html`<div role="gridcell" data-col=${c} tabindex=${this.grid.isTabStop(row, c) ? 0 : -1}>${row}${c}${row === 1 && c === 'c'
            ? html`<button data-action="x" tabindex="-1">x</button><button data-action="y" tabindex="-1">y</button>`
            : ''}</div>`,
      );
    return html`<div role="grid" @keydown=${this.grid.onKeydown} @focusin=${this.grid.onFocusin} @focusout=${this.grid.onFocusout}>
      <div class="header"><div role="row" data-row="-1">${cells(-1)}</div></div>
      <div class="body" style="height:100px;overflow:auto">
        ${Array.from({ length: this.count }, (_, i) => html`<div role="row" data-row=${i}>${cells(i)}</div>`)}
      </div>
    </div>`;
  }
}
customElements.define('grid-focus-test-host', GridFocusTestHost);

function focused(el: GridFocusTestHost): string {
  return el.shadowRoot?.activeElement?.textContent ?? '';
}

describe('GridFocusController', () => {
  it('keeps one tab stop and moves it with arrows, Home/End and Ctrl+Home/End', async () => {
    const el = await fixture<GridFocusTestHost>(html`<grid-focus-test-host></grid-focus-test-host>`);
    expect(el.shadowRoot?.querySelectorAll('[tabindex="0"]').length).to.equal(1);
    await el.grid.focus();
    expect(focused(el)).to.equal('-1a');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(focused(el)).to.equal('0b');
    expect([el.grid.row, el.grid.column]).to.deep.equal([0, 'b']);
    await sendKeys({ press: 'End' });
    await el.updateComplete;
    expect(focused(el)).to.equal('0c');
    await sendKeys({ down: 'Control' });
    await sendKeys({ press: 'End' });
    await sendKeys({ up: 'Control' });
    await el.updateComplete;
    expect(focused(el)).to.equal('4c');
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(focused(el)).to.equal('4c');
    expect(el.shadowRoot?.querySelectorAll('[tabindex="0"]').length).to.equal(1);
  });

  it('pages by the rows that fit, and PageUp from the first row goes to the header', async () => {
    const el = await fixture<GridFocusTestHost>(html`<grid-focus-test-host></grid-focus-test-host>`);
    await el.grid.moveTo(0, 'a');
    await sendKeys({ press: 'PageDown' });
    await el.updateComplete;
    // 100 px / 20 px rows, less one: 4 rows.
    expect(el.grid.row).to.equal(4);
    await sendKeys({ press: 'PageUp' });
    await sendKeys({ press: 'PageUp' });
    await el.updateComplete;
    expect(focused(el)).to.equal('-1a');
  });

  it('Enter moves into the row actions, arrows between them, Escape back to the cell; Space selects', async () => {
    const el = await fixture<GridFocusTestHost>(html`<grid-focus-test-host></grid-focus-test-host>`);
    await el.grid.moveTo(1, 'c');
    await sendKeys({ press: 'Enter' });
    expect(focused(el)).to.equal('x');
    await sendKeys({ press: 'ArrowRight' });
    expect(focused(el)).to.equal('y');
    await sendKeys({ press: 'Escape' });
    expect(el.shadowRoot?.activeElement?.getAttribute('data-col')).to.equal('c');
    await sendKeys({ press: ' ' });
    expect(el.selectedRows).to.deep.equal([1]);
  });

  it('follows the focused row by key and puts focus back after a render drops it', async () => {
    const el = await fixture<GridFocusTestHost>(html`<grid-focus-test-host></grid-focus-test-host>`);
    await el.grid.moveTo(3, 'a');
    el.count = 2;
    el.grid.follow();
    el.requestUpdate();
    await el.updateComplete;
    // Row 3 is gone: the focus stays at the nearest position and is back on a cell.
    expect(el.grid.row).to.equal(1);
    expect(focused(el)).to.equal('1a');
  });
});
