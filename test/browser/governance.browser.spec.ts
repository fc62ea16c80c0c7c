/**
 * Proposals and votes in a real browser against the real app: a proposal made through the form;
 * a member votes with the three-button ballot and sees their choice and their receipt; another
 * member's page shows the turnout change live, without reload; after the close (the scheduler's
 * job run by hand) the results chart shows and the saved receipt verifies.
 *
 * The browser has only the real clock, the server a manual one: the proposal is made 80 hours
 * before the real "now" (so that its 72-hour discussion is over), the server's clock is then set
 * to the real now to open the vote, and to the close (10 minutes later) to count it.
 * The client must be built first (see browser-support.ts). Screenshots go to test/artifacts/.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Locator, Page } from 'playwright-core';
import { Scheduler } from '../../src/database/scheduler';
import { PROPOSAL_TRANSITIONS_JOB } from '../../src/governance/governance.jobs';
import { HouseBuilder, TestPerson } from '../support/house';
import { ManualClock, TestApp, startTestApp } from '../support/test-app';
import { ARTIFACTS, DESKTOP, PHONE, launchChromium, loginPage, markWhenShown, requireBuiltClient, shownAt, translations, waitLive } from './browser-support';

declare const localStorage: { getItem(key: string): string | null };
declare const window: { scrollTo(x: number, y: number): void };
declare const document: { documentElement: { dir: string; lang: string } };

const PASSWORD = 'une-voix-par-personne';
const HOUR = 3_600_000;
const LIVE_DEADLINE_MS = 2000;

const fr = translations('fr');
const hoursFr = (n: number) => new Intl.NumberFormat('fr', { style: 'unit', unit: 'hour', unitDisplay: 'long' }).format(n);
const daysFr = (n: number) => new Intl.NumberFormat('fr', { style: 'unit', unit: 'day', unitDisplay: 'long' }).format(n);

describe('proposals and votes in a browser', () => {
  let t: TestApp;
  let clock: ManualClock;
  let browser: Browser;
  const pageErrors: string[] = [];

  let author: TestPerson;
  let voter: TestPerson;
  let watcher: TestPerson;
  const others: TestPerson[] = [];
  let proposal: { id: string; votingEndsAt: Date };

  let voterPage: Page; // desktop
  let watcherPage: Page; // phone
  const receipts: string[] = [];

  const transitions = () => t.app.get(Scheduler).runNow(PROPOSAL_TRANSITIONS_JOB);
  const vote = (person: TestPerson, choice: string) =>
    t.gqlOk(`mutation($id: ID!, $c: VoteChoice!) { castVote(proposalId: $id, choice: $c) { receipt } }`, { id: proposal.id, c: choice }, person.token);

  beforeAll(async () => {
    requireBuiltClient();
    const realNow = Date.now();
    clock = new ManualClock(new Date(realNow - 80 * HOUR));
    t = await startTestApp({ clock, serveClient: true });
    const house = new HouseBuilder(t);
    const collective = await house.collective({ name: 'Migrations Libres' });
    const member = async (name: string) => {
      const person = await house.person({ password: PASSWORD });
      await t.sql(`UPDATE person SET display_name = $1 WHERE id = $2`, [name, person.id]);
      await house.membership(person.id, collective.id);
      return person;
    };
    author = await member('Fatou Ndiaye');
    voter = await member('Amina Diallo');
    watcher = await member('Yusuf Karimi');
    others.push(await member('Leila Haddad'), await member('Grace Mbala'));

    // Made 80 hours ago: the discussion ended 8 hours ago; the vote closes in 10 minutes.
    const discussionEndsAt = new Date(clock.now().getTime() + 72 * HOUR);
    const votingEndsAt = new Date(realNow + 10 * 60_000);
    const created = await t.gqlOk(
      `mutation($input: ProposalInput!) { createProposal(input: $input) { id } }`,
      {
        input: {
          title: 'Annuler jusqu’à deux heures avant',
          body: 'Les cuisinières des repas solidaires savent souvent tard si les produits arrivent.\nDeux heures de préavis suffisent pour libérer la cuisine.',
          discussionEndsAt: discussionEndsAt.toISOString(),
          votingEndsAt: votingEndsAt.toISOString(),
          ruleChanges: [{ key: 'CANCELLATION_NOTICE_MINUTES', value: 120 }],
        },
      },
      author.token,
    );
    proposal = { id: created.createProposal.id, votingEndsAt };
    await t.gqlOk(`mutation($p: ID!) { addComment(proposalId: $p, body: "Oui, et on garde une heure pour la salle de réunion ?") { id } }`, { p: proposal.id }, others[0].token);

    // Back to the real now: the vote opens (electorate frozen at the end of the discussion).
    clock.set(new Date());
    await transitions();
    const opened = await t.gqlOk(`query($id: ID!) { proposal(id: $id) { status electorateSize } }`, { id: proposal.id }, voter.token);
    expect(opened.proposal).toEqual({ status: 'VOTING', electorateSize: 5 });

    browser = await launchChromium();
    [voterPage, watcherPage] = await Promise.all([
      loginPage(await browser.newContext(DESKTOP), t.baseUrl, voter.handle, PASSWORD, { pageErrors }),
      loginPage(await browser.newContext(PHONE), t.baseUrl, watcher.handle, PASSWORD, { pageErrors }),
    ]);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const pageOf = (page: Page, status?: string): Locator =>
    page.locator(`[data-testid="proposal-page"][data-proposal-id="${proposal.id}"]${status ? `[data-status="${status}"]` : ''}`);
  const pressed = async (page: Page) => {
    const out: Record<string, string | null> = {};
    for (const c of ['yes', 'no', 'abstain']) out[c] = await page.getByTestId(`vote-${c}`).getAttribute('aria-pressed');
    return out;
  };

  it('makes a proposal through the form: title, text, a rule change with its current value, at least 72 hours of discussion', async () => {
    const page = await loginPage(await browser.newContext(DESKTOP), t.baseUrl, author.handle, PASSWORD, { pageErrors });
    await page.goto(`${t.baseUrl}/proposals`);
    await page.getByTestId('new-proposal').click();
    const dialog = page.getByTestId('proposal-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('proposal-title').fill('Réserver jusqu’à quatre mois à l’avance');
    await dialog.getByTestId('proposal-body').fill('Le festival Parallax se prépare longtemps : il faut pouvoir réserver la salle plus tôt.');
    await dialog.getByTestId('proposal-change-rule').check();
    await dialog.getByTestId('proposal-rule-key').selectOption('MAX_ADVANCE_DAYS');
    // The discussion cannot be shorter than DISCUSSION_MIN_HOURS (72 h = 3 days).
    expect(await dialog.getByTestId('proposal-discussion-days').getAttribute('min')).toBe('3');
    await dialog.getByTestId('proposal-rule-value').fill('120');
    const preview = await dialog.getByTestId('proposal-rule-preview').innerText();
    expect(preview).toContain(daysFr(90));
    expect(preview).toContain(daysFr(120));
    await page.screenshot({ path: join(ARTIFACTS, 'proposal-form-desktop.png') });

    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('mutation CreateProposal')),
      dialog.getByTestId('proposal-submit').click(),
    ]);
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    const id = body.data.createProposal.id as string;

    const created = page.locator(`[data-testid="proposal-page"][data-proposal-id="${id}"][data-status="DISCUSSION"]`);
    await created.waitFor();
    expect(await created.getByTestId('current-value').innerText()).toBe(daysFr(90));
    expect(await created.getByTestId('proposed-value').innerText()).toBe(daysFr(120));
    expect(await created.getByTestId('time-left').innerText()).toContain(fr['proposal.voteOpensIn'].replace('{left}', ''));
    for (const c of ['yes', 'no', 'abstain']) expect(await created.getByTestId(`vote-${c}`).isDisabled()).toBe(true);

    await created.getByTestId('comment-body').fill('Quatre mois, c’est aussi utile pour les formations de Sirius Hub.');
    await created.getByTestId('comment-submit').click();
    await created.getByTestId('comment').first().waitFor();
    expect(await created.getByTestId('comment').first().innerText()).toContain('Sirius Hub');

    const listed = await t.gqlOk(`query { proposals(status: DISCUSSION) { id discussionEndsAt createdAt } }`, {}, author.token);
    const mine = listed.proposals.find((p: { id: string }) => p.id === id);
    expect(Date.parse(mine.discussionEndsAt) - Date.parse(mine.createdAt)).toBeGreaterThanOrEqual(72 * HOUR);
    await page.context().close();
  });

  it('lets a member vote with the three-button ballot, shows the choice and the receipt, and the turnout live on another member’s phone', async () => {
    // The watcher finds the open vote in the list, marked as waiting for their vote.
    await watcherPage.goto(`${t.baseUrl}/proposals`);
    const card = watcherPage.locator(`[data-testid="proposal-card"][data-proposal-id="${proposal.id}"]`);
    await card.waitFor();
    expect(await card.getByTestId('your-turn').isVisible()).toBe(true);
    await card.getByRole('link').click();
    await pageOf(watcherPage, 'VOTING').waitFor();
    await waitLive(watcherPage);
    expect(await watcherPage.getByTestId('turnout').getAttribute('data-turnout')).toBe('0');

    await voterPage.goto(`${t.baseUrl}/proposals/${proposal.id}`);
    const page = pageOf(voterPage, 'VOTING');
    await page.waitFor();
    await waitLive(voterPage);
    expect(await page.getByTestId('current-value').innerText()).toBe(hoursFr(1));
    expect(await page.getByTestId('proposed-value').innerText()).toBe(hoursFr(2));
    expect(await page.getByTestId('time-left').innerText()).toContain(fr['proposal.voteClosesIn'].replace('{left}', ''));
    expect(await page.getByTestId('comment').count()).toBe(1);
    expect(await pressed(voterPage)).toEqual({ yes: 'false', no: 'false', abstain: 'false' });
    expect(await page.getByTestId('receipt-box').count()).toBe(0);

    // The watcher's page notes when the turnout reaches 1.
    await markWhenShown(watcherPage, '[data-testid="turnout"][data-turnout="1"]');

    const cast = async (choice: 'yes' | 'no') => {
      const [response] = await Promise.all([
        voterPage.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('mutation Vote')),
        page.getByTestId(`vote-${choice}`).click(),
      ]);
      const answeredAt = Date.now();
      const result = await response.json();
      expect(result.errors).toBeUndefined();
      const receipt = result.data.castVote.receipt as string;
      await voterPage.locator(`[data-testid="vote-${choice}"][aria-pressed="true"]`).waitFor();
      await voterPage.locator('[data-testid="receipt"]', { hasText: receipt }).waitFor();
      return { receipt, answeredAt };
    };

    const first = await cast('yes');
    receipts.push(first.receipt);
    expect(await pressed(voterPage)).toEqual({ yes: 'true', no: 'false', abstain: 'false' });
    expect(first.receipt.length).toBeGreaterThanOrEqual(22); // at least 128 random bits
    expect(await voterPage.evaluate((key) => localStorage.getItem(key), `tl.receipt.${voter.id}.${proposal.id}`)).toContain(first.receipt);

    // The other member's phone shows the new turnout without reload.
    const seen = await shownAt(watcherPage, LIVE_DEADLINE_MS + 1000);
    writeFileSync(join(ARTIFACTS, 'vote-live-latency.json'), JSON.stringify({ at: new Date().toISOString(), votedToSeenMs: seen.at - first.answeredAt }) + '\n');
    expect(seen.sameDocument).toBe(true);
    expect(seen.at - first.answeredAt).toBeLessThan(LIVE_DEADLINE_MS);
    expect(await watcherPage.getByTestId('turnout').innerText()).toContain(fr['proposal.turnoutOf'].replace('{n}', '1').replace('{m}', '5'));

    // A change of mind: the new choice and a new receipt; the turnout stays 1.
    const second = await cast('no');
    receipts.push(second.receipt);
    expect(second.receipt).not.toBe(first.receipt);
    expect(await pressed(voterPage)).toEqual({ yes: 'false', no: 'true', abstain: 'false' });
    expect(await page.getByTestId('turnout').getAttribute('data-turnout')).toBe('1');

    // After a reload the server says NO is my choice, and the receipt is still on this device.
    await voterPage.reload();
    await pageOf(voterPage, 'VOTING').waitFor();
    await voterPage.locator('[data-testid="vote-no"][aria-pressed="true"]').waitFor();
    expect(await voterPage.getByTestId('receipt').innerText()).toBe(second.receipt);
    await voterPage.screenshot({ path: join(ARTIFACTS, 'proposal-vote-desktop.png'), fullPage: true });
    await watcherPage.evaluate(() => window.scrollTo(0, 0));
    await watcherPage.screenshot({ path: join(ARTIFACTS, 'proposal-vote-phone.png'), fullPage: true });
  });

  it('shows the results chart after the close, live, and verifies the saved receipt (only the last ballot counts)', async () => {
    await markWhenShown(watcherPage, '[data-testid="turnout"][data-turnout="3"]');
    await vote(others[0], 'YES');
    await vote(others[1], 'YES');
    expect((await shownAt(watcherPage, LIVE_DEADLINE_MS + 1000)).sameDocument).toBe(true);

    // A comment from the phone reaches the desktop page live.
    await watcherPage.getByTestId('comment-body').fill('Je vote après la réunion de ce soir.');
    await watcherPage.getByTestId('comment-submit').click();
    await voterPage.getByTestId('comment').nth(1).waitFor({ timeout: LIVE_DEADLINE_MS + 1000 });

    // The close: the server's clock reaches votingEndsAt and the scheduler's job counts.
    await markWhenShown(voterPage, `[data-testid="proposal-page"][data-status="ADOPTED"] [data-testid="tally"]`);
    clock.set(proposal.votingEndsAt);
    await transitions();
    expect((await shownAt(voterPage, LIVE_DEADLINE_MS + 1000)).sameDocument).toBe(true);

    const page = pageOf(voterPage, 'ADOPTED');
    const tally = page.getByTestId('tally');
    expect(await tally.getAttribute('data-outcome')).toBe('ADOPTED');
    const bars = tally.locator('.barchart li');
    expect(await bars.count()).toBe(3);
    const values = await tally.locator('.bar-value').allInnerTexts();
    expect(values.map((v) => v.trim().split(/\s/)[0])).toEqual(['2', '1', '0']);
    expect(await page.getByTestId('ballot').count()).toBe(0);

    // The saved receipt (the last ballot, NO) is checked at once and counted.
    await page.locator('[data-testid="verify-result"][data-counted="true"]').waitFor();
    expect(await page.getByTestId('verify-result').innerText()).toContain(fr['proposal.verifyOk']);
    expect(await page.getByTestId('verify-code').inputValue()).toBe(receipts[1]);
    // The first receipt, replaced by the change of mind, is not in the count.
    await page.getByTestId('verify-code').fill(receipts[0]);
    await page.getByTestId('verify-submit').click();
    await page.locator('[data-testid="verify-result"][data-counted="false"]').waitFor();
    await page.getByTestId('verify-code').fill(receipts[1]);
    await page.getByTestId('verify-submit').click();
    await page.locator('[data-testid="verify-result"][data-counted="true"]').waitFor();
    await voterPage.evaluate(() => window.scrollTo(0, 0));
    await voterPage.screenshot({ path: join(ARTIFACTS, 'proposal-result-desktop.png'), fullPage: true });

    // The phone that never voted got the result live too, and the rule it changed is in force.
    await pageOf(watcherPage, 'ADOPTED').getByTestId('tally').waitFor();
    expect(await watcherPage.getByTestId('receipt-box').count()).toBe(0);
    await watcherPage.evaluate(() => window.scrollTo(0, 0));
    await watcherPage.screenshot({ path: join(ARTIFACTS, 'proposal-result-phone.png'), fullPage: true });
    const rules = await t.gqlOk(`query { houseRules { key value resource { id } setBy { id } } }`, {}, voter.token);
    expect(rules.houseRules.find((r: { key: string; resource: unknown }) => r.key === 'CANCELLATION_NOTICE_MINUTES' && !r.resource)).toMatchObject({ value: 120, setBy: { id: proposal.id } });
  });

  it('shows the result in Arabic, right to left', async () => {
    const page = await loginPage(await browser.newContext(DESKTOP), t.baseUrl, others[0].handle, PASSWORD, { lang: 'ar', pageErrors });
    await page.goto(`${t.baseUrl}/proposals/${proposal.id}`);
    await pageOf(page, 'ADOPTED').getByTestId('tally').waitFor();
    expect(await page.evaluate(() => ({ dir: document.documentElement.dir, lang: document.documentElement.lang }))).toEqual({ dir: 'rtl', lang: 'ar' });
    await page.screenshot({ path: join(ARTIFACTS, 'proposal-result-ar.png'), fullPage: true });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.screenshot({ path: join(ARTIFACTS, 'proposal-result-phone-ar.png'), fullPage: true });
    await page.context().close();
  });

  it('had no uncaught error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
