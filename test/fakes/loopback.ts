/**
 * A loopback HTTP server with the control surface every fake shares: a log of requests, injected
 * failures and delays, and a count of requests in flight at once.
 * @module
 */

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  /** The request target as sent, still URL-encoded: `/api/query?search_query=cat%3Acs.CL`. */
  target: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** `performance.now()` when the request reached the server. */
  startedAt: number;
}

export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** Answers one request; a throw becomes HTTP 500. */
export type Route = (req: RecordedRequest) => FakeReply;

export interface FakeServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Every request so far, in arrival order. */
  requests: RecordedRequest[];
  /** The most requests that were being answered at the same moment. */
  readonly maxConcurrent: number;
  /** The next `n` requests get this answer instead of the real one. */
  failNext(n: number, status: number, headers?: Record<string, string>, body?: string): void;
  /** The next request is answered `ms` later (the client may give up first). */
  delayNext(ms: number): void;
  /** Every answer from now on is `ms` later; 0 turns it off. */
  setLatency(ms: number): void;
  /** Every request from now on gets this answer instead of the real one, until `heal()`. */
  failAll(status: number, headers?: Record<string, string>, body?: string): void;
  /** Requests from now on are never answered (the connection stays open) until `heal()`. */
  hang(): void;
  /** Back to normal: no failures, delays, latency or hang (requests already hanging stay so). */
  heal(): void;
  close(): Promise<void>;
}

export async function startLoopback(route: Route): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const failures: FakeReply[] = [];
  const delays: number[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let latency = 0;
  let hanging = false;
  let failAll: FakeReply | undefined;
  let inFlight = 0;
  let maxConcurrent = 0;

  const server = createServer((req, res) => {
    inFlight++;
    maxConcurrent = Math.max(maxConcurrent, inFlight);
    let settled = false;
    const settle = (): void => {
      if (!settled) inFlight--;
      settled = true;
    };
    res.on('finish', settle);
    res.on('close', settle);
    res.on('error', () => undefined);

    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      target: req.url ?? '/',
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      startedAt: performance.now(),
    };
    requests.push(recorded);

    let reply: FakeReply;
    try {
      reply = failures.shift() ?? failAll ?? route(recorded);
    } catch (err) {
      reply = { status: 500, body: `fake server error: ${String(err)}` };
    }
    const send = (): void => {
      if (res.destroyed) return;
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
    };
    if (hanging) return;
    const delay = (delays.shift() ?? 0) + latency;
    if (delay <= 0) return send();
    const timer = setTimeout(() => {
      timers.delete(timer);
      send();
    }, delay);
    timers.add(timer);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxConcurrent() {
      return maxConcurrent;
    },
    failNext(n, status, headers = {}, body = `fake failure ${status}`) {
      for (let i = 0; i < n; i++) failures.push({ status, headers, body });
    },
    delayNext(ms) {
      delays.push(ms);
    },
    setLatency(ms) {
      latency = ms;
    },
    failAll(status, headers = {}, body = `fake failure ${status}`) {
      failAll = { status, headers, body };
    },
    hang() {
      hanging = true;
    },
    heal() {
      failures.length = 0;
      delays.length = 0;
      latency = 0;
      hanging = false;
      failAll = undefined;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
