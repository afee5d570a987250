import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchWithExtension, type ExtensionSession } from '../helpers/extension.js';

let session: ExtensionSession;
before(async () => {
  session = await launchWithExtension();
});
after(async () => {
  await session?.close();
});

test('the extension loads and its popup opens', async () => {
  assert.match(session.extensionId, /^[a-p]{32}$/);
  const popup = await session.open('popup/popup.html');
  const heading = await popup.waitForSelector('h1');
  assert.equal(await heading!.evaluate((h) => h.textContent), 'NAS Key Manager');
});
