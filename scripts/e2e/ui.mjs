// The UI test: the installed .vsix in code-server, driven through chromium like a user would, with
// screenshots for the README (docs/screenshots/). Every wait is on something visible; a failing step
// saves a screenshot of the moment next to the run's logs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchChromium } from './browser.mjs';

/** What the fixtures hold (test/fixtures/e2e/), as a user would read it off the screen. */
const CHAT = {
  file: 'chat.jsonl',
  responses: 5,
  refusals: 2,
  labels: ['refusal', 'normal', 'normal', 'refusal', 'normal'],
  status: /Refusals 40\.0% \(2\/5\)/,
  firstSentence: { line: 1, column: 147, length: "I'm sorry, but I can't help with that.".length },
  secondRefusalLine: 4,
};
const XSS = { file: 'xss.jsonl', probes: ['<script>window.__xss = "script"</script>', '<img src=x onerror="window.__xss = \'img\'">', 'javascript:window.__xss'] };

export async function runUiTests({ url, folder, shotsDir, failShotsDir, log, timeoutMs }) {
  fs.mkdirSync(shotsDir, { recursive: true });
  const browser = await launchChromium();
  const dialogs = [];
  const deadline = Date.now() + timeoutMs;
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(60_000);
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  if (process.env.E2E_VERBOSE) page.on('console', (m) => log(`[browser ${m.type()}] ${m.text()}`));
  let n = 0;
  const step = async (name, fn) => {
    if (Date.now() > deadline) throw new Error(`UI test ran out of time (${timeoutMs / 1000} s) before "${name}"`);
    const start = Date.now();
    try {
      await fn();
      log(`ui ok   ${name} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
    } catch (e) {
      const shot = path.join(failShotsDir, `ui-failed-${String(++n).padStart(2, '0')}.png`);
      await page.screenshot({ path: shot }).catch(() => {});
      throw new Error(`UI step "${name}" failed: ${e.message.split('\n')[0]} (screenshot ${shot})`);
    }
  };
  const shoot = async (name, { keepHover = false } = {}) => {
    const file = path.join(shotsDir, name);
    if (!keepHover) await page.mouse.move(0, 0);
    await page.screenshot({ path: file });
    log(`ui shot ${path.relative(process.cwd(), file)}`);
  };

  try {
    await step('workbench loads with the workspace', async () => {
      await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
      await page.locator('.monaco-workbench').waitFor();
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'fixtures' }).first().waitFor();
    });

    await step(`open ${CHAT.file}`, () => openFile(page, CHAT.file));

    await step('status bar shows the refusal rate', async () => {
      await page.locator('.statusbar .statusbar-item', { hasText: CHAT.status }).first().waitFor();
    });

    await step('squiggles on the refused responses', async () => {
      await page.locator('.monaco-editor .squiggly-warning').first().waitFor();
    });

    await step('hover on a refused response shows label, score and detector', async () => {
      const squiggle = page.locator('.monaco-editor .squiggly-warning').first();
      const box = await squiggle.boundingBox();
      if (!box) throw new Error('the squiggle has no box');
      await page.mouse.move(box.x + Math.min(40, box.width / 2), box.y + box.height / 2);
      // Our hover (not the diagnostic's): label, score, detector, model.
      const hover = page.locator('.monaco-hover', { hasText: /Detector: lexical/ }).first();
      await hover.waitFor();
      const text = await hover.innerText();
      for (const part of [/Refusal/, /score 0\.\d+/, /Model: gpt-4o/]) if (!part.test(text)) throw new Error(`hover lacks ${part}: ${text}`);
    });
    await shoot('status-bar.png', { keepHover: true });

    await step('Problems panel lists the refusals', async () => {
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+Shift+M');
      const rows = page.locator('.markers-panel .monaco-list-row', { hasText: /Refusal \(/ });
      await rows.nth(CHAT.refusals - 1).waitFor();
      const count = await rows.count();
      if (count !== CHAT.refusals) throw new Error(`expected ${CHAT.refusals} refusal problems, saw ${count}`);
    });
    await shoot('diagnostics.png');

    await step('Classify Selection shows the verdict of the selected text', async () => {
      // Select the refusing sentence of line 1 (38 characters from column 147) with the keyboard:
      // Quick Open's ":line:column", then Shift+Right.
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(`:${CHAT.firstSentence.line}:${CHAT.firstSentence.column}`);
      await page.keyboard.press('Enter');
      await page.locator('.statusbar-item', { hasText: `Ln ${CHAT.firstSentence.line}, Col ${CHAT.firstSentence.column}` }).first().waitFor();
      for (let i = 0; i < CHAT.firstSentence.length; i++) await page.keyboard.press('Shift+ArrowRight');
      await page.locator('.statusbar-item', { hasText: `(${CHAT.firstSentence.length} selected)` }).first().waitFor();
      await runCommand(page, 'Refusal Lens: Classify Selection');
      const toast = page.locator('.notification-toast', { hasText: /Refusal Lens: Refusal \(0\.\d+, lexical\)/ }).first();
      await toast.waitFor();
      await toast.hover();
      await toast.locator('.codicon-notifications-clear').click();
      await toast.waitFor({ state: 'hidden' });
    });

    let panel;
    await step('results panel shows every response and the charts', async () => {
      await runCommand(page, 'Refusal Lens: Show Results Panel');
      panel = await webviewFrame(page, '[data-testid="results-table"]');
      await panel.locator(`[data-testid="row-count"][data-total="${CHAT.responses}"][data-shown="${CHAT.responses}"]`).waitFor();
      const labels = await rowLabels(panel);
      if (labels.join() !== CHAT.labels.join()) throw new Error(`row labels: ${labels.join(', ')}; expected ${CHAT.labels.join(', ')}`);
      await panel.locator('[data-testid="summary-models"] svg').first().waitFor();
      await panel.locator('[data-testid="score-histogram"]').first().waitFor();
      // Room for the picture: hide the side bar and the bottom panel.
      await page.keyboard.press('Control+B');
      await page.keyboard.press('Control+J');
      await page.locator('.markers-panel').waitFor({ state: 'hidden' });
    });
    await shoot('results-panel.png');

    await step('filter "Refusals only" leaves the refusals', async () => {
      await panel.locator('[data-testid="filter-refusals"]').check();
      await panel.locator(`[data-testid="row-count"][data-shown="${CHAT.refusals}"]`).waitFor();
      const labels = await rowLabels(panel);
      if (labels.length !== CHAT.refusals || labels.some((l) => l !== 'refusal')) throw new Error(`rows after filtering: ${labels.join(', ')}`);
    });

    await step('clicking a row reveals its response in the editor', async () => {
      await panel.locator('[data-testid="result-row"]').nth(1).click();
      await page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${CHAT.secondRefusalLine}, Col`) }).first().waitFor();
      await panel.locator('[data-testid="filter-refusals"]').uncheck();
      await panel.locator(`[data-testid="row-count"][data-shown="${CHAT.responses}"]`).waitFor();
    });

    await step('XSS probes in responses render as text', async () => {
      // Open it beside the panel, not over it: focus the first editor group first.
      await page.keyboard.press('Control+1');
      await openFile(page, XSS.file);
      const frame = await webviewFrame(page, '[data-testid="results-table"]');
      const cells = frame.locator('[data-testid="result-row"]');
      await cells.first().waitFor();
      await frame.locator('[data-testid="result-row"]', { hasText: '<img src=x onerror' }).first().waitFor();
      const text = await frame.locator('[data-testid="results-body"]').innerText();
      for (const probe of XSS.probes) if (!text.includes(probe.slice(0, 20))) throw new Error(`probe not shown as text: ${probe}`);
      const elements = await frame.locator('[data-testid="results-body"] img, [data-testid="results-body"] script, [data-testid="results-body"] a[href^="javascript:"]').count();
      if (elements) throw new Error(`${elements} element(s) made from response text`);
      const fired = await frame.evaluate(() => window.__xss);
      if (fired !== undefined) throw new Error(`a probe ran: window.__xss = ${fired}`);
      if (dialogs.length) throw new Error(`dialogs opened: ${dialogs.join(' | ')}`);
    });
  } finally {
    await browser.close();
  }
}

/** The labels of the rendered rows in display order (the table is virtualised: fine for a few rows). */
async function rowLabels(frame) {
  const rows = await frame.locator('[data-testid="result-row"]').evaluateAll((els) => els.map((e) => ({ pos: Number(e.getAttribute('data-pos')), label: e.getAttribute('data-label') })));
  return rows.sort((a, b) => a.pos - b.pos).map((r) => r.label);
}

async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** The webview's inner frame that holds `selector` (a webview is an iframe in an iframe). */
async function webviewFrame(page, selector) {
  const element = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame').locator(selector).first();
  await element.waitFor();
  const frame = await (await element.elementHandle()).ownerFrame();
  if (!frame) throw new Error(`the element ${selector} has no frame`);
  return frame;
}
