import { describe, expect, it } from 'vitest';
import { type LedgerEntry, mergeEntries } from './feed';

const e = (index: number, type: string | null = null): LedgerEntry => ({
  index,
  leafHash: `h${index}`,
  visible: type !== null,
  type,
  time: null,
  signer: null,
  entry: null,
});

describe('the entry feed', () => {
  it('keeps entries newest first without duplicates', () => {
    const page = [e(3), e(4), e(5)];
    const older = [e(1), e(2), e(3)];
    const live = [e(6, 'key.enrol'), e(5)];
    const merged = mergeEntries(mergeEntries(mergeEntries([], page), older), live);
    expect(merged.map((x) => x.index)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(merged[0]?.type).toBe('key.enrol');
  });
});
