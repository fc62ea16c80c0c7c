import type { Me } from '../types';
export function ProposalsPage(_: { me: Me }) { return <section class="page" />; }
