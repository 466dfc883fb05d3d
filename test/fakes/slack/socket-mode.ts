/**
 * A fake Slack Socket Mode endpoint: a `ws` server on 127.0.0.1 that greets each connection with
 * `hello`, sends envelopes (`slash_commands`, `events_api`) and resolves when the app acks them.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
  /** Milliseconds from sending the envelope to its ack. */
  ms: number;
}

export interface FakeSocketMode {
  /** `ws://127.0.0.1:PORT/link`: hand it out from apps.connections.open. */
  url: string;
  readonly connections: number;
  /** Every ack received, in order. */
  acks: Ack[];
  /** Resolves once an app has connected and been greeted. */
  connected(): Promise<void>;
  /** Sends an envelope to the connected app; resolves with its ack. */
  send(type: 'slash_commands' | 'events_api' | 'interactive', payload: Record<string, unknown>, timeoutMs?: number): Promise<Ack>;
  close(): Promise<void>;
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/link' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const sockets = new Set<WebSocket>();
  const pending = new Map<string, { sentAt: number; resolve: (ack: Ack) => void }>();
  const acks: Ack[] = [];
  let greeted: () => void = () => undefined;
  let whenGreeted = new Promise<void>((resolve) => (greeted = resolve));

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) whenGreeted = new Promise<void>((resolve) => (greeted = resolve));
    });
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
      const waiting = message.envelope_id ? pending.get(message.envelope_id) : undefined;
      if (!message.envelope_id || !waiting) return;
      pending.delete(message.envelope_id);
      const ack: Ack = { envelope_id: message.envelope_id, ms: performance.now() - waiting.sentAt, ...(message.payload ? { payload: message.payload } : {}) };
      acks.push(ack);
      waiting.resolve(ack);
    });
    socket.send(JSON.stringify({ type: 'hello', num_connections: sockets.size, debug_info: { host: 'fake', approximate_connection_time: 3600 }, connection_info: { app_id: 'AFAKE' } }));
    greeted();
  });

  return {
    url: `ws://127.0.0.1:${port}/link`,
    get connections() {
      return sockets.size;
    },
    acks,
    connected: () => whenGreeted,
    send(type, payload, timeoutMs = 5000) {
      const socket = [...sockets][0];
      if (!socket) return Promise.reject(new Error('no Socket Mode connection'));
      const envelopeId = randomUUID();
      return new Promise<Ack>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(envelopeId);
          reject(new Error(`no ack for ${type} envelope within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(envelopeId, {
          sentAt: performance.now(),
          resolve: (ack) => {
            clearTimeout(timer);
            resolve(ack);
          },
        });
        socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }));
      });
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
