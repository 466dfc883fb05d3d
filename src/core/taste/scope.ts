/**
 * Which votes a taste model learns from: one channel's, or one workspace's (all its channels). Keys are
 * the vote tallies' own (`c:…`, `w:…`), so a scope never reaches past its workspace.
 * @module
 */
import type { ChannelTarget } from '../subscriptions/store.js';

export type TasteScopeKind = 'channel' | 'workspace';

export interface TasteScope {
  kind: TasteScopeKind;
  platform: string;
  workspace: string;
  /** Set for a channel scope. */
  channel?: string;
  key: string;
}

export function channelScope(target: ChannelTarget): TasteScope {
  return { kind: 'channel', platform: target.platform, workspace: target.workspace, channel: target.channel, key: `c:${target.platform}:${target.workspace}:${target.channel}` };
}

export function workspaceScope(target: Pick<ChannelTarget, 'platform' | 'workspace'>): TasteScope {
  return { kind: 'workspace', platform: target.platform, workspace: target.workspace, key: `w:${target.platform}:${target.workspace}` };
}

export function scopeOf(kind: TasteScopeKind, target: ChannelTarget): TasteScope {
  return kind === 'channel' ? channelScope(target) : workspaceScope(target);
}
