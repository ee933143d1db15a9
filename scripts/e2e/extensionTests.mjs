// Runs the extension-host mocha suite (dist/test/suite.js) inside code-server: the page is opened with
// a `payload` naming extensionDevelopmentPath and extensionTestsPath, as VS Code's own browser
// integration tests do; the workbench reports through codeAutomationLog / codeAutomationExit.
import * as path from 'node:path';
import { format } from 'node:util';
import { launchChromium } from './browser.mjs';

// Workbench chatter that reaches the same log channel as the suite's output.
const NOISE = /Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions cache|\[Service Worker\]|ChatSessionStore|Creation of workbench contribution|open-vsx\.org|^\s+at .*\/static\/out\/vs\/|^\s*$/;

/** Resolves with the suite's exit code (0 = all passed); rejects on timeout or a page that never loads. */
export async function runExtensionTests({ url, extensionPath, testsPath, folder, timeoutMs, log }) {
  const host = new URL(url).host;
  const remote = (p) => `vscode-remote://${host}${path.resolve(p)}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(testsPath)],
    ['skipWelcome', 'true'],
  ]);
  const pageUrl = `${url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let resolveExit;
    const exited = new Promise((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      // The suite's console output (mocha's spec reporter: printf-style arguments), line by line.
      const text = Array.isArray(args) ? format(...args) : String(args);
      for (const line of text.split('\n')) if (process.env.E2E_VERBOSE || !NOISE.test(line)) log(`  ${line}`);
    });
    if (process.env.E2E_VERBOSE) page.on('console', (m) => log(`[browser ${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => log(`[page error] ${e.message}`));
    await page.goto(pageUrl);
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the extension-host suite did not finish within ${Math.round(timeoutMs / 1000)} s (no codeAutomationExit); see the code-server log and re-run with E2E_VERBOSE=1`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await browser.close();
  }
}
