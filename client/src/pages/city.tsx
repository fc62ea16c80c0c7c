export function CityPage() { return <section class="page" />; }
