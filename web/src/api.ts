import type { ErrorDetail, Problem } from './types.js';

/** An API error as the UI shows it: a sentence, and the fields it concerns. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: ErrorDetail[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** True when the server could not be reached at all. */
  get offline(): boolean {
    return this.status === 0;
  }

  /** The message for one field (JSON pointer), if the API named it. */
  forPath(path: string): string | undefined {
    return this.errors.find((e) => e.path === path)?.message;
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: () => void = () => {};

/** The CSRF token of the current session, sent on every state-changing request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the session has ended or expired, so the app can go back to sign-in. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Calls the API with the session cookie (and the CSRF token for changes); throws `ApiError`. */
export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  return send<T>(method, path, body === undefined ? undefined : JSON.stringify(body), 'application/json');
}

/**
 * Sends a file's bytes as the request body (an upload), with the file's own type; answers as `api`.
 *
 * @example
 *   await upload<EngagementFile>(`/engagements/${id}/files?name=Floor%202&tag=as_built`, file);
 */
export function upload<T>(path: string, file: Blob): Promise<T> {
  return send<T>('POST', path, file, file.type || 'application/octet-stream');
}

async function send<T>(method: Method, path: string, body: BodyInit | undefined, type: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = type;
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body } : {}),
    });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check your connection; nothing you typed is lost.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const problem = (json ?? {}) as Partial<Problem>;
    const error = new ApiError(
      res.status,
      problem.detail ?? problem.title ?? `The server answered ${res.status}.`,
      problem.errors ?? [],
      (json ?? {}) as Record<string, unknown>,
    );
    if (res.status === 401 && !path.startsWith('/session')) onUnauthenticated();
    throw error;
  }
  return json as T;
}

/** A plain-words message for any error thrown while talking to the API. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    const details = error.errors.filter((e) => e.path && e.path !== '/');
    return details.length
      ? `${error.message} ${details.map((e) => `${e.path.replace(/^\//, '')}: ${e.message}`).join('; ')}`
      : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sends a body that is not JSON (a CSV file) with the session cookie and CSRF token; answers the
 * JSON reply, or throws `ApiError` with every problem the server named.
 *
 * @example
 *   await apiSend('POST', `/engagements/${id}/inventory/import`, file, 'text/csv')
 */
export async function apiSend<T>(
  method: Method,
  path: string,
  body: Blob | string,
  contentType: string,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': contentType };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, credentials: 'same-origin', body });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check your connection; nothing was sent.');
  }
  const json = (await res.json().catch(() => null)) as Partial<Problem> | null;
  if (!res.ok) {
    if (res.status === 401) onUnauthenticated();
    throw new ApiError(
      res.status,
      json?.detail ?? json?.title ?? `The server answered ${res.status}.`,
      json?.errors ?? [],
      (json ?? {}) as Record<string, unknown>,
    );
  }
  return json as T;
}

/**
 * Sends a file (a CSV import) as `apiSend` does, telling `onProgress` how many of its bytes have
 * gone (XMLHttpRequest: fetch reports no upload progress); answers the JSON reply, or throws
 * `ApiError` with every problem the server named.
 *
 * @example
 *   await sendWithProgress('/accounts/import', file, 'text/csv', (sent, total) => setShare(sent / total))
 */
export function sendWithProgress<T>(
  path: string,
  body: Blob,
  contentType: string,
  onProgress: (sent: number, total: number) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', contentType);
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : body.size);
    xhr.onerror = () =>
      reject(new ApiError(0, 'The server cannot be reached. Check your connection; nothing was imported.'));
    xhr.onload = () => {
      let json: Partial<Problem> | null = null;
      try {
        json = xhr.responseText ? (JSON.parse(xhr.responseText) as Partial<Problem>) : null;
      } catch {
        json = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(json as T);
      if (xhr.status === 401) onUnauthenticated();
      reject(
        new ApiError(
          xhr.status,
          json?.detail ?? json?.title ?? `The server answered ${xhr.status}.`,
          json?.errors ?? [],
          (json ?? {}) as Record<string, unknown>,
        ),
      );
    };
    xhr.send(body);
  });
}
