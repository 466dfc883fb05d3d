/**
 * One running Paperboy with its Slack adapter, against a fake Slack (Web API, and Socket Mode or
 * signed HTTP) and a fake Hugging Face, plus the two ways Slack talks to it: send a command, send a
 * reaction. The same tests run through both modes.
 * @module
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startSlack, type RunningSlack, type SlackStartOptions } from '../../../src/adapters/slack/index.js';
import type { Inbound } from '../../../src/core/inbound.js';
import { createApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import type { ReactionEvent } from '../../../src/core/chat-port.js';
import { startFakeHf, type FakeHf } from '../../fakes/hf-server.js';
import { reactionEvent, slashCommand, type ReactionFields } from '../../fakes/slack/payloads.js';
import { postSigned } from '../../fakes/slack/signed-request.js';
import { startFakeSocketMode, type FakeSocketMode } from '../../fakes/slack/socket-mode.js';
import { startFakeSlack, type FakeSlack, type FakeUser } from '../../fakes/slack/web-api.js';

export type SlackMode = 'http' | 'socket';

export const SIGNING_SECRET = 'test-signing-secret';
export const USERS: FakeUser[] = [
  { id: 'UALICE', name: 'alice' },
  { id: 'UADMIN', name: 'ada', is_admin: true },
  { id: 'UOWNER', name: 'otto', is_owner: true },
  { id: 'UROBOT', name: 'robot', is_bot: true },
];

/** Polls until `probe` returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | null | false, what = 'condition', timeoutMs = 4000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface Harness {
  mode: SlackMode;
  slack: FakeSlack;
  socket: FakeSocketMode | undefined;
  hf: FakeHf;
  /** The running Paperboy; replaced by restart(). */
  app: App;
  running: RunningSlack;
  /** Every reaction that reached the core's vote path, with its outcome. */
  reactions: { event: ReactionEvent; outcome: string }[];
  /** Log lines (JSON) written while the harness ran. */
  logs: string[];
  /** Sends a slash command; resolves when it is acked, with the response_url id its answers go to. */
  command(command: string, text?: string, fields?: { user?: string; channel?: string }): Promise<{ responseId: string; ackMs: number }>;
  /** The response_url bodies of one command, once there are `count` of them. */
  responses(responseId: string, count?: number): Promise<Record<string, unknown>[]>;
  /** Sends a reaction event; resolves when it is acked. */
  react(fields: ReactionFields): Promise<void>;
  /** Stops Paperboy and starts it again on the same database and the same fakes (a process restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  slack?: Partial<SlackStartOptions>;
  hfDaily?: Record<string, unknown[]>;
}

export async function startHarness(mode: SlackMode, options: HarnessOptions = {}): Promise<Harness> {
  const slack = await startFakeSlack({ users: USERS });
  const socket = mode === 'socket' ? await startFakeSocketMode() : undefined;
  if (socket) slack.setSocketUrl(socket.url);
  const hf = await startFakeHf({ daily: options.hfDaily });
  const logs: string[] = [];
  const logger = pino({ level: 'info', base: undefined }, new Writable({ write: (chunk: Buffer, _enc, done) => (logs.push(String(chunk)), done()) }));
  const config = loadConfig({
    DATABASE_PATH: ':memory:',
    LOG_LEVEL: 'info',
    HF_API_URL: hf.url,
    ARXIV_API_URL: 'http://127.0.0.1:9/api/query',
    ARXIV_MIN_INTERVAL_MS: '0',
    HTTP_RETRIES: '0',
    HTTP_TIMEOUT_MS: '2000',
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_API_URL: slack.apiUrl,
    ...(mode === 'socket' ? { SLACK_APP_TOKEN: slack.appToken } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    ...options.env,
  });
  const reactions: Harness['reactions'] = [];
  const boot = async (): Promise<[App, RunningSlack]> => {
    const app = createApp(config, logger);
    const inbound: Inbound = {
      ...app.inbound,
      async reaction(event) {
        const outcome = await app.inbound.reaction(event);
        reactions.push({ event, outcome });
        return outcome;
      },
    };
    const running = await startSlack({ config, inbound, logger, paceMs: 5, listen: { port: 0, host: '127.0.0.1' }, ...options.slack });
    return [app, running];
  };
  let [app, running] = await boot();
  let commands = 0;

  async function send(type: 'slash_commands' | 'events_api', payload: Record<string, unknown>): Promise<number> {
    if (socket) return (await socket.send(type, payload)).ms;
    const response = await postSigned(running.eventsUrl ?? '', SIGNING_SECRET, payload, { form: type === 'slash_commands' });
    if (response.status !== 200) throw new Error(`Bolt answered HTTP ${response.status}: ${response.body}`);
    return response.ms;
  }

  return {
    mode,
    slack,
    socket,
    hf,
    get app() {
      return app;
    },
    get running() {
      return running;
    },
    reactions,
    logs,
    async command(command, text = '', fields = {}) {
      const responseId = `${command.replace(/\W/g, '')}-${++commands}`;
      const ackMs = await send('slash_commands', slashCommand({ command, text, ...fields, responseUrl: slack.responseUrl(responseId) }));
      return { responseId, ackMs };
    },
    async responses(responseId, count = 1) {
      return waitFor(() => {
        const bodies = slack.responses.filter((r) => r.id === responseId).map((r) => r.body);
        return bodies.length >= count && bodies;
      }, `${count} response(s) to ${responseId}`);
    },
    async react(fields) {
      await send('events_api', reactionEvent(fields));
    },
    async restart() {
      await running.stop();
      await app.close();
      [app, running] = await boot();
    },
    async close() {
      await running.stop();
      await app.close();
      await Promise.all([slack.close(), socket?.close(), hf.close()]);
    },
  };
}
