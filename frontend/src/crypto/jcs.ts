/**
 * RFC 8785 JSON Canonicalization Scheme.
 *
 * Keys are sorted by UTF-16 code units, which is what Array.prototype.sort does
 * by default; strings and numbers are written by JSON.stringify, whose output
 * is exactly the serialisation RFC 8785 §3.2.2 prescribes.
 */

/** NUMBER: a float or unsafe integer; VALUE: something JSON cannot carry. */
export type JcsErrorCode = 'NOT_JSON' | 'NOT_CANONICAL' | 'NUMBER' | 'VALUE';

export class JcsError extends Error {
  readonly code: JcsErrorCode;
  readonly path: string;
  constructor(code: JcsErrorCode, message: string, path: string) {
    super(path ? `${message} at ${path}` : message);
    this.name = 'JcsError';
    this.code = code;
    this.path = path;
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type NumberPolicy = (n: number, path: string) => void;

function finiteOnly(n: number, path: string): void {
  if (!Number.isFinite(n)) throw new JcsError('NUMBER', 'a number that is not finite', path);
}

/**
 * The ledger's rule on top of RFC 8785: no floats, and no integer a
 * double cannot hold exactly, so Rust, TypeScript and Python agree on the bytes.
 */
function safeIntegerOnly(n: number, path: string): void {
  finiteOnly(n, path);
  if (!Number.isInteger(n)) throw new JcsError('NUMBER', 'a number that is not an integer', path);
  if (!Number.isSafeInteger(n)) throw new JcsError('NUMBER', 'an integer beyond ±(2^53−1)', path);
}

function serialise(value: unknown, path: string, policy: NumberPolicy): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      policy(value, path);
      return JSON.stringify(value);
    case 'string':
      if (LONE_SURROGATE.test(value)) throw new JcsError('VALUE', 'a string with a lone surrogate', path);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((v, i) => serialise(v, `${path}[${i}]`, policy)).join(',')}]`;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new JcsError('VALUE', 'a value that is not plain JSON', path);
      }
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .sort()
        .map((k) => {
          if (LONE_SURROGATE.test(k)) throw new JcsError('VALUE', 'a key with a lone surrogate', path);
          return `${JSON.stringify(k)}:${serialise(record[k], `${path}.${k}`, policy)}`;
        });
      return `{${members.join(',')}}`;
    }
    default:
      throw new JcsError('VALUE', `a value of type ${typeof value}`, path);
  }
}

/** Plain RFC 8785: any finite number is allowed. */
export function canonicalizeRfc8785(value: unknown): string {
  return serialise(value, '$', finiteOnly);
}

/** RFC 8785 with the ledger's number rule: integers within ±(2^53−1) only. */
export function canonicalize(value: unknown): string {
  return serialise(value, '$', safeIntegerOnly);
}

/**
 * Parses JSON text and checks that it is already in canonical form under the
 * ledger's rules. Returns the parsed value; throws JcsError otherwise.
 */
export function parseCanonical(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JcsError('NOT_JSON', 'not JSON', '');
  }
  if (canonicalize(value) !== text) throw new JcsError('NOT_CANONICAL', 'not in canonical form', '');
  return value;
}
