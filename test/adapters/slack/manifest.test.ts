import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BOT_EVENTS, BOT_SCOPES, manifestYaml } from '../../../src/adapters/slack/manifest.js';
import { commands } from '../../../src/commands/index.js';

const manifestPath = new URL('../../../slack/manifest.yml', import.meta.url);

describe('slack/manifest.yml', () => {
  const text = readFileSync(manifestPath, 'utf8');

  it('matches the commands registry (regenerate: npx tsx src/adapters/slack/write-manifest.ts)', () => {
    expect(text).toBe(manifestYaml(commands));
  });

  it('declares every registered command, and no other', () => {
    const declared = [...text.matchAll(/^ {4}- command: (\S+)$/gm)].map((m) => m[1]);
    expect(declared).toEqual(commands.map((c) => `/${c.name}`));
  });

  it('asks for the bot scopes and events Paperboy uses, with Socket Mode on', () => {
    expect(BOT_SCOPES).toEqual(['chat:write', 'commands', 'reactions:read', 'channels:history', 'groups:history', 'users:read']);
    for (const scope of BOT_SCOPES) expect(text).toContain(`\n      - ${scope}\n`);
    for (const event of BOT_EVENTS) expect(text).toContain(`\n      - ${event}\n`);
    expect(text).toContain('\n  socket_mode_enabled: true\n');
  });

  it('is YAML a strict reader accepts: two-space indentation, quoted strings where needed', () => {
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^( {2})*(- )?[a-z_]+:( .+)?$|^( {2})*- \S.*$/);
      expect(line).not.toMatch(/\t/);
    }
  });
});
