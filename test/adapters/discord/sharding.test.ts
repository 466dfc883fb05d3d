import { WebSocketManager, WebSocketShardEvents, WebSocketShardStatus } from '@discordjs/ws';
import { GatewayIntentBits, REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordClient } from '../../../src/adapters/discord/client.js';
import { InProcessShards } from '../../../src/adapters/discord/sharding.js';
import { FAKE_CHANNEL_ID, startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index.js';
import { waitFor } from '../../fakes/discord/wait-for.js';

let fake: FakeDiscord | undefined;
let manager: WebSocketManager | undefined;

afterEach(async () => {
  await manager?.destroy();
  manager = undefined;
  await fake?.close();
  fake = undefined;
});

describe('InProcessShards (the gateway shards, without a spread per event)', () => {
  it('is what the client runs its shards with', async () => {
    const client = createDiscordClient({ apiUrl: 'http://127.0.0.1:9' });
    const idle = new WebSocketManager({ token: 'token', intents: 0, rest: new REST() });
    expect(client.options.ws?.buildStrategy?.(idle)).toBeInstanceOf(InProcessShards);
    await client.destroy();
  });

  it('connects, hands each gateway event over as { data, shardId }, reports the shard status, and stops', async () => {
    const f = (fake = await startFakeDiscord());
    const rest = new REST({ api: f.apiUrl }).setToken(f.token);
    const m = (manager = new WebSocketManager({
      token: f.token, rest, intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessageReactions, buildStrategy: (ws) => new InProcessShards(ws),
    }));
    const dispatched: { data: { t: string; d: unknown }; shardId: number }[] = [];
    m.on(WebSocketShardEvents.Dispatch, (event) => dispatched.push(event as (typeof dispatched)[number]));
    const ready: number[] = [];
    m.on(WebSocketShardEvents.Ready, ({ shardId }) => ready.push(shardId));

    await m.connect();
    await waitFor(() => f.gateway.isReady && ready.length === 1, { what: 'the shard ready' });
    expect(ready).toEqual([0]);
    expect([...(await m.fetchStatus())]).toEqual([[0, WebSocketShardStatus.Ready]]);

    const reaction = f.reactionData({ added: true, channelId: FAKE_CHANNEL_ID, messageId: '700000000000000001', emoji: '👍' });
    f.gateway.dispatch('MESSAGE_REACTION_ADD', reaction);
    await waitFor(() => dispatched.some((e) => e.data.t === 'MESSAGE_REACTION_ADD'), { what: 'the reaction' });
    const event = dispatched.find((e) => e.data.t === 'MESSAGE_REACTION_ADD');
    expect(Object.keys(event!)).toEqual(['data', 'shardId']);
    expect(event).toMatchObject({ shardId: 0, data: { t: 'MESSAGE_REACTION_ADD', d: reaction } });

    await m.destroy();
    expect((await m.fetchStatus()).size).toBe(0);
  });
});
