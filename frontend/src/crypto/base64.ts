import { type Bytes } from './bytes';

const STANDARD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const URL_SAFE = /^[A-Za-z0-9_-]*$/;

export class Base64Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Base64Error';
  }
}

function binaryString(bytes: Uint8Array): string {
  // Chunked, because String.fromCharCode(...big) overflows the call stack.
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return s;
}

/** Standard base64 with padding (RFC 4648 §4), as every key and hash on the wire uses. */
export function toBase64(bytes: Uint8Array): string {
  return btoa(binaryString(bytes));
}

/**
 * Decodes standard, padded base64 strictly: no whitespace, no missing padding,
 * no URL-safe alphabet. Anything a signer could encode two ways is refused so
 * that a value has one spelling.
 */
export function fromBase64(text: string): Bytes {
  if (!STANDARD.test(text)) throw new Base64Error('not standard padded base64');
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  // atob ignores non-zero trailing bits; re-encoding catches a second spelling.
  if (toBase64(out) !== text) throw new Base64Error('non-canonical base64');
  return out;
}

/** URL-safe base64 without padding (RFC 4648 §5), the nonce convention. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Bytes {
  if (!URL_SAFE.test(text) || text.length % 4 === 1) throw new Base64Error('not base64url');
  const std = text.replace(/-/g, '+').replace(/_/g, '/');
  return fromBase64(std + '='.repeat((4 - (std.length % 4)) % 4));
}
