import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Db } from '../database/db';
import { CollectivesService } from '../identity/collectives.service';
import { MembershipsService } from '../identity/memberships.service';
import { PersonsRepository } from '../identity/persons.repository';
import { PersonsService } from '../identity/persons.service';
import { QualificationsService } from '../identity/qualifications.service';
import { CollectiveForm, MembershipRole, Role, TariffTier } from '../identity/models/identity.enums';
import { DEMO_BADGES, DEMO_NAMES, DemoSpacesSeeder, translated } from './demo-spaces.seeder';

export const DEMO_PASSWORD = 'tierslieu';

export interface DemoLogin {
  handle: string;
  password: string;
  description: string;
  badgeUid?: string;
}

export interface DemoDoor {
  id: string;
  name: string;
  secret: string;
}

interface DemoPerson {
  handle: string;
  displayName: string;
  locale: string;
  roles?: Role[];
  description: string;
  memberOf: Array<[collective: string, role?: MembershipRole]>;
  qualifications?: string[];
}

export const DEMO_COLLECTIVES: Array<{ name: string; form: CollectiveForm; tariffTier: TariffTier; publicListing: boolean; description: string }> = [
  { name: 'Univerbal', form: CollectiveForm.ASBL, tariffTier: TariffTier.REDUCED, publicListing: true, description: 'Interprétariat social : 45 interprètes, plénière mensuelle et intervision hebdomadaire.' },
  { name: 'Atemos', form: CollectiveForm.ASBL, tariffTier: TariffTier.REDUCED, publicListing: true, description: 'Ateliers de couture et de cuisine pour 20 à 30 femmes, une à deux séances par semaine.' },
  { name: 'Migrations Libres', form: CollectiveForm.INFORMAL, tariffTier: TariffTier.SOLIDARITY, publicListing: true, description: 'Repas solidaires à emporter chaque semaine : 2-3 cuisinier·es, 70 à 100 plats.' },
  { name: '100PAP', form: CollectiveForm.INFORMAL, tariffTier: TariffTier.SOLIDARITY, publicListing: false, description: 'Bière solidaire : stockage et événements.' },
  { name: 'Parallax', form: CollectiveForm.ASBL, tariffTier: TariffTier.STANDARD, publicListing: true, description: "Prix et festival d'arts numériques." },
  { name: 'Sirius Hub', form: CollectiveForm.ASBL, tariffTier: TariffTier.REDUCED, publicListing: true, description: 'Formations numériques gratuites.' },
  { name: 'Voix des Sans-Papiers', form: CollectiveForm.INFORMAL, tariffTier: TariffTier.SOLIDARITY, publicListing: false, description: 'Activités artistiques.' },
  { name: 'Quai des Enfants', form: CollectiveForm.COOPERATIVE, tariffTier: TariffTier.STANDARD, publicListing: true, description: 'Services culinaires.' },
];

export const HYGIENE = 'Hygiène alimentaire (AFSCA)';
export const LASER_INDUCTION = 'Initiation découpeuse laser';

const DEMO_PEOPLE: DemoPerson[] = [
  { handle: 'admin', displayName: 'Admin Tiers-Lieu', locale: 'fr', roles: [Role.ADMIN], description: 'admin', memberOf: [] },
  { handle: 'nadia', displayName: 'Nadia Benali', locale: 'fr', roles: [Role.STEWARD], description: 'steward (house team)', memberOf: [], qualifications: [HYGIENE, LASER_INDUCTION] },
  { handle: 'ville', displayName: 'Ville de Liège (audit)', locale: 'fr', roles: [Role.AUDITOR], description: 'City auditor', memberOf: [] },
  { handle: 'amina', displayName: 'Amina Diallo', locale: 'fr', description: 'coordinator of Migrations Libres, kitchen hygiene', memberOf: [['Migrations Libres', MembershipRole.COORDINATOR]], qualifications: [HYGIENE] },
  { handle: 'fatou', displayName: 'Fatou Sow', locale: 'fr', description: 'coordinator of Atemos', memberOf: [['Atemos', MembershipRole.COORDINATOR]], qualifications: [HYGIENE] },
  { handle: 'yusuf', displayName: 'Yusuf Haidari', locale: 'ps', description: 'member of Univerbal, Sirius Hub and Migrations Libres', memberOf: [['Univerbal'], ['Sirius Hub'], ['Migrations Libres']], qualifications: [HYGIENE] },
  { handle: 'leila', displayName: 'Leïla Haddad', locale: 'ar', description: 'coordinator of Univerbal (Arabic interface)', memberOf: [['Univerbal', MembershipRole.COORDINATOR]] },
  { handle: 'olena', displayName: 'Olena Kovalenko', locale: 'uk', description: 'Parallax, laser cutter induction', memberOf: [['Parallax', MembershipRole.COORDINATOR]], qualifications: [LASER_INDUCTION] },
  { handle: 'samir', displayName: 'Samir El Amrani', locale: 'fr', description: '100PAP', memberOf: [['100PAP', MembershipRole.COORDINATOR]] },
  { handle: 'hodan', displayName: 'Hodan Warsame', locale: 'so', description: 'Sirius Hub', memberOf: [['Sirius Hub', MembershipRole.COORDINATOR]] },
  { handle: 'mamadou', displayName: 'Mamadou Bah', locale: 'fr', description: 'Voix des Sans-Papiers', memberOf: [['Voix des Sans-Papiers', MembershipRole.COORDINATOR]] },
  { handle: 'grace', displayName: 'Grace Mbeki', locale: 'en', description: 'Quai des Enfants, kitchen hygiene', memberOf: [['Quai des Enfants', MembershipRole.COORDINATOR]], qualifications: [HYGIENE] },
  { handle: 'zainab', displayName: 'Zainab Karimi', locale: 'fr', description: 'Atemos', memberOf: [['Atemos']] },
];

/** First start on an empty database: the first admin from the environment, then the demo house. */
@Injectable()
export class DemoHouseService {
  private readonly logger = new Logger('DemoHouse');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Db,
    private readonly persons: PersonsService,
    private readonly personsRepository: PersonsRepository,
    private readonly collectives: CollectivesService,
    private readonly memberships: MembershipsService,
    private readonly qualifications: QualificationsService,
    private readonly spaces: DemoSpacesSeeder,
  ) {}

  async seedOnFirstStart(): Promise<{ demoLogins: DemoLogin[]; demoDoors: DemoDoor[] }> {
    return this.db.transaction(async () => {
      // Two instances starting together on a new database seed it once.
      await this.db.query('SELECT pg_advisory_xact_lock(7310002)');
      const empty = (await this.personsRepository.countAll()) === 0;
      if (empty && this.config.adminEmail && this.config.adminPassword) {
        await this.persons.create(null, { displayName: 'Admin', email: this.config.adminEmail, roles: [Role.ADMIN], handle: 'admin' }, { password: this.config.adminPassword });
        this.logger.log(`created the first admin (${this.config.adminEmail})`);
      }
      const demoLoaded = (await this.db.one(`SELECT 1 FROM app_secret WHERE name = 'demo-house'`)) !== undefined;
      if (empty && this.config.loadDemo) {
        await this.loadDemoHouse();
        await this.db.query(`INSERT INTO app_secret (name, value) VALUES ('demo-house', 'loaded')`);
        return { demoLogins: demoLogins(), demoDoors: await this.demoDoors() };
      }
      if (!demoLoaded) return { demoLogins: [], demoDoors: [] };
      return { demoLogins: demoLogins(), demoDoors: await this.demoDoors() };
    });
  }

  /** Demo only: the doors' secrets, so that `npm run door` can be tried at once. */
  private demoDoors(): Promise<DemoDoor[]> {
    return this.db.query(`SELECT id, name, secret FROM door ORDER BY created_at LIMIT 3`);
  }

  private async loadDemoHouse(): Promise<void> {
    const collectiveIds = new Map<string, string>();
    for (const input of DEMO_COLLECTIVES) collectiveIds.set(input.name, (await this.collectives.create(null, input)).id);
    const qualificationIds = new Map<string, string>();
    for (const name of [HYGIENE, LASER_INDUCTION]) qualificationIds.set(name, (await this.qualifications.create(null, name, translated(DEMO_NAMES[name]))).id);
    const personIds = new Map<string, string>();
    const since = new Date(Date.now() - 180 * 86_400_000);
    for (const demo of DEMO_PEOPLE) {
      const hasAdmin = demo.handle === 'admin' && (await this.personsRepository.handleTaken('admin'));
      if (hasAdmin) continue;
      const { person } = await this.persons.create(null, { displayName: demo.displayName, handle: demo.handle, locale: demo.locale, roles: demo.roles ?? [Role.MEMBER] }, { password: DEMO_PASSWORD });
      personIds.set(demo.handle, person.id);
      for (const [collective, role] of demo.memberOf) {
        await this.memberships.add(null, { personId: person.id, collectiveId: collectiveIds.get(collective)!, role: role ?? MembershipRole.MEMBER, startsAt: since });
      }
      for (const qualification of demo.qualifications ?? []) {
        await this.qualifications.grant(null, person.id, qualificationIds.get(qualification)!, null);
      }
    }
    await this.spaces.seed({ collectiveIds, qualificationIds, personIds });
    this.logger.log(`demo house loaded: ${DEMO_COLLECTIVES.length} collectives, ${personIds.size} people`);
  }
}

function demoLogins(): DemoLogin[] {
  return DEMO_PEOPLE.map((p) => ({ handle: p.handle, password: DEMO_PASSWORD, description: p.description, badgeUid: DEMO_BADGES[p.handle] }));
}
