/**
 * The terminal as a chat platform: posts print with a number, so `/react 3 👍` can vote on them.
 * @module
 */
import type { Writable } from 'node:stream';
import type { ChatPort, Place, PostedMessage } from '../../core/chat-port.js';
import type { Reply } from '../../core/reply.js';
import { renderForTerminal } from './render.js';

export class ShellPort implements ChatPort {
  readonly platform = 'shell';
  private readonly numbers: string[] = [];
  // Message ids stay unique across sessions, so the ledger never confuses today's #3 with yesterday's.
  private readonly session = Date.now().toString(36);

  constructor(private readonly output: Writable) {}

  async post(place: Place, reply: Reply, _key: string): Promise<PostedMessage> {
    this.numbers.push(`${this.session}-${this.numbers.length + 1}`);
    const number = this.numbers.length;
    const where = place.thread ? `  ↳ in thread #${this.numberOf(place.thread) ?? '?'}` : '';
    const body = renderForTerminal(reply).replace(/^/gm, place.thread ? '    ' : '');
    this.output.write(`\n[#${number}]${where}\n${body}\n`);
    return { id: this.numbers[number - 1]!, place };
  }

  async startThread(message: PostedMessage, _title: string, _key: string): Promise<Place> {
    return { ...message.place, thread: message.id };
  }

  /** The message id behind a number shown in this session. */
  messageId(number: number): string | undefined {
    return this.numbers[number - 1];
  }

  private numberOf(id: string): number | undefined {
    const index = this.numbers.indexOf(id);
    return index >= 0 ? index + 1 : undefined;
  }
}
