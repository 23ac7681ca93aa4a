import { DomainError } from '../errors.js';

export const MAX_LIBRARY_NAME_BYTES = 200;

/**
 * Turns what the user typed into a name that is safe as a folder name on every platform: path separators,
 * characters Windows forbids and control characters become `-`. Empty or over-long names are refused.
 */
export function sanitizeLibraryName(input: string): string {
  // eslint-disable-next-line no-control-regex
  const name = input.replace(/[/\\:*?"<>|\u0000-\u001f\u007f]/g, '-').trim();
  if (name.length === 0) {
    throw new DomainError('INVALID_LIBRARY_NAME', 'user', 'a library name cannot be empty: give it a name');
  }
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_LIBRARY_NAME_BYTES) {
    throw new DomainError(
      'INVALID_LIBRARY_NAME',
      'user',
      `a library name may be at most ${MAX_LIBRARY_NAME_BYTES} bytes; this one is ${bytes}: choose a shorter name`,
    );
  }
  if (name === '.' || name === '..') {
    throw new DomainError('INVALID_LIBRARY_NAME', 'user', `"${name}" cannot be a library name`);
  }
  return name;
}

/** `Name`, else `Name 1`, `Name 2`, … — the first one `isTaken` does not claim. */
export function firstFreeName(base: string, isTaken: (candidate: string) => boolean): string {
  if (!isTaken(base)) return base;
  for (let i = 1; ; i++) {
    const candidate = `${base} ${i}`;
    if (!isTaken(candidate)) return candidate;
  }
}
