/**
 * English extension terms: the canonical table (`ext.*` namespace). `de.ts` must provide every
 * key; the type checker enforces it.
 */
const en = {
  $code: 'en',
  $name: 'English',
  $dir: 'ltr',

  // Errors the background reports (pages show the message, or localise it from the code).
  'ext.error.badRequest': (field: string) => `The extension received an invalid request: "${field}" is missing, too long or of the wrong type.`,
  'ext.error.forbidden': 'This request did not come from one of the extension’s own pages and was refused.',
  'ext.error.internal': 'Something went wrong inside the extension. Try again; if it keeps happening, reload the extension.',
  'ext.error.clipboard': 'The clipboard could not be written. Copy the key by hand from the dialog instead.',
  'ext.error.unknownType': (type: string) => `Unknown request type "${type}".`,

  // Settings validation.
  'ext.settings.error.autoLock': 'Auto-lock time must be a whole number of minutes from 0 to 1440.',
  'ext.settings.error.clipboard': 'Clipboard clear delay must be 0 (never) or from 1 second to 1 hour.',
  'ext.settings.error.notifications': 'Notifications must be on or off.',
  'ext.settings.error.expiringDays': 'The expiring window must be a whole number of days from 1 to 365.',
  'ext.settings.error.unknown': (key: string) => `Unknown setting "${key}".`,

  // Host addresses.
  'ext.host.error.addressEmpty': 'Enter the NAS address, for example https://nas.local or 192.168.1.10.',
  'ext.host.error.addressSpaces': 'The address must not contain spaces.',
  'ext.host.error.addressInvalid': (text: string) => `"${text}" is not a valid address. Use a host name or IP, for example https://nas.local or 192.168.1.10:8443.`,
  'ext.host.error.addressScheme': (scheme: string) => `"${scheme}" addresses are not supported. Use https:// (or http:// on a trusted network).`,
  'ext.host.error.addressCredentials': 'Do not put a user name or password in the address; enter them under "Sign in" instead.',
  'ext.host.error.addressPort': 'The port must be a number from 1 to 65535.',
} as const;

export default en;
