import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from './extensionApi';
import { FIXTURE_CASES } from './expectations';
import { waitForDiagnostics } from './waitFor';
import { closeAllEditors, openFile, rangeOf, workspacePath } from './workspace';

const show = (r: vscode.Range) => `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);
const byPosition = (a: vscode.Diagnostic, b: vscode.Diagnostic) => a.range.start.compareTo(b.range.start);

describe('diagnostics', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  for (const c of FIXTURE_CASES) {
    it(`${c.file} (${c.format}): ${c.refusals.length} refusals, exact ranges, code, severity, message`, async () => {
      const { document: doc } = await openFile(c.file);
      const ds = (await waitForDiagnostics(doc.uri, (d) => d.length >= c.refusals.length, `${c.refusals.length} diagnostics`)).sort(byPosition);
      assert.equal(ds.length, c.refusals.length, `diagnostics: ${ds.map((d) => `${show(d.range)} ${d.message}`).join('; ')}`);
      c.refusals.forEach((expected, i) => {
        const d = ds[i];
        assert.equal(show(d.range), show(rangeOf(doc, expected.raw)), `range of refusal ${i + 1} (${expected.raw})`);
        assert.equal(codeOf(d), expected.code);
        assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
        assert.match(d.message, /refusal \((0\.\d+|1), lexical\)/i);
      });
    });
  }

  it('hover on a refused and on an answered response: label, score, detector, model', async () => {
    const { document: doc } = await openFile('fixtures/chat.jsonl');
    const [first] = await waitForDiagnostics(doc.uri, (d) => d.length > 0, 'a diagnostic');
    const refusal = await hoverText(doc.uri, first.range.start.translate(0, 3));
    assert.match(refusal, /refusal/i);
    assert.match(refusal, /0\.\d+/);
    assert.match(refusal, /lexical/);
    assert.match(refusal, /gpt-4o/);
    const answered = await hoverText(doc.uri, rangeOf(doc, 'The capital of France is Paris.').start.translate(0, 3));
    assert.match(answered, /normal|not a refusal|answered/i);
    const outside = await hoverText(doc.uri, new vscode.Position(0, 1));
    assert.doesNotMatch(outside, /refusal/i, 'no hover outside a response');
  });

  // Every example file, against the CLI on the same file: the editor and CI must agree exactly.
  const dir = workspacePath('examples');
  const examples = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  it(`examples/ (${examples.length} files): the same refusals and ranges as \`refusal-lens scan\``, async function () {
    if (examples.length === 0) {
      console.log('      skipped: examples/ is empty');
      this.skip();
    }
    const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist/cli.js');
    const formats = new Set<string>();
    for (const name of examples) {
      const file = path.join(dir, name);
      if (isBinary(file)) {
        console.log(`      examples/${name}: binary (an archive), not opened in the editor`);
        continue;
      }
      const report = scanWithCli(cli, file);
      // A diagnostic covers the refusing sentence when the detector knows it, else the response.
      const expected = report.responses.filter((r) => r.label === 'refusal').map((r) => show(toRange(r.sentence?.range ?? r.range)));
      if (report.format) formats.add(report.format);
      const { document: doc } = await openFile(path.join('examples', name));
      if (expected.length === 0) continue; // nothing to wait for; the zero case is covered by the fixtures
      const ds = await waitForDiagnostics(doc.uri, (d) => d.filter((x) => x.severity !== vscode.DiagnosticSeverity.Error).length >= expected.length, `${expected.length} diagnostics`);
      const got = ds.filter((d) => d.severity !== vscode.DiagnosticSeverity.Error).sort(byPosition).map((d) => show(d.range));
      assert.deepEqual(got, expected, `examples/${name}`);
      await closeAllEditors();
    }
    console.log(`      formats seen in examples/: ${[...formats].join(', ')}`);
  });
});

function isBinary(file: string): boolean {
  const head = Buffer.alloc(8192);
  const fd = fs.openSync(file, 'r');
  try {
    return head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)).includes(0);
  } finally {
    fs.closeSync(fd);
  }
}

async function hoverText(uri: vscode.Uri, at: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

interface CliRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
interface CliFile {
  format: string | null;
  responses: { label: string; range: CliRange; sentence: { range: CliRange } | null }[];
}

function toRange(r: CliRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

function scanWithCli(cli: string, file: string): CliFile {
  // ELECTRON_RUN_AS_NODE: on desktop VS Code process.execPath is Electron.
  const r = spawnSync(process.execPath, [cli, 'scan', file, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  if (!r.stdout) throw new Error(`refusal-lens scan ${file} printed nothing (exit ${r.status}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as { files: CliFile[] }).files[0];
}
