import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandRegistrations, registerCommands } from '../../../src/adapters/discord/register.js';
import { suggestionsFor } from '../../../src/commands/suggestions.js';
import type { Command } from '../../../src/commands/command.js';
import { commands } from '../../../src/commands/index.js';
import { text } from '../../../src/core/reply.js';
import { main } from '../../../src/main.js';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index.js';
import { testConfig } from './harness.js';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(async () => {
  await fake.close();
});

const MANAGE_GUILD = '32';

function run(argv: string[], env: Record<string, string>) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += String(c)));
  stderr.on('data', (c: Buffer) => (err += String(c)));
  return main(argv, { stdin: new PassThrough(), stdout, stderr, env: { DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent', ...env } }).then((code) => ({ code, out, err }));
}

describe('the registration payload', () => {
  const payload = commandRegistrations();

  it('has one chat-input command per command in the array, in order', () => {
    expect(payload.map((c) => c.name)).toEqual(commands.map((c) => c.name));
    for (const c of payload) {
      expect(c.type).toBe(1);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(100);
      expect(c.contexts).toEqual([0]);
    }
  });

  it('limits every command that requires managing to Manage Server, and only those', () => {
    for (const command of commands) {
      const registered = payload.find((c) => c.name === command.name);
      expect(registered?.default_member_permissions).toBe(command.requiresManage ? MANAGE_GUILD : null);
    }
    expect(payload.find((c) => c.name === 'subscribe')?.default_member_permissions).toBe(MANAGE_GUILD);
    expect(payload.find((c) => c.name === 'digest')?.default_member_permissions).toBe(MANAGE_GUILD);
  });

  it('carries each option with its type, requirement and choices', () => {
    for (const command of commands) {
      const registered = payload.find((c) => c.name === command.name);
      for (const option of command.options) {
        const o = registered?.options?.find((x) => x.name === option.name);
        expect(o).toMatchObject({ type: option.type === 'integer' ? 4 : 3, required: option.required === true });
        if (option.choices) expect(o).toMatchObject({ choices: option.choices.map((c) => ({ name: c, value: option.type === 'integer' ? Number(c) : c })) });
      }
    }
    expect(payload.find((c) => c.name === 'top')?.options?.[0]).toMatchObject({ name: 'period', choices: [{ name: 'day', value: 'day' }, { name: 'week', value: 'week' }, { name: 'month', value: 'month' }, { name: 'all', value: 'all' }] });
  });

  it('puts required options first, marks autocomplete, and cuts long descriptions', () => {
    const made: Command = {
      name: 'translate',
      description: 'x'.repeat(150),
      options: [
        { name: 'language', type: 'string', description: 'Language', autocomplete: 'language' },
        { name: 'id', type: 'string', required: true, description: 'Paper' },
        { name: 'count', type: 'integer', description: 'How many', choices: ['1', '5'] },
      ],
      async execute() {
        return text('ok');
      },
    };
    const [registered] = commandRegistrations([made]);
    expect(registered?.description).toHaveLength(100);
    expect(registered?.description.endsWith('…')).toBe(true);
    expect(registered?.options?.map((o) => o.name)).toEqual(['id', 'language', 'count']);
    expect(registered?.options?.[1]).toMatchObject({ autocomplete: true });
    expect(registered?.options?.[2]).toMatchObject({ type: 4, choices: [{ name: '1', value: 1 }, { name: '5', value: 5 }] });
  });
});

describe('registerCommands', () => {
  it('puts the whole list globally, with the bot token', async () => {
    const result = await registerCommands({ config: testConfig(fake) });
    expect(result).toEqual({ scope: 'global', names: commands.map((c) => c.name) });
    const put = fake.requests.filter((r) => r.method === 'PUT').at(-1);
    expect(put?.route).toBe(`/applications/${fake.appId}/commands`);
    expect(put?.authorization).toBe(`Bot ${fake.token}`);
    expect(put?.body).toEqual(JSON.parse(JSON.stringify(commandRegistrations())));
  });

  it('puts the list in one server with --guild, from the command line', async () => {
    const env = { DISCORD_TOKEN: fake.token, DISCORD_APP_ID: fake.appId, DISCORD_API_URL: fake.apiUrl };
    const { code, out } = await run(['register-commands', '--guild', '400000000000000001'], env);
    expect(code).toBe(0);
    expect(out).toMatch(/^Registered \d+ Discord commands in server 400000000000000001: \/paper /);
    expect(fake.state.commandRegistrations.at(-1)?.guildId).toBe('400000000000000001');
  });

  it('exits 2 with one line when the token or the application id is missing', async () => {
    const noToken = await run(['register-commands'], {});
    expect(noToken.code).toBe(2);
    expect(noToken.err).toMatch(/^paperboy: register-commands needs DISCORD_TOKEN and DISCORD_APP_ID/);
    expect(noToken.err.trim().split('\n')).toHaveLength(1);
    const noApp = await run(['register-commands'], { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl });
    expect(noApp.code).toBe(2);
    expect(noApp.err.trim().split('\n')).toHaveLength(1);
  });

  it('says in one line that the token was refused', async () => {
    const { code, err } = await run(['register-commands'], { DISCORD_TOKEN: 'wrong', DISCORD_APP_ID: fake.appId, DISCORD_API_URL: fake.apiUrl });
    expect(code).toBe(2);
    expect(err).toMatch(/^paperboy: Discord rejected DISCORD_TOKEN \(401 Unauthorized\)/);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});

describe('autocomplete suggestions', () => {
  it('finds languages by code, English name, native name or alias', () => {
    expect(suggestionsFor('language', 'ko')[0]?.value).toBe('ko');
    expect(suggestionsFor('language', 'kor')[0]?.value).toBe('ko');
    expect(suggestionsFor('language', '한국').map((s) => s.value)).toContain('ko');
    expect(suggestionsFor('language', 'portug').map((s) => s.value)).toEqual(['pt', 'pt-BR']);
    expect(suggestionsFor('language', '').length).toBe(25);
    for (const s of suggestionsFor('language', '')) expect(s.name.length).toBeLessThanOrEqual(100);
  });

  it('offers the summary styles', () => {
    expect(suggestionsFor('style', '').map((s) => s.value)).toEqual(['tldr', 'bullets', 'pulse', 'insights']);
    expect(suggestionsFor('style', 'bu').map((s) => s.value)).toEqual(['bullets']);
  });
});
