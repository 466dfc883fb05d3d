import { describeSettings } from '../core/subscriptions/view.js';
import { card } from '../core/reply.js';
import { parseSettingsChanges, SETTINGS_EXAMPLE } from '../core/subscriptions/settings.js';
import { defineCommand } from './command.js';

export default defineCommand({
  name: 'subscribe',
  description: "Show or change this channel's daily papers",
  usage: '[key=value …]',
  options: [{ name: 'settings', type: 'string', description: `e.g. ${SETTINGS_EXAMPLE}` }],
  requiresManage: true,
  async execute({ args, core, invoker }) {
    const target = { platform: invoker.platform, workspace: invoker.workspace, channel: invoker.channel };
    const input = args.settings ?? '';
    if (!input) {
      const current = core.subscriptions.find(target);
      return card(describeSettings(current), {
        text: current?.active ? undefined : `Not subscribed yet. Start with /subscribe ${SETTINGS_EXAMPLE} (any of them, or just /subscribe time=09:00).`,
        ephemeral: true,
      });
    }
    const changes = parseSettingsChanges(input);
    const before = core.subscriptions.find(target);
    const saved = core.subscriptions.save(target, changes);
    const verb = before?.active ? `Updated ${Object.keys(changes).join(', ') || 'nothing'}.` : 'Subscribed: daily papers will arrive here.';
    return card(describeSettings(saved), { text: verb });
  },
});
