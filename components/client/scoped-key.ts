/**
 * Runs a scoped-key plan (components/model/scoped-key.ts) against a NAS: group, privilege,
 * service account, then the key, in that order (the privilege must exist before the key, or the
 * key is refused: truenas-accounts.md §1). If a step fails, what this run created is removed again
 * in reverse order and the error says which step failed, why, and what (if anything) is left.
 */
import type { HostCapabilities } from '../model/api-key.js';
import {
  checkScopedRoles,
  describeScopedStep,
  planScopedKey as planFromContext,
  type ScopedKeyCreated,
  type ScopedKeyFailure,
  type ScopedKeyInput,
  type ScopedKeyPlan,
  type ScopedKeyResult,
  type ScopedKeyStep,
  type ScopedStepKind,
  type TakenNames,
} from '../model/scoped-key.js';
import { withoutMethodNames } from './accounts.js';
import type { TrueNasClient } from './client.js';
import { ConnectionClosedError, InsecureTransportError, TimeoutError, TrueNasError } from './errors.js';
import { mayReceiveKey } from './url.js';

/** A scoped-key run that stopped at a step; see ScopedKeyFailure. `cause` is the NAS error. */
export class ScopedKeyError extends TrueNasError implements ScopedKeyFailure {
  readonly failedStep: ScopedStepKind;
  readonly stepIndex: number;
  readonly reason: string;
  readonly undone: boolean;
  readonly leftOnNas: readonly string[];
  constructor(init: { step: ScopedKeyStep; stepIndex: number; stepCount: number; cause: unknown; leftOnNas: string[] }) {
    const reason = init.cause instanceof Error ? init.cause.message : String(init.cause);
    const what = STEP_WHAT[init.step.kind](init.step);
    const undo =
      init.leftOnNas.length === 0
        ? 'Nothing was left on the NAS: everything created before it was removed again.'
        : `Undoing the earlier steps did not fully succeed; still on the NAS: ${init.leftOnNas.join('; ')}. Remove ${init.leftOnNas.length === 1 ? 'it' : 'them'} by hand.`;
    super('call', `Creating the scoped key stopped at step ${init.stepIndex + 1} of ${init.stepCount} (${what}): ${reason} ${undo}`);
    this.failedStep = init.step.kind;
    this.stepIndex = init.stepIndex;
    this.reason = reason;
    this.undone = init.leftOnNas.length === 0;
    this.leftOnNas = init.leftOnNas;
    this.cause = init.cause;
  }
}

const STEP_WHAT: { [K in ScopedStepKind]: (step: ScopedKeyStep) => string } = {
  'use-group': (s) => `finding the built-in group ${s.kind === 'use-group' ? `“${s.name}”` : ''}`,
  'create-group': (s) => `creating the group ${s.kind === 'create-group' ? `“${s.name}”` : ''}`,
  'create-privilege': (s) => `creating the privilege ${s.kind === 'create-privilege' ? `“${s.name}”` : ''}`,
  'create-user': (s) => `creating the service account ${s.kind === 'create-user' ? `“${s.username}”` : ''}`,
  'create-key': (s) => `creating the API key ${s.kind === 'create-key' ? `“${s.name}”` : ''}`,
};

/** Names in use on the NAS (users, groups, privileges, keys), read in parallel with few fields. */
export async function takenNames(client: TrueNasClient, caps: HostCapabilities): Promise<TakenNames> {
  const scoped = caps.scopedKeys ?? caps.userLinkedKeys;
  const [keys, users, groups, privileges] = await Promise.all([
    client.apiKeys.query([], { select: ['id', 'name'] }),
    scoped ? client.accounts.users([], { select: ['id', 'username'] }) : Promise.resolve([]),
    scoped ? client.accounts.groups([], { select: ['id', 'gid', 'name'] }) : Promise.resolve([]),
    scoped ? client.accounts.privileges([], { select: ['id', 'name'] }) : Promise.resolve([]),
  ]);
  return { keys: keys.map((k) => k.name), usernames: users.map((u) => u.username), groups: groups.map((g) => g.name), privileges: privileges.map((p) => p.name) };
}

/** Plans a scoped key for this NAS: reads the names in use and (for custom roles) `privilege.roles`. Nothing is changed. */
export async function planScopedKey(client: TrueNasClient, input: ScopedKeyInput): Promise<ScopedKeyPlan> {
  const caps = await client.capabilities();
  const scoped = caps.scopedKeys ?? caps.userLinkedKeys;
  const [taken, roles] = await Promise.all([takenNames(client, caps), scoped && input?.purpose === 'custom' ? client.accounts.roles() : Promise.resolve(null)]);
  return planFromContext(input, caps, { taken, roles });
}

/**
 * Runs `plan`. Returns the key and its secret; throws ScopedKeyError when a step failed (after
 * undoing what it created), ScopedKeyInputError when the plan asks for a refused role, and
 * InsecureTransportError (before anything is created) when the new key would travel in clear.
 */
export async function createScopedKey(client: TrueNasClient, plan: ScopedKeyPlan): Promise<ScopedKeyResult> {
  // A plan may come from elsewhere (a UI, a message): the refusal holds here too.
  checkScopedRoles(plan.roles, null);
  for (const step of plan.steps) if (step.kind === 'create-privilege' || step.kind === 'use-group') checkScopedRoles(step.roles, null);
  if (!mayReceiveKey(client.address)) throw new InsecureTransportError('receive-key', client.address.host);
  const created: ScopedKeyCreated = { groupId: null, privilegeId: null, userId: null, username: null };
  /** Undo actions, newest last, each with a description of what it removes. */
  const undo: Array<{ what: string; run: () => Promise<void> }> = [];
  let groupId: number | null = null;
  let gid: number | null = null;
  for (const [index, step] of plan.steps.entries()) {
    try {
      switch (step.kind) {
        case 'use-group': {
          const group = await client.accounts.groupByGid(step.gid);
          groupId = group.id;
          break;
        }
        case 'create-group': {
          const id = await client.accounts.createGroup(step.name);
          created.groupId = groupId = id;
          undo.push({ what: `group “${step.name}” (id ${id})`, run: () => client.accounts.deleteGroup(id) });
          gid = (await client.accounts.group(id)).gid;
          break;
        }
        case 'create-privilege': {
          if (gid === null) throw new Error('The plan has no group for the privilege.');
          const privilege = await client.accounts.createPrivilege({ name: step.name, localGroupGids: [gid], roles: step.roles, webShell: false });
          created.privilegeId = privilege.id;
          undo.push({ what: `privilege “${step.name}” (id ${privilege.id})`, run: () => client.accounts.deletePrivilege(privilege.id) });
          break;
        }
        case 'create-user': {
          const user = await client.accounts.createServiceUser({
            username: step.username,
            fullName: step.fullName,
            groupIds: groupId === null ? [] : [groupId],
            shell: step.shell,
            home: step.home,
          });
          created.userId = user.id;
          created.username = user.username;
          undo.push({ what: `service account “${step.username}” (id ${user.id})`, run: () => client.accounts.deleteUser(user.id) });
          break;
        }
        case 'create-key': {
          const input = step.allowlist ? { name: step.name, allowlist: step.allowlist } : { name: step.name, username: step.username ?? '', expiresAt: step.expiresAt };
          // Its answer carries the only copy of the secret: a slow NAS gets long to answer.
          const { key, secret } = await client.apiKeys.create(input, { timeoutMs: KEY_CALL_TIMEOUT_MS });
          // From here on the secret exists only in this answer: nothing below may throw it away.
          return { key, secret, plan, created, warnings: await afterKey(client, plan, created) };
        }
      }
    } catch (failure) {
      // The accounts calls already speak without method names; the key call is the api module's.
      const error = withoutMethodNames(failure, 'api_key.create');
      const leftOnNas: string[] = [];
      // No answer to the key call: the NAS may have made the key; with its owner removed below it
      // cannot sign in, but it is listed (revoked) until deleted.
      if (step.kind === 'create-key' && (failure instanceof TimeoutError || failure instanceof ConnectionClosedError)) {
        leftOnNas.push(`perhaps the API key “${step.name}” (the NAS did not answer; if it made the key, delete it)`);
      }
      for (const action of undo.reverse()) {
        try {
          await action.run();
        } catch (undoError) {
          leftOnNas.push(`${action.what}, which could not be removed: ${undoError instanceof Error ? undoError.message : String(undoError)}`);
        }
      }
      throw new ScopedKeyError({ step, stepIndex: index, stepCount: plan.steps.length, cause: error, leftOnNas });
    }
  }
  throw new ScopedKeyError({ step: plan.steps.at(-1) ?? { kind: 'create-key', name: plan.keyName, username: null, expiresAt: null, allowlist: null }, stepIndex: plan.steps.length, stepCount: plan.steps.length, cause: new Error('The plan has no key step.'), leftOnNas: [] });
}

/** Checks, after the key exists, that its owner has the planned roles; problems become warnings, never errors. */
async function afterKey(client: TrueNasClient, plan: ScopedKeyPlan, created: ScopedKeyCreated): Promise<string[]> {
  if (plan.mode !== 'roles' || created.userId === null) return [];
  try {
    const user = await client.accounts.user(created.userId);
    const missing = plan.roles.filter((r) => !user.roles.includes(r));
    return missing.length ? [`The service account does not show the roles ${missing.join(', ')} yet; check its group's privilege.`] : [];
  } catch (error) {
    return [`The key was created, but reading back its service account failed: ${error instanceof Error ? error.message : String(error)}`];
  }
}

export { describeScopedStep };

/** How long the key call may take (as the extension allows any call that returns a new secret). */
const KEY_CALL_TIMEOUT_MS = 120_000;
