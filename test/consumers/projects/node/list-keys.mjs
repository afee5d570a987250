// node list-keys.mjs <url> <username> <password|api key>: signs in, prints what the NAS is and its keys as JSON.
import WebSocket from 'ws';
import { TrueNasClient, InvalidCredentialsError } from '@nas-key-manager/truenas-client';

const [url, username, secret] = process.argv.slice(2);
const client = new TrueNasClient({ url, WebSocket, reconnect: false });
try {
  // The client sends a password over plain ws:// only when told to; here it is the local simulator.
  const local = new URL(url).hostname === '127.0.0.1';
  const credentials = /^\d+-[A-Za-z0-9]{64}$/.test(secret)
    ? { type: 'apiKey', username, key: secret }
    : { type: 'password', username, password: secret, allowInsecureTransport: local };
  await client.login(credentials);
  const caps = await client.capabilities();
  const keys = await client.apiKeys.query([], { order_by: ['id'] });
  console.log(JSON.stringify({ version: caps.version, protocol: caps.protocol, keys: keys.map((k) => ({ id: k.id, name: k.name })) }));
} catch (error) {
  console.error(error instanceof InvalidCredentialsError ? `bad login: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await client.close();
}
