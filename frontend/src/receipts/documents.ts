/**
 * Supporting documents: the node stores a file under its SHA-256 and the
 * ledger names it by that hash only. The browser hashes the file itself and
 * refuses an answer that names another hash.
 */

import { ApiError } from '../api/http';
import { sha256, toHex } from '../crypto/bytes';
import { SHA256_HEX } from './rules';

export async function fileSha256(file: Blob): Promise<string> {
  return toHex(await sha256(new Uint8Array(await file.arrayBuffer())));
}

async function failure(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') {
      return new ApiError(body.error.code, typeof body.error.message === 'string' ? body.error.message : '', res.status);
    }
  } catch {
    // One line of reason.
  }
  const code = res.status === 401 ? 'UNAUTHENTICATED' : res.status === 403 ? 'FORBIDDEN' : res.status === 404 ? 'NOT_FOUND' : res.status >= 500 ? 'UNAVAILABLE' : 'BAD_REQUEST';
  return new ApiError(code, text.trim() || res.statusText, res.status);
}

/** `POST /documents` with the raw file; answers the hash the ledger will name. */
export async function uploadDocument(file: File, token: string): Promise<string> {
  const res = await fetch('/documents', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': file.type || 'application/octet-stream' },
    body: file,
  });
  if (!res.ok) throw await failure(res);
  const { sha256: named } = (await res.json()) as { sha256?: unknown };
  const local = await fileSha256(file);
  if (typeof named !== 'string' || !SHA256_HEX.test(named) || named !== local) {
    throw new ApiError('INTERNAL', `the node named the file ${String(named)}, but it hashes to ${local}`, 200);
  }
  return named;
}

/** `GET /documents/{sha256}`: the file, checked against its name. */
export async function fetchDocument(hash: string, token: string): Promise<Blob> {
  const res = await fetch(`/documents/${hash}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw await failure(res);
  const blob = await res.blob();
  if ((await fileSha256(blob)) !== hash) throw new ApiError('INTERNAL', 'the document does not hash to its name', 200);
  return blob;
}
