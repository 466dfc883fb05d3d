/**
 * Who may manage Paperboy in a Slack workspace (workspace admins and owners, or users named in
 * config) and who is a bot, from users.info, cached briefly so a burst of commands or reactions
 * costs one lookup per person.
 * @module
 */
import type { Logger } from '../../logger.js';
import type { SlackApi } from './slack-api.js';

interface UserFacts {
  manager: boolean;
  bot: boolean;
}

export interface SlackPeopleOptions {
  api: SlackApi;
  logger: Logger;
  /** Our own bot user (from auth.test): its reactions never count. */
  botUserId: string;
  /** User ids that may manage besides admins and owners. */
  adminUsers?: readonly string[];
  /** How long a users.info answer is trusted. */
  ttlMs?: number;
  now?: () => number;
}

const UNKNOWN: UserFacts = { manager: false, bot: false };
// Slackbot is a bot but users.info describes it as a user.
const SLACKBOT = 'USLACKBOT';

/** Answers "may this user manage?" and "is this user a bot?" for one workspace. */
export class SlackPeople {
  private readonly cache = new Map<string, { until: number; facts: Promise<UserFacts> }>();
  private readonly admins: ReadonlySet<string>;
  private readonly now: () => number;
  private warned = false;

  constructor(private readonly options: SlackPeopleOptions) {
    this.admins = new Set(options.adminUsers ?? []);
    this.now = options.now ?? Date.now;
  }

  /** True for users named in config, and for workspace admins and owners. */
  async canManage(user: string): Promise<boolean> {
    if (this.admins.has(user)) return true;
    return (await this.facts(user)).manager;
  }

  /** True for our own bot user, Slackbot, and users Slack marks as bots. */
  async isBot(user: string): Promise<boolean> {
    if (user === this.options.botUserId || user === SLACKBOT) return true;
    return (await this.facts(user)).bot;
  }

  private facts(user: string): Promise<UserFacts> {
    const now = this.now();
    const cached = this.cache.get(user);
    if (cached && cached.until > now) return cached.facts;
    if (this.cache.size >= 10_000) this.forgetExpired(now);
    const facts = this.lookup(user);
    this.cache.set(user, { until: now + (this.options.ttlMs ?? 60_000), facts });
    return facts;
  }

  private async lookup(user: string): Promise<UserFacts> {
    try {
      const { user: info } = await this.options.api.call('users.info', { idempotent: true }, (client) => client.users.info({ user }));
      if (!info) return UNKNOWN;
      return { manager: Boolean(info.is_admin || info.is_owner || info.is_primary_owner), bot: Boolean(info.is_bot) };
    } catch (err) {
      // Without users.info nobody is treated as an admin (config-named users still are); say so once.
      if (!this.warned) this.options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'slack: users.info failed; treating users as non-admins');
      this.warned = true;
      this.cache.set(user, { until: this.now() + 5_000, facts: Promise.resolve(UNKNOWN) });
      return UNKNOWN;
    }
  }

  private forgetExpired(now: number): void {
    for (const [user, entry] of this.cache) if (entry.until <= now) this.cache.delete(user);
    if (this.cache.size >= 10_000) this.cache.clear();
  }
}
