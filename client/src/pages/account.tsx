import type { Me } from '../types';
export function AccountPage(_: { me: Me }) { return <section class="page" />; }
