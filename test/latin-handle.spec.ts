import { latinize } from '../src/identity/latin-handle';

describe('Latin letters for login names', () => {
  it.each([
    ['Aïssatou Bâ', 'aissatou ba'],
    ['Şükrü Yıldız', 'sukru yildiz'],
    ['Zoë Ørsted', 'zoe orsted'],
    ['فاطمة', 'fatma'],
    ['أمينة', 'amina'],
    ['يوسف', 'yousf'],
    ['علي', 'ali'],
    // Short-vowel signs are dropped, not turned into separators.
    ['مُحَمَّد', 'mhmd'],
    ['زهرا رضایی', 'zhra rdaii'],
    ['Олександр Шевченко', 'oleksandr shevchenko'],
    ['ሙሉጌታ', 'mulugeta'],
    ['ሰላም ተስፋይ', 'selam tesfay'],
    ['Σωκράτης', 'sokratis'],
  ])('%s -> %s', (name, latin) => {
    expect(latinize(name)).toBe(latin);
  });

  it('leaves a script it cannot read as it is (the caller falls back to "member")', () => {
    expect(latinize('李明')).toBe('李明');
  });
});
