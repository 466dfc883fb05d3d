/**
 * What the Slack adapter must do, whichever way Slack reaches it: http-mode.test.ts and
 * socket-mode.test.ts each run this suite through their transport.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POST_EVENT_TYPE } from '../../../src/adapters/slack/port.js';
import { commands } from '../../../src/commands/index.js';
import { record } from '../../helpers/records.js';
import { dailyList } from '../../helpers/test-core.js';
import { blockProblem, type FakeMessage } from '../../fakes/slack/web-api.js';
import { startHarness, waitFor, type Harness, type HarnessOptions, type SlackMode } from './harness.js';

const DAY = '2024-03-14';
const CHANNEL = 'CPAPERS';
const HOSTILE = '<!channel> Free GPUs <@U0BOSS> & <https://evil.example|arxiv.org> <!here>';

/** Every string of a response or message that Slack would parse as mrkdwn. */
function mrkdwnOf(body: { text?: unknown; blocks?: unknown }): string[] {
  const out = typeof body.text === 'string' ? [body.text] : [];
  for (const block of (body.blocks ?? []) as Record<string, unknown>[]) {
    const text = block.text as { type: string; text: string } | undefined;
    if (text?.type === 'mrkdwn') out.push(text.text);
    for (const part of [...((block.fields as { text: string }[] | undefined) ?? []), ...((block.elements as { text: string }[] | undefined) ?? [])]) out.push(part.text);
  }
  return out;
}

function expectInert(body: { text?: unknown; blocks?: unknown }): void {
  for (const text of mrkdwnOf(body)) {
    expect(text).not.toMatch(/<[!@#]/);
    expect(text).not.toContain('<https://evil');
  }
}

/** All text in a body's blocks, joined with spaces and entities decoded. */
function visible(body: { blocks?: unknown }): string {
  const parts: string[] = [];
  for (const block of (body.blocks ?? []) as Record<string, unknown>[]) {
    const text = block.text as { text: string } | undefined;
    if (text) parts.push(text.text);
    for (const part of [...((block.fields as { text: string }[] | undefined) ?? []), ...((block.elements as { text: string }[] | undefined) ?? [])]) parts.push(part.text);
  }
  return parts.join(' ').replace(/\s+/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function slackAdapterSuite(mode: SlackMode, options: HarnessOptions = {}): void {
  describe(`Slack adapter (${mode === 'http' ? 'HTTP mode' : 'Socket Mode'})`, () => {
    let h: Harness;
    let folder: string | undefined;

    beforeEach(async () => {
      folder = mkdtempSync(join(tmpdir(), 'paperboy-slack-'));
      const daily = { '2024-03-15': hostileDaily() };
      h = await startHarness(mode, { ...options, hfDaily: daily, env: { DATABASE_PATH: join(folder, 'paperboy.db'), ...options.env }, slack: { adminUsers: ['UCONFIG'], ...options.slack } });
    });
    afterEach(async () => {
      await h.close();
      if (folder) rmSync(folder, { recursive: true, force: true });
    });

    describe('commands', () => {
      it('acks every registered command and answers each through response_url within Slack limits', async () => {
        for (const command of commands) {
          const { responseId, ackMs } = await h.command(`/${command.name}`, '', { user: 'UADMIN' });
          expect(ackMs).toBeLessThan(3000);
          const [body] = await h.responses(responseId);
          expect(typeof body!.text).toBe('string');
          expect(['ephemeral', 'in_channel']).toContain(body!.response_type);
          expect(blockProblem(body!.blocks)).toBeUndefined();
        }
      });

      it('/paper answers with a card in the channel', async () => {
        const { responseId } = await h.command('/paper', 'https://huggingface.co/papers/2403.08295');
        const [body] = await h.responses(responseId);
        expect(body!.text).toContain('Gemma');
        expect(body!.response_type).toBe('in_channel');
        expect(body!.blocks).toContainEqual({ type: 'header', text: { type: 'plain_text', text: 'Gemma: Open Models Based on Gemini Research and Technology', emoji: false } });
        expect(visible(body!)).toContain('<https://arxiv.org/pdf/2403.08295|PDF>');
      });

      it('/paper without an id answers only the user, with the usage', async () => {
        const { responseId } = await h.command('/paper', '   ');
        const [body] = await h.responses(responseId);
        expect(body!.response_type).toBe('ephemeral');
        expect(body!.text).toContain('Usage: /paper &lt;id or url&gt;');
      });

      it('/search finds stored papers; a hostile query comes back inert', async () => {
        await h.app.core.dailyLists.fetch(DAY);
        const found = await h.command('/search', 'gemma');
        const [hits] = await h.responses(found.responseId);
        expect(visible(hits!)).toContain('Gemma: Open Models');

        const hostile = await h.command('/search', HOSTILE);
        const [none] = await h.responses(hostile.responseId);
        expectInert(none!);
        expect(visible(none!)).toContain('<!channel> Free GPUs');
      });

      it('/help shows the managing commands only to those who may manage', async () => {
        const alice = await h.command('/help', '', { user: 'UALICE' });
        const admin = await h.command('/help', '', { user: 'UADMIN' });
        const [forAlice] = await h.responses(alice.responseId);
        const [forAdmin] = await h.responses(admin.responseId);
        expect(forAlice!.response_type).toBe('ephemeral');
        expect(forAlice!.text).not.toContain('/subscribe');
        expect(forAdmin!.text).toContain('/subscribe');
      });

      it('/subscribe and /unsubscribe: refused to members, allowed to admins, owners and configured users', async () => {
        const target = { platform: 'slack', workspace: h.slack.teamId, channel: CHANNEL };
        const refused = await h.command('/subscribe', 'time=08:30', { user: 'UALICE' });
        const [no] = await h.responses(refused.responseId);
        expect(no!.response_type).toBe('ephemeral');
        expect(no!.text).toMatch(/Only people who can manage/);
        expect(h.app.core.subscriptions.find(target)).toBeUndefined();

        for (const user of ['UADMIN', 'UOWNER', 'UCONFIG']) {
          const { responseId } = await h.command('/subscribe', 'time=08:30', { user });
          await h.responses(responseId);
          expect(h.app.core.subscriptions.find(target)?.active).toBe(true);
          const stop = await h.command('/unsubscribe', '', { user });
          await h.responses(stop.responseId);
          expect(h.app.core.subscriptions.find(target)?.active).toBe(false);
        }
      });

      it('an unknown command answers ephemerally', async () => {
        const { responseId } = await h.command('/frobnicate', 'now');
        const [body] = await h.responses(responseId);
        expect(body!.response_type).toBe('ephemeral');
        expect(body!.text).toContain('Unknown command /frobnicate');
      });

      it('a 100,000-character abstract arrives as one message within block limits, with a link to the rest', async () => {
        const abstract = Array.from({ length: 2000 }, (_, i) => `Finding ${i} holds across benchmarks.`).join(' ').padEnd(100_000, ' z');
        h.app.core.papers.upsert(record({ id: '2401.00001', title: 'Long abstract', abstract }));
        const { responseId } = await h.command('/paper', '2401.00001');
        const [body] = await h.responses(responseId);
        expect(blockProblem(body!.blocks)).toBeUndefined();
        expect(visible(body!)).toContain('Finding 0 holds across benchmarks.');
        expect(visible(body!)).toContain('… (read the rest: <https://arxiv.org/abs/2401.00001>)');
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(h.slack.responses.filter((r) => r.id === responseId)).toHaveLength(1);
      });

      it('lone surrogates in command text are made well-formed: never echoed, never stored', async () => {
        const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
        const target = { platform: 'slack', workspace: h.slack.teamId, channel: CHANNEL };
        const saved = await h.command('/subscribe', 'include=agents\uD800x', { user: 'UADMIN' });
        await h.responses(saved.responseId);
        expect(h.app.core.subscriptions.find(target)?.includeKeywords).toEqual(['agents\uFFFDx']);
        const refused = await h.command('/paper', '2403.08295 kor\uDC00ean');
        const [body] = await h.responses(refused.responseId);
        expect(body!.text).toContain('Unknown language');
        for (const text of mrkdwnOf(body!)) expect(lone.test(text)).toBe(false);
      });

      it('a hostile paper renders inert', async () => {
        h.app.core.papers.upsert(record({ id: '2401.00002', title: HOSTILE, abstract: `${HOSTILE} & more`, authors: ['<@U0BOSS>', 'Eve <!everyone>'] }));
        const { responseId } = await h.command('/paper', '2401.00002');
        const [body] = await h.responses(responseId);
        expectInert(body!);
        expect(visible(body!)).toContain('<!channel> Free GPUs <@U0BOSS> &');
      });
    });

    describe('digest, votes and resume', () => {
      const keysOf = (messages: FakeMessage[]) => messages.map((m) => String(m.metadata?.event_payload.key));

      it('delivers a digest: a header in the channel, one reply per paper in its thread, each with its key', async () => {
        const { responseId } = await h.command('/digest', DAY, { user: 'UADMIN' });
        const [done] = await h.responses(responseId);
        expect(done!.text).toMatch(/^Posted the papers of/);

        const ref = { platform: 'slack', workspace: h.slack.teamId, channel: CHANNEL, digest: 'daily' as const, date: DAY };
        const steps = h.app.core.ledger.steps(ref);
        expect(steps.every((s) => s.state === 'posted')).toBe(true);
        const [header, ...papers] = h.slack.messages;
        expect(papers).toHaveLength(steps.filter((s) => s.kind === 'paper').length);
        expect(papers.length).toBeGreaterThan(5);
        expect(header!.thread_ts).toBeUndefined();
        for (const paper of papers) expect(paper.thread_ts).toBe(header!.ts);
        for (const message of h.slack.messages) {
          expect(message.metadata?.event_type).toBe(POST_EVENT_TYPE);
          expect(blockProblem(message.blocks)).toBeUndefined();
        }
        expect(keysOf(h.slack.messages)).toEqual(steps.filter((s) => s.kind !== 'thread').map((s) => s.key));
        // A fresh run has nothing to look for: it reads neither the channel nor its own new thread.
        expect(h.slack.callsTo('conversations.history')).toHaveLength(0);
        expect(h.slack.callsTo('conversations.replies')).toHaveLength(0);

        const again = await h.command('/digest', DAY, { user: 'UADMIN' });
        const [repeat] = await h.responses(again.responseId);
        expect(repeat!.text).toMatch(/already here/);
        expect(h.slack.messages).toHaveLength(papers.length + 1);
      });

      it('counts reactions as votes: names, aliases and skin tones; removals; bots and other emojis ignored', async () => {
        await h.responses((await h.command('/digest', DAY, { user: 'UADMIN' })).responseId);
        const paper = h.slack.messages[1]!;
        const header = h.slack.messages[0]!;
        const on = (ts: string) => ({ channel: CHANNEL, ts });
        await h.react({ added: true, user: 'UALICE', reaction: '+1::skin-tone-3', ...on(paper.ts) });
        await h.react({ added: true, user: 'UADMIN', reaction: 'thumbsup', ...on(paper.ts) });
        await h.react({ added: true, user: 'UOWNER', reaction: 'fire', ...on(paper.ts) });
        await h.react({ added: true, user: 'UROBOT', reaction: '+1', ...on(paper.ts) });
        await h.react({ added: true, user: 'UALICE', reaction: 'partyparrot', ...on(paper.ts) });
        await h.react({ added: true, user: 'UALICE', reaction: 'heart', ...on(header.ts) });
        await waitFor(() => h.reactions.length === 6, 'six reactions');

        const outcome = (user: string, emoji: string) => h.reactions.find((r) => r.event.user === user && r.event.emoji === emoji)?.outcome;
        expect(outcome('UALICE', '👍')).toBe('counted');
        expect(outcome('UADMIN', '👍')).toBe('counted');
        expect(outcome('UOWNER', '🔥')).toBe('counted');
        expect(outcome('UROBOT', '👍')).toBe('ignored');
        expect(h.reactions.find((r) => r.event.user === 'UROBOT')?.event.userIsBot).toBe(true);
        expect(outcome('UALICE', 'custom:partyparrot')).toBe('ignored');
        expect(outcome('UALICE', '❤️')).toBe('ignored');

        const top = await h.command('/top', 'week channel');
        const [board] = await h.responses(top.responseId);
        expect(visible(board!)).toMatch(/3 votes/);

        await h.react({ added: false, user: 'UOWNER', reaction: 'fire', ...on(paper.ts) });
        await waitFor(() => h.reactions.length === 7, 'the removal');
        expect(h.reactions.at(-1)?.outcome).toBe('removed');
        const again = await h.command('/top', 'week channel');
        const [after] = await h.responses(again.responseId);
        expect(visible(after!)).toMatch(/2 votes/);
      });

      it('counts any emoji Slack names as a vote emoji: standard names, skin tones, the workspace\'s own', async () => {
        // Slack writes the picked emojis as names in the command text: 🎯 ✅ and a workspace emoji.
        const subscribed = await h.command('/subscribe', 'emojis=:dart::white_check_mark::partyparrot:', { user: 'UADMIN' });
        const [settings] = await h.responses(subscribed.responseId);
        expect(visible(settings!)).toContain('Vote emojis* 🎯 ✅ :partyparrot:');
        await h.responses((await h.command('/digest', DAY, { user: 'UADMIN' })).responseId);
        const paper = h.slack.messages[1]!;
        const on = { channel: CHANNEL, ts: paper.ts };
        await h.react({ added: true, user: 'UALICE', reaction: 'dart', ...on });
        await h.react({ added: true, user: 'UADMIN', reaction: 'white_check_mark::skin-tone-3', ...on });
        await h.react({ added: true, user: 'UOWNER', reaction: 'partyparrot', ...on });
        await h.react({ added: true, user: 'UCONFIG', reaction: '+1', ...on });
        await h.react({ added: true, user: 'UCONFIG', reaction: 'sadparrot', ...on });
        await waitFor(() => h.reactions.length === 5, 'five reactions');
        const outcome = (user: string) => h.reactions.filter((r) => r.event.user === user).map((r) => r.outcome);
        expect(outcome('UALICE')).toEqual(['counted']);
        expect(outcome('UADMIN')).toEqual(['counted']);
        expect(outcome('UOWNER')).toEqual(['counted']);
        // 👍 is no vote emoji in this channel any more, nor another workspace emoji.
        expect(outcome('UCONFIG')).toEqual(['ignored', 'ignored']);
        const [board] = await h.responses((await h.command('/top', 'week channel')).responseId);
        expect(visible(board!)).toMatch(/3 votes/);
      });

      it('/paper takes a Slack link with a label', async () => {
        const { responseId } = await h.command('/paper', '<https://huggingface.co/papers/2403.08295|Gemma, the paper>');
        const [body] = await h.responses(responseId);
        expect(body!.text).toContain('Gemma');
        expect(body!.response_type).toBe('in_channel');
      });

      it('a digest where the bot is not invited stops with what to do, shown only to the admin', async () => {
        h.slack.refuseChannel(CHANNEL, 'not_in_channel');
        const { responseId } = await h.command('/digest', DAY, { user: 'UADMIN' });
        const [body] = await h.responses(responseId);
        expect(body!.response_type).toBe('ephemeral');
        expect(body!.text).toMatch(/Paperboy is not in channel CPAPERS: invite @Paperboy there/);
        expect(h.slack.messages).toHaveLength(0);
      });

      it('a digest of hostile papers posts nothing that pings', async () => {
        await h.responses((await h.command('/digest', '2024-03-15', { user: 'UADMIN' })).responseId);
        expect(h.slack.messages.length).toBeGreaterThan(1);
        for (const message of h.slack.messages) expectInert(message);
        expect(visible(h.slack.messages[1]!)).toContain('<!channel> Free GPUs');
      });

      it('resumes after a crash between "posted" and "recorded" without posting anything twice', async () => {
        // The header and the first paper go through; the second paper reaches Slack, but the answer never comes back.
        h.slack.failNext('chat.postMessage', { drop: true }, 1, { after: 2 });
        const first = await h.command('/digest', DAY, { user: 'UADMIN' });
        const [failed] = await h.responses(first.responseId);
        expect(failed!.response_type).toBe('ephemeral');
        expect(failed!.text).toMatch(/Slack is unavailable/);
        expect(h.slack.messages).toHaveLength(3);
        const ref = { platform: 'slack', workspace: h.slack.teamId, channel: CHANNEL, digest: 'daily' as const, date: DAY };
        expect(h.app.core.ledger.steps(ref).filter((s) => s.state === 'pending').length).toBeGreaterThan(1);

        await h.restart();
        const second = await h.command('/digest', DAY, { user: 'UADMIN' });
        const [done] = await h.responses(second.responseId);
        expect(done!.text).toMatch(/^Posted the papers of/);

        const steps = h.app.core.ledger.steps(ref);
        expect(steps.every((s) => s.state === 'posted')).toBe(true);
        const keys = keysOf(h.slack.messages);
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys).toEqual(steps.filter((s) => s.kind !== 'thread').map((s) => s.key));
        const [header, ...papers] = h.slack.messages;
        for (const paper of papers) expect(paper.thread_ts).toBe(header!.ts);
        // The message Slack kept is the one the ledger now points at.
        expect(steps.find((s) => s.key === keys[2])?.messageId).toBe(h.slack.messages[2]!.ts);
        expect(h.slack.callsTo('conversations.replies').length).toBeGreaterThan(0);
      });
    });
  });
}

/** A day whose papers carry mention and link syntax in every field. */
function hostileDaily(): unknown[] {
  return dailyList(3).map((entry, i) => {
    const e = structuredClone(entry) as { paper: Record<string, unknown>; title?: string };
    e.paper.id = `2403.7000${i}`;
    e.paper.title = `${HOSTILE} #${i}`;
    e.title = e.paper.title as string;
    e.paper.summary = `${HOSTILE} abstract`;
    e.paper.ai_summary = `${HOSTILE} summary`;
    e.paper.authors = [{ _id: 'x', name: '<@U0BOSS>', hidden: false }];
    return e;
  });
}
