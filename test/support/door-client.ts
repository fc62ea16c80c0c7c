import { DOOR_ID_HEADER, DOOR_SIGNATURE_HEADER, DOOR_TIMESTAMP_HEADER, signDoorRequest } from '../../src/access/door-protocol';

export interface RawDoorRequest {
  baseUrl: string;
  doorId: string;
  secret: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  timestamp: number;
  /** Overrides the computed signature (forgeries). */
  signature?: string;
}

/** A signed door request built by hand, to test what the server refuses. */
export async function doorRequest(request: RawDoorRequest): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const body = request.body ?? '';
  const response = await fetch(`${request.baseUrl}${request.path}`, {
    method: request.method,
    headers: {
      [DOOR_ID_HEADER]: request.doorId,
      [DOOR_TIMESTAMP_HEADER]: String(request.timestamp),
      [DOOR_SIGNATURE_HEADER]: request.signature ?? signDoorRequest(request.secret, request.timestamp, request.method, request.path, body),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body || undefined,
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed, text, headers: response.headers };
}
