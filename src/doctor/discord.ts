/**
 * Discord: the token logs in (REST), the application id matches, the gateway takes a session, the slash
 * commands registered are the registry's, and the bot has what a digest needs in each subscribed channel.
 * Read-only: nothing is registered, posted or connected.
 * @module
 */
import { fail, isObject, json, ok, probe, skip, UnreachableError, warn, type CheckResult, type DoctorContext, type Probe } from './check.js';
import { channelPermissions, missingPermissions, type Overwrite } from './discord-permissions.js';

const AREA = 'discord';
const NAMES: Record<string, string> = {
  ViewChannel: 'View Channel', SendMessages: 'Send Messages', SendMessagesInThreads: 'Send Messages in Threads',
  CreatePublicThreads: 'Create Public Threads', EmbedLinks: 'Embed Links', ReadMessageHistory: 'Read Message History',
};

type Json = Record<string, unknown>;

/** A command as far as a user sees it: what `PUT` sets and `GET` returns, with Discord's omissions filled in. */
function commandShape(c: unknown): string {
  const cmd = isObject(c) ? c : {};
  const options = (Array.isArray(cmd.options) ? cmd.options : []).map((o: unknown) => {
    const opt = isObject(o) ? o : {};
    const choices = Array.isArray(opt.choices) ? opt.choices.map((ch: unknown) => (isObject(ch) ? `${String(ch.name)}=${String(ch.value)}` : '')) : [];
    return { name: opt.name, type: opt.type, description: opt.description, required: opt.required === true, autocomplete: opt.autocomplete === true, choices };
  });
  return JSON.stringify({ name: cmd.name, description: cmd.description, options, permissions: cmd.default_member_permissions ?? null });
}

export async function checkDiscord(ctx: DoctorContext): Promise<CheckResult[]> {
  const discord = ctx.config.discord;
  if (!discord) return [skip(AREA, 'adapter', 'off (DISCORD_TOKEN not set)')];
  // Loaded before the first request: discord.js takes a while to import, longer than an idle connection may wait.
  const { commandRegistrations } = await import('../adapters/discord/register.js');
  const api = `${discord.apiUrl}/v10`;
  const get = (route: string): Promise<Probe> => probe(`${api}${route}`, { headers: { authorization: `Bot ${discord.token}` } }, ctx.timeoutMs);
  const results: CheckResult[] = [];

  let me: Probe;
  try {
    me = await get('/users/@me');
  } catch (err) {
    if (!(err instanceof UnreachableError)) throw err;
    return [fail(AREA, 'token', `cannot reach ${discord.apiUrl} (${err.message})`, 'check the network and DISCORD_API_URL (https://discord.com/api)')];
  }
  if (me.status === 401) return [fail(AREA, 'token', 'Discord refused DISCORD_TOKEN (401 Unauthorized)', 'copy the bot token again from the Developer Portal (Bot → Reset Token)')];
  const user = json(me);
  if (me.status !== 200 || !isObject(user)) return [fail(AREA, 'token', `${discord.apiUrl} answered HTTP ${me.status} for the bot user`, 'check DISCORD_API_URL')];
  const botId = String(user.id);
  results.push(ok(AREA, 'token', `logged in as ${String(user.username)} (${botId})`));

  const app = json(await get('/oauth2/applications/@me'));
  const appId = isObject(app) && typeof app.id === 'string' ? app.id : undefined;
  if (!appId) results.push(warn(AREA, 'application', 'Discord did not name the application of this token'));
  else if (!discord.appId) results.push(warn(AREA, 'application', `DISCORD_APP_ID is not set; this token's application is ${appId}`, `set DISCORD_APP_ID=${appId} (register-commands needs it)`));
  else if (discord.appId !== appId) results.push(fail(AREA, 'application', `DISCORD_APP_ID is ${discord.appId}, but this token belongs to application ${appId}`, `set DISCORD_APP_ID=${appId}, or use the token of application ${discord.appId}`));
  else results.push(ok(AREA, 'application', `DISCORD_APP_ID matches the token (${appId})`));

  const gateway = json(await get('/gateway/bot'));
  const limit = isObject(gateway) && isObject(gateway.session_start_limit) ? gateway.session_start_limit : undefined;
  if (!limit) results.push(fail(AREA, 'gateway', 'no gateway offered to this bot (/gateway/bot)', 'check DISCORD_API_URL'));
  else if (Number(limit.remaining) <= 0) {
    results.push(fail(AREA, 'gateway', `no session starts left today (0 of ${String(limit.total)}): the bot cannot log in`, `wait ${Math.ceil(Number(limit.reset_after) / 60_000)} min for the reset; a bot restarting in a loop uses them up`));
  } else {
    // Guilds and Guild Message Reactions are not privileged: nothing to enable in the Developer Portal.
    results.push(ok(AREA, 'gateway', `intents Guilds and Guild Message Reactions (not privileged); ${String(limit.remaining)} session starts left today`));
  }

  if (appId) results.push(await commandsCheck(ctx, get, appId, commandRegistrations()));
  results.push(...(await channelChecks(ctx, get, botId)));
  return results;
}

async function commandsCheck(ctx: DoctorContext, get: (route: string) => Promise<Probe>, appId: string, registry: readonly { name: string }[]): Promise<CheckResult> {
  const expected = new Map(registry.map((c) => [c.name, commandShape(c)]));
  const guilds = [...new Set(ctx.channels.filter((c) => c.platform === 'discord').map((c) => c.workspace))];
  const scopes: { where: string; route: string }[] = [{ where: 'globally', route: `/applications/${appId}/commands` }, ...guilds.map((g) => ({ where: `in server ${g}`, route: `/applications/${appId}/guilds/${g}/commands` }))];
  const fix = 'run paperboy register-commands (or --guild ID for one server, at once)';
  for (const scope of scopes) {
    const p = await get(scope.route);
    const list = json(p);
    if (p.status !== 200 || !Array.isArray(list) || list.length === 0) continue;
    const registered = new Map((list as Json[]).map((c) => [String(c.name), commandShape(c)]));
    const missing = [...expected.keys()].filter((n) => !registered.has(n));
    const changed = [...expected.keys()].filter((n) => registered.has(n) && registered.get(n) !== expected.get(n));
    const extra = [...registered.keys()].filter((n) => !expected.has(n));
    if (missing.length + changed.length + extra.length === 0) return ok(AREA, 'commands', `${expected.size} slash commands registered ${scope.where}, current`);
    const parts = [missing.length ? `missing ${missing.map((n) => `/${n}`).join(' ')}` : '', changed.length ? `outdated ${changed.map((n) => `/${n}`).join(' ')}` : '', extra.length ? `no longer ours ${extra.map((n) => `/${n}`).join(' ')}` : ''].filter(Boolean);
    return fail(AREA, 'commands', `registered ${scope.where} but not current: ${parts.join('; ')}`, fix);
  }
  return fail(AREA, 'commands', 'no slash commands registered for this application', fix);
}

async function channelChecks(ctx: DoctorContext, get: (route: string) => Promise<Probe>, botId: string): Promise<CheckResult[]> {
  const subscribed = ctx.channels.filter((c) => c.platform === 'discord');
  if (subscribed.length === 0) return [skip(AREA, 'channels', 'no subscribed Discord channels yet (/subscribe in a channel)')];
  const results: CheckResult[] = [];
  const guildCache = new Map<string, { roles: { id: string; permissions: string }[]; memberRoles: string[] } | undefined>();
  for (const { channel: id } of subscribed) {
    const p = await get(`/channels/${id}`);
    const channel = json(p);
    if (p.status !== 200 || !isObject(channel)) {
      results.push(fail(AREA, `channel ${id}`, `the bot cannot see channel ${id} (HTTP ${p.status})`, 'invite the bot to that server, give it View Channel there, or /unsubscribe the channel'));
      continue;
    }
    const name = `#${String(channel.name)}`;
    const guildId = String(channel.guild_id);
    if (!guildCache.has(guildId)) {
      const guild = json(await get(`/guilds/${guildId}`));
      const member = json(await get(`/guilds/${guildId}/members/${botId}`));
      guildCache.set(guildId, isObject(guild) && Array.isArray(guild.roles) && isObject(member) && Array.isArray(member.roles)
        ? { roles: guild.roles as { id: string; permissions: string }[], memberRoles: member.roles.map(String) }
        : undefined);
    }
    const guild = guildCache.get(guildId);
    if (!guild) {
      results.push(fail(AREA, `channel ${name}`, `cannot read the bot's roles in server ${guildId}`, 'invite the bot to that server again'));
      continue;
    }
    const overwrites = (Array.isArray(channel.permission_overwrites) ? channel.permission_overwrites : []) as Overwrite[];
    const missing = missingPermissions(channelPermissions({ guildId, roles: guild.roles, memberRoles: guild.memberRoles, memberId: botId, overwrites }));
    if (missing.length === 0) results.push(ok(AREA, `channel ${name}`, 'the bot may post, start threads, embed and read history'));
    else results.push(fail(AREA, `channel ${name}`, `the bot lacks ${missing.map((m) => NAMES[m] ?? m).join(', ')}`, `grant them to the bot's role in ${name} (channel settings → Permissions)`));
  }
  return results;
}
