import { html, type TemplateResult } from 'lit';
import { textParts } from './display-text.js';

/**
 * NAS text in a template (see display-text.ts): isolated in `<bdi>`, so a right-to-left or
 * bidi-control name cannot reorder what is around it, with its markers in `.ctl` spans (styled
 * subtly by `tokens`). Lit escapes the text, so markup in it stays text.
 */
export const nasText = (text: string): TemplateResult =>
  html`<bdi>${textParts(text).map((part, i) => (i % 2 ? html`<span class="ctl">${part}</span>` : part))}</bdi>`;
