import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const dockerfile = read('Dockerfile');
const ci = read('.ci/run');
const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; scripts: Record<string, string> };

/** Each stage's instructions (comments and line continuations folded), from its FROM line. */
function stages(text: string): { from: string; lines: string[] }[] {
  const lines = text.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const result: { from: string; lines: string[] }[] = [];
  for (const line of lines) {
    if (line.startsWith('FROM ')) result.push({ from: line, lines: [] });
    else result.at(-1)?.lines.push(line);
  }
  return result;
}

describe('the container recipe', () => {
  const [build, run] = stages(dockerfile);

  it('builds on the Node major of package.json engines, the one CI runs', () => {
    // CI runs .ci/run on the lowest Node the engines allow (20, for better-sqlite3 12; see WIRE-FORMATS).
    const ciMajor = Number(/^>=(\d+)/.exec(pkg.engines.node)?.[1]);
    expect(ciMajor).toBe(20);
    for (const stage of [build!, run!]) expect(stage.from).toMatch(new RegExp(`^FROM node:${ciMajor}[-.]`));
    expect(stages(dockerfile)).toHaveLength(2);
  });

  it("runs CI's install and build commands in its build stage", () => {
    const ciCommands = ci.split('\n').filter((l) => /^npm (ci|run build)\b/.test(l));
    expect(ciCommands).toEqual(['npm ci --no-audit --no-fund', 'npm run build']);
    const runs = build!.lines.filter((l) => l.startsWith('RUN ')).map((l) => l.slice(4));
    for (const command of ciCommands) expect(runs).toContain(command);
    expect(runs.indexOf('npm ci --no-audit --no-fund')).toBeLessThan(runs.indexOf('npm run build'));
    expect(runs).toContain('npm prune --omit=dev --no-audit --no-fund');
  });

  it('runs start:prod as a non-root user, the database on a volume, paperboy health as its health check', () => {
    const cmd = run!.lines.find((l) => l.startsWith('CMD '));
    expect((JSON.parse(cmd!.slice(4)) as string[]).join(' ')).toBe(pkg.scripts['start:prod']);
    const user = run!.lines.filter((l) => l.startsWith('USER ')).at(-1);
    expect(user).toBe('USER node');
    expect(run!.lines.some((l) => /DATABASE_PATH=\/data\//.test(l))).toBe(true);
    expect(run!.lines).toContain('VOLUME ["/data"]');
    expect(run!.lines.find((l) => l.startsWith('HEALTHCHECK '))).toMatch(/CMD \["node", "dist\/main\.js", "health"\]$/);
    expect(run!.lines.some((l) => l.includes('npm ci') || l.includes('npm install'))).toBe(false);
  });

  it('has a compose file reading .env with the database on a volume, and the README says how to build', () => {
    const compose = read('compose.yaml');
    expect(compose).toMatch(/env_file: \.env/);
    expect(compose).toMatch(/- paperboy-data:\/data/);
    expect(read('.dockerignore')).toMatch(/^\.env$/m);
    const readme = read('README.md');
    expect(readme).toContain('docker build -t paperboy .');
    expect(readme).toContain('docker compose up -d --build');
  });
});
