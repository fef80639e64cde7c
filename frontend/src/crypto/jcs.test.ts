import { describe, expect, it } from 'vitest';
import { JcsError, canonicalize, canonicalizeRfc8785, parseCanonical } from './jcs';
import { vectorBytes, vectorFiles, vectorText } from './testing/vectors';

const names = vectorFiles('jcs/input').map((p) => p.split('/').at(-1) as string);

describe('RFC 8785 vectors', () => {
  it('has the six vector pairs', () => {
    expect(names).toEqual(['arrays.json', 'french.json', 'structures.json', 'unicode.json', 'values.json', 'weird.json']);
  });

  for (const name of names) {
    it(`plain RFC 8785 reproduces ${name} byte for byte`, () => {
      const input: unknown = JSON.parse(vectorText(`jcs/input/${name}`));
      const out = new TextEncoder().encode(canonicalizeRfc8785(input));
      expect(out).toEqual(vectorBytes(`jcs/output/${name}`));
    });
  }

  for (const name of names.filter((n) => n !== 'values.json')) {
    it(`the ledger canonicaliser reproduces ${name} byte for byte`, () => {
      const input: unknown = JSON.parse(vectorText(`jcs/input/${name}`));
      const out = new TextEncoder().encode(canonicalize(input));
      expect(out).toEqual(vectorBytes(`jcs/output/${name}`));
    });
  }

  it('the ledger canonicaliser refuses the floats of values.json', () => {
    const input: unknown = JSON.parse(vectorText('jcs/input/values.json'));
    expect(() => canonicalize(input)).toThrow(JcsError);
    try {
      canonicalize(input);
    } catch (e) {
      expect((e as JcsError).code).toBe('NUMBER');
      expect((e as JcsError).path).toBe('$.numbers[0]');
    }
  });

  it('structures.json holds 56.0, which parses to the integer 56 and so passes the ledger rule', () => {
    expect(vectorText('jcs/input/structures.json')).toContain('56.0');
    expect(canonicalize(JSON.parse(vectorText('jcs/input/structures.json')))).toContain('"\\n":56');
  });
});

describe('the ledger number rule', () => {
  it('accepts safe integers, negative zero as 0', () => {
    expect(canonicalize({ a: Number.MAX_SAFE_INTEGER, b: -Number.MAX_SAFE_INTEGER, c: -0 })).toBe(
      '{"a":9007199254740991,"b":-9007199254740991,"c":0}',
    );
  });

  it('refuses floats, unsafe integers and non-finite numbers', () => {
    for (const n of [0.5, 1e-7, 2 ** 53, -(2 ** 53), 1e30, Infinity, -Infinity, NaN]) {
      expect(() => canonicalize({ n }), String(n)).toThrow(JcsError);
    }
    expect(() => canonicalizeRfc8785({ n: NaN })).toThrow(JcsError);
    expect(canonicalizeRfc8785({ n: 0.5 })).toBe('{"n":0.5}');
  });

  it('refuses values JSON cannot carry', () => {
    for (const v of [undefined, () => 1, 1n, Symbol('s'), new Date(0), new Map(), { a: undefined }, '\ud800', { '\udc00': 1 }]) {
      expect(() => canonicalize(v)).toThrow(JcsError);
    }
  });

  it('sorts keys by UTF-16 code units, not by code points or locale', () => {
    // U+FB33 (one unit, 0xFB33) sorts after U+1F602 (surrogates 0xD83D 0xDE02) in UTF-16 order.
    expect(canonicalize({ '\ufb33': 1, '\u{1f602}': 2, a: 3, B: 4 })).toBe('{"B":4,"a":3,"\u{1f602}":2,"\ufb33":1}');
  });

  it('escapes as JSON.stringify does: control characters as \\u00xx, no escaping of / or non-ASCII', () => {
    expect(canonicalize(['\u0001\b\t\n\f\r"\\/é\u2028'])).toBe('["\\u0001\\b\\t\\n\\f\\r\\"\\\\/é\u2028"]');
  });
});

describe('parseCanonical', () => {
  it('accepts canonical text and returns the value', () => {
    expect(parseCanonical('{"a":[1,true,null],"b":"x"}')).toEqual({ a: [1, true, null], b: 'x' });
  });

  it('names why it refuses', () => {
    const code = (text: string): string => {
      try {
        parseCanonical(text);
        return 'accepted';
      } catch (e) {
        return (e as JcsError).code;
      }
    };
    expect(code('{"a":1')).toBe('NOT_JSON');
    expect(code('{"b":1,"a":2}')).toBe('NOT_CANONICAL');
    expect(code('{"a": 1}')).toBe('NOT_CANONICAL');
    expect(code('{"a":1.0}')).toBe('NOT_CANONICAL');
    expect(code('{"a":1,"a":1}')).toBe('NOT_CANONICAL');
    expect(code('{"a":"\\u0041"}')).toBe('NOT_CANONICAL');
    expect(code('{"a":1.5}')).toBe('NUMBER');
    expect(code('{"a":9007199254740993}')).toBe('NUMBER');
  });
});
