/**
 * Every `paperboy` verb, in the order `paperboy help` lists them. A new verb is a file in this folder
 * and one line here.
 * @module
 */
import { backupVerb } from './backup.js';
import { doctorVerb } from './doctor.js';
import { fetchVerb } from './fetch.js';
import { healthVerb } from './health.js';
import { importVerb } from './import.js';
import { paperVerb, searchVerb } from './lookup.js';
import { registerCommandsVerb } from './register-commands.js';
import { startVerb } from './start.js';
import { statsVerb } from './stats.js';
import type { Verb } from './verb.js';

export const verbs: readonly Verb[] = [startVerb, paperVerb, searchVerb, fetchVerb, importVerb, statsVerb, registerCommandsVerb, doctorVerb, healthVerb, backupVerb];
