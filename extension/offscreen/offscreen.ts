/**
 * Chrome offscreen document (reason CLIPBOARD): the background's hands on the clipboard. It talks
 * only over its own `offscreen` port (never `runtime.sendMessage`, which would reach every page),
 * and closes itself when the background goes away, so it never keeps a stopped worker awake.
 */
import browser from 'webextension-polyfill';
import { readClipboard, writeClipboard } from '../shared/clipboard-dom.js';
import { OFFSCREEN_PORT, type OffscreenReply, type OffscreenRequest } from '../shared/protocol.js';

const port = browser.runtime.connect({ name: OFFSCREEN_PORT });

port.onMessage.addListener((message) => {
  const request = message as OffscreenRequest;
  let reply: OffscreenReply;
  try {
    if (request.op === 'write') reply = { id: request.id, ok: writeClipboard(request.text) };
    else reply = { id: request.id, ok: true, text: readClipboard() };
  } catch (error) {
    reply = { id: request.id, ok: false, error: error instanceof Error ? error.name : 'Error' };
  }
  port.postMessage(reply);
});

port.onDisconnect.addListener(() => window.close());
