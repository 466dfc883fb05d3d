/**
 * Every command, in the order /help lists them. Platform registration (Discord's command list,
 * Slack's manifest) is generated from this same array.
 * @module
 */
import type { Command } from './command.js';
import digest from './digest.js';
import foryou from './foryou.js';
import help from './help.js';
import paper from './paper.js';
import search from './search.js';
import similar from './similar.js';
import subscribe from './subscribe.js';
import taste from './taste.js';
import top from './top.js';
import translate from './translate.js';
import unsubscribe from './unsubscribe.js';

export const commands: readonly Command[] = [paper, translate, search, similar, top, foryou, taste, subscribe, unsubscribe, digest, help];

export function findCommand(name: string): Command | undefined {
  const wanted = name.replace(/^\//, '').toLowerCase();
  return commands.find((c) => c.name === wanted);
}
