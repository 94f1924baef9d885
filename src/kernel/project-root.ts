import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * The folder holding Baton's package.json. Found by walking up from this module, so it is right
 * whether the code runs from `src/` (tsx) or from the bundle in `dist/`.
 */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`No package.json above ${import.meta.dirname}`);
    dir = up;
  }
  cached = dir;
  return dir;
}
