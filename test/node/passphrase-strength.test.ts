import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passphraseStrength } from '../../extension/options/passphrase-strength.js';

test('passphrase strength: empty, repeats and short text are weak; 4+ random words are strong', () => {
  assert.equal(passphraseStrength(''), 'none');
  for (const weak of ['aaaaaaaaaaaaaaaaaaaa', 'abcabcabcabcabcabc', 'password', '12345678', 'Summer2024']) assert.equal(passphraseStrength(weak), 'weak', weak);
  assert.equal(passphraseStrength('Tr0ub4dor&3x'), 'fair');
  for (const strong of ['maple orbit sandal violin', 'correct horse battery staple', 'q7#Lx!v9@Rk2$Wm5^Zp8']) assert.equal(passphraseStrength(strong), 'strong', strong);
  // The same word four times is not four words.
  assert.notEqual(passphraseStrength('maple maple maple maple'), 'strong');
});
