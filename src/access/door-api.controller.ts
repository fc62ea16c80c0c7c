import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/app-error';
import { isUuid } from '../common/ids';
import { parseInstant } from '../common/time/date-time.scalar';
import { Db } from '../database/db';
import { AccessDecisionService } from './access-decision.service';
import { DoorAuthService } from './door-auth.service';
import { ALLOWLIST_SIGNATURE_HEADER, OfflineEvent, hmacHex, normalizeUid } from './door-protocol';

const MAX_OFFLINE_EVENTS = 1000;

type RawRequest = Request & { rawBody?: Buffer };

/**
 * The signed HTTP API of the door controllers (not GraphQL, so a microcontroller can speak it).
 * POST decisions is served by DoorDecisionEndpoint, ahead of the framework.
 */
@Controller('access/v1')
export class DoorApiController {
  constructor(
    private readonly auth: DoorAuthService,
    private readonly decisions: AccessDecisionService,
    private readonly db: Db,
  ) {}

  private signed(req: RawRequest) {
    return this.auth.verify({ method: req.method, pathWithQuery: req.originalUrl, headers: req.headers, rawBody: req.rawBody ?? '' });
  }

  @Get('allowlist')
  async allowlist(@Req() req: RawRequest, @Res() res: Response): Promise<void> {
    const { door, signature } = await this.signed(req);
    const list = await this.db.transaction(async () => {
      await this.auth.acceptOnce(door, signature);
      return this.decisions.allowlist(door);
    });
    const text = JSON.stringify(list);
    res.status(200).setHeader(ALLOWLIST_SIGNATURE_HEADER, hmacHex(door.secret, text)).type('application/json').send(text);
  }

  @Post('events')
  @HttpCode(200)
  async uploadOffline(@Req() req: RawRequest, @Body() body: unknown): Promise<{ accepted: number; duplicates: number }> {
    const { door, signature } = await this.signed(req);
    const events = parseOfflineEvents(body);
    return this.db.transaction(async () => {
      await this.auth.acceptOnce(door, signature);
      return this.decisions.ingestOffline(door, events);
    });
  }
}

function parseOfflineEvents(body: unknown): OfflineEvent[] {
  const events = (body as { events?: unknown })?.events;
  if (!Array.isArray(events) || events.length > MAX_OFFLINE_EVENTS) {
    throw AppError.badInput(`The body is {"events": [...]} with at most ${MAX_OFFLINE_EVENTS} events.`);
  }
  return events.map((event, index) => {
    const e = event as Record<string, unknown>;
    const uid = typeof e?.badgeUid === 'string' ? normalizeUid(e.badgeUid) : null;
    const valid =
      isUuid(e?.id) && uid !== null && (e.decision === 'ALLOW' || e.decision === 'DENY') && typeof e.reason === 'string' && e.reason.length >= 1 && e.reason.length <= 40 && typeof e.at === 'string';
    if (!valid) throw AppError.badInput(`Event ${index} needs id (uuid), badgeUid, at (ISO with offset), decision (ALLOW or DENY) and reason.`);
    const at = parseInstant(e.at);
    return { id: (e.id as string).toLowerCase(), badgeUid: uid, at: at.toISOString(), decision: e.decision as 'ALLOW' | 'DENY', reason: e.reason as string };
  });
}
