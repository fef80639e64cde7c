import { useEffect, useState } from 'react';
import { useAuth } from '../auth/AuthContext';
import { type ProofResult, verifyEntryProof } from '../crypto/proof';

/** An entry of a record's signed history, with its inclusion proof (ReceiptEvent, HistoryEvent). */
export interface ProvenEvent {
  index: number;
  type: string;
  signer: string;
  proof: { index: number; treeSize: number; leafHash: string; hashes: readonly string[]; checkpoint: string; entry: string };
}

/**
 * Each event's proof, checked in this browser against the log key; and that
 * the entry is the one the event names (same index, signer and type).
 */
export function useEventChecks(events: readonly ProvenEvent[] | undefined): Map<number, ProofResult> {
  const { ledger } = useAuth();
  const [results, setResults] = useState<Map<number, ProofResult>>(new Map());
  useEffect(() => {
    if (!events || !ledger) return;
    let live = true;
    void Promise.all(
      events.map(async (e) => {
        const r = await verifyEntryProof(
          { index: e.proof.index, entry: e.proof.entry, hashes: e.proof.hashes, checkpoint: e.proof.checkpoint, leafHash: e.proof.leafHash, treeSize: e.proof.treeSize },
          { logVkey: ledger.logVkey, witnessVkeys: ledger.witnessVkeys },
        );
        const signedBy =
          r.ok && (r.entry.key !== e.signer || r.entry.tx.type !== e.type || r.index !== e.index)
            ? ({ ok: false, step: 'entry', reason: 'MALFORMED_ENTRY', detail: 'the entry is not the event shown' } as const)
            : r;
        return [e.index, signedBy] as const;
      }),
    ).then((pairs) => live && setResults(new Map(pairs)));
    return () => {
      live = false;
    };
  }, [events, ledger]);
  return results;
}
