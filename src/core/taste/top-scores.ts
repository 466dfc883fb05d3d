/**
 * The best few of many scored items, in the order a stable sort by score (highest first) would give
 * them, without sorting them all: /foryou keeps 10 of thousands.
 * @module
 */
export class TopScores {
  private readonly kept: { id: string; score: number }[] = [];

  constructor(private readonly limit: number) {}

  offer(id: string, score: number): void {
    const kept = this.kept;
    if (this.limit <= 0 || (kept.length === this.limit && score <= kept[kept.length - 1]!.score)) return;
    // After every kept item scoring at least as much: of equal scores, the one offered first stays ahead.
    let at = kept.length;
    while (at > 0 && kept[at - 1]!.score < score) at--;
    kept.splice(at, 0, { id, score });
    if (kept.length > this.limit) kept.pop();
  }

  /** The kept ids, best first. */
  ids(): string[] {
    return this.kept.map((k) => k.id);
  }
}
