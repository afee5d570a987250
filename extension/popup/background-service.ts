/**
 * The `ApiKeyService` the popup hands to `<api-key-manager>`: every call goes to the background
 * as a typed message (the background owns connections and the vault). It renders from the
 * background's cache first (no NAS round trip), then fetches the live list and reports the
 * difference as live changes, so the table updates in place.
 */
import type { ApiKeyService } from '../../components/service/api-key-service.js';
import type { ApiKey, ConnectionState, KeyChange } from '../../components/model/api-key.js';
import { connectionStateOf } from '../shared/connection-state.js';
import { ExtensionError } from '../shared/errors.js';
import type { ScopedKeyInput, ScopedKeyPlan } from '../../components/model/scoped-key.js';
import { translate } from '../shared/i18n/core.js';
import { call, subscribe } from '../shared/messaging.js';
import type { SavedHost } from '../shared/protocol.js';

export interface ServiceHooks {
  /** Asks the user for a one-time code when the NAS wants one; null if they cancel. */
  askOtp(host: SavedHost): Promise<string | null>;
  /** The live refresh after a cached first render failed (the cached list stays on screen). */
  onLiveError(error: unknown): void;
  /** The live list arrived (after a cached first render). */
  onLive?(fetchedAt: number): void;
  /** A create or reset (whose answer carries a new secret) started (true) or ended (false). */
  onSecretCall?(running: boolean): void;
}

/** Emits the changes that turn `before` into `after`. */
export function diff(before: readonly ApiKey[], after: readonly ApiKey[]): KeyChange[] {
  const changes: KeyChange[] = [];
  const old = new Map(before.map((k) => [k.id, k]));
  for (const key of after) {
    const previous = old.get(key.id);
    if (!previous) changes.push({ type: 'added', key });
    else if (JSON.stringify(previous) !== JSON.stringify(key)) changes.push({ type: 'changed', key });
    old.delete(key.id);
  }
  for (const id of old.keys()) changes.push({ type: 'removed', id });
  return changes;
}

/** The last connection state seen per host in this page, so a new watcher starts from it. */
const lastKnown = new Map<string, ConnectionState>();

export function backgroundService(host: SavedHost, hooks: ServiceHooks): ApiKeyService {
  /** The input each plan came from (a scoped key is planned again from it where it runs). */
  const planned = new WeakMap<ScopedKeyPlan, ScopedKeyInput>();
  const hostId = host.id;
  const listeners = new Set<(change: KeyChange) => void>();
  const emit = (change: KeyChange): void => {
    for (const listener of listeners) listener(change);
  };

  /** One prompt at a time: parallel calls that all hit the sign-in share the code the user enters. */
  let signIn: Promise<boolean> | null = null;
  const answerOtp = (): Promise<boolean> =>
    (signIn ??= (async () => {
      const otp = await hooks.askOtp(host);
      if (!otp) return false;
      await call('hosts.otp', { id: hostId, otp });
      return true;
    })().finally(() => {
      signIn = null;
    }));

  /** Runs a call; when the NAS asks for a one-time code, asks the user and tries once more. */
  async function withOtp<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (error) {
      if (!(error instanceof ExtensionError && error.code === 'otp-required')) throw error;
      if (!(await answerOtp())) throw error;
      return task();
    }
  }

  /** A call whose answer carries a new secret: the page keeps itself open until it has shown it. */
  async function issuing<T>(task: () => Promise<T>): Promise<T> {
    hooks.onSecretCall?.(true);
    try {
      return await withOtp(task);
    } finally {
      hooks.onSecretCall?.(false);
    }
  }

  async function refreshLive(cached: readonly ApiKey[]): Promise<void> {
    try {
      const live = await withOtp(() => call('keys.list', { hostId }));
      for (const change of diff(cached, live.keys)) emit(change);
      hooks.onLive?.(live.fetchedAt);
    } catch (error) {
      hooks.onLiveError(error);
    }
  }

  return {
    apiDocsUrl: `${host.address}/api/docs`,
    async capabilities() {
      return withOtp(() => call('keys.capabilities', { hostId, cached: true }));
    },
    async list() {
      const cached = await call('keys.list', { hostId, cached: true });
      if (cached.fetchedAt > 0) {
        void refreshLive(cached.keys);
        return cached.keys;
      }
      const live = await withOtp(() => call('keys.list', { hostId }));
      hooks.onLive?.(live.fetchedAt);
      return live.keys;
    },
    create: (input) => issuing(() => call('keys.create', { hostId, input })),
    update: (id, input) => withOtp(() => call('keys.update', { hostId, id, input })),
    reset: (id, changes) => issuing(() => call('keys.reset', changes ? { hostId, id, changes } : { hostId, id })),
    async delete(id) {
      await withOtp(() => call('keys.delete', { hostId, id }));
    },
    users: (search) => withOtp(() => call('keys.users', search === undefined ? { hostId } : { hostId, search })),
    async keyUsage() {
      const report = await withOtp(() => call('keys.usage', { hostId }));
      return report.status === 'ok' ? { ...report, lastUse: new Map(report.lastUse) } : report;
    },
    async allKeySessions() {
      const report = await withOtp(() => call('keys.sessions', { hostId }));
      return report.status === 'ok' ? { ...report, byKey: new Map(report.byKey) } : report;
    },
    keySessions: (id) => withOtp(() => call('keys.keySessions', { hostId, id })),
    endKeySessions: (id) => withOtp(() => call('keys.endSessions', { hostId, id })),
    availableRoles: () => withOtp(() => call('keys.roles', { hostId })),
    async planScopedKey(input) {
      const plan = await withOtp(() => call('keys.planScoped', { hostId, input }));
      planned.set(plan, input);
      return plan;
    },
    createScopedKey(plan) {
      // The background plans again from the same input and runs only a plan equal to this one.
      const input = planned.get(plan);
      if (!input) return Promise.reject(new ExtensionError('bad-request', translate('ext.scoped.changed')));
      return issuing(() => call('keys.createScoped', { hostId, input, plan }));
    },
    currentUsername: () => withOtp(() => call('keys.currentUser', { hostId, cached: true })),
    subscribe(listener) {
      listeners.add(listener);
      // Changes made elsewhere (another page, a quick reset) arrive as background pushes.
      const stop = subscribe((event) => {
        if (event.type === 'keys-changed' && event.hostId === hostId && event.change) listener(event.change);
      });
      return () => {
        listeners.delete(listener);
        stop();
      };
    },
    watchConnection(listener) {
      let current: ConnectionState | null = null;
      let pushed = false;
      const set = (state: ConnectionState) => {
        lastKnown.set(hostId, state);
        if (state === current) return;
        current = state;
        listener(state);
      };
      // The background pushes every change of the host's connection; the request below only
      // fills in the state before the first push (a later push is newer, so it wins).
      const stop = subscribe((event) => {
        if (event.type !== 'host-status' || event.status.hostId !== hostId) return;
        pushed = true;
        set(connectionStateOf(event.status.state));
      });
      set(lastKnown.get(hostId) ?? 'connecting');
      call('keys.connection', { hostId }).then(
        (state) => {
          if (!pushed && current !== null) set(state);
        },
        () => {
          if (!pushed && current !== null) set('offline');
        },
      );
      return () => {
        current = null;
        stop();
      };
    },
  };
}
