/**
 * `npm run sandbox`: Paperboy with no accounts and no network. Starts the loopback fakes of Hugging
 * Face and arXiv (serving the Daily Papers list of 2024-03-14), stores that day, and opens the
 * terminal adapter pointed at them. Try /paper 2403.08295, /search gemma, /digest 2024-03-14, /react 2 👍.
 */
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startBot } from '../src/start.js';
import { startFakeArxiv } from '../test/fakes/arxiv-server.js';
import { startFakeHf } from '../test/fakes/hf-server.js';

const hf = await startFakeHf();
const arxiv = await startFakeArxiv();
const config = loadConfig({
  DATABASE_PATH: process.env.DATABASE_PATH || './data/sandbox.db',
  LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
  HF_API_URL: hf.url,
  ARXIV_API_URL: `${arxiv.url}/api/query`,
  ARXIV_MIN_INTERVAL_MS: '250',
  HTTP_TIMEOUT_MS: '5000',
});
const app = createApp(config);
try {
  const day = await app.core.dailyLists.fetch('2024-03-14');
  process.stderr.write(`Sandbox: fake Hugging Face at ${hf.url}, fake arXiv at ${arxiv.url}; ${day.papers} papers of 2024-03-14 stored in ${config.databasePath}.\n`);
  process.stderr.write('Try /paper 2403.08295, /search gemma, /digest 2024-03-14, then /react 2 👍 and /top week.\n');
  await startBot(app, { stdin: process.stdin, stdout: process.stdout });
} finally {
  await app.close();
  await Promise.all([hf.close(), arxiv.close()]);
}
