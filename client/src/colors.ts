// A stable colour per collective id. Every background carries white text at
// a contrast ratio of at least 4.5:1 (WCAG AA); checked by scripts/contrast-check.mjs.
export const PALETTE = [
  '#1d4f91', // blue
  '#8a3b12', // rust
  '#2f6b2f', // green
  '#6a2c8a', // purple
  '#9c1f4a', // raspberry
  '#0b6470', // teal
  '#5a4a00', // olive
  '#3d4a5c', // slate
  '#a1300f', // red-orange
  '#4b3a8f', // indigo
  '#00695c', // sea green
  '#7a3e65', // plum
];

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function collectiveColor(id: string): string {
  return PALETTE[hash(id) % PALETTE.length];
}
