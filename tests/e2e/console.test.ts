import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleDistDir } from '../../src/api/plugins/console.js';
import { bearer, PASSWORD, startTestHub, type TestHub } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.resolve('docs/screenshots');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`tests/e2e skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

type Item = { id: number; records: Array<{ masterId: string; draft: { lastName?: string } }> };

describe.skipIf(!hasChromium)('the data-steward console in a browser', () => {
  let t: TestHub;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const admin = async (url: string) => (await t.api.inject({ method: 'GET', url, headers: bearer(t.keys.admin) })).json();
  const pendingPair = async (lastName: string): Promise<Item | undefined> =>
    ((await admin('/api/review?limit=100')).items as Item[]).find((i) => i.records.some((r) => r.draft.lastName === lastName));
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });

  beforeAll(async () => {
    if (!consoleDistDir()) execFileSync('npm', ['run', 'build:console'], { stdio: 'ignore' });
    t = await startTestHub();
    base = await t.api.listen({ host: '127.0.0.1', port: 0 });
    profile = mkdtempSync(path.join(tmpdir(), 'crosswalk-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await context?.close();
    await t?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('signs a steward in and opens the review queue', async () => {
    await page.goto(base);
    await page.getByLabel('User name').fill('steward1');
    await page.getByLabel('Password').fill('wrong password!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong user name or password');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Review queue \(\d+ pending\)/ }).waitFor();
    expect(await page.getByText('steward1 (steward)').count()).toBe(1);
  });

  it('merges a duplicate with a chosen value, which the golden record and the audit log show', async () => {
    const item = (await pendingPair('Pennington'))!;
    await page.getByRole('link', { name: /Pennington|Penington/ }).first().click();
    await page.getByRole('heading', { name: `Pair ${item.id}: `, exact: false }).waitFor();
    await page.getByLabel(/Keep Last name from record 2/).check();
    await shot('review-queue');
    await page.keyboard.press('m');
    await expect.poll(() => page.locator('#toast').textContent()).toMatch(/Merged into hcp_/);
    const winner = ((await admin(`/api/review/${item.id}`)) as Item).records[0]!.masterId;
    const golden = await admin(`/api/masters/${winner}`);
    expect(golden.members).toHaveLength(2);
    expect(golden.attributes.find((a: { attribute: string }) => a.attribute === 'lastName')).toMatchObject({ value: 'Penington', rule: 'steward_pin', pinnedBy: 'steward1' });
    const audit = (await admin(`/api/audit?entityId=${winner}`)).entries.map((e: { action: string; actor: string }) => `${e.action} ${e.actor}`);
    expect(audit).toEqual(['master.pin steward1', 'master.merge steward1']);

    await page.goto(`${base}/#/masters/${winner}`);
    await page.getByRole('heading', { name: 'Values and where they came from' }).waitFor();
    await shot('golden-record');
    await page.getByRole('button', { name: 'Unmerge' }).click();
    await expect.poll(() => page.locator('#toast').textContent()).toMatch(/Unmerged hcp_/);
    const loser = item.records.map((r) => r.masterId).find((m) => m !== winner)!;
    expect(await admin(`/api/masters/${loser}`)).toMatchObject({ id: loser, status: 'active' });
    expect((await admin(`/api/audit?entityId=${winner}&action=master.unmerge`)).entries[0]).toMatchObject({ actor: 'steward1' });
  });

  it('marks a pair not a duplicate, and it does not come back when the master is resolved again', async () => {
    await page.goto(`${base}/#/review`);
    await page.getByRole('link', { name: /Harrington|Harington/ }).first().click();
    await page.getByRole('heading', { name: /^Pair \d+/ }).waitFor();
    await page.keyboard.press('n');
    await expect.poll(() => page.locator('#toast').textContent()).toBe('Marked not a duplicate');
    expect(await pendingPair('Harrington')).toBeUndefined();
    await t.resolve();
    expect(await pendingPair('Harrington')).toBeUndefined();
    expect(await pendingPair('Harington')).toBeUndefined();
  });

  it('searches the master and shows connectors with their runs', async () => {
    await page.goto(`${base}/#/search`);
    await page.getByLabel('Name, NPI, DEA, HIN or master id').fill('harrington');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('table', { name: 'Search results' }).getByRole('link').first().waitFor();
    await shot('search');
    await page.goto(`${base}/#/connectors`);
    await page.getByRole('table', { name: 'Recent runs' }).waitFor();
    expect(await page.getByRole('table', { name: 'Connectors' }).getByRole('row').count()).toBe(t.hub.workspace.connectors.length + 1);
    await shot('connectors-and-runs');
  });
});
