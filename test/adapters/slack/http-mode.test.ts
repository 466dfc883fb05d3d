import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reactionEvent, slashCommand } from '../../fakes/slack/payloads.js';
import { postSigned } from '../../fakes/slack/signed-request.js';
import { slackAdapterSuite } from './adapter-suite.js';
import { SIGNING_SECRET, startHarness, waitFor, type Harness } from './harness.js';

slackAdapterSuite('http');

describe('Slack HTTP receiver', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness('http');
  });
  afterEach(async () => {
    await h.close();
  });

  const subscribe = () => slashCommand({ command: '/subscribe', text: 'time=07:00', user: 'UADMIN', responseUrl: h.slack.responseUrl('forged') });
  const target = () => ({ platform: 'slack', workspace: h.slack.teamId, channel: 'CPAPERS' });

  it('refuses a forged signature with 401 and changes nothing', async () => {
    const command = await postSigned(h.running.eventsUrl!, SIGNING_SECRET, subscribe(), { form: true, secret: 'not-the-secret' });
    const reaction = await postSigned(h.running.eventsUrl!, SIGNING_SECRET, reactionEvent({ added: true, user: 'UALICE', reaction: '+1', channel: 'CPAPERS', ts: '1.000001' }), { secret: 'guess' });
    expect(command.status).toBe(401);
    expect(reaction.status).toBe(401);
    // A signed request sent after them is answered: nothing of the forged ones was processed before it.
    const { responseId } = await h.command('/help');
    await h.responses(responseId);
    expect(h.slack.responses.filter((r) => r.id === 'forged')).toHaveLength(0);
    expect(h.app.core.subscriptions.find(target())).toBeUndefined();
    expect(h.reactions).toHaveLength(0);
    expect(h.slack.callsTo('users.info').map((c) => c.params.user)).toEqual(['UALICE']);
  });

  it('refuses a request signed six minutes ago with 401 and changes nothing', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const stale = await postSigned(h.running.eventsUrl!, SIGNING_SECRET, subscribe(), { form: true, timestamp: sixMinutesAgo });
    expect(stale.status).toBe(401);
    const fresh = await postSigned(h.running.eventsUrl!, SIGNING_SECRET, subscribe(), { form: true });
    expect(fresh.status).toBe(200);
    await waitFor(() => h.slack.responses.some((r) => r.id === 'forged'), 'the fresh request to be answered');
    expect(h.slack.responses.filter((r) => r.id === 'forged')).toHaveLength(1);
  });

  it('acks a slash command before the work is done', async () => {
    h.hf.setLatency(300);
    const { responseId, ackMs } = await h.command('/paper', '2403.08295');
    expect(ackMs).toBeLessThan(250);
    const [body] = await h.responses(responseId);
    expect(body!.response_type).toBe('in_channel');
  });

  it('answers url_verification with the challenge', async () => {
    const answer = await postSigned(h.running.eventsUrl!, SIGNING_SECRET, { type: 'url_verification', token: 't', challenge: 'abc123' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ challenge: 'abc123' });
  });
});
