/**
 * Path globs for `ignore` in `.rtems-virt-config.json`, as .gitignore-style
 * users write them: `*` and `?` stay inside one path segment, `**` spans
 * segments, a pattern without `/` matches a name in any directory, and a
 * pattern naming a directory covers everything under it.
 */
export function globToRegExp(pattern: string): RegExp {
  let p = pattern.trim().replace(/\\/g, '/');
  const anchored = p.startsWith('/') || p.replace(/\/$/, '').includes('/');
  p = p.replace(/^\.?\//, '').replace(/\/$/, '');
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*' && p[i + 1] === '*') {
      const slash = p[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${anchored ? '^' : '(?:^|/)'}${re}(?:/.*)?$`);
}

export function matchesAny(file: string, globs: readonly RegExp[]): boolean {
  return globs.some((g) => g.test(file));
}
