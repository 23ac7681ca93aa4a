import picomatch from 'picomatch';

/** One accept or reject glob, compiled once. */
export interface PathGlob {
  readonly glob: string;
  readonly regex: RegExp;
  /**
   * A glob without a slash matches the entry's name at any depth, as in .gitignore; otherwise the path relative to
   * the location root, which a leading slash (`/private/**`) may spell out.
   */
  readonly matchesName: boolean;
  /** A trailing slash (`cache/`) limits the glob to directories. */
  readonly directoryOnly: boolean;
}

// dot: `**` and `*` cross hidden names too, or `**/*.tmp` would miss `.config/x.tmp`.
// flags: `s` so names holding newlines match; `i` because `*.jpg` should find a camera's IMG_0001.JPG.
const OPTIONS: picomatch.PicomatchOptions = { dot: true, flags: 'si' };

export function compilePathGlobs(globs: readonly string[]): PathGlob[] {
  return globs.map((glob) => {
    const directoryOnly = glob.length > 1 && glob.endsWith('/');
    let body = directoryOnly ? glob.slice(0, -1) : glob;
    let matchesName = !body.includes('/');
    if (body.startsWith('/')) body = body.slice(1);
    // `**/*.jpg` means "any name matching *.jpg", and matching the name alone is far cheaper than the path.
    if (body.startsWith('**/') && !body.includes('/', 3)) {
      body = body.slice(3);
      matchesName = true;
    }
    return { glob, regex: picomatch.makeRe(body, OPTIONS), matchesName, directoryOnly };
  });
}
