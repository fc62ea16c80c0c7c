import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppError } from '../common/errors/app-error';
import { isUuid, uuidKey } from '../common/ids';
import { httpError } from '../common/errors/app-error.filter';
import { DoorAuthService } from './door-auth.service';
import { DoorDecisionQueue } from './door-decision.queue';
import { DecisionRequestBody, normalizeUid } from './door-protocol';

export const DECISIONS_PATH = '/access/v1/decisions';
/** A decision's body is {"badgeUid": "..."}: a few dozen bytes. */
const MAX_BODY_BYTES = 4096;

/**
 * POST /access/v1/decisions, served by node:http ahead of Express and Nest. It is the
 * busiest request of the house and someone is standing at the door waiting for it; the
 * framework's routing, pipes and filters cost more CPU than the decision itself. Same
 * protocol and same JSON errors as the other door endpoints (DoorApiController).
 */
@Injectable()
export class DoorDecisionEndpoint implements OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: DoorAuthService,
    private readonly queue: DoorDecisionQueue,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    // Express, and socket.io's engine wrapped around it: everything else goes to them unchanged.
    const others = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.method === 'POST' && (req.url === DECISIONS_PATH || req.url?.startsWith(`${DECISIONS_PATH}?`))) this.serve(req, res);
      else for (const listener of others) listener.call(server, req, res);
    });
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    // Refused as soon as it is known to be too large (declared or read so far), without
    // reading the rest: a door's request is a few dozen bytes.
    const tooLarge = () => {
      req.removeAllListeners('data');
      res.setHeader('connection', 'close');
      send(res, 400, { error: 'BAD_REQUEST', message: 'The body is too large.' });
      res.once('finish', () => req.socket.destroySoon());
    };
    if (Number(req.headers['content-length']) > MAX_BODY_BYTES) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return tooLarge();
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      const rawBody = Buffer.concat(chunks);
      let body: unknown;
      try {
        body = rawBody.length ? JSON.parse(rawBody.toString('utf8')) : undefined;
      } catch {
        return send(res, 400, { error: 'BAD_REQUEST', message: 'The body is not valid JSON.' });
      }
      this.decide(req, rawBody, body).then(
        (answer) => send(res, 200, answer),
        (error: unknown) => {
          const { status, body: errorBody } = httpError(error);
          send(res, status, errorBody);
        },
      );
    });
    req.on('error', () => res.destroy());
  }

  private async decide(req: IncomingMessage, rawBody: Buffer, body: unknown) {
    const { door, signature } = await this.auth.verify({ method: 'POST', pathWithQuery: req.url!, headers: req.headers, rawBody });
    const { badgeUid, eventId } = (body ?? {}) as { [K in keyof DecisionRequestBody]?: unknown };
    const uid = typeof badgeUid === 'string' ? normalizeUid(badgeUid.slice(0, 64)) : null;
    if (!uid || (eventId !== undefined && !isUuid(eventId))) {
      throw AppError.badInput('The body is {"badgeUid": "<4 to 32 hex characters>"}, with an optional "eventId": "<uuid>".');
    }
    return this.queue.decide({ door, uid, signature, eventId: eventId === undefined ? undefined : uuidKey(eventId) });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
