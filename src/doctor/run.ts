/**
 * `paperboy doctor`'s checks, in order: configuration, database, sources, language model, Discord,
 * Slack. Each area reports what it found and, for each problem, the fix. Nothing is changed.
 * @module
 */
import { ConfigError, loadConfig, type Config } from '../config.js';
import { fail, ok, UnreachableError, type CheckResult, type DoctorContext } from './check.js';
import { checkDatabase } from './database.js';
import { checkDiscord } from './discord.js';
import { checkLlm } from './llm.js';
import { checkSlack } from './slack.js';
import { checkSources } from './sources.js';

/** The longest one HTTP check may take. */
const CHECK_TIMEOUT_MS = 10_000;

function describe(config: Config): string {
  const platforms = [
    config.discord ? 'Discord' : '',
    config.slack ? `Slack (${config.slack.appToken ? 'Socket Mode' : 'HTTP mode'})` : '',
  ].filter(Boolean);
  const llm = config.llm ? `LLM ${config.llm.model}${config.llm.embeddingsModel ? ` + ${config.llm.embeddingsModel}` : ''}` : 'no LLM';
  return `${platforms.length ? platforms.join(' and ') : 'terminal only (no platform token)'}; ${llm}; database ${config.databasePath}`;
}

export async function runDoctor(env: NodeJS.ProcessEnv, onResult: (result: CheckResult) => void = () => undefined): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const report = (...list: CheckResult[]) => {
    for (const r of list) {
      results.push(r);
      onResult(r);
    }
  };
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    report(fail('configuration', 'environment', err.message, 'fix that variable in the environment or .env (README: Configuration), then run paperboy doctor again'));
    return results;
  }
  report(ok('configuration', 'environment', describe(config)));

  const database = checkDatabase(config.databasePath);
  report(...database.results);
  const ctx: DoctorContext = { config, channels: database.channels, timeoutMs: Math.min(config.http.timeoutMs, CHECK_TIMEOUT_MS) };
  for (const [area, check] of [['sources', checkSources], ['llm', checkLlm], ['discord', checkDiscord], ['slack', checkSlack]] as const) {
    report(...(await guarded(area, () => check(ctx))));
  }
  return results;
}

/** An area whose service stops answering half-way gives one failed line, and the next areas still run. */
async function guarded(area: string, check: () => Promise<CheckResult[]>): Promise<CheckResult[]> {
  try {
    return await check();
  } catch (err) {
    const reason = err instanceof UnreachableError ? `stopped answering (${err.message})` : `check failed (${err instanceof Error ? err.message : String(err)})`;
    return [fail(area, 'checks', `${area} ${reason}`, 'run paperboy doctor again; if it persists, check the network and the service')];
  }
}
