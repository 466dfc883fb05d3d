/**
 * What Slack sends an app, built the way Slack builds it: a slash command's form fields and an
 * Events API `event_callback` for reactions. The same payloads travel over HTTP and Socket Mode.
 * @module
 */

export interface CommandFields {
  command: string;
  text?: string;
  user?: string;
  channel?: string;
  team?: string;
  responseUrl: string;
}

/** A slash command's fields (all strings, as Slack form-encodes them). */
export function slashCommand(fields: CommandFields): Record<string, string> {
  const team = fields.team ?? 'T0TEAM';
  return {
    token: 'deprecated-verification-token',
    team_id: team,
    team_domain: 'fake',
    channel_id: fields.channel ?? 'CPAPERS',
    channel_name: 'papers',
    user_id: fields.user ?? 'UALICE',
    user_name: 'alice',
    command: fields.command.startsWith('/') ? fields.command : `/${fields.command}`,
    text: fields.text ?? '',
    api_app_id: 'AFAKE',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: `${Date.now()}.trigger`,
  };
}

export interface ReactionFields {
  added: boolean;
  user: string;
  reaction: string;
  channel: string;
  ts: string;
  team?: string;
  itemUser?: string;
}

let eventCounter = 0;

/** An `event_callback` body carrying reaction_added or reaction_removed. */
export function reactionEvent(fields: ReactionFields): Record<string, unknown> {
  const team = fields.team ?? 'T0TEAM';
  eventCounter++;
  return {
    token: 'deprecated-verification-token',
    team_id: team,
    api_app_id: 'AFAKE',
    event: {
      type: fields.added ? 'reaction_added' : 'reaction_removed',
      user: fields.user,
      reaction: fields.reaction,
      item_user: fields.itemUser ?? 'UPAPERBOY',
      item: { type: 'message', channel: fields.channel, ts: fields.ts },
      event_ts: `${Math.floor(Date.now() / 1000)}.${String(eventCounter).padStart(6, '0')}`,
    },
    type: 'event_callback',
    event_id: `Ev${String(eventCounter).padStart(8, '0')}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: team, user_id: 'UPAPERBOY', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}
