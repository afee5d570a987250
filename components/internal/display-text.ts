/**
 * Display text for text a NAS wrote: key names, owners, revocation reasons (and host names the
 * user typed). A hostile or odd NAS can send anything, so nothing in it may hide or reorder
 * itself: `backup-\u202Etxt.exe\u202C-job` must not read as `backup-exe.txt-job`. Pure string
 * code (no Lit, no DOM), so the extension uses it too, down to its plain-text notifications.
 *
 * Every character that draws nothing or moves text becomes its code point as a JavaScript escape,
 * `\u{202e}`: controls (C0, DEL, C1), every format character (bidi controls U+061C, U+200E/F,
 * U+202A-U+202E, U+2066-U+2069; U+200B-U+200D, U+2060, U+FEFF, U+00AD, …), the line and
 * paragraph separators, lone surrogates. One notation for all of them, not Control Pictures:
 * those exist only for C0 and DEL (bidi and format characters would still need another form),
 * are tiny glyphs many fonts lack, and `\u{9}` names the exact character to look up or type.
 * Components render the markers in a styled span and the text in `<bdi>`; in a sentence,
 * {@link isolate} wraps the text in FSI…PDI (its own FSI/PDI became markers, so it cannot
 * close the isolate early).
 */
const HIDDEN = /([\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}])/u;

/** The text split at hidden characters: even indexes are text as given, odd ones markers. */
export const textParts = (text: string): string[] => text.split(HIDDEN).map((part, i) => (i % 2 ? `\\u{${part.codePointAt(0)!.toString(16)}}` : part));

/** The text with every hidden character as a visible marker. */
export const displayText = (text: string): string => textParts(text).join('');

/** Display text for a sentence: isolated in FSI…PDI, so it cannot reorder the words around it. */
export const isolate = (text: string): string => `\u2068${displayText(text)}\u2069`;

/** True for a name that shows nothing: empty or only white space (it needs a stand-in). */
export const isBlank = (text: string): boolean => text.trim() == '';
