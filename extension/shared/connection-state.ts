/**
 * A host's status as the background pushes it, read as the connection state a page shows
 * (issue 10, honest state). One mapping for the popup, the full view and the background.
 */
import type { ConnectionState } from '../../components/model/api-key.js';
import type { HostStatus } from './protocol.js';

export function connectionStateOf(state: HostStatus['state']): ConnectionState {
  switch (state) {
    case 'signed-in':
    case 'ready':
      return 'signed-in';
    case 'reconnecting':
      return 'reconnecting';
    case 'offline':
    case 'error':
      return 'offline';
    case 'idle':
    case 'connecting':
      // No connection yet: the page's next request opens one.
      return 'connecting';
  }
}
