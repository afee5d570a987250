// Demo page for `npm start`: embeds <api-key-manager> against the NAS simulator, through the real
// connection library and service adapter, so every flow can be tried by hand. The start script
// serves /demo-config.json with the simulator's address and (to loopback clients only) its
// bootstrap admin credential.
import '../define/index.js';
import type { ApiKeyManager } from '../api-key-manager/api-key-manager.js';
import { registerTranslation } from '../localize/localize.js';
import de from '../localize/translations/de.js';
import { TrueNasClient } from '../client/index.js';
import { createTrueNasService } from '../client/service.js';
import { demoTerms, type DemoTerms } from './demo-terms.js';

interface DemoConfig {
  simulatorUrl: string;
  profile: string;
  admin?: { username: string; password: string };
}

registerTranslation(de);

const status = document.getElementById('status')!;
const manager = document.querySelector<ApiKeyManager>('api-key-manager')!;
manager.initialSort = { field: 'name', direction: 'asc' }; // as the extension's full view
const vaultLog = document.getElementById('vault-log')!;

type Message = (terms: DemoTerms) => string;
/** What the status and vault lines say, kept as functions so a language switch rewrites them. */
let statusMessage: Message = (t) => t['demo.loading'];
let vaultMessage: Message | null = null;

/** Writes the page's own texts (elements with `data-term`) in `lang`. */
function translatePage(lang: string): void {
  const terms = demoTerms(lang);
  document.title = terms['demo.pageTitle'];
  for (const el of document.querySelectorAll<HTMLElement>('[data-term]')) {
    const value = terms[el.dataset['term'] as keyof DemoTerms];
    const text = typeof value === 'string' ? value : null;
    if (text === null) continue;
    if (el.dataset['termAttr']) el.setAttribute(el.dataset['termAttr'], text);
    else el.textContent = text;
  }
  status.textContent = statusMessage(terms);
  vaultLog.textContent = vaultMessage ? vaultMessage(terms) : '';
}

function setStatus(message: Message): void {
  statusMessage = message;
  status.textContent = message(demoTerms(document.documentElement.lang));
}

function bindSelect(id: string, apply: (value: string) => void): void {
  const select = document.getElementById(id) as HTMLSelectElement;
  select.addEventListener('change', () => apply(select.value));
  apply(select.value);
}

// The language sets <html lang>: the components, their dates and the page's own texts follow it.
bindSelect('lang', (value) => {
  document.documentElement.lang = value;
  translatePage(value);
});
bindSelect('dir', (value) => (document.documentElement.dir = value));
// The components follow prefers-color-scheme unless the page forces one on the element.
bindSelect('scheme', (value) => {
  const scheme = value === 'auto' ? 'light dark' : value;
  document.documentElement.style.colorScheme = scheme;
  manager.style.colorScheme = scheme;
});
bindSelect('accent', (value) => manager.style.setProperty('--nas-color-accent', value || null));

// The page plays the host app's vault: it acknowledges the key but, being a demo, stores nothing.
manager.addEventListener('nas-key-save', (event) => {
  event.waitUntil(Promise.resolve());
  const { name } = event.detail.key;
  vaultMessage = (t) => t['demo.vaultLog'](name);
  vaultLog.textContent = vaultMessage(demoTerms(document.documentElement.lang));
});

async function main(): Promise<void> {
  const config = (await (await fetch('./demo-config.json')).json()) as DemoConfig;
  const { profile, simulatorUrl: url } = config;
  setStatus((t) => t['demo.status.connecting'](profile, url));
  const admin = config.admin;
  if (!admin) {
    setStatus((t) => t['demo.status.loopbackOnly'](profile, url));
    return;
  }
  const client = new TrueNasClient({ url: config.simulatorUrl });
  await client.connect();
  // The simulator runs on loopback without TLS, which TrueNAS itself treats as secure.
  await client.login({ type: 'password', username: admin.username, password: admin.password, allowInsecureTransport: true });
  manager.service = createTrueNasService(client);
  setStatus((t) => t['demo.status.signedIn'](profile, url, admin.username));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  setStatus((t) => t['demo.status.failed'](message));
});
