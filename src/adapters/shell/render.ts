import { plainText } from '../../core/render-plain.js';
import type { Reply } from '../../core/reply.js';

/** Replies as terminal text, prose wrapped for reading. */
export function renderForTerminal(reply: Reply): string {
  return plainText(reply, { width: 96 });
}
