import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiKeyManager, ApiKeyTable } from '@nas-key-manager/components/react';
import { registerTranslation, de, type ApiKeyRow, type NasKeyActionEvent } from '@nas-key-manager/components';
import { MemoryKeyService, MODERN, makeKey } from '@nas-key-manager/components/testing';

registerTranslation(de);

const seed = () => [makeKey({ id: 1, name: 'backup-script' }), makeKey({ id: 2, name: 'home-assistant' })];
const wrappedService = new MemoryKeyService(MODERN, seed());
const rawService = new MemoryKeyService(MODERN, seed());
const rows: ApiKeyRow[] = seed();

function App() {
  const [lang, setLang] = useState('en');
  const [actions, setActions] = useState<string[]>([]);
  const record = (who: string) => (event: NasKeyActionEvent) => {
    event.preventDefault(); // this page handles deletes itself
    setActions((list) => [...list, `${who}:${event.detail.action}:${event.detail.key.name}`]);
  };
  return (
    <>
      <button id="german" onClick={() => setLang('de')}>
        Deutsch
      </button>
      <output id="actions">{actions.join(' ')}</output>
      {/* The @lit/react wrapper: properties as props, events as onNas… props. */}
      <ApiKeyManager id="wrapped" service={wrappedService} lang={lang} onNasKeyAction={record('wrapped')} />
      {/* The raw tag: React 19 sets properties and binds on<event-name> listeners. */}
      <api-key-manager id="raw" service={rawService} lang={lang} onnas-key-action={record('raw')} />
      <ApiKeyTable id="table" keys={rows} capabilities={MODERN} />
    </>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
