/**
 * Rewrites slack/manifest.yml from the commands registry: `npx tsx src/adapters/slack/write-manifest.ts`.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { commands } from '../../commands/index.js';
import { manifestYaml } from './manifest.js';

const path = new URL('../../../slack/manifest.yml', import.meta.url);
writeFileSync(path, manifestYaml(commands));
process.stdout.write(`wrote ${path.pathname} (${commands.length} slash commands)\n`);
