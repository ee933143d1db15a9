// The extension-host suite: ordinary mocha against the `vscode` API. code-server runs it through
// `npm run test:e2e` (extensionTestsPath), desktop VS Code through `npm run test:desktop`.
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  // mocha 12 is ESM only: import it (the bundle keeps `mocha` external).
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec', grep: process.env.E2E_GREP || undefined });
  // Define describe/it before the test modules run: esbuild evaluates a require()d module lazily.
  mocha.suite.emit('pre-require', globalThis, 'refusal-lens-e2e', mocha);
  // The harness picks what runs by how it opens VS Code: an untrusted folder (restricted mode), a
  // model folder in the user settings (the model detector), or neither (everything else, lexical).
  const modelPath = vscode.workspace.getConfiguration('refusalLens').get<string>('modelPath', '');
  if (!vscode.workspace.isTrusted) {
    require('./restricted.test');
  } else if (modelPath) {
    require('./model.test');
  } else {
    require('./diagnostics.test');
    require('./editing.test');
    require('./incremental.test');
    require('./commands.test');
    require('./compare.test');
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} e2e test(s) failed`);
}
