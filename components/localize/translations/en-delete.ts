/** English terms of `<delete-key-dialog>`, registered as defaults when the dialog is imported (see en.ts). */
const enDelete = {
  'delete.title': 'Delete API key',
  'delete.question': (name: string) => `Delete the API key "${name}"?`,
  'delete.owner': (username: string) => `Owner: ${username}`,
  'delete.consequence': 'Apps and scripts that use it stop working at once. This cannot be undone.',
  'delete.confirm': 'Confirm',
  'delete.delete': 'Delete',
  'delete.deleting': 'Deleting…',
  'delete.failed': (message: string) => `The key was not deleted: ${message}`,
} as const;

export default enDelete;
