import { describe, expect, it } from 'vitest';
import { fromBase64, fromBase64Url, toBase64, toBase64Url } from './base64';
import { fromHex, toHex } from './bytes';
import { derToPem, pemToDer } from './pem';
import { vectorText } from './testing/vectors';

describe('base64', () => {
  it('matches the RFC 4648 test vectors', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of cases) {
      const bytes = new TextEncoder().encode(plain);
      expect(toBase64(bytes)).toBe(encoded);
      expect(new TextDecoder().decode(fromBase64(encoded))).toBe(plain);
    }
  });

  it('round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64(toBase64(all))).toEqual(all);
    expect(fromBase64Url(toBase64Url(all))).toEqual(all);
  });

  it('refuses missing padding, whitespace, the URL alphabet and second spellings', () => {
    for (const bad of ['Zg', 'Zg=', 'Zm9v\n', ' Zm9v', 'Zm-v', 'Zm_v', 'Zh==', 'Zm9=', '====']) {
      expect(() => fromBase64(bad), bad).toThrow();
    }
  });

  it('writes base64url without padding', () => {
    expect(toBase64Url(fromHex('fbff'))).toBe('-_8');
    expect(toHex(fromBase64Url('-_8'))).toBe('fbff');
    expect(() => fromBase64Url('-_8=')).toThrow();
  });
});

describe('PEM', () => {
  it('reads the PKCS#8 keys of the vectors and writes them back byte for byte', () => {
    for (const name of ['warehouse', 'sme', 'bank', 'log', 'witness-bank']) {
      const pem = vectorText(`godown/keys/${name}.pem`);
      const der = pemToDer(pem);
      expect(der.length).toBe(48);
      expect(derToPem(der)).toBe(pem);
    }
  });

  it('wraps long bodies at 64 columns', () => {
    const pem = derToPem(new Uint8Array(100), 'TEST');
    const lines = pem.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN TEST-----');
    expect(lines.at(-1)).toBe('-----END TEST-----');
    expect(lines.slice(1, -1).map((l) => l.length)).toEqual([64, 64, 8]);
    expect(pemToDer(pem, 'TEST')).toEqual(new Uint8Array(100));
  });

  it('refuses text without the label or with a broken body', () => {
    expect(() => pemToDer('hello')).toThrow();
    expect(() => pemToDer('-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n')).toThrow();
    expect(() => pemToDer(derToPem(new Uint8Array(4), 'PUBLIC KEY'))).toThrow();
  });
});
