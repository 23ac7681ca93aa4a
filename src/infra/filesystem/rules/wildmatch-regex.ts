// Translates one gitignore glob to RegExp source with git's wildmatch semantics (WM_PATHNAME): `*`, `?` and
// brackets never match `/`; `**` spans directories only as a whole path segment. Flags are never needed: `[^]`
// stands for "any character" so names holding newlines match like any other.

const POSIX_CLASSES: ReadonlyMap<string, string> = new Map([
  ['alnum', '0-9A-Za-z'],
  ['alpha', 'A-Za-z'],
  ['blank', ' \\t'],
  ['cntrl', '\\x00-\\x1f\\x7f'],
  ['digit', '0-9'],
  ['graph', '\\x21-\\x7e'],
  ['lower', 'a-z'],
  ['print', '\\x20-\\x7e'],
  ['punct', '!-\\/:-@\\[-`{-~'],
  ['space', ' \\t\\n\\v\\f\\r'],
  ['upper', 'A-Z'],
  ['xdigit', '0-9A-Fa-f'],
]);

export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/**
 * RegExp source (without anchors) for `pattern`, or null when git would never match it: an unterminated bracket,
 * an unknown `[:class:]` or a trailing backslash abort git's matcher, so such a line ignores nothing.
 */
export function wildmatchToRegexSource(pattern: string): string | null {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '*') {
      let end = i;
      while (pattern[end] === '*') end++;
      const wholeSegment = end - i >= 2 && (i === 0 || pattern[i - 1] === '/') && (end === pattern.length || pattern[end] === '/');
      if (!wholeSegment) {
        out += '[^/]*';
      } else if (end === pattern.length) {
        out += '[^]*';
      } else {
        out += '(?:[^]*/)?';
        end++; // the segment's slash is part of the optional group
      }
      i = end;
    } else if (c === '?') {
      out += '[^/]';
      i++;
    } else if (c === '[') {
      const bracket = translateBracket(pattern, i);
      if (bracket === null) return null;
      out += bracket.source;
      i = bracket.end;
    } else if (c === '\\') {
      if (i + 1 === pattern.length) return null;
      out += escapeRegex(pattern[i + 1]!);
      i += 2;
    } else {
      out += escapeRegex(c);
      i++;
    }
  }
  return out;
}

/** A bracket expression starting at `start` (the `[`), mirroring wildmatch's parse; null when git aborts. */
function translateBracket(pattern: string, start: number): { source: string; end: number } | null {
  let p = start + 1;
  const negated = pattern[p] === '!' || pattern[p] === '^';
  if (negated) p++;
  let items = '';
  let previous: string | null = null; // the last single character, which a following `-` turns into a range start
  // A `]` right after the opening (and negation) is a literal, hence the do-while shape.
  do {
    let c = pattern[p];
    if (c === undefined) return null;
    if (c === '\\') {
      c = pattern[++p];
      if (c === undefined) return null;
      items += escapeRegex(c);
      previous = c;
    } else if (c === '-' && previous !== null && pattern[p + 1] !== undefined && pattern[p + 1] !== ']') {
      let high = pattern[++p]!;
      if (high === '\\') {
        const escaped = pattern[++p];
        if (escaped === undefined) return null;
        high = escaped;
      }
      // The low end was already emitted as a single character; a reversed range matches nothing in git.
      if (previous <= high) items += `-${escapeRegex(high)}`;
      previous = null;
    } else if (c === '[' && pattern[p + 1] === ':') {
      const close = pattern.indexOf(']', p + 2);
      if (close === -1) return null;
      if (close < p + 3 || pattern[close - 1] !== ':') {
        // The next `]` does not close a `[:name:]`: git reads the `[` as an ordinary member.
        items += '\\[';
        previous = '[';
      } else {
        const cls = POSIX_CLASSES.get(pattern.slice(p + 2, close - 1));
        if (cls === undefined) return null;
        items += cls;
        previous = null;
        p = close;
      }
    } else {
      items += escapeRegex(c);
      previous = c;
    }
    p++;
  } while (pattern[p] !== ']');
  const source = negated ? `[^/${items}]` : `(?!/)[${items}]`;
  return { source, end: p + 1 };
}
