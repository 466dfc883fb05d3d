/**
 * Sends requests to a Bolt HTTP receiver the way Slack does: `X-Slack-Request-Timestamp` and
 * `X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:{ts}:{body}"))`. Options forge the signature or
 * age the timestamp, for the tests that must be refused.
 * @module
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';

export interface SignOptions {
  /** Seconds since the epoch; now by default. */
  timestamp?: number;
  /** Sign with this secret instead (a forgery). */
  secret?: string;
}

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedResponse {
  status: number;
  body: string;
  /** Milliseconds from sending to the complete response. */
  ms: number;
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

/** POSTs a signed body; `form` bodies are sent form-encoded (slash commands), others as JSON (events). */
export function postSigned(url: string, secret: string, payload: Record<string, unknown>, options: SignOptions & { form?: boolean } = {}): Promise<SignedResponse> {
  const body = options.form
    ? new URLSearchParams(Object.entries(payload).map(([k, v]): [string, string] => [k, String(v)])).toString()
    : JSON.stringify(payload);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const target = new URL(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent: keepAlive,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          'content-type': options.form ? 'application/x-www-form-urlencoded' : 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': slackSignature(options.secret ?? secret, timestamp, body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
