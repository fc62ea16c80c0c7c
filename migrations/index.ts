import { Foundation1764000000000 } from './1764000000000-foundation';
import { SpacesRulesBookings1764000000001 } from './1764000000001-spaces-rules-bookings';

/** In order; the app runs them at start, the tests into a template database. */
export const migrations = [Foundation1764000000000, SpacesRulesBookings1764000000001];
