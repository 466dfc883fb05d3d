/**
 * The Slack app manifest (slack/manifest.yml), generated from the commands registry so the slash
 * commands a user creates are exactly the ones Paperboy answers. A test keeps the file in step;
 * `npx tsx src/adapters/slack/write-manifest.ts` rewrites it.
 * @module
 */
import { stringify } from 'yaml';
import type { Command } from '../../commands/command.js';

/** What the bot needs: post, receive commands, read reactions and threads (metadata), look up admins. */
export const BOT_SCOPES = ['chat:write', 'commands', 'reactions:read', 'channels:history', 'groups:history', 'users:read'] as const;
export const BOT_EVENTS = ['reaction_added', 'reaction_removed'] as const;

type Yaml = string | number | boolean | readonly Yaml[] | { readonly [key: string]: Yaml };

/** The manifest as data (Socket Mode on: no public URL needed). */
export function buildManifest(commands: readonly Command[]): Yaml {
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: 'Paperboy',
      description: 'Daily research papers in a thread; look up, search and vote on papers.',
      long_description:
        "Paperboy posts each day's research papers (Hugging Face Daily Papers or arXiv categories) as a thread, one message per paper. " +
        'React to vote; the team\'s favourites show in /top. Slash commands look papers up by arXiv id or URL, search every paper seen, and translate summaries.',
      background_color: '#1f3a5f',
    },
    features: {
      bot_user: { display_name: 'Paperboy', always_online: true },
      slash_commands: commands.map((c) => ({
        command: `/${c.name}`,
        description: c.description,
        ...(c.usage ? { usage_hint: c.usage } : {}),
        should_escape: false,
      })),
    },
    oauth_config: { scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      event_subscriptions: { bot_events: [...BOT_EVENTS] },
      interactivity: { is_enabled: false },
      org_deploy_enabled: false,
      socket_mode_enabled: true,
      token_rotation_enabled: false,
    },
  };
}

/** The text of slack/manifest.yml. */
export function manifestYaml(commands: readonly Command[]): string {
  return (
    '# Generated from src/commands/index.ts by `npx tsx src/adapters/slack/write-manifest.ts`; do not edit by hand.\n' +
    '# Paste it at https://api.slack.com/apps → Create New App → From a manifest. HTTP mode: see README.md.\n' +
    stringify(buildManifest(commands), { lineWidth: 0 })
  );
}
