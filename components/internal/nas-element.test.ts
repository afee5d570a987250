import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../define/api-key-manager.js';
import type { ApiKeyTable } from '../api-key-table/api-key-table.js';
import { TrueNasClient, type TrueNasError } from '../client/index.js';
import { registerTranslation } from '../localize/localize.js';
import de from '../localize/translations/de.js';
import { $ } from './testing/dom.js';
import { makeKey } from '../testing/sample-keys.js';
import { MemoryKeyService } from '../testing/memory-service.js';
import { startSim, stopSim } from '../../test/helpers/sim.js';

registerTranslation(de);

/** A real connection failure: the client connecting to a simulator that has just been stopped. */
async function refusedConnection(): Promise<TrueNasError> {
  const sim = await startSim({ profile: '25.10' });
  await stopSim(sim);
  const client = new TrueNasClient({ url: sim.url, connectTimeoutMs: 3000 });
  try {
    await client.connect();
  } catch (error) {
    return error as TrueNasError;
  } finally {
    await client.close().catch(() => undefined);
  }
  throw new Error('connected to a stopped simulator');
}

async function loadError(error: unknown, lang: string): Promise<string> {
  const service = new MemoryKeyService(undefined, [makeKey({ id: 1, name: 'backup-script' })]);
  service.failNext('list', error as Error);
  const wrapper = await fixture<HTMLDivElement>(html`<div lang=${lang}><api-key-manager .service=${service}></api-key-manager></div>`);
  const table = $<ApiKeyTable>(wrapper.querySelector('api-key-manager')!, 'api-key-table');
  await waitUntil(() => table.error, 'load error shown');
  return table.error!;
}

describe('NasElement.failureText', () => {
  it('shows a client error by its code in the page language, not the library\'s English', async () => {
    const error = await refusedConnection();
    expect(error.code).to.equal('transport');
    expect(error.message).to.match(/^Could not connect/);
    const german = await loadError(error, 'de');
    expect(german).to.equal(`API-Schlüssel konnten nicht geladen werden: ${de['common.error.transport']}`);
    expect(german).not.to.include('Could not connect');
    expect(await loadError(error, 'en')).to.match(/^Could not load API keys: Could not connect to the NAS\. If it uses a self-signed certificate/);
  });

  it('keeps the message of errors whose code has no term (NAS-written validation texts, other codes)', async () => {
    const validation = Object.assign(new Error('name: Name must be unique'), { code: 'validation' });
    expect(await loadError(validation, 'de')).to.equal('API-Schlüssel konnten nicht geladen werden: name: Name must be unique');
    const other = Object.assign(new Error('Something specific.'), { code: 42 });
    expect(await loadError(other, 'de')).to.equal('API-Schlüssel konnten nicht geladen werden: Something specific.');
  });
});
