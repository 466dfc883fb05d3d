import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackPeople } from '../../../src/adapters/slack/permissions.js';
import { SlackApi } from '../../../src/adapters/slack/slack-api.js';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack/web-api.js';

let slack: FakeSlack;
let now: number;
const warnings: string[] = [];
const logger = pino({ level: 'warn' }, new Writable({ write: (chunk: Buffer, _enc, done) => (warnings.push(String(chunk)), done()) }));

function people(adminUsers: string[] = []): SlackPeople {
  const api = new SlackApi({ token: slack.botToken, apiUrl: slack.apiUrl, logger, readRetries: 0 });
  return new SlackPeople({ api, logger, botUserId: slack.botUserId, adminUsers, ttlMs: 60_000, now: () => now });
}

beforeEach(async () => {
  slack = await startFakeSlack({
    users: [
      { id: 'UALICE' },
      { id: 'UADMIN', is_admin: true },
      { id: 'UOWNER', is_owner: true },
      { id: 'UPRIMARY', is_primary_owner: true },
      { id: 'UROBOT', is_bot: true },
    ],
  });
  now = 1_000_000;
  warnings.length = 0;
});
afterEach(async () => {
  await slack.close();
});

describe('SlackPeople', () => {
  it('lets admins, owners and configured users manage; not members', async () => {
    const p = people(['UCONFIG']);
    expect(await p.canManage('UADMIN')).toBe(true);
    expect(await p.canManage('UOWNER')).toBe(true);
    expect(await p.canManage('UPRIMARY')).toBe(true);
    expect(await p.canManage('UCONFIG')).toBe(true);
    expect(await p.canManage('UALICE')).toBe(false);
    expect(slack.callsTo('users.info').map((c) => c.params.user)).not.toContain('UCONFIG');
  });

  it('asks users.info once per person while the answer is fresh, and again after', async () => {
    const p = people();
    await Promise.all([p.canManage('UADMIN'), p.canManage('UADMIN'), p.isBot('UADMIN')]);
    expect(slack.callsTo('users.info')).toHaveLength(1);
    now += 61_000;
    await p.canManage('UADMIN');
    expect(slack.callsTo('users.info')).toHaveLength(2);
  });

  it('knows bots: itself and Slackbot without asking, others from users.info', async () => {
    const p = people();
    expect(await p.isBot(slack.botUserId)).toBe(true);
    expect(await p.isBot('USLACKBOT')).toBe(true);
    expect(slack.callsTo('users.info')).toHaveLength(0);
    expect(await p.isBot('UROBOT')).toBe(true);
    expect(await p.isBot('UALICE')).toBe(false);
  });

  it('without users.info (missing scope), nobody but configured users manages, and it warns once', async () => {
    slack.failNext('users.info', { error: 'missing_scope', needed: 'users:read' }, 2);
    const p = people(['UCONFIG']);
    expect(await p.canManage('UADMIN')).toBe(false);
    expect(await p.canManage('UOWNER')).toBe(false);
    expect(await p.canManage('UCONFIG')).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('users:read');
  });
});
