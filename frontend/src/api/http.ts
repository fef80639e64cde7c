/** The node's plain JSON routes: signing in and the demo users. */

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown };
}

async function readError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as ErrorBody;
    if (body.error && typeof body.error.code === 'string') {
      return new ApiError(body.error.code, typeof body.error.message === 'string' ? body.error.message : '', res.status);
    }
  } catch {
    // Not JSON: the plain routes answer one line of reason.
  }
  const fallback = res.status === 401 ? 'UNAUTHENTICATED' : res.status === 403 ? 'FORBIDDEN' : res.status === 404 ? 'NOT_FOUND' : res.status >= 500 ? 'UNAVAILABLE' : 'BAD_REQUEST';
  return new ApiError(fallback, text.trim() || res.statusText, res.status);
}

export async function postJson<T>(path: string, body: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, { method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw await readError(res);
  return (await res.json()) as T;
}

export async function getJson<T>(path: string, token?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, { headers });
  if (!res.ok) throw await readError(res);
  return (await res.json()) as T;
}

export async function getText(path: string, token?: string): Promise<string> {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, { headers });
  if (!res.ok) throw await readError(res);
  return res.text();
}
