// Demo page for `npm start`: embeds <api-key-manager> against the NAS simulator, through the real
// connection library and service adapter, so every flow can be tried by hand. The start script
// serves /demo-config.json with the simulator's address and (to loopback clients only) its
// bootstrap admin credential.
import '../define/index.js';
import type { ApiKeyManager } from '../api-key-manager/api-key-manager.js';
import { registerTranslation } from '../localize/localize.js';
import de from '../localize/translations/de.js';
import { TrueNasClient } from '../client/index.js';
import { createTrueNasService } from '../service/truenas-service.js';

interface DemoConfig {
  simulatorUrl: string;
  profile: string;
  admin?: { username: string; password: string };
}

registerTranslation(de);

const status = document.getElementById('status')!;
const manager = document.querySelector<ApiKeyManager>('api-key-manager')!;
const vaultLog = document.getElementById('vault-log')!;

function bindSelect(id: string, apply: (value: string) => void): void {
  const select = document.getElementById(id) as HTMLSelectElement;
  select.addEventListener('change', () => apply(select.value));
  apply(select.value);
}

bindSelect('lang', (value) => (document.documentElement.lang = value));
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
  vaultLog.textContent = `The page received key "${event.detail.key.name}" for its vault (a real host would encrypt and store it; the demo discards it).`;
});

async function main(): Promise<void> {
  const config = (await (await fetch('./demo-config.json')).json()) as DemoConfig;
  status.textContent = `TrueNAS ${config.profile} simulator at ${config.simulatorUrl}: connecting…`;
  if (!config.admin) {
    status.textContent = `TrueNAS ${config.profile} simulator at ${config.simulatorUrl}: open this page from 127.0.0.1 to sign in.`;
    return;
  }
  const client = new TrueNasClient({ url: config.simulatorUrl });
  await client.connect();
  // The simulator runs on loopback without TLS, which TrueNAS itself treats as secure.
  await client.login({ type: 'password', username: config.admin.username, password: config.admin.password, allowInsecureTransport: true });
  manager.service = createTrueNasService(client);
  status.textContent = `TrueNAS ${config.profile} simulator at ${config.simulatorUrl}, signed in as ${config.admin.username}.`;
}

main().catch((error: unknown) => {
  status.textContent = `Could not reach the simulator: ${error instanceof Error ? error.message : String(error)}`;
});
