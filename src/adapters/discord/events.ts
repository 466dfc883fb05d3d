/**
 * Wires the discord.js client to Paperboy: interactions to commands, reaction dispatches to votes,
 * and the client's own troubles to the log.
 * @module
 */
import { Events, GatewayDispatchEvents, type Client } from 'discord.js';
import type { Logger } from '../../logger.js';
import { handleInteraction, type InteractionDeps } from './interactions.js';
import { reactionEvent, type VotePath } from './reactions.js';

/** What the event handlers reach: the core (commands), the port (for /digest), the vote path and the log. */
export interface EventDeps extends InteractionDeps {
  votes: VotePath;
  logger: Logger;
}

/** Subscribes the handlers; call before login so nothing dispatched at READY is missed. */
export function attachEvents(client: Client, deps: EventDeps): void {
  const { logger, votes } = deps;
  client.on(Events.InteractionCreate, (interaction) => {
    handleInteraction(interaction, deps).catch((err: unknown) => logger.error({ err }, 'Discord interaction failed'));
  });

  const onReaction = (added: boolean) => async (data: unknown) => {
    const event = reactionEvent(data, added, client.user?.id);
    if (!event) return;
    try {
      // Called at once, so events reach the core in gateway order; the core may batch its writes.
      await votes.react(event);
    } catch (err) {
      logger.error({ err, messageId: event.messageId }, 'reaction not counted');
    }
  };
  client.ws.on(GatewayDispatchEvents.MessageReactionAdd, onReaction(true));
  client.ws.on(GatewayDispatchEvents.MessageReactionRemove, onReaction(false));

  client.on(Events.Error, (err) => logger.error({ err }, 'Discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'Discord client warning'));
  client.on(Events.ShardError, (err, shardId) => logger.warn({ err, shardId }, 'Discord gateway connection error'));
  client.on(Events.ShardReconnecting, (shardId) => logger.info({ shardId }, 'Discord gateway reconnecting'));
  client.on(Events.ShardResume, (shardId, replayed) => logger.info({ shardId, replayed }, 'Discord gateway resumed'));
}
