import { text } from '../core/reply.js';
import { defineCommand } from './command.js';

export default defineCommand({
  name: 'unsubscribe',
  description: 'Stop the daily papers in this channel',
  options: [],
  requiresManage: true,
  async execute({ core, invoker }) {
    const stopped = core.subscriptions.unsubscribe({ platform: invoker.platform, workspace: invoker.workspace, channel: invoker.channel });
    return stopped
      ? text('Unsubscribed: no more daily papers here. Votes and /top stay; /subscribe starts again with the same settings.')
      : text('This channel is not subscribed. /subscribe shows how to start.', { ephemeral: true });
  },
});
