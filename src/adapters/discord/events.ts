/**
 * Wires the discord.js client to Paperboy: interactions to commands, reaction dispatches to votes,
 * and the client's own troubles to the log.
 * @module
 */
import { Events, GatewayDispatchEvents, type Client } from 'discord.js';
import { handleInteraction, type InteractionDeps } from './interactions.js';
import { reactionEvent } from './reactions.js';

/** What the event handlers reach: the core's inbound port, the chat port (for /digest) and the log. */
export type EventDeps = InteractionDeps;

/** Subscribes the handlers; call before login so nothing dispatched at READY is missed. */
export function attachEvents(client: Client, deps: EventDeps): void {
  const { logger, inbound } = deps;
  client.on(Events.InteractionCreate, (interaction) => {
    handleInteraction(interaction, deps).catch((err: unknown) => logger.error({ err }, 'Discord interaction failed'));
  });

  // Not an async function: one suspended per event until the core writes its batch would hold the whole
  // gateway payload (`data`, a parameter) that long, and at a busy gateway such short-lived objects get
  // copied into V8's old generation, where they stay until the next full collection.
  const onReaction = (added: boolean) => (data: unknown) => {
    const event = reactionEvent(data, added, client.user?.id);
    if (!event) return;
    // Called at once, so events reach the core in gateway order; the core batches its writes.
    inbound.reaction(event).catch((err: unknown) => logger.error({ err, messageId: event.messageId }, 'reaction not counted'));
  };
  client.ws.on(GatewayDispatchEvents.MessageReactionAdd, onReaction(true));
  client.ws.on(GatewayDispatchEvents.MessageReactionRemove, onReaction(false));

  client.on(Events.Error, (err) => logger.error({ err }, 'Discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'Discord client warning'));
  client.on(Events.ShardError, (err, shardId) => logger.warn({ err, shardId }, 'Discord gateway connection error'));
  client.on(Events.ShardReconnecting, (shardId) => logger.info({ shardId }, 'Discord gateway reconnecting'));
  // discord.js's debug stream is chatty (every heartbeat): only listened to when it would be shown.
  if (logger.isLevelEnabled('debug')) client.on(Events.Debug, (message) => logger.debug({ component: 'discord' }, message));
  client.on(Events.ShardResume, (shardId, replayed) => logger.info({ shardId, replayed }, 'Discord gateway resumed'));
}
