import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { Actor } from '../common/auth/actor';
import { Clock } from '../common/time/clock';
import { SITE_ZONE } from '../common/time/site-time';
import { BookingsService } from '../bookings/bookings.service';
import { HouseRulesService } from '../governance/house-rules.service';
import { TariffTier } from '../identity/models/identity.enums';
import { ResourceInput } from '../spaces/dto/spaces.inputs';
import { ResourceKind } from '../spaces/models/spaces.models';
import { SpacesService } from '../spaces/spaces.service';
import { BadgesService } from '../access/badges.service';
import { DoorsService } from '../access/doors.service';

/** Badge uids of the demo people, to type into `npm run door`. */
export const DEMO_BADGES: Record<string, string> = {
  nadia: '04A0D1A0',
  amina: '04A1B2C3',
  fatou: '04F47011',
  yusuf: '04751F01',
  leila: '04AE11A0',
  olena: '040E1E4A',
  grace: '046CACE0',
  zainab: '042A1BA0',
};

/** The demo house's names in the interface's other languages and in Olena's (the house's are French). */
export const DEMO_NAMES: Record<string, { en: string; ar: string; uk: string }> = {
  'Entrée et coworking': { en: 'Entrance and coworking', ar: 'المدخل ومساحة العمل المشتركة', uk: 'Вхід і коворкінг' },
  Cuisine: { en: 'Kitchen', ar: 'المطبخ', uk: 'Кухня' },
  Ateliers: { en: 'Workshops', ar: 'الورش', uk: 'Майстерні' },
  'Salle de réunion et formation': { en: 'Meeting and training room', ar: 'قاعة الاجتماعات والتدريب', uk: 'Зала для зустрічей і навчання' },
  'Cuisine partagée': { en: 'Shared kitchen', ar: 'المطبخ المشترك', uk: 'Спільна кухня' },
  'Atelier couture (8 machines)': { en: 'Sewing workshop (8 machines)', ar: 'ورشة الخياطة (8 آلات)', uk: 'Швейна майстерня (8 машин)' },
  'Atelier numérique – découpeuse laser': { en: 'Digital workshop – laser cutter', ar: 'الورشة الرقمية – آلة القص بالليزر', uk: 'Цифрова майстерня – лазерний різак' },
  Coworking: { en: 'Coworking', ar: 'مساحة العمل المشتركة', uk: 'Коворкінг' },
  'Casiers de stockage': { en: 'Storage lockers', ar: 'خزائن التخزين', uk: 'Шафки для зберігання' },
  'Hygiène alimentaire (AFSCA)': { en: 'Food hygiene (AFSCA)', ar: 'النظافة الغذائية (AFSCA)', uk: 'Гігієна харчових продуктів (AFSCA)' },
  'Initiation découpeuse laser': { en: 'Laser cutter induction', ar: 'التدريب على آلة القص بالليزر', uk: 'Інструктаж з лазерного різака' },
};

export const translated = (names: Record<string, string> | undefined) => Object.entries(names ?? {}).map(([lang, text]) => ({ lang, text }));

export interface DemoIds {
  collectiveIds: Map<string, string>;
  qualificationIds: Map<string, string>;
  personIds: Map<string, string>;
}

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const hours = (days: number[], opens: string, closes: string) => days.map((weekday) => ({ weekday, opens, closes }));
const rates = (solidarity: number, reduced: number, standard: number) => [
  { tier: TariffTier.SOLIDARITY, centsPerHour: solidarity },
  { tier: TariffTier.REDUCED, centsPerHour: reduced },
  { tier: TariffTier.STANDARD, centsPerHour: standard },
];

/** Zones, spaces and a plausible month of bookings for the demo house. */
@Injectable()
export class DemoSpacesSeeder {
  constructor(
    private readonly spaces: SpacesService,
    private readonly rules: HouseRulesService,
    private readonly bookings: BookingsService,
    private readonly doors: DoorsService,
    private readonly badges: BadgesService,
    private readonly clock: Clock,
  ) {}

  async seed(ids: DemoIds): Promise<void> {
    const zone = (name: string, openToMembersAnytime: boolean) => this.spaces.createZone(null, name, openToMembersAnytime, translated(DEMO_NAMES[name]));
    const entrance = await zone('Entrée et coworking', true);
    const kitchenZone = await zone('Cuisine', false);
    const workshops = await zone('Ateliers', false);
    const hygiene = [...ids.qualificationIds.values()][0];
    const laser = [...ids.qualificationIds.values()][1];

    const resource = (input: Omit<ResourceInput, 'requiresApproval'> & { requiresApproval?: boolean }) =>
      this.spaces.createResource(null, { ...input, names: translated(DEMO_NAMES[input.name]) } as ResourceInput);
    const room = await resource({ name: 'Salle de réunion et formation', kind: ResourceKind.ROOM, capacity: 40, zoneId: entrance.id, slotMinutes: 30, minMinutes: 60, maxMinutes: 480, bufferMinutes: 0, openingHours: hours(EVERY_DAY, '08:00', '22:00'), rates: rates(0, 500, 1500) });
    const kitchen = await resource({ name: 'Cuisine partagée', kind: ResourceKind.KITCHEN, capacity: 6, zoneId: kitchenZone.id, slotMinutes: 30, minMinutes: 60, maxMinutes: 480, bufferMinutes: 30, requiredQualificationId: hygiene, openingHours: hours(EVERY_DAY, '07:00', '23:00'), rates: rates(0, 400, 1200) });
    const sewing = await resource({ name: 'Atelier couture (8 machines)', kind: ResourceKind.WORKSHOP, capacity: 8, zoneId: workshops.id, slotMinutes: 30, minMinutes: 60, maxMinutes: 360, bufferMinutes: 0, openingHours: hours([1, 2, 3, 4, 5, 6], '09:00', '21:00'), rates: rates(0, 300, 800) });
    await resource({ name: 'Atelier numérique – découpeuse laser', kind: ResourceKind.WORKSHOP, capacity: 6, zoneId: workshops.id, slotMinutes: 30, minMinutes: 30, maxMinutes: 240, bufferMinutes: 15, requiredQualificationId: laser, requiresApproval: true, openingHours: hours([1, 2, 3, 4, 5], '10:00', '20:00'), rates: rates(0, 500, 1500) });
    await resource({ name: 'Coworking', kind: ResourceKind.COWORKING, capacity: 12, zoneId: entrance.id, slotMinutes: 60, minMinutes: 60, maxMinutes: 720, bufferMinutes: 0, openingHours: hours(EVERY_DAY, '00:00', '24:00'), rates: rates(0, 0, 0) });
    await resource({ name: 'Casiers de stockage', kind: ResourceKind.STORAGE, capacity: 10, zoneId: entrance.id, slotMinutes: 1440, minMinutes: 1440, maxMinutes: 44640, bufferMinutes: 0, openingHours: hours(EVERY_DAY, '00:00', '24:00'), rates: rates(0, 100, 200) });

    // The kitchen is scarce: 12 hours a week per collective (about two cooking days).
    await this.rules.set('WEEKLY_QUOTA_MINUTES', kitchen.id, 720, { actorId: null, proposalId: null });

    const as = (handle: string) => new Actor(ids.personIds.get(handle)!, ['MEMBER']);
    const collective = (name: string) => ids.collectiveIds.get(name)!;
    const weekly = async (handle: string, collectiveName: string, resourceId: string, title: string, weekday: number, from: string, to: string, weeks = 4) => {
      const { startsAt, endsAt } = this.nextWeekday(weekday, from, to);
      await this.bookings.book(as(handle), { resourceId, collectiveId: collective(collectiveName), title, startsAt, endsAt, rrule: `FREQ=WEEKLY;COUNT=${weeks}` });
    };
    await weekly('amina', 'Migrations Libres', kitchen.id, 'Repas solidaires à emporter', 4, '13:00', '19:00');
    await weekly('grace', 'Quai des Enfants', kitchen.id, 'Service traiteur', 2, '08:00', '12:00');
    await weekly('fatou', 'Atemos', sewing.id, 'Atelier couture', 2, '18:00', '21:00');
    await weekly('fatou', 'Atemos', sewing.id, 'Couture du samedi', 6, '10:00', '13:00');
    await weekly('leila', 'Univerbal', room.id, 'Intervision des interprètes', 3, '18:30', '20:30');
    await weekly('hodan', 'Sirius Hub', room.id, 'Formation numérique gratuite', 5, '10:00', '13:00');
    const steward = new Actor(ids.personIds.get('nadia')!, ['STEWARD']);
    await this.doors.register(steward, "Porte d'entrée", entrance.id);
    await this.doors.register(steward, 'Porte de la cuisine', kitchenZone.id);
    await this.doors.register(steward, 'Porte des ateliers', workshops.id);
    for (const [handle, uid] of Object.entries(DEMO_BADGES)) {
      await this.badges.issue(steward, ids.personIds.get(handle)!, uid, `Badge ${handle}`);
    }

    const plenary = this.nextWeekday(1, '18:00', '21:00', true);
    await this.bookings.book(as('leila'), { resourceId: room.id, collectiveId: collective('Univerbal'), title: 'Plénière mensuelle', startsAt: plenary.startsAt, endsAt: plenary.endsAt, rrule: 'FREQ=MONTHLY;BYDAY=1MO;COUNT=2' });
  }

  /** The next given local weekday (after today), at the given local times. */
  private nextWeekday(weekday: number, from: string, to: string, firstOfMonth = false): { startsAt: Date; endsAt: Date } {
    let day = DateTime.fromJSDate(this.clock.now(), { zone: SITE_ZONE }).startOf('day').plus({ days: 1 });
    while (day.weekday !== weekday || (firstOfMonth && day.day > 7)) day = day.plus({ days: 1 });
    const at = (time: string) => day.set({ hour: Number(time.slice(0, 2)), minute: Number(time.slice(3)) }).toJSDate();
    return { startsAt: at(from), endsAt: at(to) };
  }
}
