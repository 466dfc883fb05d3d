import { afterEach, beforeEach } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { LlmClient } from '../../src/sources/llm.js';
import { llmSettings, startFakeLlm, type FakeLlm } from '../fakes/llm-server.js';

/** Gives every test of the file a fresh fake language model and in-memory database, closed after it. */
export function fakeLlmEachTest(ready: (fake: FakeLlm, database: Database) => void): void {
  let fake: FakeLlm;
  let database: Database;
  beforeEach(async () => {
    fake = await startFakeLlm();
    database = openDatabase(':memory:');
    ready(fake, database);
  });
  afterEach(async () => {
    database.close();
    await fake.close();
  });
}

/** The real client pointed at the fake, retrying without waiting. */
export function fakeLlmClient(fake: FakeLlm): LlmClient {
  return new LlmClient(llmSettings(fake.url), { sleep: async () => undefined });
}
