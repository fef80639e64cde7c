import { describe, expect, it } from 'vitest';
import { toBase64 } from './base64';
import { concat, fromHex, utf8 } from './bytes';
import { importPkcs8, sign } from './ed25519';
import { NoteError, SIG_TYPE_COSIGNATURE, parseCheckpoint, parseNote, parseVkey, verifyCheckpoint, verifyNote } from './note';
import { pemToDer } from './pem';
import { vectorText } from './testing/vectors';

const checkpoint = vectorText('godown/checkpoint');
const cosigned = vectorText('godown/checkpoint.cosigned');
const logVkeyText = vectorText('godown/log.vkey').trim();
const witnessVkeyText = vectorText('godown/witness.vkey').trim();

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof NoteError) return e.code;
    throw e;
  }
}

describe('vkeys', () => {
  it('parses the log and witness vkeys and checks their key IDs', async () => {
    const log = await parseVkey(logVkeyText);
    expect(log.name).toBe('godown.example/vectors');
    expect(log.keyId).toBe('677cce9e');
    expect(log.type).toBe(0x01);
    expect(log.publicKey).toHaveLength(32);
    const witness = await parseVkey(witnessVkeyText);
    expect(witness.name).toBe('witness.bank.example/w1');
    expect(witness.type).toBe(SIG_TYPE_COSIGNATURE);
  });

  it('splits on the first two + only, since base64 may hold +', async () => {
    // The log vkey's base64 itself contains a '+'.
    expect(logVkeyText.split('+').length).toBeGreaterThan(3);
    await expect(parseVkey(logVkeyText)).resolves.toBeDefined();
  });

  it('refuses a vkey whose key ID does not match, or is malformed', async () => {
    expect(await code(parseVkey(logVkeyText.replace('+677cce9e+', '+677cce9f+')))).toBe('BAD_VKEY');
    expect(await code(parseVkey(logVkeyText.replace('godown.example/vectors', 'godown.example/other')))).toBe('BAD_VKEY');
    expect(await code(parseVkey('nameonly'))).toBe('BAD_VKEY');
    expect(await code(parseVkey('n+zz+AQ=='))).toBe('BAD_VKEY');
  });
});

describe('signed notes', () => {
  it('parses the text and the signature lines', () => {
    const note = parseNote(cosigned);
    expect(note.text).toBe('godown.example/vectors\n5\nwOEtYHI4hj2SFnWaley9ZFpEj/dyS1UaxG784w5n4Rk=\n');
    expect(note.signatures.map((s) => [s.name, s.keyId])).toEqual([
      ['godown.example/vectors', '677cce9e'],
      ['witness.bank.example/w1', 'aa8ec032'],
    ]);
  });

  it('the vector checkpoint verifies with log.vkey', async () => {
    const log = await parseVkey(logVkeyText);
    const { checkpoint: cp, verified } = await verifyCheckpoint(checkpoint, log);
    expect(cp.origin).toBe('godown.example/vectors');
    expect(cp.size).toBe(5n);
    expect(toBase64(cp.root)).toBe('wOEtYHI4hj2SFnWaley9ZFpEj/dyS1UaxG784w5n4Rk=');
    expect(verified).toHaveLength(1);
  });

  it("checkpoint.cosigned's witness line verifies with witness.vkey", async () => {
    const log = await parseVkey(logVkeyText);
    const witness = await parseVkey(witnessVkeyText);
    const result = await verifyCheckpoint(cosigned, log, [witness], 1);
    expect(result.witnesses).toEqual(['witness.bank.example/w1']);
    const cosig = result.verified.find((v) => v.type === SIG_TYPE_COSIGNATURE);
    expect(cosig?.timestamp).toBeGreaterThan(1_700_000_000n);
    // The witness line alone, without the log key, verifies as a note too.
    const alone = await verifyNote(cosigned, [witness]);
    expect(alone.verified.map((v) => v.name)).toEqual(['witness.bank.example/w1']);
  });

  it('ignores lines from unknown keys but needs a trusted one', async () => {
    const log = await parseVkey(logVkeyText);
    await expect(verifyCheckpoint(cosigned, log)).resolves.toBeDefined();
    const witness = await parseVkey(witnessVkeyText);
    expect(await code(verifyCheckpoint(checkpoint, log, [witness], 1))).toBe('TOO_FEW_WITNESSES');
    expect(await code(verifyNote(checkpoint, [witness]))).toBe('UNTRUSTED_NOTE');
  });

  it('a tampered note fails', async () => {
    const log = await parseVkey(logVkeyText);
    const witness = await parseVkey(witnessVkeyText);
    const tamperedRoot = checkpoint.replace('wOEtYHI4', 'xOEtYHI4');
    expect(await code(verifyCheckpoint(tamperedRoot, log))).toBe('BAD_NOTE_SIGNATURE');
    const tamperedSize = cosigned.replace('\n5\n', '\n6\n');
    expect(await code(verifyCheckpoint(tamperedSize, log, [witness]))).toBe('BAD_NOTE_SIGNATURE');
    // A bad cosignature from a trusted witness spoils the whole note.
    const lines = cosigned.split('\n');
    const witnessLine = lines[5] as string;
    const flipped = witnessLine.slice(0, -6) + (witnessLine.at(-6) === 'A' ? 'B' : 'A') + witnessLine.slice(-5);
    lines[5] = flipped;
    expect(await code(verifyCheckpoint(lines.join('\n'), log, [witness]))).toBe('BAD_NOTE_SIGNATURE');
    expect(await code(verifyCheckpoint(lines.join('\n'), log))).toBe('ok');
  });

  it('refuses malformed notes', async () => {
    const log = await parseVkey(logVkeyText);
    expect(await code(verifyCheckpoint(checkpoint.replace('\n\n', '\n'), log))).toBe('MALFORMED_NOTE');
    expect(await code(verifyCheckpoint(checkpoint.trimEnd(), log))).toBe('MALFORMED_NOTE');
    expect(await code(verifyCheckpoint(checkpoint.replace('— ', '- '), log))).toBe('MALFORMED_NOTE');
    expect(await code(verifyCheckpoint(checkpoint.replace('5\n', '5\r\n'), log))).toBe('MALFORMED_NOTE');
  });

  it('re-signs the vector checkpoint byte for byte with log.pem and cosigns it with witness-bank.pem', async () => {
    const logKey = await importPkcs8(pemToDer(vectorText('godown/keys/log.pem')));
    const { text } = parseNote(cosigned);
    const sig = await sign(logKey.privateKey, utf8(text));
    expect(checkpoint).toBe(`${text}\n— godown.example/vectors ${toBase64(concat(fromHex('677cce9e'), sig))}\n`);
    const witnessKey = await importPkcs8(pemToDer(vectorText('godown/keys/witness-bank.pem')));
    const line = parseNote(cosigned).signatures[1];
    const ts = line?.signature.subarray(0, 8) as Uint8Array;
    const time = new DataView(ts.buffer, ts.byteOffset, 8).getBigUint64(0);
    const cosig = await sign(witnessKey.privateKey, utf8(`cosignature/v1\ntime ${time}\n${text}`));
    expect(toBase64(concat(fromHex('aa8ec032'), ts, cosig))).toBe(cosigned.split('\n')[5]?.split(' ')[2]);
  });
});

describe('checkpoint bodies', () => {
  it('parses origin, size and root, and refuses bad ones', () => {
    const root = 'wOEtYHI4hj2SFnWaley9ZFpEj/dyS1UaxG784w5n4Rk=';
    expect(parseCheckpoint(`o\n0\n${root}\n`).size).toBe(0n);
    expect(parseCheckpoint(`o\n18446744073709551615\n${root}\next\n`).extensions).toEqual(['ext']);
    for (const bad of [`o\n05\n${root}\n`, `o\n-1\n${root}\n`, `o\n5\nAAAA\n`, `\n5\n${root}\n`, `o\n5\n${root}`, `o\n18446744073709551616\n${root}\n`]) {
      expect(() => parseCheckpoint(bad), bad).toThrow(NoteError);
    }
  });
});
