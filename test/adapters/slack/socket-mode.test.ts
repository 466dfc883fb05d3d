import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reactionEvent, slashCommand } from '../../fakes/slack/payloads.js';
import { slackAdapterSuite } from './adapter-suite.js';
import { startHarness, waitFor, type Harness } from './harness.js';

slackAdapterSuite('socket');

describe('Slack Socket Mode connection', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness('socket');
  });
  afterEach(async () => {
    await h.close();
  });

  it('opens the connection with the app token and listens on no HTTP port', async () => {
    const [open] = h.slack.callsTo('apps.connections.open');
    expect(open?.token).toBe(h.slack.appToken);
    expect(h.socket?.connections).toBe(1);
    expect(h.running.mode).toBe('socket');
    expect(h.running.eventsUrl).toBeUndefined();
  });

  it('acks each envelope by its id, commands and events alike', async () => {
    const command = await h.socket!.send('slash_commands', slashCommand({ command: '/help', responseUrl: h.slack.responseUrl('s1') }));
    const event = await h.socket!.send('events_api', reactionEvent({ added: true, user: 'UALICE', reaction: '+1', channel: 'CPAPERS', ts: '1.000001' }));
    expect(h.socket!.acks.map((a) => a.envelope_id)).toEqual([command.envelope_id, event.envelope_id]);
    expect(command.ms).toBeLessThan(1000);
    await waitFor(() => h.slack.responses.some((r) => r.id === 's1'), 'the /help answer');
    await waitFor(() => h.reactions.length === 1, 'the reaction');
    expect(h.reactions[0]?.outcome).toBe('ignored');
  });

  it('stops cleanly: the socket closes', async () => {
    await h.running.stop();
    await waitFor(() => h.socket?.connections === 0, 'the socket to close');
  });
});
