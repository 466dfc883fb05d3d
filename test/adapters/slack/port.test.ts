import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelPacer } from '../../../src/adapters/slack/channel-pacer.js';
import { metadataKey, POST_EVENT_TYPE, SlackChatPort } from '../../../src/adapters/slack/port.js';
import { SlackApi } from '../../../src/adapters/slack/slack-api.js';
import { ChatPermissionError } from '../../../src/core/chat-port.js';
import { card, text } from '../../../src/core/reply.js';
import { UpstreamError } from '../../../src/errors.js';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack/web-api.js';

const logger = pino({ level: 'silent' });
const channel = { workspace: 'T0TEAM', channel: 'CPAPERS' };

let slack: FakeSlack;
let sleeps: number[];

function makePort(options: { paceMs?: number; maxRetryAfterMs?: number; realSleep?: boolean } = {}): SlackChatPort {
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    if (options.realSleep) await new Promise((resolve) => setTimeout(resolve, ms));
  };
  const api = new SlackApi({ token: slack.botToken, apiUrl: slack.apiUrl, logger, timeoutMs: 2000, readRetries: 1, maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000, sleep });
  return new SlackChatPort({ api, pacer: new ChannelPacer({ intervalMs: options.paceMs ?? 0, sleep }) });
}

beforeEach(async () => {
  slack = await startFakeSlack();
  sleeps = [];
});
afterEach(async () => {
  await slack.close();
});

describe('SlackChatPort.post', () => {
  it('posts with the key in metadata, and into a thread with thread_ts', async () => {
    const port = makePort();
    const header = await port.post(channel, text('Papers of the day'), 'digest/header');
    const thread = await port.startThread(header, 'Papers', 'digest/thread');
    expect(thread).toEqual({ ...channel, thread: header.id });
    const paper = await port.post(thread, card({ title: 'A paper', body: 'Abstract' }), 'digest/paper/1');

    const [first, second] = slack.callsTo('chat.postMessage');
    expect(first!.params).toMatchObject({ channel: 'CPAPERS', metadata: { event_type: POST_EVENT_TYPE, event_payload: { key: 'digest/header' } } });
    expect(first!.params.thread_ts).toBeUndefined();
    expect(second!.params).toMatchObject({ channel: 'CPAPERS', thread_ts: header.id, metadata: { event_payload: { key: 'digest/paper/1' } } });
    expect(second!.token).toBe(slack.botToken);
    expect(paper.place.thread).toBe(header.id);
    expect(slack.messages.map((m) => m.ts)).toEqual([header.id, paper.id]);
  });

  it('hashes keys too long for metadata, and finds them again', async () => {
    const key = `digest/${'x'.repeat(300)}`;
    expect(metadataKey(key)).toMatch(/^sha256:[0-9a-f]{64}$/);
    const port = makePort();
    const posted = await port.post(channel, text('hi'), key);
    expect(await makePort().findPosted(channel, key)).toEqual(posted);
  });

  it('posts a reply too long for one message as one message, cut, with its key', async () => {
    const port = makePort();
    const long = Array.from({ length: 6000 }, (_, i) => `word${i}`).join(' ');
    const posted = await port.post(channel, text(long), 'long/1');
    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]!.ts).toBe(posted.id);
    expect(slack.messages[0]!.metadata?.event_payload).toEqual({ key: 'long/1' });
    expect(await makePort().findPosted(channel, 'long/1')).toEqual(posted);
  });

  it('asks the pacer for a turn per message, so one channel waits and another does not', async () => {
    let now = 1_000;
    const waits: number[] = [];
    const api = new SlackApi({ token: slack.botToken, apiUrl: slack.apiUrl, logger });
    const pacer = new ChannelPacer({ intervalMs: 1000, now: () => now, sleep: async (ms) => void waits.push(ms) });
    const port = new SlackChatPort({ api, pacer });
    await Promise.all([port.post(channel, text('1'), 'a'), port.post(channel, text('2'), 'b'), port.post(channel, text('3'), 'c'), port.post({ ...channel, channel: 'COTHER' }, text('x'), 'd')]);
    expect(waits).toEqual([1000, 2000]);
    now += 5_000;
    await port.post(channel, text('later'), 'e');
    expect(waits).toEqual([1000, 2000]);
    expect(slack.messages).toHaveLength(5);
  });

  it('waits out a 429 for its Retry-After, then posts once', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 2 });
    const port = makePort();
    await port.post(channel, text('hello'), 'k');
    expect(sleeps).toContain(2000);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(2);
    expect(slack.messages).toHaveLength(1);
  });

  it('gives up on a Retry-After longer than allowed, with the wait in the error', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 120 });
    const error = await makePort({ maxRetryAfterMs: 10_000 }).post(channel, text('hello'), 'k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).retryAfterMs).toBe(120_000);
    expect(slack.messages).toHaveLength(0);
  });

  it.each([
    ['not_in_channel', /invite @Paperboy/],
    ['channel_not_found', /cannot see channel CPAPERS.*invite @Paperboy/],
    ['is_archived', /archived/],
  ])('turns %s into a ChatPermissionError that says what to do', async (error, message) => {
    slack.refuseChannel('CPAPERS', error);
    const failure = await makePort().post(channel, text('x'), 'k').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChatPermissionError);
    expect((failure as Error).message).toMatch(message);
  });

  it('names the missing scope', async () => {
    slack.failNext('chat.postMessage', { error: 'missing_scope', needed: 'chat:write' });
    const failure = await makePort().post(channel, text('x'), 'k').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChatPermissionError);
    expect((failure as Error).message).toContain('chat:write scope');
  });

  it('never repeats a post after a network failure (Slack may have it)', async () => {
    slack.failNext('chat.postMessage', { drop: true });
    const failure = await makePort().post(channel, text('x'), 'k').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.messages).toHaveLength(1);
  });
});

describe('SlackChatPort.findPosted', () => {
  it('reads a thread back (with metadata) and finds the message with the key', async () => {
    const first = makePort();
    const header = await first.post(channel, text('header'), 'h');
    const thread = await first.startThread(header, 't', 'th');
    const posted = [];
    for (let i = 0; i < 5; i++) posted.push(await first.post(thread, text(`paper ${i}`), `p/${i}`));

    const restarted = makePort();
    expect(await restarted.findPosted(thread, 'p/3')).toEqual(posted[3]);
    expect(await restarted.findPosted(thread, 'p/9')).toBeUndefined();
    expect(await restarted.findPosted(channel, 'h')).toEqual(header);
    const reads = slack.callsTo('conversations.replies');
    expect(reads[0]!.params).toMatchObject({ channel: 'CPAPERS', ts: header.id, include_all_metadata: 'true' });
  });

  it('follows the cursor through a long thread', async () => {
    const port = makePort();
    const header = await port.post(channel, text('header'), 'h');
    const thread = await port.startThread(header, 't', 'th');
    for (let i = 0; i < 450; i++) {
      const ts = `${header.id.split('.')[0]}.${String(500_000 + i)}`;
      slack.messages.push({ channel: 'CPAPERS', ts, thread_ts: header.id, text: `m${i}`, user: 'UOTHER', bot_id: 'BOTHER', metadata: { event_type: POST_EVENT_TYPE, event_payload: { key: `m/${i}` } } });
    }
    const found = await makePort().findPosted(thread, 'm/449');
    expect(found?.id).toBe(slack.messages.at(-1)!.ts);
    expect(slack.callsTo('conversations.replies').length).toBe(3);
  });

  it('answers from memory for a thread it started and posted into itself, until a post ends in doubt', async () => {
    const port = makePort();
    const header = await port.post(channel, text('header'), 'h');
    const thread = await port.startThread(header, 't', 'th');
    const one = await port.post(thread, text('one'), 'p/1');
    expect(await port.findPosted(thread, 'p/1')).toEqual(one);
    expect(await port.findPosted(thread, 'p/2')).toBeUndefined();
    expect(slack.callsTo('conversations.replies')).toHaveLength(0);

    slack.failNext('chat.postMessage', { drop: true });
    await expect(port.post(thread, text('two'), 'p/2')).rejects.toBeInstanceOf(UpstreamError);
    const two = await port.findPosted(thread, 'p/2');
    expect(two?.id).toBe(slack.messages.at(-1)!.ts);
    expect(slack.callsTo('conversations.replies')).toHaveLength(1);
  });

  it('treats a deleted thread as "not posted", and a missing channel as a permission problem', async () => {
    expect(await makePort().findPosted({ ...channel, thread: '1.000001' }, 'x')).toBeUndefined();
    slack.failNext('conversations.history', { error: 'channel_not_found' });
    await expect(makePort().findPosted(channel, 'x')).rejects.toBeInstanceOf(ChatPermissionError);
  });
});
