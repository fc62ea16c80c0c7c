import type { Me } from '../types';
export function StewardPage(_: { me: Me }) { return <section class="page" />; }
