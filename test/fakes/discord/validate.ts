/**
 * The form checks real Discord applies before it accepts a message, a thread or a command list, so a
 * payload the fake accepts is one Discord would accept. Each returns the first problem, or undefined.
 * @module
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function embedProblem(embed: unknown, index: number): string | undefined {
  if (!isObject(embed)) return `embeds.${index}: not an object`;
  const title = str(embed.title);
  if (title.length > 256) return `embeds.${index}.title: longer than 256`;
  if (str(embed.description).length > 4096) return `embeds.${index}.description: longer than 4096`;
  if (embed.url !== undefined && !/^https?:\/\//.test(str(embed.url))) return `embeds.${index}.url: not a well formed URL`;
  const fields = Array.isArray(embed.fields) ? embed.fields : [];
  if (fields.length > 25) return `embeds.${index}.fields: more than 25`;
  for (const [i, f] of fields.entries()) {
    if (!isObject(f)) return `embeds.${index}.fields.${i}: not an object`;
    const name = str(f.name);
    const value = str(f.value);
    if (name.length === 0 || name.length > 256) return `embeds.${index}.fields.${i}.name: must be 1 to 256 long`;
    if (value.length === 0 || value.length > 1024) return `embeds.${index}.fields.${i}.value: must be 1 to 1024 long`;
  }
  const footer = isObject(embed.footer) ? str(embed.footer.text) : '';
  if (footer.length > 2048) return `embeds.${index}.footer.text: longer than 2048`;
  const author = isObject(embed.author) ? str(embed.author.name) : '';
  if (author.length > 256) return `embeds.${index}.author.name: longer than 256`;
  const thumbnail = isObject(embed.thumbnail) ? str(embed.thumbnail.url) : undefined;
  if (thumbnail !== undefined && !/^https?:\/\//.test(thumbnail)) return `embeds.${index}.thumbnail.url: not a well formed URL`;
  return undefined;
}

export function embedChars(embed: Json): number {
  const fields = Array.isArray(embed.fields) ? embed.fields.filter(isObject) : [];
  return (
    str(embed.title).length +
    str(embed.description).length +
    (isObject(embed.footer) ? str(embed.footer.text).length : 0) +
    (isObject(embed.author) ? str(embed.author.name).length : 0) +
    fields.reduce((sum, f) => sum + str(f.name).length + str(f.value).length, 0)
  );
}

/** A message body for a channel post, a forum starter message, an interaction response or a follow-up. */
export function messageProblem(body: unknown, options: { requireContent?: boolean } = {}): string | undefined {
  if (!isObject(body)) return 'body: not an object';
  const content = str(body.content);
  if (content.length > 2000) return 'content: longer than 2000';
  const embeds = Array.isArray(body.embeds) ? body.embeds : [];
  if (embeds.length > 10) return 'embeds: more than 10';
  for (const [i, e] of embeds.entries()) {
    const problem = embedProblem(e, i);
    if (problem) return problem;
  }
  const total = embeds.filter(isObject).reduce((sum, e) => sum + embedChars(e), 0);
  if (total > 6000) return `embeds: ${total} characters in all, more than 6000`;
  if ((options.requireContent ?? true) && content.length === 0 && embeds.length === 0) return 'empty message';
  if (body.nonce !== undefined) {
    if (typeof body.nonce === 'string' && body.nonce.length > 25) return 'nonce: longer than 25';
    if (typeof body.nonce !== 'string' && typeof body.nonce !== 'number') return 'nonce: not a string or integer';
  }
  return undefined;
}

export function threadNameProblem(name: unknown): string | undefined {
  const s = str(name);
  return s.length < 1 || s.length > 100 ? 'name: must be 1 to 100 long' : undefined;
}

const COMMAND_NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

/** A bulk overwrite of application commands (`PUT /applications/{app}/commands`). */
export function commandsProblem(body: unknown): string | undefined {
  if (!Array.isArray(body)) return 'body: not an array';
  if (body.length > 100) return 'more than 100 commands';
  const names = new Set<string>();
  for (const [i, command] of body.entries()) {
    if (!isObject(command)) return `${i}: not an object`;
    const name = str(command.name);
    if (!COMMAND_NAME.test(name)) return `${i}.name: invalid`;
    if (names.has(name)) return `${i}.name: duplicate`;
    names.add(name);
    const description = str(command.description);
    if (description.length < 1 || description.length > 100) return `${i}.description: must be 1 to 100 long`;
    const options = Array.isArray(command.options) ? command.options : [];
    if (options.length > 25) return `${i}.options: more than 25`;
    let optionalSeen = false;
    for (const [j, option] of options.entries()) {
      if (!isObject(option)) return `${i}.options.${j}: not an object`;
      if (!COMMAND_NAME.test(str(option.name))) return `${i}.options.${j}.name: invalid`;
      const d = str(option.description);
      if (d.length < 1 || d.length > 100) return `${i}.options.${j}.description: must be 1 to 100 long`;
      if (option.required === true && optionalSeen) return `${i}.options.${j}: required options must be placed before non-required options`;
      if (option.required !== true) optionalSeen = true;
      const choices = Array.isArray(option.choices) ? option.choices : [];
      if (choices.length > 25) return `${i}.options.${j}.choices: more than 25`;
      if (choices.length > 0 && option.autocomplete === true) return `${i}.options.${j}: autocomplete cannot be set with choices`;
      for (const c of choices) if (!isObject(c) || str(c.name).length < 1 || str(c.name).length > 100) return `${i}.options.${j}.choices: bad choice`;
    }
  }
  return undefined;
}
