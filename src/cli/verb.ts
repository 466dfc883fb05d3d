/**
 * What one `paperboy` verb is: its name, its usage line, and a handler that returns the exit code
 * (0 found, 1 not found, 2 bad input, 3 upstream unavailable). Errors it throws are mapped by main.ts.
 * @module
 */
import type { Readable, Writable } from 'node:stream';
import type { App } from '../app.js';

export interface Io {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export interface AppVerb {
  name: string;
  /** One line for `paperboy help`: arguments and what it does. */
  usage: string;
  standalone?: false;
  run(app: App, args: string[], io: Io): Promise<number>;
}

/**
 * A verb that must not open the app: opening it applies migrations to the database, and doctor, health and
 * backup change nothing (they read the environment themselves, and open the database read-only).
 */
export interface StandaloneVerb {
  name: string;
  usage: string;
  standalone: true;
  run(args: string[], io: Io): Promise<number>;
}

export type Verb = AppVerb | StandaloneVerb;
