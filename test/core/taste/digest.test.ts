import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../../src/core/core.js';
import { DEFAULT_SETTINGS, type DigestSettings } from '../../../src/core/subscriptions/settings.js';
import { channelScope } from '../../../src/core/taste/scope.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { HfClient } from '../../../src/sources/hf.js';
import { startFakeHf, type FakeHf } from '../../fakes/hf-server.js';
import { RecordingChat } from '../../helpers/recording-chat.js';
import { dailyList, testHttp } from '../../helpers/test-core.js';
import { DAY, history } from './team.js';

const DATE = '2024-03-15';
const target = { platform: 'test', workspace: 'w1', channel: 'c1' };
const settings = (over: Partial<DigestSettings> = {}): DigestSettings => ({ ...DEFAULT_SETTINGS, ...over });

let hf: FakeHf;
let database: Database | undefined;
beforeAll(async () => {
  hf = await startFakeHf({ daily: { [DATE]: dailyList(9) } });
});
afterAll(() => hf.close());
afterEach(() => database?.close());

function setup() {
  database = openDatabase(':memory:');
  const clock = { t: Date.UTC(2024, 2, 1) };
  const core = new Core({ database, now: () => clock.t, hf: new HfClient({ apiUrl: hf.url, http: testHttp }), tasteRefitDelayMs: 1 });
  return { core, clock };
}

const titles = (chat: RecordingChat) => chat.posts.filter((p) => p.key.includes('/paper/')).map((p) => (p.reply.kind === 'card' ? p.reply.card : undefined)!);

describe('the daily digest ordered by taste', () => {
  it('moves what the team votes for to the top, marked 🎯 with a reason, and keeps the filters', async () => {
    const { core, clock } = setup();
    await history(core, target, { liked: ['animation'], votes: 20, clock, topics: ['animation', 'robots', 'speech', 'proteins'] });
    clock.t += 3 * DAY;
    await core.taste.settle();
    expect(core.taste.status(channelScope(target)).enough).toBe(true);

    const chat = new RecordingChat();
    await core.digests.deliver(chat, target, DATE, settings({ size: 5, excludeKeywords: ['gaussian'] }));
    const cards = titles(chat);
    expect(cards).toHaveLength(5);
    // Gemma has the most upvotes; the team's taste puts the animation papers first.
    expect(cards[0]!.title).not.toContain('Gemma');
    expect(['VLOGGER', 'Follow-Your-Click', 'Human-Scene'].some((t) => cards[0]!.title.includes(t))).toBe(true);
    expect(cards[0]!.body).toMatch(/^🎯 (Like|You tend)/);
    expect(cards.filter((c) => c.body?.startsWith('🎯')).length).toBeLessThanOrEqual(3);
    expect(cards.some((c) => c.title.includes('GaussianImage'))).toBe(false);
  });

  it('keeps the upvote order with taste=off, and before enough votes', async () => {
    const { core, clock } = setup();
    await history(core, target, { liked: ['animation'], votes: 20, clock, topics: ['animation', 'robots'] });
    clock.t += 3 * DAY;
    await core.taste.settle();
    const chat = new RecordingChat();
    await core.digests.deliver(chat, target, DATE, settings({ size: 3, taste: 'off' }));
    expect(titles(chat).map((c) => c.title.split(':')[0])).toEqual(['Gemma', 'Simple and Scalable Strategies to Continually Pre-train Large Language Models', 'VLOGGER']);
    expect(titles(chat).some((c) => c.body?.startsWith('🎯'))).toBe(false);

    const { core: cold } = setup();
    const coldChat = new RecordingChat();
    await cold.digests.deliver(coldChat, target, DATE, settings({ size: 3 }));
    expect(titles(coldChat)[0]!.title).toContain('Gemma');
  });
});
