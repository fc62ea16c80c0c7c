// Tiny GraphQL client: POST /graphql with the bearer token; errors keep extensions.code.

const TOKEN_KEY = 'tl.token';

export function getToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    /* private mode: the token lives for this page only */
  }
}

export interface Conflict {
  startsAt: string;
  endsAt: string;
}

export class ApiError extends Error {
  code: string;
  extensions: Record<string, unknown>;
  constructor(message: string, code: string, extensions: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.extensions = extensions;
  }
  get conflicts(): Conflict[] {
    const c = this.extensions.conflicts;
    return Array.isArray(c) ? (c as Conflict[]) : [];
  }
}

let onUnauthenticated: (() => void) | null = null;
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

interface GqlResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export async function gql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const token = getToken();
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new ApiError('network', 'NETWORK');
  }
  let body: GqlResponse<T>;
  try {
    body = (await res.json()) as GqlResponse<T>;
  } catch {
    throw new ApiError(`HTTP ${res.status}`, res.status >= 500 ? 'SERVER' : 'NETWORK');
  }
  if (body.errors && body.errors.length > 0) {
    const e = body.errors[0];
    const ext = e.extensions ?? {};
    const code = typeof ext.code === 'string' ? ext.code : 'UNKNOWN';
    if (code === 'UNAUTHENTICATED' && token && onUnauthenticated) onUnauthenticated();
    throw new ApiError(e.message, code, ext);
  }
  if (!res.ok || body.data == null) throw new ApiError(`HTTP ${res.status}`, 'SERVER');
  return body.data;
}

/** Downloads a file from the server with the bearer token (a plain link cannot carry it). */
export async function downloadWithToken(url: string, filename: string): Promise<void> {
  const token = getToken();
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (res.status === 401) throw new ApiError('unauthenticated', 'UNAUTHENTICATED');
  if (res.status === 403) throw new ApiError('forbidden', 'FORBIDDEN');
  if (res.status === 404) throw new ApiError('not found', 'NOT_FOUND');
  if (!res.ok) throw new ApiError(`HTTP ${res.status}`, 'SERVER');
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
