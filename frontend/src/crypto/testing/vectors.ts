/** Reads the conformance vectors the ledger crate is tested against (tests only). */

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// Under jsdom the module URL is not a file: URL, so fall back to the folder the
// test run started in, which npm scripts make the frontend folder.
const here = import.meta.url.startsWith('file:') ? dirname(fileURLToPath(import.meta.url)) : join(process.cwd(), 'src/crypto/testing');
export const VECTORS = join(here, '../../../../ledger/tests/vectors/');

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
