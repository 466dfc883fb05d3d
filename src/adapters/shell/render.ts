import { plainText } from '../../core/render-plain.js';
import { boundReply, TERMINAL_LIMITS } from '../../core/reply-limits.js';
import type { Reply } from '../../core/reply.js';

/** Replies as terminal text, prose wrapped for reading; long parts cut with a link to the rest. */
export function renderForTerminal(reply: Reply): string {
  return plainText(boundReply(reply, TERMINAL_LIMITS), { width: 96 });
}
