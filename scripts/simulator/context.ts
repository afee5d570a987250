/** Types shared by the connection handler and the method implementations. */
import type { AuditLog } from './audit-log.js';
import type { Profile } from './profiles.js';
import type { Row } from './query.js';
import type { SeedAllowlistEntry } from './seed.js';
import type { KeyRecord, Store, UserRecord } from './store.js';

export type CredentialKind = 'PASSWORD' | 'API_KEY' | 'TOKEN' | 'SCRAM';

/** What a session is logged in as. */
export interface Credentials {
  kind: CredentialKind;
  /** The user (25.04+ key sessions are user sessions too); null for a 22.02-24.10 key session. */
  user: UserRecord | null;
  key?: KeyRecord;
  /** 22.02-24.10 key sessions (and tokens minted from them) are authorized by the allowlist only. */
  allowlist?: SeedAllowlistEntry[];
  /** Logged in with a one-time password. */
  otp?: boolean;
  /** The user's roles when the session logged in: the middleware composes the privilege once, at login. */
  roles?: string[];
  /** Epoch ms of the login, and its `login_id` (25.10+), set when the session adopts these credentials. */
  loginAt?: number;
  loginId?: string;
  /** TOKEN sessions: the credentials the token was minted from. */
  parent?: Credentials;
}

/** A login in progress on this connection: the OTP step or the SCRAM exchange. */
export type PendingLogin =
  | { kind: 'otp'; user: UserRecord; failures: number; userInfo: boolean }
  | {
      kind: 'scram';
      user: UserRecord;
      key: KeyRecord;
      clientFirstBare: string;
      serverFirst: string;
      nonce: string;
      gs2Header: string;
      userInfo: boolean;
    };

export interface ConnectionOptions {
  legacy_jobs: boolean;
  private_methods: boolean;
  py_exceptions: boolean;
}

export interface SessionState {
  readonly id: string;
  readonly protocol: 'legacy' | 'jsonrpc';
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** When the session (the first login on this connection) began; null while unauthenticated. */
  sessionStart: number | null;
  /** Closes the websocket as `auth.terminate_session` does (`ws.close()`: code 1000). */
  terminate(): void;
  /** `origin.secure_transport`: TLS or a loopback peer, unless the simulator is in insecure mode. */
  readonly secure: boolean;
  cred: Credentials | null;
  pending: PendingLogin | null;
  options: ConnectionOptions;
  /** Last message received (restarts the ttl clock of tokens this session minted). */
  lastActivity: number;
  /** subscription id -> event name */
  readonly subscriptions: Map<string, string>;
  closed: boolean;
}

export interface TokenRecord {
  cred: Credentials;
  creator: SessionState;
  ttl: number;
  singleUse: boolean;
  matchOrigin: boolean;
  remoteAddress: string;
  attrs: Record<string, unknown>;
}

export type EventType = 'ADDED' | 'CHANGED' | 'REMOVED';

export interface EventPayload {
  id: number;
  fields?: Row;
  cleared?: boolean;
}

/** The simulator-wide services methods use. */
export interface SimContext {
  readonly profile: Profile;
  readonly store: Store;
  readonly tokens: Map<string, TokenRecord>;
  /** Set by the `redirect` control action: logins answer REDIRECT (an HA standby node). */
  redirectUrls: string[] | null;
  readonly bootId: string;
  readonly audit: AuditLog;
  /** Every open connection (authenticated or not). */
  connectionsList(): SessionState[];
  publish(collection: string, type: EventType, payload: EventPayload): void;
  /** Sleeps a random time in [min, max] seconds, scaled by the `loginDelay` option. */
  failureDelay(minSeconds: number, maxSeconds: number): Promise<void>;
}

export interface CallContext {
  sim: SimContext;
  session: SessionState;
  profile: Profile;
  /** API era of the endpoint: pinned `/api/v25.04.x` on a newer NAS serves older models. */
  apiN: number;
  method: string;
}

/** 'none': any authenticated session; a list: any of these roles (FULL_ADMIN always passes). */
export type Authz = 'none' | readonly string[];

export interface MethodDef {
  name: string;
  /** Profile range where the method exists (inclusive). */
  since?: number;
  until?: number;
  /** Pinned API era needed; older pinned endpoints answer ENOMETHOD. */
  apiSince?: number;
  /** Callable without authentication (then rate limited from 24.10 unless `rateLimit: false`). */
  noAuth?: (p: Profile) => boolean;
  rateLimit?: boolean;
  authz: (p: Profile) => Authz;
  handler(ctx: CallContext, params: unknown[]): unknown;
}
