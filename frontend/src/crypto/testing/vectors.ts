/** Reads the conformance vectors the ledger crate is tested against (tests only). */

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VECTORS = fileURLToPath(new URL('../../../../ledger/tests/vectors/', import.meta.url));

export function vectorText(path: string): string {
  return readFileSync(join(VECTORS, path), 'utf8');
}

export function vectorBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(VECTORS, path)));
}

/** Every file under a vector folder, as paths relative to VECTORS, sorted. */
export function vectorFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const name of readdirSync(abs)) {
      const p = join(abs, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(VECTORS, p));
    }
  };
  walk(join(VECTORS, dir));
  return out.sort();
}
