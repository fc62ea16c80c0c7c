// Checks that each collective colour holds white text at WCAG AA (4.5:1).
import { readFileSync } from 'node:fs';
const src = readFileSync(new URL('../src/colors.ts', import.meta.url), 'utf8');
const colors = [...src.matchAll(/'(#[0-9a-f]{6})'/gi)].map((m) => m[1]);
const lum = (hex) => {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
};
let bad = 0;
for (const c of colors) {
  const ratio = (1.05) / (lum(c) + 0.05);
  const ok = ratio >= 4.5;
  if (!ok) bad++;
  console.log(`${c} ${ratio.toFixed(2)} ${ok ? 'ok' : 'TOO LOW'}`);
}
process.exit(bad ? 1 : 0);
