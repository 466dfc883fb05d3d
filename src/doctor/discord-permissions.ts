/**
 * The bot's permissions in one channel, computed as Discord does: @everyone, then the member's roles
 * (Administrator grants all), then the channel's overwrites for @everyone, the roles, and the member.
 * @module
 */

export const PERMISSION_BITS = {
  Administrator: 1n << 3n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  ReadMessageHistory: 1n << 16n,
  CreatePublicThreads: 1n << 35n,
  SendMessagesInThreads: 1n << 38n,
} as const;

/** What a digest needs in its channel (the README's invite list). */
export const NEEDED_IN_CHANNEL = ['ViewChannel', 'SendMessages', 'SendMessagesInThreads', 'CreatePublicThreads', 'EmbedLinks', 'ReadMessageHistory'] as const;

export interface Overwrite {
  id: string;
  type: number;
  allow: string;
  deny: string;
}

export interface PermissionInputs {
  guildId: string;
  /** Every role of the guild with its permission bits (as strings, Discord's format). */
  roles: { id: string; permissions: string }[];
  memberRoles: string[];
  memberId: string;
  overwrites: Overwrite[];
}

export function channelPermissions(input: PermissionInputs): bigint {
  const byId = new Map(input.roles.map((r) => [r.id, BigInt(r.permissions)]));
  let base = byId.get(input.guildId) ?? 0n;
  for (const id of input.memberRoles) base |= byId.get(id) ?? 0n;
  if (base & PERMISSION_BITS.Administrator) return ~0n;
  const overwrite = (id: string) => input.overwrites.find((o) => o.id === id);
  const apply = (perms: bigint, o: { allow: bigint; deny: bigint }) => (perms & ~o.deny) | o.allow;
  const everyone = overwrite(input.guildId);
  let perms = everyone ? apply(base, { allow: BigInt(everyone.allow), deny: BigInt(everyone.deny) }) : base;
  let allow = 0n;
  let deny = 0n;
  for (const id of input.memberRoles) {
    const o = input.overwrites.find((x) => x.id === id && x.type === 0);
    if (o) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  }
  perms = apply(perms, { allow, deny });
  const member = input.overwrites.find((o) => o.id === input.memberId && o.type === 1);
  if (member) perms = apply(perms, { allow: BigInt(member.allow), deny: BigInt(member.deny) });
  return perms;
}

/** The needed permissions the bot lacks there, by name (View Channel missing hides the rest). */
export function missingPermissions(perms: bigint): string[] {
  if (!(perms & PERMISSION_BITS.ViewChannel)) return ['ViewChannel'];
  return NEEDED_IN_CHANNEL.filter((name) => !(perms & PERMISSION_BITS[name]));
}
