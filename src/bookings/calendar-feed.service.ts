import { Inject, Injectable } from '@nestjs/common';
import { Actor } from '../common/auth/actor';
import { Clock } from '../common/time/clock';
import { nameFor } from '../common/i18n/localized-names';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EventLogRepository } from '../audit/event-log.repository';
import { CollectivesRepository } from '../identity/collectives.repository';
import { MembershipsRepository } from '../identity/memberships.repository';
import { PersonsRepository } from '../identity/persons.repository';
import { newUrlToken, sha256 } from '../identity/secret-codes';
import { SpacesService } from '../spaces/spaces.service';
import { BookingEntity } from './booking.entity';
import { BookingsRepository } from './bookings.repository';

const PAST_DAYS = 30;

/**
 * Private iCalendar feeds for phone calendars, which cannot send headers: the long random
 * token in the URL is the credential, stored only as a hash and revocable.
 */
@Injectable()
export class CalendarFeedService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly persons: PersonsRepository,
    private readonly memberships: MembershipsRepository,
    private readonly collectives: CollectivesRepository,
    private readonly bookings: BookingsRepository,
    private readonly spaces: SpacesService,
    private readonly events: EventLogRepository,
    private readonly clock: Clock,
  ) {}

  async reset(actor: Actor, origin: string): Promise<string> {
    const token = newUrlToken();
    await this.persons.setCalendarTokenHash(actor.personId, sha256(token));
    this.events.append({ type: 'calendar_feed.reset', actorId: actor.personId, subjectType: 'person', subjectId: actor.personId, payload: {} });
    return `${this.config.publicUrl ?? origin}/calendar/${token}.ics`;
  }

  async revoke(actor: Actor): Promise<void> {
    await this.persons.setCalendarTokenHash(actor.personId, null);
  }

  /** The feed text, or null for an unknown or revoked token. */
  async render(token: string): Promise<string | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    const person = await this.persons.findByCalendarTokenHash(sha256(token));
    if (!person) return null;
    const now = this.clock.now();
    const collectiveIds = await this.memberships.activeCollectiveIds(person.id, now);
    const bookings = await this.bookings.forCollectives(collectiveIds, new Date(now.getTime() - PAST_DAYS * 86_400_000));
    const [resources, collectives] = await Promise.all([
      this.spaces.resourcesByIds([...new Set(bookings.map((b) => b.resourceId))]),
      this.collectives.findByIds(collectiveIds),
    ]);
    const resourceNames = new Map(resources.map((r) => [r.id, nameFor(r.name, r.names, person.locale)]));
    const collectiveNames = new Map(collectives.map((c) => [c.id, c.name]));
    return renderCalendar(bookings, resourceNames, collectiveNames, now);
  }
}

export function renderCalendar(bookings: BookingEntity[], resourceNames: Map<string, string>, collectiveNames: Map<string, string>, now: Date): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Tiers-Lieu Liege//Bookings//FR', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', 'X-WR-CALNAME:Tiers-Lieu', 'X-WR-TIMEZONE:Europe/Brussels'];
  for (const b of bookings) {
    const resource = resourceNames.get(b.resourceId) ?? '';
    const collective = collectiveNames.get(b.collectiveId) ?? '';
    lines.push(
      'BEGIN:VEVENT',
      `UID:${b.id}@tiers-lieu`,
      `DTSTAMP:${icalInstant(now)}`,
      `DTSTART:${icalInstant(b.startsAt)}`,
      `DTEND:${icalInstant(b.endsAt)}`,
      `SUMMARY:${escapeText(`${b.title} · ${resource}`)}`,
      `LOCATION:${escapeText(resource)}`,
      `DESCRIPTION:${escapeText(`${collective} — ${b.status}`)}`,
      `STATUS:${b.status === 'CANCELLED' ? 'CANCELLED' : b.status === 'PENDING' ? 'TENTATIVE' : 'CONFIRMED'}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

function icalInstant(instant: Date): string {
  return instant.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function escapeText(text: string): string {
  // RFC 5545 allows no control characters in TEXT: a bare CR could end the line (and the event) for some readers.
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r?\n/g, '\\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, ' ');
}

/** Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1), never inside a character. */
function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (octets + size > (parts.length ? 74 : 75)) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
