/** The explorer's list of entries: pages of history plus live additions, newest first. */

import type { EntryFieldsFragment } from '../gql/graphql';

export type LedgerEntry = EntryFieldsFragment;

/** Merges entries by index (a later copy wins, so a live entry replaces nothing it should not), newest first. */
export function mergeEntries(current: readonly LedgerEntry[], incoming: readonly LedgerEntry[]): LedgerEntry[] {
  const byIndex = new Map<number, LedgerEntry>();
  for (const e of current) byIndex.set(e.index, e);
  for (const e of incoming) byIndex.set(e.index, e);
  return [...byIndex.values()].sort((a, b) => b.index - a.index);
}
