/** User flows several e2e tests share: set up the vault, add a host on the options page. */
import type { Page } from 'puppeteer-core';
import { click, fill, find, waitForText } from './ui.js';

export const PASSPHRASE = 'correct horse battery staple';

export async function createVault(page: Page, passphrase = PASSPHRASE): Promise<void> {
  await fill(page, '>>> nkm-vault-panel >>> input[name="passphrase"]', passphrase);
  await fill(page, '>>> nkm-vault-panel >>> input[name="repeat"]', passphrase);
  await click(page, '>>> nkm-vault-panel >>> form button[type="submit"]');
  await waitForText(page, '>>> nkm-vault-panel >>> p[role="status"]', /unlocked/i, 30_000);
}

export interface HostFields {
  name: string;
  address: string;
  login?: 'apiKey' | 'password';
  username?: string;
  secret?: string;
  allowInsecure?: boolean;
}

export async function fillHostForm(page: Page, host: HostFields): Promise<void> {
  const form = '>>> nkm-host-form >>> ';
  await fill(page, `${form}input[name="name"]`, host.name);
  await fill(page, `${form}input[name="address"]`, host.address);
  if (host.allowInsecure) await click(page, `${form}input[name="allowInsecure"]`);
  await click(page, `${form}input[name="login"][value="${host.login ?? 'apiKey'}"]`);
  if (host.username !== undefined) await fill(page, `${form}input[name="username"]`, host.username);
  if (host.secret !== undefined) await fill(page, `${form}input[name="secret"]`, host.secret);
}

/**
 * Adds a host through the options page and waits until it is listed. Saving tests the sign-in;
 * `saveAnyway` is for a NAS that cannot be reached now (the form then offers "Save anyway").
 * Returns its card selector.
 */
export async function addHost(page: Page, host: HostFields, { saveAnyway = false }: { saveAnyway?: boolean } = {}): Promise<string> {
  await click(page, '>>> button[name="add-host"]');
  await fillHostForm(page, host);
  await click(page, '>>> nkm-host-form >>> button[type="submit"]');
  if (saveAnyway) await click(page, '>>> nkm-host-form >>> button[name="save-anyway"]:not([disabled])');
  await waitForText(page, '>>> #hosts-notice', new RegExp(`${host.name}\u2069? was saved`));
  await find(page, `>>> li[data-host-id] h3`);
  return hostCard(page, host.name);
}

/** Selector of the card of the host with this name. */
export async function hostCard(page: Page, name: string): Promise<string> {
  const id = await page.evaluate((wanted) => {
    const app = document.querySelector('nkm-options-app');
    const cards = [...(app?.shadowRoot?.querySelectorAll('li[data-host-id]') ?? [])];
    return cards.find((c) => c.querySelector('h3')?.textContent?.trim() === wanted)?.getAttribute('data-host-id') ?? null;
  }, name);
  if (!id) throw new Error(`No host card named ${name}`);
  return `>>> li[data-host-id="${id}"]`;
}
