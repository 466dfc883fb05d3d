/**
 * The weekly roundup: a channel's most-voted papers of the week in one post, in the manner of a
 * monthly trends write-up: title, link, votes and one line each. Delivered once per ISO week.
 * @module
 */
import type { ChatPort } from '../chat-port.js';
import type { DeliveryRef, DigestLedger } from './ledger.js';
import { arxivAbsUrl } from '../papers/paper.js';
import type { PaperStore } from '../papers/store.js';
import { list } from '../reply.js';
import { localParts } from './run-times.js';
import type { DigestSettings } from '../subscriptions/settings.js';
import type { ChannelTarget } from '../subscriptions/store.js';
import type { Texts } from '../texts/service.js';
import type { VoteService } from '../votes/service.js';
import { votedPapers, votesLine } from '../votes/voted-papers.js';

export interface RoundupDeps {
  papers: PaperStore;
  votes: VoteService;
  ledger: DigestLedger;
  texts: Pick<Texts, 'summary'>;
  now: () => number;
}

/** ISO week of a YYYY-MM-DD date: "2024-W11". */
export function isoWeek(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((d.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export class RoundupService {
  constructor(private readonly deps: RoundupDeps) {}

  /** Posts the week's roundup unless it was posted already; resolves to the number of papers in it. */
  async deliver(chat: ChatPort, target: ChannelTarget, settings: Pick<DigestSettings, 'timezone' | 'language'>): Promise<number> {
    const week = isoWeek(localParts(this.deps.now(), settings.timezone).date);
    const ref: DeliveryRef = { ...target, digest: 'roundup', date: week };
    if (this.deps.ledger.steps(ref).some((s) => s.state === 'posted')) return 0;
    const voted = votedPapers(this.deps.votes, this.deps.papers, { period: 'week', scope: 'channel', target, limit: 10 });
    if (voted.length === 0) return 0;
    const items = [];
    for (const entry of voted) {
      const line = (await this.deps.texts.summary(entry.paper, 'tldr', settings.language)).text;
      items.push({ title: entry.paper.title, url: arxivAbsUrl(entry.paper.id), detail: votesLine(entry, 'team vote'), text: line });
    }
    this.deps.ledger.plan(ref, [{ kind: 'header' }]);
    const [step] = this.deps.ledger.steps(ref);
    if (!step || step.state === 'posted') return 0;
    const place = { workspace: target.workspace, channel: target.channel };
    const message = (await chat.findPosted?.(place, step.key)) ?? (await chat.post(place, list(`🏆 The week's most-voted papers · ${week}`, items), step.key));
    this.deps.ledger.markPosted(step.key, message.id, message.place);
    return items.length;
  }
}
