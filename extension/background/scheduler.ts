/**
 * Delayed tasks that survive the background being stopped (Chrome stops an idle service worker
 * after ~30 s; Firefox unloads an idle event page). Each deadline is persisted in
 * `storage.local` and armed twice: a `setTimeout` (alarms have a minimum delay: 30 s on Chrome,
 * 1 min on Firefox) and an alarm that wakes a stopped background. Whichever fires first runs the
 * task once; `start()` runs tasks that came due while nothing was running.
 *
 * Handlers are registered with `defineTask()` synchronously at top level, before any event can
 * arrive, so a wake-up by alarm always finds its handler.
 */
import browser from 'webextension-polyfill';
import { readLocal, serialized, writeLocal } from './store.js';

const KEY = 'scheduler.deadlines';
const ALARM_PREFIX = 'task:';

type Handler = () => Promise<void> | void;
const handlers = new Map<string, Handler>();
const timers = new Map<string, ReturnType<typeof setTimeout>>();
const periodic = new Map<string, Handler>();

type Deadlines = Record<string, number>;

async function deadlines(): Promise<Deadlines> {
  return (await readLocal<Deadlines>(KEY)) ?? {};
}

function without(all: Deadlines, name: string): Deadlines {
  return Object.fromEntries(Object.entries(all).filter(([key]) => key !== name));
}

export function defineTask(name: string, handler: Handler): void {
  handlers.set(name, handler);
}

/** Runs `handler` every `minutes` (an alarm; survives restarts). Register at top level. */
export function definePeriodic(name: string, minutes: number, handler: Handler): void {
  periodic.set(name, handler);
  void browser.alarms.get(name).then((existing) => {
    if (!existing || existing.periodInMinutes !== minutes) void browser.alarms.create(name, { periodInMinutes: minutes, delayInMinutes: minutes });
  });
}

function arm(name: string, at: number): void {
  clearTimeout(timers.get(name));
  // setTimeout fires in this background instance; long delays are left to the alarm alone.
  const delay = Math.max(0, at - Date.now());
  if (delay < 2_147_000_000) timers.set(name, setTimeout(() => void fire(name), delay));
  void browser.alarms.create(ALARM_PREFIX + name, { when: Math.max(at, Date.now() + 1000) });
}

/** Runs task `name` at epoch ms `at` (replacing an earlier deadline for it). */
export function schedule(name: string, at: number): Promise<void> {
  if (!handlers.has(name)) throw new Error(`No task named ${name}`);
  return serialized(KEY, async () => {
    await writeLocal(KEY, { ...(await deadlines()), [name]: at });
    arm(name, at);
  });
}

export function cancel(name: string): Promise<void> {
  return serialized(KEY, async () => {
    const all = await deadlines();
    clearTimeout(timers.get(name));
    timers.delete(name);
    void browser.alarms.clear(ALARM_PREFIX + name);
    if (name in all) await writeLocal(KEY, without(all, name));
  });
}

/** The pending deadline of a task, if any. */
export async function deadlineOf(name: string): Promise<number | undefined> {
  return (await deadlines())[name];
}

/** Runs a task if it is due; the deadline is removed first so it runs once. */
async function fire(name: string): Promise<void> {
  const due = await serialized(KEY, async () => {
    const all = await deadlines();
    const at = all[name];
    if (at === undefined) return false;
    if (at > Date.now() + 25) {
      arm(name, at); // woken early (a replaced deadline): wait for the real one
      return false;
    }
    await writeLocal(KEY, without(all, name));
    clearTimeout(timers.get(name));
    timers.delete(name);
    void browser.alarms.clear(ALARM_PREFIX + name);
    return true;
  });
  if (!due) return;
  try {
    await handlers.get(name)?.();
  } catch (error) {
    console.error(`[scheduler] task ${name} failed:`, error instanceof Error ? error.message : error);
  }
}

/** The alarms listener (registered at top level in the background entry). */
export function onAlarm(alarm: browser.Alarms.Alarm): void {
  if (alarm.name.startsWith(ALARM_PREFIX)) {
    void fire(alarm.name.slice(ALARM_PREFIX.length));
    return;
  }
  const handler = periodic.get(alarm.name);
  if (handler) {
    void Promise.resolve()
      .then(handler)
      .catch((error: unknown) => console.error(`[scheduler] periodic ${alarm.name} failed:`, error instanceof Error ? error.message : error));
  }
}

/** Re-arms every persisted deadline in this background instance and runs the overdue ones. */
export async function start(): Promise<void> {
  const all = await deadlines();
  for (const [name, at] of Object.entries(all)) {
    if (!handlers.has(name)) continue;
    if (at <= Date.now()) void fire(name);
    else arm(name, at);
  }
}
