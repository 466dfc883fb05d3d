import type { ChatPort, Place, PostedMessage } from '../../src/core/chat-port.js';
import type { Reply } from '../../src/core/reply.js';

export interface RecordedPost {
  id: string;
  place: Place;
  reply: Reply;
  key: string;
}

/**
 * A chat platform that records what it is asked to do. It can crash on the k-th operation, either
 * before doing it or after doing it (the platform has the message, the caller never hears so), and
 * dedupe the way a real platform does: by nonce (Discord) or by reading the thread back (Slack).
 */
export class RecordingChat implements ChatPort {
  readonly platform: string;
  readonly posts: RecordedPost[] = [];
  readonly threads: { on: string; title: string; key: string }[] = [];
  private operations = 0;
  private crashAt: { at: number; when: 'before' | 'after' } | undefined;

  constructor(options: { platform?: string; dedupe?: 'nonce' | 'readback' | 'none' } = {}) {
    this.platform = options.platform ?? 'test';
    this.dedupe = options.dedupe ?? 'none';
    if (this.dedupe === 'readback') this.findPosted = async (place, key) => this.posts.find((p) => p.key === key && samePlace(p.place, place));
  }

  readonly dedupe: 'nonce' | 'readback' | 'none';
  findPosted?: (place: Place, key: string) => Promise<PostedMessage | undefined>;

  /** The next run fails on its k-th operation (1-based). */
  crashOn(at: number, when: 'before' | 'after'): void {
    this.operations = 0;
    this.crashAt = { at, when };
  }

  heal(): void {
    this.crashAt = undefined;
  }

  async post(place: Place, reply: Reply, key: string): Promise<PostedMessage> {
    return this.operate(() => {
      const earlier = this.dedupe === 'nonce' ? this.posts.find((p) => p.key === key) : undefined;
      if (earlier) return earlier;
      const post = { id: `m${this.posts.length + 1}`, place, reply, key };
      this.posts.push(post);
      return post;
    });
  }

  async startThread(message: PostedMessage, title: string, key: string): Promise<Place> {
    return this.operate(() => {
      if (!this.threads.some((t) => t.on === message.id)) this.threads.push({ on: message.id, title, key });
      return { ...message.place, thread: message.id };
    });
  }

  private operate<T>(work: () => T): T {
    this.operations++;
    const crash = this.crashAt && this.operations === this.crashAt.at ? this.crashAt.when : undefined;
    if (crash === 'before') throw new Error(`injected crash before operation ${this.operations}`);
    const result = work();
    if (crash === 'after') throw new Error(`injected crash after operation ${this.operations}`);
    return result;
  }
}

function samePlace(a: Place, b: Place): boolean {
  return a.workspace === b.workspace && a.channel === b.channel && a.thread === b.thread;
}
