/**
 * The simulated NAS: an HTTP(S) server with the websocket endpoints of the chosen profile,
 * the shared state (store, tokens, rate-limit cache), event fan-out, and the test-only control
 * actions (fault injection). The public API wrapper is index.ts.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { Connection } from './connection.js';
import type { EventPayload, EventType, MethodDef, SimContext, TokenRecord } from './context.js';
import { AuditLog } from './audit-log.js';
import { randomAlnum, totp } from './crypto.js';
import { CallError, ERRNO, SimError, UnexpectedError, ValidationError, ValidationErrors } from './errors.js';
import { methodsFor, servicesOf } from './methods/index.js';
import { getProfile, pinnedApiEra, type Profile, type ProfileName } from './profiles.js';
import { defaultSeed, loadSeed, seedDate, type SeedAllowlistEntry, type SeedData } from './seed.js';
import { dumpCredentials } from './sessions.js';
import { LEGACY_API_KEY, Store, type KeyRecord } from './store.js';
import { makeSelfSigned, type SelfSigned } from './tls.js';

export interface SimulatorOptions {
  /** TrueNAS release to impersonate (default 25.10). */
  profile?: ProfileName;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Serve https/wss with a freshly generated self-signed certificate. */
  tls?: boolean;
  /** Treat every new connection as remote and insecure (the API-key revocation path). */
  insecure?: boolean;
  /** Seed file path or object; default: the built-in seed (seed.ts). */
  seed?: string | SeedData;
  /** Load/save keys in this file (atomic writes). */
  persist?: string;
  /** Expose the control channel over HTTP/WS at /_sim/control (token required). Off by default. */
  control?: boolean;
  /** Rate limiting of anonymous calls (24.10+). Default true. */
  rateLimit?: boolean;
  /** Failed-login and rate-limit sleeps: true = real delays, false = none, a number scales them. Default true. */
  loginDelay?: boolean | number;
  /**
   * 25.04/25.10 key hashes with a NAS's 500,000 PBKDF2 rounds (about 0.25 s per key). Default false:
   * 1,000 rounds, and the stored string says so.
   */
  realHashes?: boolean;
}

/** A fault armed by the `failNext` control action. */
interface Fault {
  make: () => SimError;
  remaining: number;
}

const CONTROL_PATH = '/_sim/control';
const MAX_PAYLOAD = 16 * 1024 * 1024;
const RATE_LIMIT_CALLS = 20;
const RATE_LIMIT_PERIOD = 60_000;
const RATE_LIMIT_ENTRIES = 100;

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

export class Simulator implements SimContext {
  readonly profile: Profile;
  readonly store: Store;
  readonly tokens = new Map<string, TokenRecord>();
  readonly audit = new AuditLog();
  readonly methods: Map<string, MethodDef>;
  readonly services: Set<string>;
  redirectUrls: string[] | null = null;
  bootId = randomUUID();
  insecure: boolean;
  rateLimitEnabled: boolean;
  delayScale: number;
  readonly certificate?: SelfSigned;
  readonly controlToken?: string;
  port = 0;
  internalErrors = 0;
  /** Method handlers run so far (for tests and the benchmark). */
  handlerCalls = 0;
  private readonly connections = new Set<Connection>();
  private readonly delays = new Map<string, number>();
  private readonly faults = new Map<string, Fault>();
  private readonly seedData: SeedData;
  private readonly rateCache = new Map<string, { count: number; lastReset: number }>();
  private server?: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD, perMessageDeflate: false });

  constructor(private readonly opts: SimulatorOptions) {
    this.profile = getProfile(opts.profile ?? '25.10');
    this.seedData = opts.seed === undefined ? defaultSeed() : loadSeed(opts.seed);
    this.store = new Store(this.profile, this.seedData, opts.persist, { realHashes: opts.realHashes ?? false });
    this.seedAudit();
    this.methods = methodsFor(this.profile);
    this.services = servicesOf(this.methods);
    this.insecure = opts.insecure ?? false;
    this.rateLimitEnabled = opts.rateLimit ?? true;
    this.delayScale = opts.loginDelay === undefined || opts.loginDelay === true ? 1 : opts.loginDelay === false ? 0 : Math.max(0, opts.loginDelay);
    if (opts.tls) this.certificate = makeSelfSigned();
    if (opts.control) this.controlToken = randomBytes(24).toString('base64url');
  }

  get host(): string {
    return this.opts.host ?? '127.0.0.1';
  }

  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `${this.certificate ? 'https' : 'http'}://${host}:${this.port}`;
  }

  async listen(port = this.opts.port ?? 0): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.onRequest(req, res).catch(() => {
        // An aborted or broken request: answer if still possible, never crash the simulator.
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    };
    const server = this.certificate
      ? createHttpsServer({ key: this.certificate.keyPem, cert: this.certificate.certPem }, handler)
      : createHttpServer(handler);
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.onUpgrade(req, socket, head));
    server.on('clientError', (_err, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.ws.terminate();
    this.connections.clear();
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  forget(connection: Connection): void {
    this.connections.delete(connection);
  }

  connectionsList(): Connection[] {
    return [...this.connections];
  }

  /** The armed fault for `method`, if any (consumed). */
  takeFault(method: string): SimError | undefined {
    const fault = this.faults.get(method);
    if (!fault) return undefined;
    if (--fault.remaining <= 0) this.faults.delete(method);
    return fault.make();
  }

  /**
   * Seeded audit history (24.04+): AUTHENTICATION records as a login of that time would have
   * written them. guess: session ids and ports of past sessions are made up.
   */
  private seedAudit(): void {
    this.audit.clear();
    if (this.profile.n < 2404) return;
    const now = Date.now();
    const n = this.profile.n;
    for (const ev of this.seedData.audit ?? []) {
      const at = seedDate(ev.at, now, 'audit.at');
      const user = this.store.userByName(ev.username);
      const key = ev.key ? [...this.store.keys.values()].find((k) => k.name === ev.key) : undefined;
      const success = ev.success ?? true;
      const cred = key
        ? { kind: 'API_KEY' as const, user: n >= 2504 ? (user ?? null) : null, key, loginAt: at, loginId: randomUUID() }
        : { kind: 'PASSWORD' as const, user: user ?? null, loginAt: at, loginId: randomUUID() };
      const dumped = dumpCredentials(n, cred);
      const address = ev.address ?? '192.168.1.10';
      this.audit.add({
        at,
        address,
        username: success ? (n < 2504 && key ? `.API_KEY:${key.name}` : ev.username) : '.UNAUTHENTICATED',
        session: randomUUID(),
        event: ev.event ?? 'AUTHENTICATION',
        serviceData: { vers: { major: 0, minor: 1 }, origin: address, protocol: 'WEBSOCKET', credentials: success ? dumped : null },
        eventData: success
          ? { credentials: dumped, error: null }
          : { credentials: { credentials: dumped.credentials, credentials_data: { username: ev.username } }, error: ev.error ?? 'Bad username or password' },
        success,
      });
    }
  }

  // ---- HTTP and upgrades -------------------------------------------------------------------------

  private route(pathname: string): { protocol: 'legacy' | 'jsonrpc'; apiN: number } | undefined {
    if (pathname === '/websocket') return { protocol: 'legacy', apiN: this.profile.n };
    if (this.profile.n < 2504) return undefined;
    if (pathname === '/api/current') return { protocol: 'jsonrpc', apiN: this.profile.n };
    const m = /^\/api\/(v[\d.]+)$/.exec(pathname);
    const era = m ? pinnedApiEra(this.profile, m[1]!) : undefined;
    return era === undefined ? undefined : { protocol: 'jsonrpc', apiN: era };
  }

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (this.controlToken && pathname === CONTROL_PATH) {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.controlSocket(ws));
      return;
    }
    const route = this.route(pathname);
    if (!route) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\nNot Found');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const remote = socket.remoteAddress ?? '';
      // Loopback counts as secure on a real NAS; insecure mode pretends the peer is remote over http.
      const secure = !this.insecure && (this.certificate !== undefined || isLoopback(remote));
      this.connections.add(new Connection(this, ws, route.protocol, route.apiN, remote, secure, socket.remotePort ?? 0));
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (this.controlToken && pathname === CONTROL_PATH && req.method === 'POST') {
      await this.controlHttp(req, res);
      return;
    }
    if (req.method === 'GET' && this.profile.n >= 2504 && pathname === '/api/versions') return json(200, this.profile.apiVersions);
    if (req.method === 'GET' && this.profile.n >= 2510 && pathname === '/api/boot_id') return json(200, this.bootId);
    if (this.route(pathname)) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('No WebSocket UPGRADE hdr');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
  }

  // ---- services for methods ----------------------------------------------------------------------

  publish(collection: string, type: EventType, payload: EventPayload): void {
    const event: Record<string, unknown> = { msg: type.toLowerCase(), collection, id: payload.id };
    if (type !== 'REMOVED' && payload.fields) event.fields = payload.fields;
    if (type === 'CHANGED' && payload.cleared) event.cleared = true;
    for (const c of this.connections) {
      if (![...c.subscriptions.values()].some((name) => name === collection || name === '*')) continue;
      c.send(c.protocol === 'jsonrpc' ? { jsonrpc: '2.0', method: 'collection_update', params: event } : event);
    }
  }

  async failureDelay(minSeconds: number, maxSeconds: number): Promise<void> {
    if (this.delayScale <= 0) return;
    const ms = (minSeconds + Math.random() * (maxSeconds - minSeconds)) * 1000 * this.delayScale;
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /**
   * The middleware's RateLimitCache: 20 calls per (method, IP) per 60 s window. Entries are never
   * evicted, and the cache counts as full at exactly 100 entries, as in the real code.
   */
  rateLimited(method: string, ip: string): boolean {
    if (!this.rateLimitEnabled) return false;
    const key = `${method}_##_${ip}`;
    const now = Date.now();
    let entry = this.rateCache.get(key);
    if (!entry) {
      entry = { count: 0, lastReset: now };
      this.rateCache.set(key, entry);
    }
    if (now - entry.lastReset >= RATE_LIMIT_PERIOD) {
      entry.count = 0;
      entry.lastReset = now;
    }
    entry.count++;
    return this.rateCache.size === RATE_LIMIT_ENTRIES || entry.count > RATE_LIMIT_CALLS;
  }

  delayFor(method: string): number {
    return this.delays.get(method) ?? this.delays.get('*') ?? 0;
  }

  /** Anything a handler throws that is not a middleware error is a simulator bug: report it as Python would. */
  asSimError(e: unknown): SimError {
    if (e instanceof SimError) return e;
    this.internalErrors++;
    const err = e instanceof Error ? e : new Error(String(e));
    return new UnexpectedError(err.name === 'TypeError' ? 'TypeError' : 'Exception', err.message);
  }

  // ---- control actions -----------------------------------------------------------------------------

  /** Test-only fault injection and fixtures (docs/simulator.md lists them). Never exposed unless asked. */
  async command(action: string, options: Record<string, unknown> = {}): Promise<unknown> {
    switch (action) {
      case 'reset':
        this.store.reset();
        this.seedAudit();
        this.tokens.clear();
        this.rateCache.clear();
        this.delays.clear();
        this.faults.clear();
        this.redirectUrls = null;
        this.insecure = this.opts.insecure ?? false;
        return { keys: this.store.keys.size };
      case 'setInsecure':
        this.insecure = requireBool(options.insecure, 'insecure');
        return { insecure: this.insecure };
      case 'delay': {
        const ms = options.ms;
        if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new Error('delay: "ms" must be a number of milliseconds >= 0');
        const method = options.method === undefined ? '*' : options.method;
        if (typeof method !== 'string') throw new Error('delay: "method" must be a method name');
        if (ms === 0) this.delays.delete(method);
        else this.delays.set(method, ms);
        return { delays: Object.fromEntries(this.delays) };
      }
      case 'failNext':
        return this.armFault(options);
      case 'drop': {
        const n = this.connections.size;
        for (const c of [...this.connections]) c.ws.terminate();
        return { dropped: n };
      }
      case 'close': {
        const code = options.code ?? 1000;
        const reason = options.reason ?? '';
        if (typeof code !== 'number' || !validCloseCode(code)) {
          throw new Error('close: "code" must be 1000-1003, 1007-1014 or 3000-4999 (codes a server may send)');
        }
        if (typeof reason !== 'string' || Buffer.byteLength(reason) > 123) throw new Error('close: "reason" must be a string of at most 123 bytes');
        const n = this.connections.size;
        for (const c of [...this.connections]) c.close(code, reason);
        return { closed: n };
      }
      case 'malformed': {
        const frame = options.frame;
        if (typeof frame !== 'string') throw new Error('malformed: "frame" must be a string (sent as-is to every client)');
        const binary = options.binary === true;
        let n = 0;
        for (const c of this.connections) {
          if (c.ws.readyState !== c.ws.OPEN) continue;
          c.ws.send(binary ? Buffer.from(frame) : frame, { binary });
          n++;
        }
        return { sent: n };
      }
      case 'restart':
        await this.close();
        this.tokens.clear();
        this.rateCache.clear();
        this.bootId = randomUUID();
        await this.listen(this.port);
        return { url: this.url, bootId: this.bootId };
      case 'createKey':
        return this.fixtureKey(options);
      case 'setKeyState':
        return this.setKeyState(options);
      case 'otp': {
        const user = typeof options.username === 'string' ? this.store.userByName(options.username) : undefined;
        if (!user?.otpSecret) throw new Error('otp: "username" must name a seeded user with an otpSecret');
        // `step: -1`: the code of the window before, which is still accepted.
        const step = options.step === undefined ? 0 : options.step;
        if (step !== 0 && step !== -1) throw new Error('otp: "step" must be 0 or -1');
        return { code: totp(user.otpSecret, Date.now(), step) };
      }
      case 'stats': {
        // `gc: true` collects garbage first when node runs with --expose-gc (memory measurements).
        const gc = (globalThis as { gc?: () => void }).gc;
        if (options.gc === true && gc) gc();
        const memory = process.memoryUsage();
        const conns = [...this.connections];
        return {
          connections: conns.length,
          authenticated: conns.filter((c) => c.cred).length,
          subscriptions: conns.reduce((n, c) => n + c.subscriptions.size, 0),
          inFlight: conns.reduce((n, c) => n + c.calls, 0),
          running: conns.reduce((n, c) => n + c.runningCalls, 0),
          keys: this.store.keys.size,
          tokens: this.tokens.size,
          rateLimitEntries: this.rateCache.size,
          internalErrors: this.internalErrors,
          handlerCalls: this.handlerCalls,
          bootId: this.bootId,
          heapUsed: memory.heapUsed,
          external: memory.external,
          rss: memory.rss,
        };
      }
      case 'redirect': {
        const urls = options.urls ?? null;
        if (urls !== null && (!Array.isArray(urls) || urls.some((u) => typeof u !== 'string'))) throw new Error('redirect: "urls" must be an array of strings or null');
        this.redirectUrls = urls as string[] | null;
        return { urls: this.redirectUrls };
      }
      case 'configure': {
        if (options.rateLimit !== undefined) this.rateLimitEnabled = requireBool(options.rateLimit, 'rateLimit');
        if (options.loginDelay !== undefined) {
          const d = options.loginDelay;
          if (typeof d !== 'boolean' && (typeof d !== 'number' || d < 0)) throw new Error('configure: "loginDelay" must be a boolean or a scale factor >= 0');
          this.delayScale = d === true ? 1 : d === false ? 0 : d;
        }
        return { rateLimit: this.rateLimitEnabled, loginDelay: this.delayScale };
      }
      default:
        throw new Error(`Unknown simulator action "${action}". Known: ${CONTROL_ACTIONS.join(', ')}`);
    }
  }

  /**
   * failNext: the next `times` calls of `method` fail before the handler runs (after the
   * authentication and role checks, like an error inside the method). `error` picks the class:
   * "CallError" (default; `errno` default EFAULT), "ValidationError" (`attribute`), or
   * "ValidationErrors" (`attribute`). `times: 0` disarms.
   */
  private armFault(o: Record<string, unknown>): { method: string; times: number } {
    const method = o.method;
    if (typeof method !== 'string' || !method.includes('.')) throw new Error('failNext: "method" must be a method name such as "user.create"');
    const times = o.times ?? 1;
    if (typeof times !== 'number' || !Number.isInteger(times) || times < 0) throw new Error('failNext: "times" must be an integer >= 0');
    if (times === 0) {
      this.faults.delete(method);
      return { method, times: 0 };
    }
    const kind = o.error ?? 'CallError';
    const message = o.message ?? `Failed to complete ${method}`;
    if (typeof message !== 'string') throw new Error('failNext: "message" must be a string');
    const errno = o.errno ?? (kind === 'CallError' ? ERRNO.EFAULT : ERRNO.EINVAL);
    if (typeof errno !== 'number' || !Number.isInteger(errno)) throw new Error('failNext: "errno" must be an integer');
    const attribute = o.attribute ?? null;
    if (attribute !== null && typeof attribute !== 'string') throw new Error('failNext: "attribute" must be a string or null');
    let make: () => SimError;
    if (kind === 'CallError') make = () => new CallError(message, errno);
    else if (kind === 'ValidationError') make = () => new ValidationError(attribute, message, errno);
    else if (kind === 'ValidationErrors') make = () => new ValidationErrors([[attribute, message, errno]]);
    else throw new Error('failNext: "error" must be "CallError", "ValidationError" or "ValidationErrors"');
    this.faults.set(method, { make, remaining: times });
    return { method, times };
  }

  /** createKey: a key straight into the store (no validation, no events): a test fixture. */
  private fixtureKey(o: Record<string, unknown>): { id: number; key: string; clientKey?: string } {
    const store = this.store;
    // No name validation: a hostile or old NAS (22.02-23.10 allow blank and long names) can hold anything.
    if (typeof o.name !== 'string' || o.name.length > 1024 * 1024) throw new Error('createKey: "name" must be a string of at most 1 MiB');
    if ([...store.keys.values()].some((k) => k.name === o.name)) throw new Error(`createKey: a key named "${o.name}" already exists`);
    let userIdentifier: number | string = store.admin.id;
    if (o.username !== undefined) {
      if (o.username === LEGACY_API_KEY) userIdentifier = LEGACY_API_KEY;
      else {
        const user = typeof o.username === 'string' ? store.userByName(o.username) : undefined;
        if (!user) throw new Error(`createKey: "username" ${JSON.stringify(o.username)} is not a seeded user`);
        userIdentifier = user.id;
      }
    }
    const allowlist = (o.allowlist as SeedAllowlistEntry[] | undefined) ?? [{ method: '*', resource: '*' }];
    const record: KeyRecord = {
      id: store.nextKeyId++,
      name: o.name,
      createdAt: Date.now(),
      allowlist,
      userIdentifier,
      expiry: 0,
      revokedReason: null,
    };
    const issued = store.setSecret(record, typeof o.secret === 'string' ? o.secret : randomAlnum(64));
    store.keys.set(record.id, record);
    this.applyKeyState(record, o);
    store.save();
    return { id: record.id, key: issued.key, ...(issued.clientKey ? { clientKey: issued.clientKey } : {}) };
  }

  private setKeyState(o: Record<string, unknown>): { id: number; expiry: number; revokedReason: string | null } {
    const record = typeof o.id === 'number' ? this.store.keys.get(o.id) : undefined;
    if (!record) throw new Error(`setKeyState: no key with id ${JSON.stringify(o.id)}`);
    this.applyKeyState(record, o);
    this.store.save();
    return { id: record.id, expiry: record.expiry, revokedReason: record.revokedReason };
  }

  private applyKeyState(record: KeyRecord, o: Record<string, unknown>): void {
    if (o.expiresAt !== undefined) {
      if (o.expiresAt !== null && typeof o.expiresAt !== 'number') throw new Error('"expiresAt" must be epoch milliseconds or null');
      record.expiry = o.expiresAt === null ? 0 : Math.floor(o.expiresAt / 1000);
    }
    if (o.revokedReason !== undefined) {
      if (o.revokedReason !== null && typeof o.revokedReason !== 'string') throw new Error('"revokedReason" must be a string or null');
      record.revokedReason = o.revokedReason;
    }
    if (o.revoked !== undefined) {
      if (requireBool(o.revoked, 'revoked')) record.expiry = -1;
      else if (record.expiry === -1) record.expiry = 0;
    }
  }

  // ---- control channel over the network ------------------------------------------------------------

  private tokenOk(candidate: unknown): boolean {
    if (typeof candidate !== 'string' || !this.controlToken) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.controlToken);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private async controlHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const auth = req.headers.authorization ?? '';
    if (!this.tokenOk(auth.startsWith('Bearer ') ? auth.slice(7) : '')) return void reply(401, { error: 'Missing or wrong control token' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 1_048_576) return void reply(413, { error: 'Control request larger than 1 MiB' });
      chunks.push(chunk as Buffer);
    }
    let body: { action?: unknown; options?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    } catch {
      return void reply(400, { error: 'Control request body must be JSON: {"action": "...", "options": {...}}' });
    }
    try {
      reply(200, { result: (await this.runControl(body.action, body.options)) ?? null });
    } catch (e) {
      reply(400, { error: (e as Error).message });
    }
  }

  private controlSocket(ws: WebSocket): void {
    let authed = false;
    ws.on('error', () => ws.terminate());
    ws.on('message', (data) => {
      let msg: { token?: unknown; id?: unknown; action?: unknown; options?: unknown };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
        if (!msg || typeof msg !== 'object' || Array.isArray(msg)) throw new Error('not an object');
      } catch {
        ws.send(JSON.stringify({ error: 'Control messages must be JSON objects' }));
        return;
      }
      if (!authed) {
        authed = this.tokenOk(msg?.token);
        if (!authed) ws.close(1008, 'Missing or wrong control token');
        else ws.send(JSON.stringify({ ready: true }));
        return;
      }
      this.runControl(msg.action, msg.options).then(
        (result) => ws.send(JSON.stringify({ id: msg.id ?? null, result: result ?? null })),
        (e: Error) => ws.send(JSON.stringify({ id: msg.id ?? null, error: e.message })),
      );
    });
  }

  private runControl(action: unknown, options: unknown): Promise<unknown> {
    if (typeof action !== 'string') return Promise.reject(new Error('"action" must be a string'));
    if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
      return Promise.reject(new Error('"options" must be an object'));
    }
    return this.command(action, (options as Record<string, unknown> | undefined) ?? {});
  }
}

export const CONTROL_ACTIONS = ['reset', 'setInsecure', 'delay', 'failNext', 'drop', 'close', 'malformed', 'restart', 'createKey', 'setKeyState', 'otp', 'stats', 'redirect', 'configure'];

function requireBool(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`"${name}" must be true or false`);
  return value;
}

function validCloseCode(code: number): boolean {
  return Number.isInteger(code) && ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999));
}
