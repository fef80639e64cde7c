import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './base64';
import { concat, fromHex, fromUtf8, utf8 } from './bytes';
import { generateKey, sign } from './ed25519';
import { leafHash } from './merkle';
import { keyId } from './note';
import { type ProofInput, type ProofResult, parseTlogProof, verifyEntryProof, verifyTlogProof } from './proof';
import { vectorText } from './testing/vectors';

const proofFile = vectorText('godown/entry-2.tlog-proof');
const logVkey = vectorText('godown/log.vkey').trim();
const witnessVkey = vectorText('godown/witness.vkey').trim();
const entries = vectorText('godown/entries.jsonl').split('\n').filter((l) => l !== '');

function failure(r: ProofResult): string {
  return r.ok ? 'ok' : `${r.step}:${r.reason}`;
}

function baseInput(): ProofInput {
  const p = parseTlogProof(proofFile);
  return { index: p.index, entry: p.extra as Uint8Array, hashes: p.hashes, checkpoint: p.checkpoint };
}

describe('tlog-proof files', () => {
  it('parses the vector proof file', () => {
    const p = parseTlogProof(proofFile);
    expect(p.index).toBe(2);
    expect(p.hashes).toHaveLength(3);
    expect(fromUtf8(p.extra as Uint8Array)).toBe(entries[2]);
    expect(p.checkpoint).toBe(vectorText('godown/checkpoint.cosigned'));
  });

  it('the godown proof file verifies with log.vkey', async () => {
    const result = await verifyTlogProof(proofFile, { logVkey });
    expect(failure(result)).toBe('ok');
    if (result.ok) {
      expect(result.index).toBe(2);
      expect(result.treeSize).toBe(5n);
      expect(result.origin).toBe('godown.example/vectors');
      expect(result.entry.tx.type).toBe('pledge.confirm');
    }
  });

  it('and with the witness vkey it also names the witness', async () => {
    const result = await verifyTlogProof(proofFile, { logVkey, witnessVkeys: [witnessVkey] });
    expect(result.ok && result.witnesses).toEqual(['witness.bank.example/w1']);
  });

  it('refuses malformed files', async () => {
    expect(() => parseTlogProof('nonsense')).toThrow();
    expect(() => parseTlogProof(proofFile.replace('index 2', 'index 02'))).toThrow();
    expect(() => parseTlogProof(proofFile.replace('c2sp.org/tlog-proof@v1', 'c2sp.org/tlog-proof@v2'))).toThrow();
    expect(failure(await verifyTlogProof('nonsense', { logVkey }))).toBe('inclusion:MALFORMED_PROOF');
  });
});

describe('entry proofs, step by step', () => {
  it('the same proof, as the GraphQL Proof type carries it, verifies', async () => {
    const input = baseInput();
    const leaf = toBase64(await leafHash(input.entry as Uint8Array));
    const result = await verifyEntryProof({ ...input, entry: entries[2] as string, leafHash: leaf, treeSize: 5 }, { logVkey });
    expect(failure(result)).toBe('ok');
  });

  it('names the vkey step for an unusable vkey', async () => {
    expect(failure(await verifyEntryProof(baseInput(), { logVkey: 'garbage' }))).toBe('vkey:BAD_VKEY');
  });

  it('names the checkpoint step when the log did not sign it', async () => {
    const input = baseInput();
    const forged = { ...input, checkpoint: input.checkpoint.replace('\n5\n', '\n6\n') };
    expect(failure(await verifyEntryProof(forged, { logVkey }))).toBe('checkpoint:BAD_NOTE_SIGNATURE');
    expect(failure(await verifyEntryProof(input, { logVkey: witnessVkey }))).toBe('checkpoint:BAD_VKEY');
  });

  it('names the entry step for an entry that is not canonical or not signed', async () => {
    const input = baseInput();
    const pretty = JSON.stringify(JSON.parse(entries[2] as string), null, 1);
    expect(failure(await verifyEntryProof({ ...input, entry: pretty }, { logVkey }))).toBe('entry:NOT_CANONICAL');
    const altered = (entries[2] as string).replace('"LN-1"', '"LN-2"');
    expect(failure(await verifyEntryProof({ ...input, entry: altered }, { logVkey }))).toBe('entry:BAD_SIGNATURE');
  });

  it('names the leaf step when the stated leaf hash is not the entry’s', async () => {
    const input = { ...baseInput(), leafHash: toBase64(new Uint8Array(32)) };
    expect(failure(await verifyEntryProof(input, { logVkey }))).toBe('leaf:LEAF_HASH_MISMATCH');
  });

  it('names the inclusion step for another entry, index, proof or size', async () => {
    const input = baseInput();
    expect(failure(await verifyEntryProof({ ...input, entry: entries[1] as string }, { logVkey }))).toBe('inclusion:ROOT_MISMATCH');
    expect(failure(await verifyEntryProof({ ...input, index: 3 }, { logVkey }))).toBe('inclusion:ROOT_MISMATCH');
    expect(failure(await verifyEntryProof({ ...input, index: 5 }, { logVkey }))).toBe('inclusion:INDEX_OUT_OF_RANGE');
    expect(failure(await verifyEntryProof({ ...input, hashes: input.hashes.slice(1) }, { logVkey }))).toBe('inclusion:WRONG_PROOF_SIZE');
    expect(failure(await verifyEntryProof({ ...input, hashes: [...input.hashes].reverse() }, { logVkey }))).toBe('inclusion:ROOT_MISMATCH');
    expect(failure(await verifyEntryProof({ ...input, treeSize: 4 }, { logVkey }))).toBe('inclusion:TREE_SIZE_MISMATCH');
  });

  it('names the origin step for an entry signed for another ledger', async () => {
    // A genuine one-leaf log named "godown.example/elsewhere" that holds an
    // entry signed for "godown.example/vectors": every other step passes.
    const key = await generateKey();
    const name = 'godown.example/elsewhere';
    const raw = fromBase64(key.publicKey);
    const vkey = `${name}+${await keyId(name, 0x01, raw)}+${toBase64(concat(new Uint8Array([0x01]), raw))}`;
    const entry = entries[0] as string;
    const root = await leafHash(utf8(entry));
    const text = `${name}\n1\n${toBase64(root)}\n`;
    const sig = await sign(key.privateKey, utf8(text));
    const note = `${text}\n— ${name} ${toBase64(concat(fromHex(await keyId(name, 0x01, raw)), sig))}\n`;
    const result = await verifyEntryProof({ index: 0, entry, hashes: [], checkpoint: note }, { logVkey: vkey });
    expect(failure(result)).toBe('origin:WRONG_ORIGIN');
  });
});
