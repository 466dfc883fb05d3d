/**
 * Reads files under test/fixtures/ by a path relative to that folder. Tests and fakes read nothing
 * outside the project: every recorded response they replay has been copied here.
 * @module
 */

import { readFileSync } from 'node:fs';

/** The file URL of `test/fixtures/<path>`. */
export function fixtureUrl(path: string): URL {
  return new URL(`../fixtures/${path}`, import.meta.url);
}

/** The text of `test/fixtures/<path>`. */
export function readFixture(path: string): string {
  return readFileSync(fixtureUrl(path), 'utf8');
}

/** The parsed JSON of `test/fixtures/<path>`. */
export function readJsonFixture(path: string): unknown {
  return JSON.parse(readFixture(path));
}
