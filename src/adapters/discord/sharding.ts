/**
 * The gateway shards, run in this process as discord.js does by default (@discordjs/ws's
 * SimpleShardingStrategy), with one difference: gateway events reach the manager without
 * `{ ...payload, shardId }`. On Node 20 that spread followed by one more property leaves garbage in
 * the old generation for every gateway event, resident until the next full collection, so a busy bot
 * grows with its reactions. discord.js takes it through its public `ws.buildStrategy` option (client.ts). @discordjs/ws is pinned
 * in package.json to the version discord.js depends on, so both find the one installed copy.
 * @module
 */
import { createRequire } from 'node:module';
import type * as DiscordWs from '@discordjs/ws';
import type { WebSocketManager, WebSocketShard, WebSocketShardDestroyOptions } from '@discordjs/ws';
import type { GatewaySendPayload } from 'discord.js';

// The copy discord.js itself requires (the CommonJS build): an `import` would load the package's ES module
// build beside it, a second copy of @discordjs/ws in memory.
const { managerToFetchingStrategyOptions, SimpleContextFetchingStrategy, SimpleShardingStrategy, WebSocketShard: Shard, WebSocketShardEvents } =
  createRequire(import.meta.url)('@discordjs/ws') as typeof DiscordWs;

/** The manager's `emit`, loosely typed: one forwarder per shard event. */
type Emit = (event: DiscordWs.WebSocketShardEvents, payload: object) => unknown;

/**
 * Shards in this process, forwarding each gateway event as a literal of one shape. Extends
 * SimpleShardingStrategy only for its status Collection; every method is its own.
 */
export class InProcessShards extends SimpleShardingStrategy {
  readonly #manager: WebSocketManager;
  readonly #shards = new Map<number, WebSocketShard>();

  constructor(manager: WebSocketManager) {
    super(manager);
    this.#manager = manager;
  }

  override async spawn(shardIds: number[]): Promise<void> {
    const options = await managerToFetchingStrategyOptions(this.#manager);
    const emit = this.#manager.emit.bind(this.#manager) as Emit;
    for (const shardId of shardIds) {
      const shard = new Shard(new SimpleContextFetchingStrategy(this.#manager, options), shardId);
      for (const event of Object.values(WebSocketShardEvents)) {
        const forward =
          event === WebSocketShardEvents.Dispatch
            ? // Every gateway event: a literal of one shape, no spread.
              (payload: { data: unknown }) => emit(event, { data: payload.data, shardId })
            : // Rare (hello, ready, heartbeat, closed, error, debug): as SimpleShardingStrategy does.
              (payload?: object) => emit(event, { ...payload, shardId });
        shard.on(event, forward as (...args: unknown[]) => void);
      }
      this.#shards.set(shardId, shard);
    }
  }

  override async connect(): Promise<void> {
    await Promise.all([...this.#shards.values()].map((shard) => shard.connect()));
  }

  override async destroy(options?: Omit<WebSocketShardDestroyOptions, 'recover'>): Promise<void> {
    await Promise.all([...this.#shards.values()].map((shard) => shard.destroy(options)));
    this.#shards.clear();
  }

  override async send(shardId: number, payload: GatewaySendPayload): Promise<void> {
    const shard = this.#shards.get(shardId);
    if (!shard) throw new RangeError(`Shard ${shardId} not found`);
    return shard.send(payload);
  }

  override async fetchStatus(): ReturnType<DiscordWs.SimpleShardingStrategy['fetchStatus']> {
    // The parent has no shards: its answer is an empty Collection of the kind callers expect.
    const statuses = await super.fetchStatus();
    for (const [shardId, shard] of this.#shards) statuses.set(shardId, shard.status);
    return statuses;
  }
}
