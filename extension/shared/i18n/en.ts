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

  // Saved hosts: validation and access.
  'ext.host.error.notFound': 'This host is no longer saved. Reload the page.',
  'ext.host.error.nameEmpty': 'Enter a name for this NAS, for example "Office NAS".',
  'ext.host.error.nameLong': (max: number) => `The name is too long: use at most ${max} characters.`,
  'ext.host.error.login': 'Choose how to sign in: with an API key, or with a username and password.',
  'ext.host.error.usernameEmpty': 'Enter the username to sign in with.',
  'ext.host.error.keyEmpty': 'Paste the API key to sign in with.',
  'ext.host.error.passwordEmpty': 'Enter the password.',
  'ext.host.error.keyFormat': 'This does not look like a TrueNAS API key: it has the form <number>-<64 letters and digits>. Check that it was copied whole.',
  'ext.host.error.insecureNotAccepted': 'This address is not encrypted (http://). Tick "Allow an unencrypted connection" to use it anyway, or use https://.',
  'ext.host.error.plainKey': 'An API key is never sent over an unencrypted connection to another machine: TrueNAS 25.04 and newer revoke a key used that way. Use https://, or sign in with username and password.',
  'ext.host.error.otpFormat': 'The one-time code has 6 to 8 digits.',
  'ext.host.error.duplicate': (name: string) => `This address is already saved as "${name}".`,
  'ext.host.error.permission': (name: string, origin: string) => `The extension may not access ${name} (${origin}): the permission was not granted or was withdrawn in the browser. Click "Allow access" to grant it.`,
  'ext.host.otpRequired': (name: string) => `${name} asks for a one-time code (two-factor authentication). Enter the code from your authenticator app.`,
  'ext.host.error.noCredential': (name: string) => `No sign-in is stored for ${name}. Edit the host in the settings and enter its API key or password.`,
  'ext.vault.error.locked': 'The vault is locked. Unlock it with your passphrase first.',

  // Common.
  'ext.common.cancel': 'Cancel',
  'ext.common.retry': 'Retry',
  'ext.common.save': 'Save',

  // Options page.
  'ext.options.title': 'NAS Key Manager settings',

  // Unlock prompt.
  'ext.unlock.title': 'Unlock the vault',
  'ext.unlock.hint': 'Your saved hosts and keys are encrypted. Enter the vault passphrase to use them.',
  'ext.unlock.passphrase': 'Vault passphrase',
  'ext.unlock.submit': 'Unlock',
  'ext.unlock.busy': 'Unlocking…',
  'ext.unlock.empty': 'Enter the vault passphrase.',

  // Vault panel.
  'ext.vault.title': 'Vault',
  'ext.vault.createIntro': 'The vault keeps the keys you create or reset and the sign-in of each NAS, encrypted with a passphrase only you know.',
  'ext.vault.newPassphrase': 'New vault passphrase',
  'ext.vault.passphraseHint': 'At least 8 characters. It cannot be recovered: if you forget it, the vault must be reset and its contents are lost.',
  'ext.vault.repeatPassphrase': 'Repeat the passphrase',
  'ext.vault.create': 'Create vault',
  'ext.vault.created': 'The vault was created and is unlocked.',
  'ext.vault.mismatch': 'The two passphrases differ. Type the same passphrase twice.',
  'ext.vault.unlocked': 'The vault is unlocked.',
  'ext.vault.unlockedUntil': (time: string) => `The vault is unlocked; it locks itself at ${time} unless you keep using it.`,
  'ext.vault.lock': 'Lock now',

  // Settings.
  'ext.settings.title': 'Settings',
  'ext.settings.autoLock': 'Lock the vault after inactivity',
  'ext.settings.autoLock.never': 'Only when the browser closes or on "Lock now"',
  'ext.settings.autoLockHint': 'Each use of the extension restarts this timer.',
  'ext.settings.autoLockLocked': 'Unlock the vault to change this.',
  'ext.settings.minutes': (minutes: number) => (minutes === 1 ? '1 minute' : minutes % 60 === 0 && minutes >= 60 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}` : `${minutes} minutes`),
  'ext.settings.clipboard': 'Clear a copied key from the clipboard after',
  'ext.settings.clipboard.never': 'Never',
  'ext.settings.seconds': (seconds: number) => (seconds < 60 ? `${seconds} seconds` : seconds === 60 ? '1 minute' : `${seconds / 60} minutes`),
  'ext.settings.expiringDays': 'Count keys as "expiring" this many days before they expire',
  'ext.settings.notifications': 'Notify me when a key is revoked or about to expire',
  'ext.settings.notificationsDenied': 'Notifications were not allowed in the browser, so they stay off.',
  'ext.settings.saved': 'Saved.',

  // Export and import.
  'ext.transfer.title': 'Export and import',
  'ext.transfer.exportHint': 'The export file holds your stored keys and host sign-ins, encrypted with the passphrase you enter here (it may differ from the vault passphrase).',
  'ext.transfer.exportPassphrase': 'Passphrase for the export file',
  'ext.transfer.export': 'Export vault',
  'ext.transfer.exported': (keys: number, hosts: number) => `Exported ${keys} key${keys === 1 ? '' : 's'} and ${hosts} host sign-in${hosts === 1 ? '' : 's'}.`,
  'ext.transfer.file': 'Export file to import',
  'ext.transfer.importPassphrase': 'Passphrase of that file',
  'ext.transfer.import': 'Import',
  'ext.transfer.imported': (added: number, updated: number, unchanged: number) => `Import done: ${added} added, ${updated} updated, ${unchanged} already present.`,
  'ext.transfer.noFile': 'Choose an export file first.',
  'ext.transfer.tooLarge': 'This file is too large to be a vault export.',

  // Saved hosts list.
  'ext.hosts.title': 'Saved NAS hosts',
  'ext.hosts.add': 'Add host',
  'ext.hosts.lockedHint': 'Unlock the vault to add or edit hosts: their sign-ins are kept in it.',
  'ext.hosts.empty': 'No hosts saved yet.',
  'ext.hosts.detected': (version: string, protocol: string) => `TrueNAS ${version}, ${protocol}`,
  'ext.hosts.notDetected': 'Version not detected yet (test the connection)',
  'ext.hosts.protocolJsonRpc': 'JSON-RPC (/api/current)',
  'ext.hosts.protocolLegacy': 'legacy WebSocket (/websocket)',
  'ext.hosts.viaKey': 'signs in with an API key',
  'ext.hosts.viaPassword': (username: string) => `signs in as ${username}`,
  'ext.hosts.plainWarning': 'Unencrypted connection: everything sent to this NAS can be read on the network. API keys are never sent over it.',
  'ext.hosts.noAccess': 'The extension has no access to this host (not granted, or withdrawn in the browser).',
  'ext.hosts.grant': 'Allow access',
  'ext.hosts.test': 'Test connection',
  'ext.hosts.testing': 'Testing…',
  'ext.hosts.edit': 'Edit',
  'ext.hosts.remove': 'Remove',
  'ext.hosts.removeConfirm': (name: string) => `Remove ${name} and its stored sign-in? Keys stored in the vault stay.`,
  'ext.hosts.removed': (name: string) => `${name} was removed.`,
  'ext.hosts.saved': (name: string) => `${name} was saved.`,
  'ext.hosts.savedNoAccess': (name: string) => `${name} was saved, but the browser did not grant access to it yet. Use "Allow access" before connecting.`,

  // Host form.
  'ext.hostForm.addTitle': 'Add a NAS host',
  'ext.hostForm.editTitle': (name: string) => `Edit ${name}`,
  'ext.hostForm.name': 'Name',
  'ext.hostForm.address': 'Address',
  'ext.hostForm.addressHint': 'For example https://nas.local, 192.168.1.10 or nas.example.com:8443. Without a scheme, https is used.',
  'ext.hostForm.loopbackNote': 'This is this computer (loopback): traffic never leaves it, so an unencrypted connection is safe.',
  'ext.hostForm.plainWarning': 'This address is not encrypted (http://). Anyone on the network can read what is sent, including a password. An API key is never sent this way.',
  'ext.hostForm.allowInsecure': 'Allow an unencrypted connection to this host',
  'ext.hostForm.signIn': 'Sign in with',
  'ext.hostForm.loginKey': 'An API key',
  'ext.hostForm.loginPassword': 'Username and password',
  'ext.hostForm.username': 'Username',
  'ext.hostForm.keyOwner': 'Key owner (optional)',
  'ext.hostForm.keyOwnerHint': 'The user the key belongs to. TrueNAS 26 needs it for the secure SCRAM sign-in; older versions find the owner themselves.',
  'ext.hostForm.apiKey': 'API key',
  'ext.hostForm.password': 'Password',
  'ext.hostForm.keepSecret': 'Leave empty to keep the stored sign-in.',
  'ext.hostForm.noSecret': 'No sign-in is stored for this host yet.',
  'ext.hostForm.otp': 'One-time code',

  // Connection test outcomes.
  'ext.report.ok': 'Connected and signed in.',
  'ext.report.unreachable': 'The NAS could not be reached.',
  'ext.report.certificate': 'The NAS certificate is not trusted by this browser.',
  'ext.report.authFailed': 'The NAS refused the sign-in.',
  'ext.report.otpRequired': 'A one-time code is needed.',
  'ext.report.rateLimited': 'Too many attempts.',
  'ext.report.keyRevoked': 'The API key is revoked or expired.',
  'ext.report.keyExpired': 'The credential has expired.',
  'ext.report.insecureRefused': 'Not sent: the connection is not encrypted.',
  'ext.report.permissionMissing': 'The extension has no access to this host.',
  'ext.report.locked': 'The vault is locked.',
  'ext.report.error': 'The test failed.',
  'ext.report.openNas': (url: string) => `Open ${url} to accept its certificate, then test again`,
  'ext.vault.error.none': 'There is no vault yet. Open the settings and create one with a passphrase.',

  // Badge, notifications, All hosts.
  'ext.badge.title': (count: number) => `NAS Key Manager: ${count} key${count === 1 ? '' : 's'} revoked, expired or expiring soon`,
  'ext.badge.none': 'NAS Key Manager',
  'ext.notify.title': (host: string) => `API key on ${host}`,
  'ext.notify.revoked': (name: string, reason: string) => `"${name}" was revoked${reason ? `: ${reason}` : ''}. Reset it to use it again.`,
  'ext.notify.expired': (name: string) => `"${name}" has expired.`,
  'ext.notify.expiring': (name: string, days: number) => `"${name}" expires in ${days} day${days === 1 ? '' : 's'}.`,
  'ext.fleet.noHosts': 'No NAS hosts are saved yet. Add one in the settings.',
  'ext.drift.noHost': 'No saved host has this address.',
  'ext.drift.notLoaded': 'The key list of this host has not been loaded yet.',
  'ext.report.okDetail': (version: string, endpoint: string) => `TrueNAS ${version} answered on ${endpoint} and accepted the sign-in.`,
  'ext.report.certificateDetail': (origin: string) => `The connection to ${origin} failed because its TLS certificate is not trusted (TrueNAS uses a self-signed certificate by default). Open the NAS page once, accept the certificate, then test again.`,
  'ext.report.unreachableDetail': (origin: string, detail: string) => `Nothing answered at ${origin}. Check the address and port and that the NAS is on. (${detail})`,
  'ext.vault.error.noEntry': 'This stored key no longer exists in the vault. Reload the list.',
  'ext.host.error.secretNeeded': 'The address or sign-in method changed: enter the API key or password for it.',
} as const;

export default en;
