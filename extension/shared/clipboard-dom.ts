/**
 * Clipboard access from a document without focus (Chrome's offscreen document, Firefox's
 * background page). `navigator.clipboard` needs a focused document, so this uses
 * `execCommand('copy'|'paste')` with the clipboardWrite/clipboardRead permissions, and the
 * copy/paste events so an empty string can be written too.
 */

/** Writes `text` (may be empty) to the clipboard. Returns false when the browser refused. */
export function writeClipboard(text: string): boolean {
  let written = false;
  const onCopy = (event: ClipboardEvent): void => {
    if (!event.clipboardData) return;
    event.clipboardData.setData('text/plain', text);
    event.preventDefault();
    written = true;
  };
  document.addEventListener('copy', onCopy, true);
  try {
    return document.execCommand('copy') && written;
  } finally {
    document.removeEventListener('copy', onCopy, true);
  }
}

/** Reads the clipboard text, or null when the browser does not allow reading it here. */
export function readClipboard(): string | null {
  const area = document.createElement('textarea');
  document.body.append(area);
  area.focus();
  let text: string | null = null;
  const onPaste = (event: ClipboardEvent): void => {
    text = event.clipboardData?.getData('text/plain') ?? null;
    event.preventDefault();
  };
  document.addEventListener('paste', onPaste, true);
  try {
    if (!document.execCommand('paste')) return null;
    return text ?? area.value;
  } catch {
    return null;
  } finally {
    document.removeEventListener('paste', onPaste, true);
    area.remove();
  }
}
