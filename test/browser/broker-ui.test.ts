/**
 * The broker's web page in a real browser: `herald broker` as a process (embedded PGlite in a temp
 * dir), contracts from two consumers published and verified (one failing, one passing) through
 * Herald's broker client, then Debian's chromium, driven by playwright-core, clicks from the graph
 * to the pair, to a contract and to the failed verification. Screenshots go to artifacts/ui/.
 * Needs /usr/bin/chromium (HERALD_CHROMIUM overrides); scripts/ci.sh installs it. Without it this
 * test fails: it never passes without a browser.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { BrokerClient, fetchPactsForVerification, publishContracts, publishVerificationResult, readContractsToPublish } from '../../src/broker-client';
import { uiPact } from '../../src/contract-broker/__fixtures__/ui-pacts';

jest.setTimeout(240_000);

const ROOT = path.join(__dirname, '..', '..');
const CHROMIUM = process.env['HERALD_CHROMIUM'] ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'artifacts', 'ui');
const run = Math.random().toString(36).slice(2, 8);
const PROVIDER = `orders-${run}`;
const BILLING = `billing-${run}`;
const HOSTILE = `<img src=x onerror="document.body.dataset.xss='img'">-${run}`;
/** A payload that would run a script if the page did not escape it. */
const HOSTILE_NOTE = '</code></pre><script>document.body.dataset.xss="script"</script>';
/** What the hostile markup would have set, read in the page. */
const XSS_MARK = 'document.body.dataset.xss ?? null';

let broker: ChildProcess | undefined;
let context: BrowserContext | undefined;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'herald-ui-browser-'));

function startBroker(dataDir: string): Promise<string> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'herald.js'), 'broker', '--port', '0', '--data', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  broker = child;
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`herald broker printed no URL within 120 s: ${out}`)), 120_000);
    const read = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`herald broker exited with ${String(code)}: ${out}`));
    });
  });
}

async function screenshot(page: Page, name: string): Promise<void> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  process.stdout.write(`broker UI screenshot: ${file}\n`);
}

/** Publishes both consumers' contracts and a failing (billing) and a passing (hostile-named consumer) verification. */
async function seed(url: string): Promise<void> {
  const client = new BrokerClient({ url });
  for (const [consumer, topic] of [
    [BILLING, 'orders'],
    [HOSTILE, 'orders.audit'],
  ] as const) {
    const dir = path.join(scratch, 'pacts', String(topic));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'contract.json'), JSON.stringify(uiPact(consumer, PROVIDER, { topic, note: HOSTILE_NOTE })));
    await publishContracts(client, await readContractsToPublish([dir]), { consumerVersion: '1.0.0', branch: 'main' });
  }
  const pacts = await fetchPactsForVerification(client, { provider: PROVIDER, consumerVersionSelectors: [{ mainBranch: true }] });
  expect(pacts.map((p) => p.contract.consumer).sort()).toEqual([BILLING, HOSTILE].sort());
  for (const pact of pacts) {
    const passes = pact.contract.consumer !== BILLING;
    // Billing's order event fails; every other interaction (the price quote's request/reply too) passes.
    const testResults = [...pact.interactionIds].map(([interaction, interactionId]) =>
      passes || interaction.description !== 'an order.created event'
        ? { interactionId, success: true }
        : { interactionId, success: false, mismatches: [{ attribute: 'body', identifier: '$.total', description: 'Expected a decimal number (12.5) but got a string ("12.50")' }] },
    );
    await publishVerificationResult(client, pact, { success: passes, providerApplicationVersion: '2.0.0', providerVersionBranch: 'main', testResults });
  }
}

beforeAll(() => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Failed to start the browser test: no chromium at ${CHROMIUM}${process.env['CI'] === 'true' ? ' (CI=true: the browser tests must run)' : ''}. Install it (apt-get install -y chromium; scripts/ci.sh does) or point HERALD_CHROMIUM at a Chromium binary.`,
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await context?.close();
  if (broker !== undefined && broker.exitCode === null) {
    const child = broker;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  }
  rmSync(scratch, { recursive: true, force: true });
});

it('clicks from the integrations graph to a contract and to the failed verification', async () => {
  const url = await startBroker(path.join(scratch, 'data'));
  await seed(url);

  context = await chromium.launchPersistentContext(path.join(scratch, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const blocked: string[] = [];
  // Nothing outside the broker may be requested (no CDN, no fonts).
  await page.route('**/*', (route) => {
    if (route.request().url().startsWith(url)) return route.continue();
    blocked.push(route.request().url());
    return route.abort();
  });

  // The broker's root, opened as a browser does, is the web page.
  await page.goto(`${url}/`);
  expect(await page.locator('h1').textContent()).toBe('Integrations');
  const billingEdge = page.locator(`svg.graph g.edge[data-consumer="${BILLING}"]`);
  expect(await billingEdge.getAttribute('class')).toBe('edge fail');
  expect(await billingEdge.locator('text').allTextContents()).toEqual(['exchange pricing · quote.request', 'topic orders']);
  const hostileEdge = page.locator('svg.graph g.edge.ok');
  expect(await hostileEdge.getAttribute('data-consumer')).toBe(HOSTILE);
  expect(await page.locator('svg.graph g.node text').allTextContents()).toContain(PROVIDER);
  await screenshot(page, 'integrations');

  // Graph → the pair's matrix.
  await billingEdge.locator('text', { hasText: 'topic orders' }).click();
  await page.waitForURL(`**/ui/integrations/${BILLING}/${PROVIDER}`);
  expect(await page.locator('h1').textContent()).toBe(`${BILLING} → ${PROVIDER}`);
  const failedRow = page.locator('table.matrix tr.fail');
  expect(await failedRow.locator('td').allTextContents()).toEqual(expect.arrayContaining(['1.0.0', '2.0.0', '✘ failed']));
  await screenshot(page, 'integration');

  // Matrix → the contract.
  await failedRow.locator('a[href^="/ui/contracts/"]').click();
  await page.waitForURL('**/ui/contracts/**');
  const message = page.locator('section.interaction', { hasText: 'an order.created event' });
  expect(await message.locator('dl.grid').first().textContent()).toContain('topic orders');
  expect(await message.locator('pre.payload').textContent()).toContain('"orderId": "ord-1"');
  expect(await message.locator('dl.usage').textContent()).toMatch(/payload paths read\s*\$\.orderId\s*headers read\s*x-trace-id\s*key read\s*yes/);
  const reply = page.locator('section.interaction', { hasText: 'a price quote' });
  expect(await reply.locator('h4').allTextContents()).toEqual(expect.arrayContaining(['Request', 'Reply', 'Field usage']));
  await screenshot(page, 'contract');

  // Back to the matrix → the failed verification's mismatches.
  await page.goBack();
  await failedRow.locator('a', { hasText: 'mismatches' }).click();
  await page.waitForURL('**/ui/verifications/*');
  const failed = page.locator('section.result.fail');
  expect(await failed.locator('h3').textContent()).toContain('an order.created event');
  expect(await failed.locator('table.mismatches td').allTextContents()).toEqual(['body $.total', 'Expected a decimal number (12.5) but got a string ("12.50")']);
  expect(await page.locator('section.result.ok h3').allTextContents()).toEqual([expect.stringContaining('a price quote')]);
  await screenshot(page, 'verification');

  // The hostile consumer's pages render its name and payload as text.
  await page.goto(`${url}/ui/integrations/${encodeURIComponent(HOSTILE)}/${PROVIDER}`);
  expect(await page.locator('h1').textContent()).toBe(`${HOSTILE} → ${PROVIDER}`);
  expect(await page.evaluate(XSS_MARK)).toBeNull();
  await page.locator('table.matrix a[href^="/ui/contracts/"]').first().click();
  await page.waitForURL('**/ui/contracts/**');
  expect(await page.locator('pre.payload').first().textContent()).toContain(JSON.stringify(HOSTILE_NOTE));
  expect(await page.evaluate(XSS_MARK)).toBeNull();
  expect(await page.locator('img, script').count()).toBe(0);
  expect(dialogs).toEqual([]);
  expect(blocked).toEqual([]);
});
