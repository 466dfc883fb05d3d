/**
 * What to tell someone who asked for a specific arXiv version (`2403.08295v7`) when the paper shown
 * is another one: the version that exists is shown, and the note says so instead of passing it off
 * as the one asked for.
 * @module
 */
import type { ArxivRef } from './arxiv-id.js';
import type { Paper } from './paper.js';

export function versionNote(ref: ArxivRef, paper: Pick<Paper, 'id' | 'version'>): string | undefined {
  const asked = ref.version;
  if (asked === undefined || asked === paper.version) return undefined;
  if (paper.version === null) return `Could not check v${asked} of ${paper.id} with arXiv; showing the version Hugging Face has.`;
  if (asked > paper.version) {
    return `arXiv has ${paper.version === 1 ? 'v1' : `v1 to v${paper.version}`} of ${paper.id} only, no v${asked}; showing v${paper.version}.`;
  }
  return `Showing the latest version, v${paper.version}; v${asked} is at https://arxiv.org/abs/${paper.id}v${asked}`;
}
