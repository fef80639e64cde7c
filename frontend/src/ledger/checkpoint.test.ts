import { describe, expect, it } from 'vitest';
import { vectorText } from '../crypto/testing/vectors';
import { checkCheckpoint, checkGrowth } from './checkpoint';

const note = vectorText('godown/checkpoint.cosigned');
const logVkey = vectorText('godown/log.vkey');
const witnessVkey = vectorText('godown/witness.vkey');
const root5 = 'wOEtYHI4hj2SFnWaley9ZFpEj/dyS1UaxG784w5n4Rk=';
const root3 = 'cZ2X7PYCs1u50a1smtqkol23fZqAVK+rnypJBEiRouI=';

describe('the checkpoint panel checks', () => {
  it('accepts the vector checkpoint as the node reports it', async () => {
    const r = await checkCheckpoint({ origin: 'godown.example/vectors', size: 5, root: root5, note }, logVkey, [witnessVkey]);
    expect(r).toEqual({ ok: true, origin: 'godown.example/vectors', size: 5, root: root5, witnesses: ['witness.bank.example/w1'] });
  });

  it('refuses reported fields that differ from the signed note', async () => {
    const base = { origin: 'godown.example/vectors', size: 5, root: root5, note };
    expect(await checkCheckpoint({ ...base, size: 6 }, logVkey, [])).toEqual({ ok: false, reason: 'MISMATCH' });
    expect(await checkCheckpoint({ ...base, root: root3 }, logVkey, [])).toEqual({ ok: false, reason: 'MISMATCH' });
    expect(await checkCheckpoint({ ...base, origin: 'x' }, logVkey, [])).toEqual({ ok: false, reason: 'MISMATCH' });
  });

  it('refuses a note the log did not sign', async () => {
    const forged = note.replace('\n5\n', '\n4\n');
    const r = await checkCheckpoint({ origin: 'godown.example/vectors', size: 4, root: root5, note: forged }, logVkey, []);
    expect(r).toEqual({ ok: false, reason: 'BAD_NOTE_SIGNATURE' });
  });

  it('checks growth from size 3 to 5 with the vector consistency proof', async () => {
    const proof = vectorText('godown/consistency-3-5.txt').split('\n').filter((l) => l !== '');
    expect(await checkGrowth({ size: 3, root: root3 }, { size: 5, root: root5 }, proof)).toEqual({ ok: true, from: 3, to: 5 });
    expect((await checkGrowth({ size: 3, root: root5 }, { size: 5, root: root5 }, proof)).ok).toBe(false);
  });
});
