import '@nas-key-manager/components/define';
import { registerTranslation, de } from '@nas-key-manager/components';
import { MemoryKeyService, MODERN, makeKey } from '@nas-key-manager/components/testing';

registerTranslation(de);

const manager = document.querySelector('api-key-manager');
manager.service = new MemoryKeyService(MODERN, [
  makeKey({ id: 1, name: 'backup-script', username: 'truenas_admin' }),
  makeKey({ id: 2, name: 'home-assistant', username: 'truenas_admin' }),
]);

// The page decides about deletes itself: the event is typed and cancelable.
window.actions = [];
manager.addEventListener('nas-key-action', (event) => {
  window.actions.push(`${event.detail.action}:${event.detail.key.name}`);
  event.preventDefault();
});
