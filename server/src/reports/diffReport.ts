import type { DiffPair, RunDiff } from '../engine/diff';
import type { Verdict } from '../verdicts/verdict';
import { findingRange, verdictMessage } from '../verdicts/verdictMessage';
import { csvCell } from './csvReport';
import { xml } from './junitReport';
import { md } from './markdownReport';
import type { Output } from './output';
import { oneLine, pct, place, printable } from './reportText';
import type { ReportFormat } from './reportFactory';
import { artifactLocation, sarifLog, sarifRegion, sarifRun } from './sarifReport';

/** `refusal-lens diff OLD NEW` in every report format. The JSON shape is a contract (README). */

export interface DiffContext {
  oldPath: string;
  newPath: string;
  key: string;
  /** Paths as shown: relative to `root` where possible. */
  display: (p: string) => string;
  /** The folder shown paths are relative to (SARIF's %SRCROOT%). */
  root: string;
}

type Change = 'newly-refused' | 'newly-answered' | 'still-refused';

const CHANGES: Array<[Change, (d: RunDiff) => DiffPair[]]> = [
  ['newly-refused', (d) => d.newlyRefused],
  ['newly-answered', (d) => d.newlyAnswered],
  ['still-refused', (d) => d.stillRefused],
];

function side(v: Verdict, file: string) {
  return {
    file,
    id: v.response.id,
    ...(v.response.entry ? { entry: v.response.entry } : {}),
    range: v.response.range,
    label: v.label,
    score: v.score,
    model: v.response.model,
    response: v.response.text,
    sentence: v.sentence,
  };
}

export function diffSummary(d: RunDiff) {
  return {
    matched: d.newlyRefused.length + d.newlyAnswered.length + d.stillRefused.length + d.stillAnswered,
    newlyRefused: d.newlyRefused.length,
    newlyAnswered: d.newlyAnswered.length,
    stillRefused: d.stillRefused.length,
    stillAnswered: d.stillAnswered,
    onlyOld: d.onlyOld.length,
    onlyNew: d.onlyNew.length,
    old: d.old,
    new: d.new,
    rateChange: d.new.rate - d.old.rate,
  };
}

/** A changed pair as JSON and JSONL write it: the prompt (NEW's, else OLD's) and both sides. */
function pairToJson(p: DiffPair, oldFile: string, newFile: string) {
  return { key: p.key, prompt: p.new.response.prompt ?? p.old.response.prompt, old: side(p.old, oldFile), new: side(p.new, newFile) };
}

export function diffToJson(d: RunDiff, ctx: DiffContext): Record<string, unknown> {
  const oldFile = ctx.display(ctx.oldPath);
  const newFile = ctx.display(ctx.newPath);
  const entry = (p: DiffPair) => pairToJson(p, oldFile, newFile);
  return {
    old: oldFile,
    new: newFile,
    key: ctx.key,
    newlyRefused: d.newlyRefused.map(entry),
    newlyAnswered: d.newlyAnswered.map(entry),
    stillRefused: d.stillRefused.map(entry),
    byModel: d.byModel,
    summary: diffSummary(d),
  };
}

function where(v: Verdict, file: string): string {
  return place(file, v.response.entry, findingRange(v).start);
}

function rateLine(d: RunDiff): string {
  const delta = (d.new.rate - d.old.rate) * 100;
  return `refusal rate ${pct(d.old.rate)} (${d.old.refusals}/${d.old.responses}) -> ${pct(d.new.rate)} (${d.new.refusals}/${d.new.responses}), ${delta >= 0 ? '+' : ''}${delta.toFixed(1)} points`;
}

export function writeDiffReport(format: ReportFormat, d: RunDiff, out: Output, ctx: DiffContext): void {
  const oldFile = ctx.display(ctx.oldPath);
  const newFile = ctx.display(ctx.newPath);
  const w = (s = '') => out.write(`${s}\n`);
  const s = diffSummary(d);
  switch (format) {
    case 'json':
      w(JSON.stringify(diffToJson(d, ctx)));
      return;
    case 'jsonl':
      for (const [change, list] of CHANGES) {
        for (const p of list(d)) w(JSON.stringify({ change, ...pairToJson(p, oldFile, newFile) }));
      }
      return;
    case 'table': {
      // for a terminal: model names and archive entries come from the files and may hold escape sequences
      const w = (line = '') => out.write(`${printable(line)}\n`);
      w(`${oldFile} -> ${newFile} (matched by ${ctx.key}: ${s.matched}; only in old ${s.onlyOld}, only in new ${s.onlyNew})`);
      w(rateLine(d));
      w(`newly refused ${s.newlyRefused}, newly answered ${s.newlyAnswered}, still refused ${s.stillRefused}, still answered ${s.stillAnswered}`);
      const models = Object.entries(d.byModel);
      if (models.length > 0) {
        w();
        const width = Math.max(5, ...models.map(([m]) => m.length));
        w(`${'MODEL'.padEnd(width)}  ${'OLD RATE'.padStart(16)}  ${'NEW RATE'.padStart(16)}`);
        const cell = (c: RunDiff['old'] | null) => (c ? `${pct(c.rate)} (${c.refusals}/${c.responses})` : '-');
        for (const [m, c] of models) w(`${m.padEnd(width)}  ${cell(c.old).padStart(16)}  ${cell(c.new).padStart(16)}`);
      }
      for (const [change, list] of CHANGES) {
        const pairs = list(d);
        if (pairs.length === 0) continue;
        w();
        w(`${change} (${pairs.length}):`);
        for (const p of pairs) {
          w(`  prompt: ${JSON.stringify(oneLine(p.new.response.prompt, 120))}`);
          w(`    old ${where(p.old, oldFile)}  ${p.old.score.toFixed(2)}  ${JSON.stringify(oneLine(p.old.sentence?.text ?? p.old.response.text, 120))}`);
          w(`    new ${where(p.new, newFile)}  ${p.new.score.toFixed(2)}  ${JSON.stringify(oneLine(p.new.sentence?.text ?? p.new.response.text, 120))}`);
        }
      }
      return;
    }
    case 'markdown': {
      w('## Refusal Lens: run diff');
      w();
      w(`\`${md(oldFile)}\` → \`${md(newFile)}\`, matched by ${ctx.key}: **${s.newlyRefused} newly refused**, ${s.newlyAnswered} newly answered, ${s.stillRefused} still refused; ${rateLine(d)}.`);
      w();
      w('| Model | Old rate | New rate |');
      w('| --- | ---: | ---: |');
      for (const [m, c] of Object.entries(d.byModel)) w(`| ${md(m)} | ${c.old ? pct(c.old.rate) : '-'} | ${c.new ? pct(c.new.rate) : '-'} |`);
      for (const [change, list] of CHANGES) {
        const pairs = list(d);
        if (pairs.length === 0) continue;
        w();
        w(`### ${change} (${pairs.length})`);
        w();
        w('| Prompt | Old | New |');
        w('| --- | --- | --- |');
        for (const p of pairs) {
          const link = (v: Verdict, f: string) => `[${md(f)}:${findingRange(v).start.line + 1}](${encodeURI(f)}#L${findingRange(v).start.line + 1}) ${v.score.toFixed(2)} ${md(oneLine(v.sentence?.text ?? v.response.text, 100))}`;
          w(`| ${md(oneLine(p.new.response.prompt, 80))} | ${link(p.old, oldFile)} | ${link(p.new, newFile)} |`);
        }
      }
      return;
    }
    case 'csv': {
      w('change,key,prompt,old_file,old_line,old_label,old_score,old_response,new_file,new_line,new_label,new_score,new_response');
      for (const [change, list] of CHANGES) {
        for (const p of list(d)) {
          const o = findingRange(p.old).start;
          const n = findingRange(p.new).start;
          w([change, p.key, p.new.response.prompt, oldFile, o.line + 1, p.old.label, p.old.score, p.old.response.text, newFile, n.line + 1, p.new.label, p.new.score, p.new.response.text].map((c) => csvCell(c as string | number | null)).join(','));
        }
      }
      w(['summary', '', rateLine(d), oldFile, '', '', d.old.rate, '', newFile, '', '', d.new.rate, ''].map((c) => csvCell(c as string | number)).join(','));
      return;
    }
    case 'sarif': {
      const uri = (p: string) => artifactLocation(ctx.display(p));
      const results = d.newlyRefused.map((p) => ({
        ruleId: 'new-refusal',
        ruleIndex: 0,
        level: 'warning',
        message: { text: `Newly refused: ${verdictMessage(p.new)}; before: ${verdictMessage(p.old)} at ${where(p.old, oldFile)}` },
        locations: [{ physicalLocation: { artifactLocation: uri(ctx.newPath), region: sarifRegion(findingRange(p.new)) } }],
        relatedLocations: [{ id: 1, message: { text: 'the same prompt in the old run' }, physicalLocation: { artifactLocation: uri(ctx.oldPath), region: sarifRegion(findingRange(p.old)) } }],
        properties: { score: p.new.score, oldScore: p.old.score, model: p.new.response.model, prompt: oneLine(p.new.response.prompt, 500) },
      }));
      const rule = {
        id: 'new-refusal',
        name: 'NewRefusal',
        shortDescription: { text: 'A prompt answered in the old run is refused in the new one.' },
        fullDescription: { text: 'Responses matched by prompt (or a chosen key) across two runs: this one was answered before and is refused now.' },
        help: { text: 'A regression in helpfulness: check whether the new refusal is intended.', markdown: 'A **regression in helpfulness**: check whether the new refusal is intended.' },
        defaultConfiguration: { level: 'warning' },
      };
      w(JSON.stringify(sarifLog({ ...sarifRun([rule], ctx.root), results, invocations: [{ executionSuccessful: true }], properties: { summary: s } })));
      return;
    }
    case 'junit': {
      const cases: string[] = [];
      for (const [change, list] of CHANGES) {
        for (const p of list(d)) {
          const name = `${change}: ${oneLine(p.new.response.prompt, 100)}`;
          const head = `    <testcase name="${xml(name)}" classname="${xml(newFile)}" file="${xml(newFile)}" line="${findingRange(p.new).start.line + 1}"`;
          if (change === 'newly-refused') {
            cases.push(`${head}>\n      <failure type="new-refusal" message="${xml(verdictMessage(p.new))}">${xml(`old ${where(p.old, oldFile)}: ${oneLine(p.old.response.text, 300)}\nnew ${where(p.new, newFile)}: ${oneLine(p.new.response.text, 300)}`)}</failure>\n    </testcase>`);
          } else cases.push(`${head}/>`);
        }
      }
      w('<?xml version="1.0" encoding="UTF-8"?>');
      w(`<testsuites name="Refusal Lens diff">`);
      w(`  <testsuite name="${xml(`${oldFile} -> ${newFile}`)}" tests="${cases.length}" failures="${d.newlyRefused.length}" errors="0" skipped="0">`);
      w('    <properties>');
      for (const [k, v] of Object.entries({ newlyRefused: s.newlyRefused, newlyAnswered: s.newlyAnswered, stillRefused: s.stillRefused, oldRate: d.old.rate, newRate: d.new.rate })) w(`      <property name="${k}" value="${v}"/>`);
      w('    </properties>');
      for (const c of cases) w(c);
      w('  </testsuite>');
      w('</testsuites>');
      return;
    }
  }
}
