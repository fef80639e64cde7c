import { describe, expect, it } from 'vitest';
import { verifyEntry } from './entry';
import { vectorFiles, vectorText } from './testing/vectors';

const ORIGIN = 'godown.example/vectors';

describe('entries', () => {
  it('every entry of the vector ledger verifies', async () => {
    const lines = vectorText('godown/entries.jsonl').split('\n').filter((l) => l !== '');
    for (const line of lines) {
      const result = await verifyEntry(line, ORIGIN);
      expect(result.ok, line).toBe(true);
    }
  });

  it('has the five bad entries', () => {
    expect(vectorFiles('godown/bad').map((p) => p.split('/').at(-1))).toEqual([
      'altered-body.json',
      'float-amount.json',
      'not-canonical.json',
      'other-origin.json',
      'wrong-key.json',
    ]);
  });

  // Each bad entry is refused for its own reason.
  const expected: Record<string, string> = {
    'altered-body.json': 'BAD_SIGNATURE',
    'float-amount.json': 'NUMBER_NOT_ALLOWED',
    'not-canonical.json': 'NOT_CANONICAL',
    'other-origin.json': 'WRONG_ORIGIN',
    'wrong-key.json': 'BAD_SIGNATURE',
  };
  for (const [file, reason] of Object.entries(expected)) {
    it(`refuses bad/${file} with ${reason}`, async () => {
      // The files end in a newline that is not part of the entry.
      const text = vectorText(`godown/bad/${file}`).replace(/\n$/, '');
      const result = await verifyEntry(text, ORIGIN);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toBe(reason);
    });
  }

  it('other-origin is validly signed, for another ledger: only the origin check refuses it', async () => {
    const text = vectorText('godown/bad/other-origin.json').replace(/\n$/, '');
    expect((await verifyEntry(text)).ok).toBe(true);
    expect((await verifyEntry(text, 'godown.example/another-ledger')).ok).toBe(true);
  });

  it('refuses an entry whose key or signature has the wrong length', async () => {
    const line = vectorText('godown/entries.jsonl').split('\n')[0] as string;
    const shortKey = line.replace(/"key":"[^"]+"/, '"key":"AAAA"');
    const result = await verifyEntry(shortKey, ORIGIN);
    expect(result.ok ? 'ok' : result.reason).toBe('MALFORMED_ENTRY');
  });
});
