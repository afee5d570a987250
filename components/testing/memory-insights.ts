/**
 * The in-memory side of scoped keys, usage, sessions and upgrade readiness for MemoryKeyService:
 * realistic fake data derived from the keys, the same planning rules as the real service
 * (model/scoped-key.ts), and injectable failures (a scoped-key step, its undo, a missing role)
 * so every state of the UI can be shown without a NAS.
 */
import type { ApiKey, EndSessionsResult, HostCapabilities, KeyLastUse, KeyOwner, KeySession, KeySessionsReport, KeyUsageReport, UpgradeReadiness } from '../model/api-key.js';
import { featureUnavailableReason } from '../model/api-key.js';
import {
  REFUSED_ROLES,
  checkScopedRoles,
  planScopedKey,
  type RoleInfo,
  type ScopedKeyFailure,
  type ScopedKeyInput,
  type ScopedKeyPlan,
  type ScopedKeyStep,
  type ScopedStepKind,
} from '../model/scoped-key.js';
import { upgradeRisks } from '../model/upgrade-risks.js';

const DAY = 86_400_000;

/** A failed fake run, shaped like the client's ScopedKeyError. */
export class MemoryScopedKeyError extends Error implements ScopedKeyFailure {
  constructor(
    readonly failedStep: ScopedStepKind,
    readonly stepIndex: number,
    readonly reason: string,
    readonly leftOnNas: readonly string[],
    stepCount: number,
  ) {
    super(
      `Creating the scoped key stopped at step ${stepIndex + 1} of ${stepCount}: ${reason} ${
        leftOnNas.length === 0 ? 'Nothing was left on the NAS: everything created before it was removed again.' : `Undoing the earlier steps did not fully succeed; still on the NAS: ${leftOnNas.join('; ')}. Remove them by hand.`
      }`,
    );
    this.name = 'MemoryScopedKeyError';
  }
  get undone(): boolean {
    return this.leftOnNas.length === 0;
  }
}

/** Roles a fake 25.x NAS offers (a realistic subset of MW@TS-25.10.6:role.py). */
export const SAMPLE_ROLES: readonly RoleInfo[] = [
  { name: 'READONLY_ADMIN', includes: ['ALERT_LIST_READ', 'POOL_READ', 'SNAPSHOT_READ', 'SHARING_READ'], builtin: false },
  { name: 'SHARING_ADMIN', includes: ['READONLY_ADMIN', 'SHARING_WRITE'], builtin: false },
  { name: 'REPLICATION_ADMIN', includes: ['KEYCHAIN_CREDENTIAL_WRITE', 'REPLICATION_TASK_CONFIG_WRITE', 'REPLICATION_TASK_WRITE', 'SNAPSHOT_TASK_WRITE', 'SNAPSHOT_WRITE'], builtin: false },
  { name: 'REPLICATION_TASK_WRITE_PULL', includes: ['REPLICATION_TASK_WRITE'], builtin: true },
  { name: 'SNAPSHOT_READ', includes: [], builtin: true },
  { name: 'SNAPSHOT_WRITE', includes: ['SNAPSHOT_READ'], builtin: true },
  { name: 'SNAPSHOT_DELETE', includes: [], builtin: true },
  { name: 'SNAPSHOT_TASK_WRITE', includes: ['SNAPSHOT_TASK_READ'], builtin: true },
  { name: 'ALERT_LIST_READ', includes: [], builtin: true },
  { name: 'POOL_READ', includes: [], builtin: true },
  { name: 'POOL_SCRUB_WRITE', includes: ['POOL_SCRUB_READ'], builtin: true },
  { name: 'API_KEY_READ', includes: [], builtin: true },
  { name: 'API_KEY_WRITE', includes: ['API_KEY_READ'], builtin: true },
  { name: 'ACCOUNT_WRITE', includes: ['ACCOUNT_READ'], builtin: true },
  { name: 'PRIVILEGE_WRITE', includes: [], builtin: true },
  { name: 'FULL_ADMIN', includes: [], builtin: false },
];

/** A fault for the fake scoped-key run: the step fails; with `undoFails`, undoing what came before fails too. */
export interface ScopedStepFault {
  step: ScopedStepKind;
  reason?: string;
  undoFails?: boolean;
}

export interface InsightsHost {
  readonly caps: HostCapabilities;
  readonly keys: Map<number, ApiKey>;
  readonly owners: KeyOwner[];
  /** Adds a key as `create` would and returns it with its secret. */
  addKey(key: Omit<ApiKey, 'id'>): { key: ApiKey; secret: string };
}

/** Fake usage, sessions and scoped keys over a MemoryKeyService's keys. */
export class MemoryInsights {
  /** Last use per key id; seeded from the keys (every other key used, some from far away). */
  readonly lastUse = new Map<number, KeyLastUse>();
  /** Open sessions per key id. */
  readonly sessions = new Map<number, KeySession[]>();
  /** Set false to answer usage and sessions as an account without the audit/session roles. */
  permitted = true;
  /** The next scoped-key run fails as described (once). */
  scopedFault: ScopedStepFault | null = null;
  private sessionCounter = 1;

  constructor(private readonly host: InsightsHost) {}

  /** Deterministic fake history: even ids were used recently, every third has open sessions. */
  seed(now = Date.now()): void {
    for (const key of this.host.keys.values()) this.seedKey(key, now);
  }

  seedKey(key: ApiKey, now = Date.now()): void {
    if (key.id % 2 === 0) this.lastUse.set(key.id, { at: now - (key.id % 5) * DAY - 3_600_000, address: `192.168.1.${10 + (key.id % 40)}` });
    if (key.id % 3 === 0 && !key.revoked) {
      this.sessions.set(
        key.id,
        Array.from({ length: 1 + (key.id % 2) }, (_, i) => ({
          id: `mem-session-${this.sessionCounter++}`,
          keyId: key.id,
          origin: `192.168.1.${20 + i}:${50_000 + key.id}`,
          loginAt: now - (i + 1) * 600_000,
          current: false,
          secureTransport: true,
        })),
      );
    }
  }

  keyUsage(now = Date.now()): KeyUsageReport {
    if (!this.host.caps.keyUsage) return { status: 'unsupported', reason: featureUnavailableReason(this.host.caps, 'keyUsage') ?? '' };
    if (!this.permitted) return { status: 'not-permitted', reason: 'This account may not read the audit log (it needs the audit read role, which read-only administrators have), so last use is not shown.' };
    return { status: 'ok', lastUse: new Map(this.lastUse), since: now - 7 * DAY, retentionDays: 7, retentionKnown: true, complete: true };
  }

  allKeySessions(): KeySessionsReport {
    if (!this.host.caps.keySessions) return { status: 'unsupported', reason: featureUnavailableReason(this.host.caps, 'keySessions') ?? '' };
    if (!this.permitted) return { status: 'not-permitted', reason: 'This account may not list sessions (it needs the sessions read role), so open sessions are not shown.' };
    return { status: 'ok', byKey: new Map([...this.sessions].map(([id, list]) => [id, list.map((s) => ({ ...s }))])) };
  }

  keySessions(id: number): KeySession[] {
    return this.host.caps.keySessions ? (this.sessions.get(id) ?? []).map((s) => ({ ...s })) : [];
  }

  endKeySessions(id: number): EndSessionsResult {
    if (!this.host.caps.endSessions) throw new Error(featureUnavailableReason(this.host.caps, 'endSessions') ?? 'This NAS cannot end sessions.');
    const list = this.sessions.get(id) ?? [];
    const kept = list.filter((s) => s.current);
    this.sessions.set(id, kept);
    return { ended: list.length - kept.length, keptCurrent: kept.length > 0, failed: 0 };
  }

  availableRoles(): RoleInfo[] {
    return this.host.caps.scopedKeys ? SAMPLE_ROLES.filter((r) => !(r.name in REFUSED_ROLES)).map((r) => ({ ...r, includes: [...r.includes] })) : [];
  }

  planScopedKey(input: ScopedKeyInput): ScopedKeyPlan {
    const keys = [...this.host.keys.values()];
    const usernames = this.host.owners.map((o) => o.username);
    return planScopedKey(input, this.host.caps, {
      taken: { keys: keys.map((k) => k.name), usernames, groups: usernames, privileges: [] },
      roles: SAMPLE_ROLES,
    });
  }

  /** Runs a plan in memory: a service account joins the owners, the key is added; an armed fault fails a step. */
  createScopedKey(plan: ScopedKeyPlan): { key: ApiKey; secret: string; created: { groupId: number | null; privilegeId: number | null; userId: number | null; username: string | null } } {
    checkScopedRoles(plan.roles, SAMPLE_ROLES);
    const fault = this.scopedFault;
    this.scopedFault = null;
    const done: ScopedKeyStep[] = [];
    const created = { groupId: null as number | null, privilegeId: null as number | null, userId: null as number | null, username: null as string | null };
    for (const [index, step] of plan.steps.entries()) {
      if (fault && fault.step === step.kind) {
        // Undone: the service account goes again; a failed undo leaves it (and says so).
        if (!fault.undoFails && created.username !== null) this.host.owners.splice(this.host.owners.findIndex((o) => o.username === created.username), 1);
        const left = fault.undoFails ? done.filter((s) => s.kind !== 'use-group').reverse().map((s) => describeLeft(s)) : [];
        throw new MemoryScopedKeyError(step.kind, index, fault.reason ?? 'Out of memory', left, plan.steps.length);
      }
      done.push(step);
      if (step.kind === 'create-group') created.groupId = 900 + this.host.keys.size;
      if (step.kind === 'create-privilege') created.privilegeId = 50 + this.host.keys.size;
      if (step.kind === 'create-user') {
        const id = 3000 + this.host.owners.length;
        this.host.owners.push({ id, uid: 3000 + id, username: step.username, fullName: step.fullName, roles: [...plan.roles], local: true, builtin: false, locked: false });
        created.userId = id;
        created.username = step.username;
      }
      if (step.kind === 'create-key') {
        const owner = this.host.owners.find((o) => o.username === step.username);
        const made = this.host.addKey({
          name: step.name,
          username: step.username,
          userIdentifier: owner?.id ?? null,
          local: owner ? true : null,
          createdAt: Math.floor(Date.now() / 1000) * 1000,
          expiresAt: step.expiresAt,
          revoked: false,
          revokedReason: null,
          allowlist: step.allowlist ? step.allowlist.map((e) => ({ ...e })) : null,
        });
        return { ...made, created };
      }
    }
    throw new MemoryScopedKeyError('create-key', plan.steps.length, 'The plan has no key step.', [], plan.steps.length);
  }

  upgradeRisks(): UpgradeReadiness {
    return upgradeRisks([...this.host.keys.values()], this.host.caps);
  }
}

function describeLeft(step: ScopedKeyStep): string {
  switch (step.kind) {
    case 'create-group':
      return `group “${step.name}”, which could not be removed: Database is locked`;
    case 'create-privilege':
      return `privilege “${step.name}”, which could not be removed: Database is locked`;
    case 'create-user':
      return `service account “${step.username}”, which could not be removed: Database is locked`;
    default:
      return step.kind;
  }
}
