/**
 * A bare websocket client for the simulator's own tests and benchmark: sends frames exactly as
 * given and exposes every frame received, so protocol edges can be checked byte for byte.
 * (The product's real client is components/client/.)
 */
import WebSocket from 'ws';

// Test-side JSON: frames are arbitrary objects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Frame = any;

export interface Closed {
  code: number;
  reason: string;
}

/** A wait ended because the socket closed. */
export class SocketClosed extends Error {
  constructor(readonly code: number) {
    super(`socket closed (${code})`);
  }
}

export class RawSocket {
  readonly frames: Frame[] = [];
  readonly closed: Promise<Closed>;
  private waiters: Array<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void; reject: (e: Error) => void }> = [];
  private nextId = 1;

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        // Nothing more can arrive: fail pending waits at once instead of at their timeout.
        for (const w of this.waiters.splice(0)) w.reject(new SocketClosed(code));
      }),
    );
    ws.on('message', (data, isBinary) => {
      let frame: Frame;
      try {
        frame = isBinary ? { binary: Buffer.from(data as Buffer).toString() } : JSON.parse(String(data));
      } catch {
        frame = { unparsable: String(data) };
      }
      const i = this.waiters.findIndex((w) => w.match(frame));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(frame);
      else this.frames.push(frame);
    });
  }

  /** Opens `base + path` (http(s) base URLs are turned into ws(s)). */
  static open(base: string, path: string, options: { ca?: string } = {}): Promise<RawSocket> {
    const url = `${base.replace(/^http/, 'ws')}${path}`;
    const ws = new WebSocket(url, { ...(options.ca ? { ca: options.ca } : {}), maxPayload: 64 * 1024 * 1024 });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RawSocket(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame matching `match` (already received or future), or a timeout error. */
  next(match: (f: Frame) => boolean = () => true, timeoutMs = 5000): Promise<Frame> {
    const i = this.frames.findIndex(match);
    if (i >= 0) return Promise.resolve(this.frames.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (f: Frame) => {
          clearTimeout(timer);
          resolve(f);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      if (this.ws.readyState === this.ws.CLOSED) {
        reject(new SocketClosed(-1));
        return;
      }
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching frame within ${timeoutMs} ms; unmatched: ${JSON.stringify(this.frames).slice(0, 500)}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Resolves true if no frame arrives within `ms`. */
  async silent(ms = 200): Promise<boolean> {
    try {
      await this.next(() => true, ms);
      return false;
    } catch {
      return true;
    }
  }

  /** JSON-RPC call: resolves with the whole reply envelope. */
  rpc(method: string, params: unknown[] = []): Promise<Frame> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return this.next((f) => f.id === id && ('result' in f || 'error' in f));
  }

  /** Legacy method call (after `connect`): resolves with the whole result frame. */
  call(method: string, params: unknown[] = []): Promise<Frame> {
    const id = `c${this.nextId++}`;
    this.send({ msg: 'method', id, method, params });
    return this.next((f) => f.id === id && f.msg === 'result');
  }

  /** Legacy handshake. */
  async connect(): Promise<Frame> {
    this.send({ msg: 'connect', version: '1', support: ['1'], features: [] });
    return this.next((f) => f.msg === 'connected' || f.msg === 'failed');
  }

  close(): void {
    this.ws.close();
  }
}

/** Opens the profile's preferred endpoint and logs in with an API key (JSON-RPC or legacy). */
export async function openLoggedIn(sim: { url: string; profile: string; admin: { apiKey: string } }, apiKey = sim.admin.apiKey): Promise<RawSocket> {
  const legacy = sim.profile === '22.02' || sim.profile === '24.10';
  const s = await RawSocket.open(sim.url, legacy ? '/websocket' : '/api/current');
  if (legacy) await s.connect();
  const reply = legacy ? await s.call('auth.login_with_api_key', [apiKey]) : await s.rpc('auth.login_with_api_key', [apiKey]);
  if (reply.result !== true) throw new Error(`login failed: ${JSON.stringify(reply)}`);
  return s;
}
