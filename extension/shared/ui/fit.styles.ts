import { css } from 'lit';

/**
 * Keeps a page element within its width (issue 10: no sideways scrolling at 320 px and up): grid
 * columns may shrink below their content's min-content size, and native controls, whose intrinsic
 * width is their longest option or file name, never grow past their column.
 */
export const fitStyles = css`
  :host {
    min-inline-size: 0;
  }

  .stack,
  .card,
  ul.plain,
  label.field,
  fieldset {
    grid-template-columns: minmax(0, 1fr);
  }

  /* A fieldset is at least as wide as its content unless told otherwise. */
  fieldset {
    min-inline-size: 0;
  }

  .row > * {
    min-inline-size: 0;
  }

  select,
  textarea,
  input:not([type='checkbox'], [type='radio']) {
    max-inline-size: 100%;
  }
`;
