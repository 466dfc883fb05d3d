import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slackApiBase, webClientPolicy } from '../../../src/adapters/slack/slack-api.js';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack/web-api.js';

let slack: FakeSlack;
beforeEach(async () => {
  slack = await startFakeSlack();
});
afterEach(async () => {
  await slack.close();
});

const client = (retries: number) => new webApi.WebClient(slack.appToken, { slackApiUrl: slackApiBase(slack.apiUrl), ...webClientPolicy({ timeoutMs: 2000, retries }) });

describe('webClientPolicy (the WebClients SlackApi does not wrap)', () => {
  it('retries as often as HTTP_RETRIES says, with the shared backoff', async () => {
    slack.failNext('apps.connections.open', { status: 503 }, 1);
    const started = performance.now();
    await expect(client(1).apps.connections.open()).resolves.toMatchObject({ ok: true });
    expect(slack.callsTo('apps.connections.open')).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250); // backoff from 0.5 s, jittered
  });

  it('does not retry when HTTP_RETRIES is 0', async () => {
    slack.failNext('apps.connections.open', { status: 503 }, 1);
    await expect(client(0).apps.connections.open()).rejects.toThrow();
    expect(slack.callsTo('apps.connections.open')).toHaveLength(1);
  });
});
