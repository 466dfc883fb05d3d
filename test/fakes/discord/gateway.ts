/**
 * The fake Discord gateway on a `ws` server: HELLO, IDENTIFY → READY and one GUILD_CREATE per guild,
 * heartbeats answered with ACKs, RESUME with a replay of missed dispatches, close code 4004 for a bad
 * token; then any dispatch a test pushes (INTERACTION_CREATE, reactions). Frames are plain JSON text,
 * as discord.js asks for them when zlib-sync is not installed.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { apiGuild, apiUser, type FakeGuild, type FakeUser } from './wire.js';

export interface GatewayOptions {
  token: string;
  appId: string;
  bot: FakeUser;
  guilds: FakeGuild[];
  /** Sent in HELLO; discord.js heartbeats at this pace (default 41,250 ms, as Discord). */
  heartbeatIntervalMs: number;
  /** `ws://127.0.0.1:PORT/gateway`, also READY's resume_gateway_url. */
  url(): string;
}

interface Dispatch {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

/** Dispatches kept for a RESUME to replay. */
const REPLAY_WINDOW = 1000;
/** Bytes queued on the socket before dispatchMany waits for it to drain. */
const HIGH_WATER = 1 << 20;

export class FakeGateway {
  /** The `d` of every IDENTIFY received. */
  readonly identifies: Record<string, unknown>[] = [];
  /** The `d` of every RESUME received. */
  readonly resumes: Record<string, unknown>[] = [];
  heartbeats = 0;
  connections = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  /** The connection that identified or resumed last: dispatches go there. */
  private socket: WebSocket | undefined;
  private ready = false;
  private sessionId = '';
  private sequence = 0;
  private replay: Dispatch[] = [];

  constructor(private readonly options: GatewayOptions) {}

  /** Takes over upgrades to /gateway on the fake's HTTP server. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!(req.url ?? '').startsWith('/gateway')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  /** True while a client is identified (or resumed) and receiving dispatches. */
  get isReady(): boolean {
    return this.ready && this.socket?.readyState === WebSocket.OPEN;
  }

  /** Sends one dispatch to the connected client (and keeps it for a resume). */
  dispatch(t: string, d: unknown): void {
    const frame: Dispatch = { op: 0, t, s: ++this.sequence, d };
    this.replay.push(frame);
    if (this.replay.length > REPLAY_WINDOW * 2) this.replay = this.replay.slice(-REPLAY_WINDOW);
    if (this.isReady) this.socket?.send(JSON.stringify(frame));
  }

  /** Sends `count` dispatches as fast as the socket drains, for load tests. */
  async dispatchMany(count: number, make: (i: number) => { t: string; d: unknown }): Promise<void> {
    for (let i = 0; i < count; i++) {
      const { t, d } = make(i);
      this.dispatch(t, d);
      const socket = this.socket;
      if (socket && socket.bufferedAmount > HIGH_WATER) await drained(socket);
    }
  }

  /** Closes the client's connection with a code, as Discord does when it wants a reconnect (4000) or resume. */
  disconnect(code = 4000): void {
    this.ready = false;
    this.socket?.close(code, 'fake disconnect');
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    this.connections++;
    ws.on('message', (data) => this.receive(ws, String(data)));
    ws.on('error', () => undefined);
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.options.heartbeatIntervalMs } }));
  }

  private receive(ws: WebSocket, text: string): void {
    let payload: { op?: number; d?: unknown };
    try {
      payload = JSON.parse(text) as { op?: number; d?: unknown };
    } catch {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    const d = (typeof payload.d === 'object' && payload.d !== null ? payload.d : {}) as Record<string, unknown>;
    switch (payload.op) {
      case 1:
        this.heartbeats++;
        ws.send(JSON.stringify({ op: 11 }));
        return;
      case 2:
        this.identifies.push(d);
        if (d.token !== this.options.token) {
          ws.close(4004, 'Authentication failed.');
          return;
        }
        void this.identify(ws);
        return;
      case 6:
        this.resumes.push(d);
        this.resume(ws, d);
        return;
      default:
        return;
    }
  }

  private async identify(ws: WebSocket): Promise<void> {
    this.socket = ws;
    this.sessionId = randomUUID().replace(/-/g, '');
    this.sequence = 0;
    this.replay = [];
    this.ready = true;
    const { bot, appId, guilds } = this.options;
    this.dispatch('READY', {
      v: 10,
      user: apiUser(bot),
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: this.sessionId,
      resume_gateway_url: this.options.url(),
      shard: [0, 1],
      application: { id: appId, flags: 0 },
      user_settings: {},
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      auth_session_id_hash: '',
    });
    for (const guild of guilds) {
      if (ws.readyState !== WebSocket.OPEN) return;
      this.dispatch('GUILD_CREATE', apiGuild(guild, bot));
      if (ws.bufferedAmount > HIGH_WATER) await drained(ws);
    }
  }

  private resume(ws: WebSocket, d: Record<string, unknown>): void {
    const seq = typeof d.seq === 'number' ? d.seq : -1;
    const oldest = this.replay[0]?.s ?? this.sequence + 1;
    if (d.token !== this.options.token || d.session_id !== this.sessionId || seq < oldest - 1) {
      // Not resumable: discord.js identifies afresh.
      ws.send(JSON.stringify({ op: 9, d: false }));
      return;
    }
    this.socket = ws;
    this.ready = true;
    for (const frame of this.replay) if (frame.s > seq) ws.send(JSON.stringify(frame));
    this.dispatch('RESUMED', {});
  }
}

function drained(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (socket.bufferedAmount <= HIGH_WATER / 4 || socket.readyState !== WebSocket.OPEN) resolve();
      else setTimeout(check, 1);
    };
    check();
  });
}
