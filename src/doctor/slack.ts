/**
 * Slack: the bot token is valid (auth.test), it was granted the manifest's scopes (`x-oauth-scopes`),
 * Socket Mode's app token opens a connection URL (nothing connects to it) or HTTP mode has its signing
 * secret, and the bot is a member of each subscribed channel.
 * @module
 */
import { BOT_SCOPES } from '../adapters/slack/manifest.js';
import { fail, isObject, json, ok, probe, skip, UnreachableError, type CheckResult, type DoctorContext } from './check.js';

const AREA = 'slack';

interface SlackAnswer {
  body: Record<string, unknown>;
  scopes: string[] | undefined;
}

export async function checkSlack(ctx: DoctorContext): Promise<CheckResult[]> {
  const slack = ctx.config.slack;
  if (!slack) return [skip(AREA, 'adapter', 'off (SLACK_BOT_TOKEN not set)')];
  const call = async (method: string, token: string, params: Record<string, string> = {}): Promise<SlackAnswer> => {
    const p = await probe(`${slack.apiUrl}/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    }, ctx.timeoutMs);
    const body = json(p);
    const header = p.headers.get('x-oauth-scopes');
    return { body: isObject(body) ? body : { ok: false, error: `HTTP ${p.status}` }, scopes: header === null ? undefined : header.split(',').map((s) => s.trim()).filter(Boolean) };
  };
  const results: CheckResult[] = [];

  let auth: SlackAnswer;
  try {
    auth = await call('auth.test', slack.botToken);
  } catch (err) {
    if (!(err instanceof UnreachableError)) throw err;
    return [fail(AREA, 'token', `cannot reach ${slack.apiUrl} (${err.message})`, 'check the network and SLACK_API_URL (https://slack.com/api)')];
  }
  if (auth.body.ok !== true) {
    return [fail(AREA, 'token', `Slack refused SLACK_BOT_TOKEN (${String(auth.body.error)})`, 'copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions; reinstall the app if it was revoked')];
  }
  results.push(ok(AREA, 'token', `bot @${String(auth.body.user)} in ${String(auth.body.team)} (${String(auth.body.team_id)})`));

  if (!auth.scopes) results.push(fail(AREA, 'scopes', 'Slack did not list the token\'s scopes (no x-oauth-scopes header)', 'check that SLACK_API_URL is Slack\'s Web API'));
  else {
    const missing = BOT_SCOPES.filter((s) => !auth.scopes!.includes(s));
    results.push(missing.length === 0
      ? ok(AREA, 'scopes', `granted all ${BOT_SCOPES.length} the manifest asks for`)
      : fail(AREA, 'scopes', `missing ${missing.join(', ')}`, 'add them under OAuth & Permissions → Bot Token Scopes (or paste slack/manifest.yml again), then reinstall the app'));
  }

  if (slack.appToken) {
    try {
      const open = await call('apps.connections.open', slack.appToken);
      results.push(open.body.ok === true
        ? ok(AREA, 'socket mode', 'SLACK_APP_TOKEN opens a Socket Mode connection')
        : fail(AREA, 'socket mode', `Slack refused SLACK_APP_TOKEN (${String(open.body.error)})`, 'create an app-level token (xapp-…) with connections:write under Basic Information, and turn Socket Mode on'));
    } catch (err) {
      if (!(err instanceof UnreachableError)) throw err;
      results.push(fail(AREA, 'socket mode', `apps.connections.open did not answer (${err.message})`, 'check the network'));
    }
  } else {
    results.push(ok(AREA, 'http mode', `SLACK_SIGNING_SECRET set; Slack's requests arrive at /slack/events on PORT ${slack.port}`));
  }

  const subscribed = ctx.channels.filter((c) => c.platform === 'slack');
  if (subscribed.length === 0) results.push(skip(AREA, 'channels', 'no subscribed Slack channels yet (/subscribe in a channel)'));
  for (const { channel } of subscribed) results.push(await membership(call, slack.botToken, channel));
  return results;
}

async function membership(call: (method: string, token: string, params?: Record<string, string>) => Promise<SlackAnswer>, token: string, channel: string): Promise<CheckResult> {
  const invite = (name: string) => `invite the bot there (/invite @Paperboy in ${name}), or /unsubscribe it`;
  const info = await call('conversations.info', token, { channel });
  if (info.body.ok === true && isObject(info.body.channel)) {
    const name = `#${String(info.body.channel.name)}`;
    return info.body.channel.is_member === true ? ok(AREA, `channel ${name}`, 'the bot is a member') : fail(AREA, `channel ${name}`, 'the bot is not a member: digests there fail', invite(name));
  }
  // The manifest asks for no channels:read; the history scope tells membership too (not_in_channel).
  if (info.body.error === 'missing_scope') {
    const history = await call('conversations.history', token, { channel, limit: '1' });
    if (history.body.ok === true) return ok(AREA, `channel ${channel}`, 'the bot is a member');
    if (history.body.error === 'not_in_channel') return fail(AREA, `channel ${channel}`, 'the bot is not a member: digests there fail', invite(channel));
    return fail(AREA, `channel ${channel}`, `Slack answered ${String(history.body.error)}`, 'check the channel still exists, or /unsubscribe it');
  }
  return fail(AREA, `channel ${channel}`, `Slack answered ${String(info.body.error)} (deleted, or private without the bot)`, invite(channel));
}
