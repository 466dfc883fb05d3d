/**
 * The terminal adapter: the default face of Paperboy when no platform token is set, and a harness for
 * trying commands. It reads lines from any stream, writes replies to any stream, never exits the
 * process, and resolves when its input ends.
 * @module
 */
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Inbound, Invoker } from '../../core/inbound.js';
import { ShellPort } from './port.js';
import { renderForTerminal } from './render.js';

export interface ShellOptions {
  inbound: Inbound;
  input: Readable;
  output: Writable;
  /** Show a prompt and a greeting (an interactive terminal); off for piped input. */
  interactive?: boolean;
  /** The port to post through (created on `output` when not given). */
  port?: ShellPort;
}

interface Session {
  inbound: Inbound;
  invoker: Invoker;
  port: ShellPort;
}

const PROMPT = 'paperboy> ';

export async function runShell(options: ShellOptions): Promise<void> {
  const { inbound, input, output } = options;
  const invoker: Invoker = { platform: 'shell', workspace: 'local', channel: 'terminal', user: safeUserName(), canManage: true };
  const session: Session = { inbound, invoker, port: options.port ?? new ShellPort(output) };
  const write = (text: string) => output.write(text.endsWith('\n') ? text : `${text}\n`);
  const lines = createInterface({ input, output: options.interactive ? output : undefined, terminal: options.interactive ?? false });
  if (options.interactive) {
    write('Paperboy in your terminal. Try /paper 2403.08295, /search diffusion, or /help. Ctrl-D quits.');
    lines.setPrompt(PROMPT);
    lines.prompt();
  }

  for await (const raw of lines) {
    const line = raw.trim();
    if (line === '/quit' || line === '/exit') break;
    if (line) write(await handleLine(line, session));
    if (options.interactive) lines.prompt();
  }
  lines.close();
}

async function handleLine(line: string, session: Session): Promise<string> {
  const { inbound, invoker, port } = session;
  if (!line.startsWith('/')) return 'Commands start with a slash: try /help.';
  const [, name = '', rest = ''] = /^\/(\S*)\s*([\s\S]*)$/.exec(line) ?? [];
  if (name === 'react' || name === 'unreact') return react(session, rest, name === 'react');
  return renderForTerminal(await inbound.command({ name, input: { text: rest }, invoker, chat: port }));
}

/** `/react 3 👍`: a vote on message #3, as a reaction would be on a chat platform. */
async function react(session: Session, rest: string, added: boolean): Promise<string> {
  const m = /^#?(\d{1,6})\s+(\S+)\s*$/u.exec(rest.trim());
  const verb = added ? 'react' : 'unreact';
  if (!m) return `Usage: /${verb} <message number> <emoji>, e.g. /${verb} 3 👍`;
  const messageId = session.port.messageId(Number(m[1]));
  if (!messageId) return `There is no message #${m[1]} in this session.`;
  const { invoker } = session;
  const outcome = await session.inbound.reaction({
    platform: invoker.platform, workspace: invoker.workspace, channel: invoker.channel,
    messageId, user: invoker.user, emoji: m[2]!, userIsBot: false, added,
  });
  const message = session.inbound.messageVotes(invoker.platform, invoker.workspace, messageId);
  const votes = message?.votes ?? 0;
  if (outcome === 'ignored') return message ? `No change (${m[2]} is not a vote emoji here, or nothing to undo). ${votes} vote${votes === 1 ? '' : 's'}.` : `#${m[1]} is not a paper; votes go on the papers in a digest thread.`;
  return `${outcome === 'counted' ? 'Voted' : 'Vote removed'}: ${votes} vote${votes === 1 ? '' : 's'} for ${message?.paperId ?? 'that paper'}.`;
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'you';
  }
}
