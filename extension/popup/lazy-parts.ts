/**
 * Parts of the popup that opening it does not need, each its own chunk (see scripts/build.mjs):
 * the vault view (a tab away) and the reveal dialog (only when a quick reset's new key was neither
 * stored nor copied). Each loads once; later calls share the first load.
 */
import { defineElement } from '../../components/kit.js';

let vaultView: Promise<void> | undefined;
let reveal: Promise<void> | undefined;

export function loadVaultView(): Promise<void> {
  return (vaultView ??= import('./vault-view.js').then((m) => defineElement('nkm-vault-view', m.NkmVaultView)));
}

export function loadRevealDialog(): Promise<void> {
  return (reveal ??= import('../../components/define/key-reveal-dialog.js').then(() => undefined));
}
