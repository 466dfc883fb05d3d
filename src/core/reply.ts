/**
 * The platform-neutral reply model. Commands and the digest build these; each adapter's renderer
 * turns them into its own format and applies its platform's limits. Every string here is plain text
 * (titles and abstracts from outside included): renderers escape it, so nothing in it can ping anyone.
 * @module
 */
import type { ErrorCode } from '../errors.js';

export interface Link {
  label: string;
  url: string;
}

export interface Field {
  name: string;
  value: string;
  /** Short enough to sit beside other fields. */
  inline?: boolean;
}

export interface Card {
  title: string;
  url?: string;
  /** One line: "A, B, C +12". */
  authors?: string;
  body?: string;
  fields?: Field[];
  links?: Link[];
  image?: string;
  footer?: string;
}

export interface ListItem {
  title: string;
  url?: string;
  /** One short line under the title: id, year, votes. */
  detail?: string;
  text?: string;
}

export type Reply =
  | { kind: 'text'; text: string; ephemeral?: boolean; error?: ErrorCode }
  | { kind: 'card'; card: Card; text?: string; ephemeral?: boolean }
  | { kind: 'list'; title: string; items: ListItem[]; empty?: string; footer?: string; ephemeral?: boolean };

export const text = (body: string, options: { ephemeral?: boolean } = {}): Reply => ({ kind: 'text', text: body, ...options });
export const card = (c: Card, options: { text?: string; ephemeral?: boolean } = {}): Reply => ({ kind: 'card', card: c, ...options });
export const list = (title: string, items: ListItem[], options: { empty?: string; footer?: string; ephemeral?: boolean } = {}): Reply => ({
  kind: 'list', title, items, ...options,
});
/** A short error or refusal, shown only to the user who asked where the platform can; `error` says what kind (the CLI's exit code). */
export const problem = (message: string, error: ErrorCode = 'bad_input'): Reply => ({ kind: 'text', text: message, ephemeral: true, error });
