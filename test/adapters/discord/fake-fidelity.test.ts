/**
 * The fake Discord is only as good as its likeness to the real one: its answers and dispatches are
 * checked here against payloads recorded from Discord's documentation (test/fixtures/discord/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { readJsonFixture } from '../../fakes/fixtures.js';
import { FAKE_CHANNEL_ID, FAKE_GUILD_ID, FAKE_USER, type InteractionRecord } from '../../fakes/discord/index.js';
import { waitFor } from '../../fakes/discord/wait-for.js';
import { apiCommandInteraction, ChannelKind } from '../../fakes/discord/wire.js';
import { startHarness, type Harness } from './harness.js';

type Json = Record<string, unknown>;

/** Every key path of a JSON value (`member.user.id`), arrays looked into by their first element. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length > 0 ? keyPaths(value[0], `${prefix}[]`) : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${k}`, ...keyPaths(v, `${prefix}${k}.`)]);
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('the fake Discord against recorded payloads', () => {
  it('answers GET /gateway/bot in the recorded shape', async () => {
    const recorded = readJsonFixture('discord/discord_gateway_bot_example.json');
    const response = await fetch(`${h.fake.apiUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${h.fake.token}` } });
    const body = (await response.json()) as Json;
    expect(keyPaths(body).sort()).toEqual(keyPaths(recorded).sort());
    expect(typeof body.url === 'string' && body.url.startsWith('ws://127.0.0.1:')).toBe(true);
  });

  it('says HELLO in the recorded shape', async () => {
    const recorded = readJsonFixture('discord/discord_gateway_hello_docs_example.json');
    const ws = new WebSocket(`${h.fake.gatewayUrl}?v=10&encoding=json`);
    const first = await new Promise<Json>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)) as Json)));
    ws.close();
    expect(keyPaths(first).sort()).toEqual(keyPaths(recorded).sort());
    expect(first.op).toBe(10);
  });

  it('sends slash commands with every field of the recorded example, and those discord.js 14.28 requires', () => {
    const recorded = readJsonFixture('discord/discord_interaction_create_example.json');
    const sent = apiCommandInteraction({
      id: '1', token: 't', applicationId: h.fake.appId, guildId: FAKE_GUILD_ID, user: FAKE_USER, permissions: '0', commandName: 'paper',
      channel: { id: FAKE_CHANNEL_ID, name: 'papers', type: ChannelKind.text }, options: [{ name: 'id', value: '2403.08295' }],
    });
    const paths = new Set(keyPaths(sent));
    // `is_pending` is an old duplicate of `pending` that the docs example still shows.
    const missing = keyPaths(recorded).filter((p) => !paths.has(p) && p !== 'member.is_pending');
    expect(missing).toEqual([]);
    for (const required of ['entitlements', 'authorizing_integration_owners', 'channel', 'application_id', 'version', 'context']) expect(paths.has(required)).toBe(true);
  });

  it('lets the bot answer the recorded docs interaction itself (with the fields discord.js requires added)', async () => {
    const recorded = readJsonFixture('discord/discord_interaction_create_example.json') as Json;
    const record: InteractionRecord = { id: String(recorded.id), token: String(recorded.token), dispatchedAt: performance.now(), responses: [] };
    h.fake.state.interactions.set(record.id, record);
    h.fake.gateway.dispatch('INTERACTION_CREATE', {
      ...recorded,
      application_id: h.fake.appId,
      version: 1,
      channel: { id: recorded.channel_id, type: 0 },
      entitlements: [],
      authorizing_integration_owners: { '0': recorded.guild_id },
      context: 0,
    });
    await waitFor(() => record.responses[0], { what: 'an answer to the recorded interaction' });
    expect(record.responses[0]).toMatchObject({ kind: 'callback', body: { type: 4, data: { flags: 64, allowed_mentions: { parse: [] } } } });
    expect(JSON.stringify(record.responses[0]?.body)).toContain('Unknown command /cardsearch');
  });

  it('reads channel history back as Discord documents it: newest first, paged, no nonce, empty without Read Message History', async () => {
    const get = async (query: string) => {
      const response = await fetch(`${h.fake.apiUrl}/v10/channels/${FAKE_CHANNEL_ID}/messages${query}`, { headers: { authorization: `Bot ${h.fake.token}` } });
      return { status: response.status, body: (await response.json()) as Json[] & Json };
    };
    const place = { workspace: FAKE_GUILD_ID, channel: FAKE_CHANNEL_ID };
    const posted = [];
    for (const n of [1, 2, 3]) posted.push(await h.bot.chat.post(place, { kind: 'text', text: `history ${n}` }, `history-${n}`));
    const [one, two, three] = posted.map((p) => p.id);

    const newest = await get('?limit=2');
    expect(newest.body.map((m) => m.id)).toEqual([three, two]);
    expect(newest.body[0]).not.toHaveProperty('nonce');
    expect(newest.body[0]).toMatchObject({ content: 'history 3', author: { id: h.fake.bot.id, bot: true }, type: 0 });
    expect((await get(`?limit=2&before=${two}`)).body.map((m) => m.id)).toEqual([one]);
    expect((await get(`?limit=1&after=${one}`)).body.map((m) => m.id)).toEqual([two]);
    expect((await get('?limit=101')).status).toBe(400);
    expect((await get('?before=abc')).status).toBe(400);

    h.fake.state.deny(FAKE_CHANNEL_ID, 'read-history');
    expect(await get('?limit=100')).toEqual({ status: 200, body: [] });
    h.fake.state.deny(FAKE_CHANNEL_ID, 'view');
    expect((await get('?limit=100')).body).toMatchObject({ code: 50001 });
    h.fake.state.allow(FAKE_CHANNEL_ID);
  });
});
