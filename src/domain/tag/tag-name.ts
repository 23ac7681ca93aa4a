import { DomainError } from '../errors.js';
import { uuidv5 } from '../uuidv5.js';

/** A tag name as stored: Unicode NFC, trimmed, inner runs of white space made one space. */
export function normalizeTagName(raw: string): string {
  const name = raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (name === '') throw new DomainError('TAG_NAME_EMPTY', 'user', 'a tag name cannot be empty');
  if (name.length > 200) throw new DomainError('TAG_NAME_TOO_LONG', 'user', `a tag name has at most 200 characters (this one has ${name.length})`);
  return name;
}

/** Names are unique regardless of case: "Work" and "work" are one tag. */
export const tagNameKey = (name: string): string => normalizeTagName(name).toLowerCase();

/**
 * The id of a tag created under `name` in a library: UUIDv5 of the library id and the name's key, so two devices
 * creating "Work" concurrently create the same tag. `attempt` > 0 picks the next id when the first one belongs to a
 * tag since renamed (every device walks the same sequence).
 */
export function tagIdFor(libraryId: string, name: string, attempt = 0): string {
  return uuidv5(libraryId, attempt === 0 ? `tag:${tagNameKey(name)}` : `tag:${tagNameKey(name)}\u0000${attempt}`);
}

/** `#abc` / `#AABBCC` / `aabbcc` → `#aabbcc`. */
export function normalizeColor(raw: string): string {
  const hex = raw.trim().replace(/^#/, '').toLowerCase();
  if (/^[0-9a-f]{3}$/.test(hex)) return `#${[...hex].map((c) => c + c).join('')}`;
  if (/^[0-9a-f]{6}$/.test(hex)) return `#${hex}`;
  throw new DomainError('TAG_COLOR_INVALID', 'user', `"${raw}" is not a colour: give a hex colour such as #3b82f6`);
}
