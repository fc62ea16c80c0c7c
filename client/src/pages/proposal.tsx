import type { Me } from '../types';
export function ProposalPage(_: { me: Me; id: string }) { return <section class="page" />; }
