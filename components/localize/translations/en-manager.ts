/** English terms of `<api-key-manager>`, registered as defaults when the manager is imported (see en.ts). */
const enManager = {
  'manager.title': 'API keys',
  'manager.add': 'Add',
  'manager.docs': 'API Docs',
  'manager.newTab': '(opens in a new tab)',
  'manager.addTitle': 'Add API key',
  'manager.editTitle': 'Edit API key',
  'manager.created': (name: string) => `API key "${name}" created.`,
  'manager.updated': (name: string) => `API key "${name}" updated.`,
  'manager.wasReset': (name: string) => `API key "${name}" reset.`,
  'manager.deleted': (name: string) => `API key "${name}" deleted.`,
  'manager.resetFailed': (name: string, message: string) => `Could not reset "${name}": ${message}`,
  'manager.loadFailed': (message: string) => `Could not load API keys: ${message}`,
  'manager.dismiss': 'Dismiss',
  'manager.discard.title': 'Discard changes?',
  'manager.discard.text': 'Your changes to this key have not been saved.',
  'manager.discard.confirm': 'Discard',
  'manager.discard.back': 'Keep editing',
} as const;

export default enManager;
