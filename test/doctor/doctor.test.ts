import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandRegistrations, registerCommands } from '../../src/adapters/discord/register.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import type { CheckResult } from '../../src/doctor/check.js';
import { runDoctor } from '../../src/doctor/run.js';
import { main } from '../../src/main.js';
import { startFakeArxiv, type FakeArxiv } from '../fakes/arxiv-server.js';
import { ChannelKind, FAKE_CHANNEL_ID, FAKE_GUILD_ID, startFakeDiscord, type FakeDiscord, type FakeGuild } from '../fakes/discord/index.js';
import { startFakeHf, type FakeHf } from '../fakes/hf-server.js';
import { startFakeLlm, type FakeLlm } from '../fakes/llm-server.js';
import { startLoopback } from '../fakes/loopback.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/web-api.js';

const SLACK_CHANNEL = 'CPAPERS';
let dir: string;
let dbPath: string;
let hf: FakeHf;
let arxiv: FakeArxiv;
let llm: FakeLlm;
let discord: FakeDiscord;
let slack: FakeSlack;
/** A URL where nothing listens. */
let deadUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-doctor-'));
  dbPath = join(dir, 'bot.db');
  const database = openDatabase(dbPath);
  const insert = database.sqlite.prepare('INSERT INTO subscriptions (platform, workspace, channel) VALUES (?, ?, ?)');
  insert.run('discord', FAKE_GUILD_ID, FAKE_CHANNEL_ID);
  insert.run('slack', 'T0TEAM', SLACK_CHANNEL);
  database.close();
  [hf, arxiv, llm, discord, slack] = await Promise.all([
    startFakeHf(),
    startFakeArxiv(),
    startFakeLlm({ models: ['llama3.1', 'nomic-embed-text'], apiKey: 'sk-right' }),
    startFakeDiscord(),
    startFakeSlack({ channels: [{ id: SLACK_CHANNEL, name: 'papers', isMember: true }], scopes: ['chat:write', 'commands', 'reactions:read', 'channels:history', 'groups:history', 'users:read', 'channels:read'] }),
  ]);
  const dead = await startLoopback(() => ({ status: 200, body: '' }));
  deadUrl = dead.url;
  await dead.close();
  await registerCommands({ config: { discord: { token: discord.token, appId: discord.appId, apiUrl: discord.apiUrl } } });
});

afterAll(async () => {
  await Promise.all([hf.close(), arxiv.close(), llm.close(), discord.close(), slack.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function env(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_PATH: dbPath,
    LOG_LEVEL: 'silent',
    HTTP_TIMEOUT_MS: '3000',
    HF_API_URL: hf.url,
    ARXIV_API_URL: `${arxiv.url}/api/query`,
    LLM_BASE_URL: llm.url,
    LLM_API_KEY: 'sk-right',
    LLM_MODEL: 'llama3.1',
    LLM_EMBEDDINGS_MODEL: 'nomic-embed-text',
    DISCORD_TOKEN: discord.token,
    DISCORD_APP_ID: discord.appId,
    DISCORD_API_URL: discord.apiUrl,
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_APP_TOKEN: slack.appToken,
    SLACK_API_URL: slack.apiUrl,
    ...overrides,
  };
}

function find(results: CheckResult[], area: string, name: string): CheckResult {
  const found = results.find((r) => r.area === area && r.name === name);
  if (!found) throw new Error(`no ${area} ${name} check in ${results.map((r) => `${r.area} ${r.name}`).join(', ')}`);
  return found;
}

const failures = (results: CheckResult[]) => results.filter((r) => r.status === 'fail').map((r) => `${r.area} ${r.name}`);

function cli(argv: string[], environment: Record<string, string>) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += String(c)));
  stderr.on('data', (c: Buffer) => (err += String(c)));
  return main(argv, { stdin: new PassThrough(), stdout, stderr, env: environment }).then((code) => ({ code, out, err }));
}

const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('paperboy doctor', () => {
  it('passes a healthy setup, in order, and changes nothing', async () => {
    const before = fileHash(dbPath);
    const registrations = discord.state.commandRegistrations.length;
    const run = await cli(['doctor'], env());
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const lines = run.out.trim().split('\n');
    expect(lines[0]).toMatch(/^✓ configuration environment: Discord and Slack \(Socket Mode\); LLM llama3\.1 \+ nomic-embed-text; database /);
    expect(lines.slice(0, -1).map((l) => l.split(' ')[1])).toEqual([
      'configuration', 'database', 'database', 'database', 'database', 'sources', 'sources',
      'llm', 'llm', 'llm', 'discord', 'discord', 'discord', 'discord', 'discord', 'slack', 'slack', 'slack', 'slack',
    ]);
    expect(run.out).toContain(`✓ discord commands: ${commandRegistrations().length} slash commands registered globally, current`);
    expect(run.out).toContain('✓ discord channel #papers: the bot may post, start threads, embed and read history');
    expect(run.out).toContain('✓ slack scopes: granted all 6 the manifest asks for');
    expect(run.out).toContain('✓ slack channel #papers: the bot is a member');
    expect(run.out).toContain('✓ llm embeddings: nomic-embed-text gives 32 dimensions');
    expect(lines.at(-1)).toBe('All checks passed.');
    expect(fileHash(dbPath)).toBe(before);
    expect(discord.state.commandRegistrations.length).toBe(registrations);
    expect(slack.messages).toHaveLength(0);
    expect(discord.state.messages.size).toBe(0);
  });

  it('prints JSON with --json and exits 1 when a check fails', async () => {
    const run = await cli(['doctor', '--json'], env({ SLACK_BOT_TOKEN: 'xoxb-wrong' }));
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out) as { ok: boolean; checks: CheckResult[] };
    expect(report.ok).toBe(false);
    expect(find(report.checks, 'slack', 'token')).toMatchObject({ status: 'fail', detail: 'Slack refused SLACK_BOT_TOKEN (invalid_auth)' });
    expect((await cli(['doctor', '--jsn'], env())).code).toBe(2);
  });

  it('stops at a broken configuration with the variable named', async () => {
    const results = await runDoctor(env({ LLM_BASE_URL: 'localhost:11434' }));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ area: 'configuration', status: 'fail' });
    expect(results[0]!.detail).toMatch(/^LLM_BASE_URL must be an http\(s\) URL/);
  });

  it('finds a database that is missing, corrupt, or behind, without migrating it', async () => {
    const missing = await runDoctor(env({ DATABASE_PATH: join(dir, 'none', 'x.db') }));
    expect(find(missing, 'database', 'file')).toMatchObject({ status: 'warn', fix: 'paperboy start creates it' });
    expect(find(missing, 'database', 'disk').status).toBe('ok');

    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'this is not a database, just some text that is long enough to have a header'.repeat(20));
    expect(find(await runDoctor(env({ DATABASE_PATH: junk })), 'database', 'file')).toMatchObject({ status: 'fail', detail: expect.stringContaining('does not open (file is not a database)') });

    const behind = join(dir, 'behind.db');
    openDatabase(behind).close();
    const raw = new BetterSqlite3(behind);
    // As if the newest migration had not been applied: its row gone, and a table to tell whether it gets applied.
    raw.exec('DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations); CREATE TABLE canary (x)');
    raw.close();
    const journal = JSON.parse(readFileSync(new URL('../../drizzle/meta/_journal.json', import.meta.url), 'utf8')) as { entries: { tag: string }[] };
    const results = await runDoctor(env({ DATABASE_PATH: behind }));
    expect(find(results, 'database', 'migrations')).toMatchObject({ status: 'warn', detail: `1 of ${journal.entries.length} migrations not applied yet (${journal.entries.at(-1)!.tag})` });
    const after = new BetterSqlite3(behind, { readonly: true });
    expect((after.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).toBe(journal.entries.length - 1);
    after.close();
  });

  it('names unreachable and refusing sources', async () => {
    const failing = await startFakeArxiv();
    failing.failNext(1, 503);
    const results = await runDoctor(env({ HF_API_URL: deadUrl, ARXIV_API_URL: `${failing.url}/api/query` }));
    await failing.close();
    expect(find(results, 'sources', 'Hugging Face')).toMatchObject({ status: 'fail', detail: `cannot reach ${deadUrl} (ECONNREFUSED)` });
    expect(find(results, 'sources', 'arXiv').detail).toMatch(/^refused for now \(HTTP 503\)/);
  });

  it('finds an LLM endpoint that is down, refuses the key, or does not serve the models', async () => {
    expect(find(await runDoctor(env({ LLM_BASE_URL: `${deadUrl}/v1` })), 'llm', 'endpoint')).toMatchObject({ status: 'fail', detail: expect.stringContaining('ECONNREFUSED') });
    expect(find(await runDoctor(env({ LLM_API_KEY: 'sk-wrong' })), 'llm', 'endpoint').detail).toMatch(/refused LLM_API_KEY \(HTTP 401: Incorrect API key provided\.\)/);
    const wrong = await runDoctor(env({ LLM_MODEL: 'qwen2.5', LLM_EMBEDDINGS_MODEL: 'mxbai-embed-large' }));
    expect(find(wrong, 'llm', 'model')).toMatchObject({ status: 'fail', detail: `qwen2.5 is not served at ${llm.url} (served: llama3.1, nomic-embed-text)`, fix: expect.stringContaining('ollama pull qwen2.5') });
    expect(find(wrong, 'llm', 'completion').detail).toMatch(/^qwen2\.5 did not complete \(HTTP 404: The model `qwen2\.5` does not exist/);
    expect(find(wrong, 'llm', 'embeddings').status).toBe('fail');
  });

  it('finds a wrong Discord token, application id, used-up sessions, stale commands and missing permissions', async () => {
    expect(failures(await runDoctor(env({ DISCORD_TOKEN: 'not-the-token' })))).toEqual(['discord token']);
    const otherApp = await runDoctor(env({ DISCORD_APP_ID: '399999999999999999' }));
    expect(find(otherApp, 'discord', 'application')).toMatchObject({ status: 'fail', fix: `set DISCORD_APP_ID=${discord.appId}, or use the token of application 399999999999999999` });

    const guilds: FakeGuild[] = [{
      id: FAKE_GUILD_ID,
      name: 'Reading group',
      // @everyone may not embed links; the bot's own role gives it back, and the channel denies that role Send Messages.
      everyonePermissions: String(1071698660929n & ~(1n << 14n)),
      botRoles: [{ id: '700000000000000001', name: 'Paperboy', permissions: String(1n << 14n) }],
      channels: [{ id: FAKE_CHANNEL_ID, name: 'papers', type: ChannelKind.text, overwrites: [{ id: '700000000000000001', type: 0, allow: '0', deny: String((1n << 11n) | (1n << 35n)) }] }],
    }];
    const strict = await startFakeDiscord({ guilds, sessionStartsRemaining: 0 });
    try {
      const fresh = await runDoctor(env({ DISCORD_TOKEN: strict.token, DISCORD_APP_ID: strict.appId, DISCORD_API_URL: strict.apiUrl }));
      expect(find(fresh, 'discord', 'gateway').detail).toMatch(/^no session starts left today \(0 of 1000\)/);
      expect(find(fresh, 'discord', 'commands')).toMatchObject({ status: 'fail', detail: 'no slash commands registered for this application' });
      expect(find(fresh, 'discord', 'channel #papers')).toMatchObject({ status: 'fail', detail: 'the bot lacks Send Messages, Create Public Threads' });

      // Registered by an older version: one command missing, one changed.
      await fetch(`${strict.apiUrl}/v10/applications/${strict.appId}/guilds/${FAKE_GUILD_ID}/commands`, {
        method: 'PUT',
        headers: { authorization: `Bot ${strict.token}`, 'content-type': 'application/json' },
        body: JSON.stringify([{ name: 'paper', description: 'Look up a paper', type: 1, options: [] }, { name: 'help', description: 'What Paperboy can do', type: 1 }]),
      });
      const stale = find(await runDoctor(env({ DISCORD_TOKEN: strict.token, DISCORD_APP_ID: strict.appId, DISCORD_API_URL: strict.apiUrl })), 'discord', 'commands');
      expect(stale.status).toBe('fail');
      expect(stale.detail).toMatch(/^registered in server 400000000000000001 but not current: missing \/translate \/search .*; outdated \/paper$/);
      expect(stale.fix).toMatch(/^run paperboy register-commands/);
    } finally {
      await strict.close();
    }
  });

  it('finds a wrong Slack token, missing scopes, a refused app token and a bot outside its channel', async () => {
    const narrow = await startFakeSlack({ scopes: ['chat:write', 'commands', 'channels:history'], channels: [{ id: SLACK_CHANNEL, name: 'papers', isMember: false }] });
    try {
      const at = (overrides: Record<string, string>) => runDoctor(env({ SLACK_BOT_TOKEN: narrow.botToken, SLACK_APP_TOKEN: narrow.appToken, SLACK_API_URL: narrow.apiUrl, ...overrides }));
      const results = await at({});
      expect(find(results, 'slack', 'scopes')).toMatchObject({ status: 'fail', detail: 'missing reactions:read, groups:history, users:read' });
      // Without channels:read, conversations.info is refused; the history call tells membership.
      expect(find(results, 'slack', `channel ${SLACK_CHANNEL}`)).toMatchObject({ status: 'fail', fix: `invite the bot there (/invite @Paperboy in ${SLACK_CHANNEL}), or /unsubscribe it` });
      expect(failures(await at({ SLACK_APP_TOKEN: 'xapp-revoked' }))).toContain('slack socket mode');
      const http = await at({ SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: 'secret' });
      expect(find(http, 'slack', 'http mode').status).toBe('ok');
    } finally {
      await narrow.close();
    }
    const outside = await startFakeSlack({ channels: [{ id: SLACK_CHANNEL, name: 'papers', isMember: false }], scopes: ['chat:write', 'channels:read'] });
    try {
      const results = await runDoctor(env({ SLACK_BOT_TOKEN: outside.botToken, SLACK_APP_TOKEN: outside.appToken, SLACK_API_URL: outside.apiUrl }));
      expect(find(results, 'slack', 'channel #papers')).toMatchObject({ status: 'fail', detail: 'the bot is not a member: digests there fail' });
    } finally {
      await outside.close();
    }
    expect(find(await runDoctor(env({ SLACK_API_URL: deadUrl })), 'slack', 'token').detail).toBe(`cannot reach ${deadUrl} (ECONNREFUSED)`);
    // loadConfig agrees that this environment is the fakes' one.
    expect(loadConfig(env()).slack?.apiUrl).toBe(slack.apiUrl);
  });
});
