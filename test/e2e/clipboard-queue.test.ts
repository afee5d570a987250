/**
 * The clipboard is always cleared (issue 9): copy and clear run in one queue, the clear record is
 * written before the clipboard, a clear removes only its own record, and a failed read-back clears
 * anyway. Real clipboard, real storage.local, real offscreen document in headless Chromium; faults
 * are injected into the real document (closed, killed, not answering, throwing) or by filling
 * storage.local to its real quota.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Target } from 'puppeteer-core';
import { delay, launch, readClipboard, request, waitForClipboard, writeClipboard, type Session } from './helpers/session.js';

let session: Session;
before(async () => {
  session = await launch();
});
after(async () => {
  await session?.close();
});

const PASS = 'correct horse battery staple';

interface ClearRecord {
  id: string;
  salt: string;
  digest: string;
  clearsAt: number;
}

/** What the background has stored about the clipboard: the clear record and the task's deadline. */
async function stored(): Promise<{ record: ClearRecord | undefined; deadline: number | undefined }> {
  const items = await session.background(async () => chrome.storage.local.get(['clipboard.copied', 'scheduler.deadlines']));
  const deadlines = (items['scheduler.deadlines'] ?? {}) as Record<string, number>;
  return { record: items['clipboard.copied'] as ClearRecord | undefined, deadline: deadlines['clipboard-clear'] };
}

function digestOf(text: string, salt: string): string {
  return createHash('sha256').update(`${salt}\u0000${text}`).digest('hex');
}

async function waitFor(what: string, condition: () => Promise<boolean>, timeout = 10_000): Promise<void> {
  const until = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`Timed out after ${timeout} ms waiting for ${what}`);
    await delay(50);
  }
}

/** Nothing left behind: no clear record, no clear deadline. */
async function assertNoLeak(): Promise<void> {
  const { record, deadline } = await stored();
  assert.equal(record, undefined, 'no clear record is left behind');
  assert.equal(deadline, undefined, 'no clear deadline is left behind');
}

function offscreenTarget(): Target | undefined {
  return session.browser.targets().find((t) => t.url() === `chrome-extension://${session.extensionId}/offscreen/offscreen.html`);
}

/** Evaluates in the live offscreen document (through CDP: it is not a page puppeteer opens). */
async function inOffscreen<T>(expression: string): Promise<T> {
  const target = offscreenTarget();
  assert.ok(target, 'an offscreen document is open');
  const cdp = await target.createCDPSession();
  try {
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (exceptionDetails) throw new Error(`offscreen evaluate failed: ${exceptionDetails.text}`);
    return result.value as T;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/**
 * Makes the offscreen document receive read requests but never answer them: the text it would
 * send back cannot be serialised, so its reply throws inside the document. Arrival is flagged.
 */
const SWALLOW_READS = `(() => {
  DataTransfer.prototype.getData = function () {
    globalThis.__nkmReadArrived = true;
    return { get unserialisable() { throw new Error('injected: this reply cannot be sent'); } };
  };
  return true;
})()`;

/** Closes the offscreen document's target from the browser (as if it crashed or was killed). */
async function killOffscreenTarget(): Promise<void> {
  const cdp = await session.browser.target().createCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const info = targetInfos.find((t) => t.url.endsWith('/offscreen/offscreen.html'));
    assert.ok(info, 'the offscreen target exists');
    await cdp.send('Target.closeTarget', { targetId: info.targetId });
  } finally {
    await cdp.detach().catch(() => undefined);
  }
  await waitFor('the offscreen target to go', async () => offscreenTarget() === undefined);
}

test('concurrent copy, clear and lock loops never leave a secret without its clear', async () => {
  const page = await session.open('popup/popup.html');
  const reader = await session.open('popup/popup.html');
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 1000 })).ok);
  const setup = await request(page, 'vault.setup', { passphrase: PASS });
  assert.ok(setup.ok, JSON.stringify(setup));
  const secrets = new Set<string>();
  for (let i = 0; i < 30; i++) {
    const secret = `loop-secret-${i}-${Math.random().toString(36).slice(2)}`;
    secrets.add(secret);
    const ops: Array<() => Promise<unknown>> = [
      async () => {
        const copied = await request<{ clearsAt: number }>(page, 'clipboard.copy', { text: secret });
        assert.ok(copied.ok, `copy ${i}: ${JSON.stringify(copied)}`);
      },
    ];
    if (i % 2 === 0) ops.push(async () => assert.ok((await request(page, 'clipboard.clear', null)).ok));
    if (i % 3 === 0) {
      ops.push(async () => {
        assert.ok((await request(page, 'vault.lock', null)).ok);
        const unlocked = await request(page, 'vault.unlock', { passphrase: PASS });
        assert.ok(unlocked.ok, JSON.stringify(unlocked));
      });
    }
    if (i % 4 === 1) ops.push(async () => assert.ok((await request(page, 'clipboard.copy', { text: `${secret}-again` })).ok));
    if (i % 4 === 1) secrets.add(`${secret}-again`);
    // Start them in a rotating order a few ms apart, so each kind of operation overtakes the others.
    const rotated = [...ops.slice(i % ops.length), ...ops.slice(0, i % ops.length)];
    await Promise.all(rotated.map(async (op, k) => (await delay(k * (i % 5)), op())));
    // Every request has answered. Whatever is on the clipboard now was there when `before` was
    // read (nothing else copies), so if it is one of our secrets its clear must be recorded.
    const before = await stored();
    const now = Date.now();
    const clip = await readClipboard(reader);
    if (secrets.has(clip)) {
      assert.ok(before.record, `iteration ${i}: a secret is on the clipboard but its clear record is gone`);
      assert.equal(digestOf(clip, before.record.salt), before.record.digest, `iteration ${i}: the record is for the secret on the clipboard`);
      assert.ok(before.deadline === before.record.clearsAt || before.record.clearsAt <= now, `iteration ${i}: its clear is scheduled (or running)`);
    } else {
      assert.equal(clip, '', `iteration ${i}: the clipboard holds a secret or nothing`);
    }
  }
  // After the last clear the clipboard is empty and nothing is left behind.
  await waitForClipboard(reader, '', 4000);
  await waitFor('the last clear to finish', async () => (await stored()).record === undefined, 4000);
  await assertNoLeak();
  await page.close();
  await reader.close();
});

test('a clear for an older copy leaves the newer copy and its record alone (timer races)', async () => {
  const page = await session.open('popup/popup.html');
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 1000 })).ok);
  for (const offset of [-40, -15, -5, 0, 5, 15, 40]) {
    const first = await request<{ clearsAt: number }>(page, 'clipboard.copy', { text: `older-${offset}` });
    assert.ok(first.ok, JSON.stringify(first));
    // Copy the newer one right when the older one's clear fires.
    await delay(Math.max(0, first.value.clearsAt + offset - Date.now()));
    const second = await request<{ clearsAt: number }>(page, 'clipboard.copy', { text: `newer-${offset}` });
    assert.ok(second.ok, JSON.stringify(second));
    const { record } = await stored();
    assert.ok(record, `offset ${offset}: the newer copy has its record`);
    assert.equal(digestOf(`newer-${offset}`, record.salt), record.digest, `offset ${offset}: the record is the newer copy's`);
    assert.equal(await readClipboard(page), `newer-${offset}`, `offset ${offset}: the older clear did not touch the newer copy`);
    await waitForClipboard(page, '', second.value.clearsAt - Date.now() + 3000);
    assert.ok(Date.now() >= second.value.clearsAt - 50, `offset ${offset}: the newer copy was cleared at its own time, not earlier`);
    await waitFor('the clear to finish', async () => (await stored()).record === undefined, 3000);
  }
  await assertNoLeak();
  await page.close();
});

test('a copy made while an older clear is stuck waits for it and is still cleared at its own time', async () => {
  const page = await session.open('popup/popup.html');
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 1000 })).ok);
  const first = await request<{ clearsAt: number }>(page, 'clipboard.copy', { text: 'stuck-older' });
  assert.ok(first.ok, JSON.stringify(first));
  await inOffscreen(SWALLOW_READS);
  await waitFor('the older clear to start reading', async () => (await inOffscreen<boolean>('globalThis.__nkmReadArrived === true').catch(() => false)) === true, 5000);
  // The older clear is waiting for a reply that never comes; the newer copy queues behind it.
  const second = await request<{ clearsAt: number }>(page, 'clipboard.copy', { text: 'stuck-newer' });
  assert.ok(second.ok, JSON.stringify(second));
  assert.equal(await readClipboard(page), 'stuck-newer');
  const { record, deadline } = await stored();
  assert.ok(record, 'the newer copy has its record');
  assert.equal(digestOf('stuck-newer', record.salt), record.digest);
  assert.equal(deadline, record.clearsAt);
  assert.equal(record.clearsAt, second.value.clearsAt, 'the time the caller was told is the recorded one');
  await waitForClipboard(page, '', second.value.clearsAt - Date.now() + 3000);
  await waitFor('the clear to finish', async () => (await stored()).record === undefined, 3000);
  await assertNoLeak();
  await page.close();
});

test('with storage.local full a copy is refused before anything reaches the clipboard; after freeing space it works', async () => {
  const page = await session.open('popup/popup.html');
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 1500 })).ok);
  await writeClipboard(page, 'the user’s own text');
  // Fill storage.local to its real quota with junk, as a hostile key list once did.
  const filled = await session.background(async () => {
    const quota = chrome.storage.local.QUOTA_BYTES;
    let size = 1 << 20;
    let n = 0;
    while (size >= 4) {
      try {
        await chrome.storage.local.set({ [`junk.${n}`]: 'x'.repeat(size) });
        n++;
      } catch {
        size = Math.floor(size / 2);
      }
    }
    return { n, quota, used: await chrome.storage.local.getBytesInUse(null) };
  });
  const freeSpace = () => session.background(async (count: number) => chrome.storage.local.remove(Array.from({ length: count }, (_, k) => `junk.${k}`)), filled.n);
  try {
    assert.ok(filled.used > filled.quota - 200, `storage.local is full (${filled.used} of ${filled.quota} bytes)`);
    const refused = await request(page, 'clipboard.copy', { text: 'full-secret' });
    assert.equal(refused.ok, false, 'the copy is refused');
    assert.equal(!refused.ok && refused.error.code, 'clipboard');
    assert.match(!refused.ok ? refused.error.message : '', /^Not copied: .*storage is full/);
    assert.equal(await readClipboard(page), 'the user’s own text', 'the clipboard is unchanged');
    await assertNoLeak();
  } finally {
    await freeSpace();
  }
  const copied = await request<{ clearsAt: number }>(page, 'clipboard.copy', { text: 'roomy-secret' });
  assert.ok(copied.ok, JSON.stringify(copied));
  assert.equal(await readClipboard(page), 'roomy-secret');
  await waitForClipboard(page, '', copied.value.clearsAt - Date.now() + 3000);
  await waitFor('the clear to finish', async () => (await stored()).record === undefined, 3000);
  await assertNoLeak();
  await page.close();
});

test('an offscreen document closed right before the clear is replaced and the clear still clears', async () => {
  const page = await session.open('popup/popup.html');
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 1500 })).ok);
  const copied = await request<{ clearsAt: number }>(page, 'clipboard.copy', { text: 'closed-before' });
  assert.ok(copied.ok, JSON.stringify(copied));
  await delay(Math.max(0, copied.value.clearsAt - 150 - Date.now()));
  await session.background(async () => chrome.offscreen.closeDocument());
  await waitForClipboard(page, '', copied.value.clearsAt - Date.now() + 6000);
  await waitFor('the clear to finish', async () => (await stored()).record === undefined, 3000);
  await assertNoLeak();
  // The next copy gets a fresh document.
  const again = await request(page, 'clipboard.copy', { text: 'after-close' });
  assert.ok(again.ok, JSON.stringify(again));
  assert.equal(await readClipboard(page), 'after-close');
  assert.ok((await request(page, 'clipboard.clear', null)).ok);
  assert.equal(await readClipboard(page), '');
  await page.close();
});

test('an offscreen document killed while the clear reads: the clear still clears, through a fresh document', async () => {
  const page = await session.open('popup/popup.html');
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 1000 })).ok);
  const copied = await request<{ clearsAt: number }>(page, 'clipboard.copy', { text: 'killed-while-reading' });
  assert.ok(copied.ok, JSON.stringify(copied));
  await inOffscreen(SWALLOW_READS);
  await waitFor('the clear to start reading', async () => (await inOffscreen<boolean>('globalThis.__nkmReadArrived === true').catch(() => false)) === true, 5000);
  assert.equal(await readClipboard(page), 'killed-while-reading');
  await killOffscreenTarget();
  await waitForClipboard(page, '', 8000);
  await waitFor('the clear to finish', async () => (await stored()).record === undefined, 3000);
  await assertNoLeak();
  await page.close();
});

test('an offscreen document that never answers the read times out and the clipboard is cleared anyway', async () => {
  const page = await session.open('popup/popup.html');
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 1000 })).ok);
  const copied = await request<{ clearsAt: number }>(page, 'clipboard.copy', { text: 'never-answered' });
  assert.ok(copied.ok, JSON.stringify(copied));
  await inOffscreen(SWALLOW_READS);
  // A clearNow (as the lock does) with a read that hangs: the call itself returns, and clears.
  const cleared = await request(page, 'clipboard.clear', null);
  assert.ok(cleared.ok, JSON.stringify(cleared));
  assert.equal(await readClipboard(page), '');
  await assertNoLeak();
  await page.close();
});

test('an offscreen read that throws clears anyway; text the user copied meanwhile is left alone', async () => {
  const page = await session.open('popup/popup.html');
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 20_000 })).ok);
  assert.ok((await request(page, 'clipboard.copy', { text: 'read-throws' })).ok);
  await inOffscreen(`(() => { const make = Document.prototype.createElement; Document.prototype.createElement = function (name, ...rest) { if (name === 'textarea') throw new Error('injected read failure'); return make.call(this, name, ...rest); }; return true; })()`);
  assert.ok((await request(page, 'clipboard.clear', null)).ok);
  assert.equal(await readClipboard(page), '');
  await assertNoLeak();
  // A readable clipboard holding the user's own text is not ours to clear.
  assert.ok((await request(page, 'clipboard.copy', { text: 'ours' })).ok);
  await writeClipboard(page, 'theirs');
  assert.ok((await request(page, 'clipboard.clear', null)).ok);
  assert.equal(await readClipboard(page), 'theirs');
  await assertNoLeak();
  await page.close();
});

test('with the clear delay "never" a copy stays with no timed clear, and a lock still clears it', async () => {
  const page = await session.open('popup/popup.html');
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 20_000 })).ok);
  assert.ok((await request(page, 'clipboard.copy', { text: 'before-never' })).ok);
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 0 })).ok);
  const copied = await request<{ clearsAt: number | null }>(page, 'clipboard.copy', { text: 'kept-forever' });
  assert.ok(copied.ok, JSON.stringify(copied));
  assert.equal(copied.value.clearsAt, null);
  assert.equal(await readClipboard(page), 'kept-forever');
  const { record, deadline } = await stored();
  assert.equal(deadline, undefined, 'no timed clear');
  assert.ok(record, 'a record without a deadline, so a lock knows the value is ours');
  assert.ok((await request(page, 'vault.lock', null)).ok);
  assert.equal(await readClipboard(page), '', 'the lock cleared it');
  await assertNoLeak();
  assert.ok((await request(page, 'vault.unlock', { passphrase: PASS })).ok);
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 30_000 })).ok);
  await page.close();
});

test('a copy whose write is lost (outcome unknown, twice) still clears the earlier secret it may not have replaced, at its time', async () => {
  const page = await session.open('popup/popup.html');
  // Long enough that the lost copy below is done before this one's clear comes due, even under load.
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 5000 })).ok);
  const first = await request<{ clearsAt: number }>(page, 'clipboard.copy', { text: 'earlier-secret' });
  assert.ok(first.ok, JSON.stringify(first));
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 20_000 })).ok);
  // Both tries of the next write "may have written" but did not: the clipboard still holds the earlier secret.
  await session.background(() => (globalThis as unknown as { __nkmTest: { loseClipboardWrites(n: number): void } }).__nkmTest.loseClipboardWrites(2));
  const second = await request(page, 'clipboard.copy', { text: 'lost-secret' });
  assert.equal(second.ok, false, 'the copy reports that it failed');
  assert.equal(await readClipboard(page), 'earlier-secret');
  const { record, deadline } = await stored();
  assert.ok(record, 'one record stands for both values');
  assert.equal(record.digest, digestOf('lost-secret', record.salt));
  assert.equal(deadline, first.value.clearsAt, "the earlier secret keeps its own clear time, not the new copy's later one");
  await waitForClipboard(page, '', 12_000);
  assert.ok(Date.now() >= first.value.clearsAt - 50);
  await waitFor('the clear to finish', async () => (await stored()).record === undefined, 3000);
  await assertNoLeak();
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 30_000 })).ok);
  await page.close();
});

test('a lost write in "never" mode: the earlier secret keeps its timed clear, and a lock clears it too', async () => {
  const page = await session.open('popup/popup.html');
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 20_000 })).ok);
  const earlier = await request<{ clearsAt: number }>(page, 'clipboard.copy', { text: 'earlier-never' });
  assert.ok(earlier.ok);
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 0 })).ok);
  await session.background(() => (globalThis as unknown as { __nkmTest: { loseClipboardWrites(n: number): void } }).__nkmTest.loseClipboardWrites(2));
  assert.equal((await request(page, 'clipboard.copy', { text: 'lost-never' })).ok, false);
  assert.equal(await readClipboard(page), 'earlier-never');
  assert.equal((await stored()).deadline, earlier.value.clearsAt, 'the earlier secret keeps its timed clear');
  assert.ok((await request(page, 'vault.lock', null)).ok);
  assert.equal(await readClipboard(page), '', 'the lock cleared the earlier secret the lost copy could not replace');
  await assertNoLeak();
  assert.ok((await request(page, 'vault.unlock', { passphrase: PASS })).ok);
  assert.ok((await request(page, 'settings.update', { clipboardClearMs: 30_000 })).ok);
  await page.close();
});
