import { unsafeCSS, type CSSResult } from 'lit';

/** The one cascade layer every component's shadow styles sit in. */
export const LAYER = 'nas-component';

/**
 * A component's styles, in order, inside the `nas-component` cascade layer: a subclass's or an
 * adopted unlayered sheet (`static styles = [ApiKeyTable.styles, css`…`]`) wins over ours without
 * specificity games, and every component layers the same way. Only our own static CSS goes in.
 */
export function layered(...sheets: CSSResult[]): CSSResult {
  return unsafeCSS(`@layer ${LAYER} {\n${sheets.map((sheet) => sheet.cssText).join('\n')}\n}`);
}
