/** Paths inside a location: relative, POSIX separators, '' for the root. */
export function joinPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

/**
 * Bounds of a subtree's `parent` values: the directory itself, and every parent starting with `dir/` — which in
 * byte order are exactly those >= 'dir/' and < 'dir0' ('0' follows '/'), so an index answers the range.
 */
export function subtreeRange(dir: string): [string, string, string] {
  return [dir, `${dir}/`, `${dir}0`];
}

/** The directories holding an entry under `parent`, from the outermost: each as its own (parent, name). */
export function ancestorsOf(parent: string): { parent: string; name: string }[] {
  if (parent === '') return [];
  const out: { parent: string; name: string }[] = [];
  let start = 0;
  for (;;) {
    const slash = parent.indexOf('/', start);
    const end = slash < 0 ? parent.length : slash;
    out.push({ parent: start === 0 ? '' : parent.slice(0, start - 1), name: parent.slice(start, end) });
    if (slash < 0) return out;
    start = slash + 1;
  }
}

export function extensionOf(name: string): string | null {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : null;
}
