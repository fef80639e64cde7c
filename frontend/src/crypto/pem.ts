import { fromBase64, toBase64 } from './base64';
import { type Bytes } from './bytes';

export class PemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PemError';
  }
}

/** Wraps DER in PEM with 64-column lines, the layout OpenSSL writes. */
export function derToPem(der: Uint8Array, label = 'PRIVATE KEY'): string {
  const body = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${body.join('\n')}\n-----END ${label}-----\n`;
}

/** Reads the first PEM block with the given label; text around it is ignored, as OpenSSL does. */
export function pemToDer(pem: string, label = 'PRIVATE KEY'): Bytes {
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const start = pem.indexOf(begin);
  if (start < 0) throw new PemError(`no "${begin}" line`);
  const stop = pem.indexOf(end, start + begin.length);
  if (stop < 0) throw new PemError(`no "${end}" line`);
  const body = pem.slice(start + begin.length, stop).replace(/[\r\n\t ]+/g, '');
  try {
    return fromBase64(body);
  } catch {
    throw new PemError('the PEM body is not base64');
  }
}
