/**
 * A small, hand-written passphrase strength estimate for the hint under the "new passphrase" field.
 * It is a nudge, not a guarantee: it counts length, character variety and words, and discounts
 * repeats (`aaaa`, `abcabcabc`). The advice it backs is always the same: 4 or more random words.
 */
export type PassphraseStrength = 'none' | 'weak' | 'fair' | 'strong';

/** The length of the shortest unit that the text repeats (`abcabcab` → 3), or the text's length. */
function period(chars: readonly string[]): number {
  outer: for (let p = 1; p < chars.length; p++) {
    for (let i = p; i < chars.length; i++) if (chars[i] !== chars[i - p]) continue outer;
    return p;
  }
  return chars.length;
}

/** Rough bits of guessing work, from the effective length and the character pool. */
export function passphraseBits(text: string): number {
  const chars = [...text.normalize('NFC')];
  if (chars.length === 0) return 0;
  // Runs of one character count once; a repeated unit counts once.
  let runs = 0;
  for (let i = 0; i < chars.length; i++) if (i === 0 || chars[i] !== chars[i - 1]) runs++;
  const effective = Math.min(runs, period(chars));
  let pool = 0;
  if (/\p{Ll}/u.test(text)) pool += 26;
  if (/\p{Lu}/u.test(text)) pool += 26;
  if (/\p{Nd}/u.test(text)) pool += 10;
  if (/[^\p{L}\p{Nd}]/u.test(text)) pool += 33;
  if (chars.some((c) => c.codePointAt(0)! > 0x7f)) pool += 50;
  const distinct = new Set(chars.map((c) => c.toLowerCase())).size;
  // Few distinct characters shrink the real pool whatever the classes say.
  return effective * Math.log2(Math.max(2, Math.min(pool, distinct * 3)));
}

export function passphraseStrength(text: string): PassphraseStrength {
  if (text.length === 0) return 'none';
  const bits = passphraseBits(text);
  const words = text
    .trim()
    .split(/[\s\-_.,;:+/]+/u)
    .filter((w) => [...w].length >= 3);
  const distinctWords = new Set(words.map((w) => w.toLowerCase())).size;
  if (distinctWords >= 4 && bits >= 60) return 'strong';
  if (bits >= 90) return 'strong';
  if (bits >= 50) return 'fair';
  return 'weak';
}
