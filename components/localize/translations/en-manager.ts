/** English terms of `<api-key-manager>`, registered as defaults when the manager is imported (see en.ts). */
const enManager = {
  'manager.title': 'API keys',
  'manager.add': 'Add',
  'manager.docs': 'API Docs',
  'manager.newTab': '(opens in a new tab)',
  'manager.addTitle': 'Add API key',
  'manager.editTitle': (name: string) => `Edit API key "${name}"`,
  'manager.created': (name: string) => `API key "${name}" created.`,
  'manager.updated': (name: string) => `API key "${name}" updated.`,
  'manager.wasReset': (name: string) => `API key "${name}" reset.`,
  'manager.trouble.insecure': 'It is still revoked: TrueNAS revoked it for use over an unencrypted connection. Reset it, then use https:// (wss://) wherever it is used.',
  'manager.trouble.ownerGone': 'It is still revoked: its owner no longer exists on the NAS, so nothing restores it. Delete it, or create a key for an existing user.',
  'manager.trouble.expired': 'It is past its expiry date and does not work: edit it and set a new expiry date.',
  'manager.trouble.unknown': (reason: string) => `It is still revoked (${reason}); the NAS does not say why.`,
  'manager.trouble.noReason': 'no reason given',
  'manager.deleted': (name: string) => `API key "${name}" deleted.`,
  // Neutral like form.failed: after no answer the reset may still have happened.
  'manager.resetFailed': (name: string, message: string) => `Problem resetting "${name}": ${message}`,
  'manager.loadFailed': (message: string) => `Could not load API keys: ${message}`,
  'manager.dismiss': 'Dismiss',
  'manager.discard.title': 'Discard changes?',
  'manager.discard.text': 'Your changes to this key have not been saved.',
  'manager.discard.confirm': 'Discard',
  'manager.discard.back': 'Keep editing',
  // Manager (issue 10): connection state and the empty state's Add.
  'manager.connection.connecting': 'Connecting…',
  'manager.connection.signedIn': 'Signed in',
  'manager.connection.reconnecting': 'Reconnecting…',
  'manager.connection.offline': 'Offline',
  'manager.addFirst': 'Add a key',
  // Issue 12: ending a deleted or reset key's open sessions (what the NAS reported).
  'manager.sessions.ended': (count: number) => (count === 0 ? 'No open sessions needed ending.' : count === 1 ? '1 open session ended.' : `${count.toLocaleString('en')} open sessions ended.`),
  'manager.sessions.notEnded': (count: number) => (count === 1 ? '1 session could not be ended.' : `${count.toLocaleString('en')} sessions could not be ended.`),
  'manager.sessions.keptCurrent': 'Your own session, which used this key, was kept open.',
  'manager.sessions.leftOpen': (count: number) => (count === 1 ? 'Its open session was left open.' : `Its ${count.toLocaleString('en')} open sessions were left open.`),
  'manager.sessions.endFailed': (message: string) => `Its open sessions were not ended: ${message}`,
  // Client-library failures by their stable `code` (see NasElement.failureText); validation,
  // call and invalid_input keep their own specific (NAS-written) texts, so they have no term.
  // Here, not in en-base.ts, to keep the table+form+reveal bundle in budget: without them an
  // English page shows the library's own (English) message.
  'common.error.invalid_url': 'The NAS address cannot be used; check it.',
  // Manager (issue 10): a call the client never sent because the NAS cannot be reached now.
  'common.error.unreachable': 'Cannot reach the NAS now; nothing was sent. Check that it is on and reachable, then try again.',
  // Manager (issue 10): the same failures of a read, which changed nothing (see NasElement.failureText).
  'common.error.timeout.read': 'The NAS did not answer in time. Try again.',
  'common.error.connection_closed.read': 'The connection to the NAS closed before it answered. Try again.',
  'common.error.transport': 'Could not connect to the NAS. If it uses a self-signed certificate (the default), open its web page once in this browser and accept the certificate, then try again.',
  'common.error.connection_closed': 'The connection to the NAS closed before it answered; a change may or may not have been applied. Reload to check before trying again.',
  'common.error.protocol': 'The NAS answered in an unexpected way (not a TrueNAS, or an unsupported version).',
  'common.error.timeout': 'The NAS did not answer in time. It may still carry out the request; reload to check.',
  'common.error.client_closed': 'The connection was closed by the application.',
  'common.error.insecure_transport': 'Not sent: the credential would travel unencrypted. TrueNAS 25.04 and newer revoke an API key used over an insecure (http:// or ws://) connection. Connect with https:// instead.',
  'common.error.rate_limited': 'Too many attempts. Wait a minute and try again (TrueNAS locks clients out for 10 minutes after 20 attempts).',
  'common.error.request_too_large': 'The request is larger than the NAS accepts; nothing was sent.',
  'common.error.not_found': 'The NAS has no such entry; it may have been deleted.',
  'common.error.method_not_found': 'This NAS version does not support this action.',
  'common.error.not_authenticated': 'Not signed in to the NAS (the session may have ended). Sign in again.',
  'common.error.auth': 'The NAS refused the sign-in: the credential is wrong, expired or revoked (TrueNAS 25.04 and newer revoke an API key used over an insecure connection), or a one-time code is needed.',
} as const;

export default enManager;
