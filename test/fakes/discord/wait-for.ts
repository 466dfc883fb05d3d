/**
 * Waits for a condition by checking it on every turn of a short poll, never by a fixed sleep: the
 * test goes on the moment the bot has done its part, and fails with a message when it never does.
 * @module
 */

export async function waitFor<T>(check: () => T | undefined | false | null, options: { timeoutMs?: number; what?: string } = {}): Promise<T> {
  const deadline = performance.now() + (options.timeoutMs ?? 5000);
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false && value !== null) return value;
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${options.what ?? 'a condition'}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
