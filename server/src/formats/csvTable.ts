import type { TextFormat } from './format';
import { parseCsv, sniffDelimiter, type CsvCell } from './csv/csvParser';
import { expectationOf } from './expectation';
import type { JsonObject } from './json/jsonNode';
import { toResponse } from './json/jsonText';
import { locateValue } from './textSpan';
import type { ExtractOptions, ExtractSink, MetadataValue } from './records';
import { rangeOf, type LineIndex } from '../text/positions';

/**
 * CSV / TSV tables of responses: a header row names the columns; the response comes from the
 * first column named like one (`response`, `output`, ... or the ones the user configures), the
 * prompt and model from theirs. A row with the wrong number of fields is reported and skipped.
 */

export const DEFAULT_RESPONSE_COLUMNS = ['response', 'output', 'completion', 'answer', 'generation'];
export const DEFAULT_PROMPT_COLUMNS = ['prompt', 'input', 'question'];
const MODEL_COLUMNS = ['model', 'provider'];
const ID_COLUMNS = ['id', 'sample_id', 'doc_id'];

function normalise(name: string): string {
  return name.trim().toLowerCase();
}

/** Index of the first wanted column present in the header, or -1. */
function findColumn(header: string[], wanted: readonly string[]): number {
  for (const w of wanted) {
    const i = header.indexOf(normalise(w));
    if (i >= 0) return i;
  }
  return -1;
}

function firstLine(head: string): string {
  const m = /^[^\r\n]*/.exec(head);
  return m ? m[0] : '';
}

function headerNames(line: string): string[] {
  const names: string[] = [];
  parseCsv(line, sniffDelimiter(line), { row: (r) => names.push(...r.cells.map((c) => normalise(c.value))), problem: () => {} });
  return names;
}

export const csvFormat: TextFormat = {
  kind: 'text',
  name: 'csv',
  label: 'CSV / TSV table',
  match(fileName, head) {
    const lower = fileName.toLowerCase();
    const names = headerNames(firstLine(head));
    const known = findColumn(names, DEFAULT_RESPONSE_COLUMNS) >= 0;
    if (lower.endsWith('.csv') || lower.endsWith('.tsv')) return known ? 9 : 5; // ours either way: extract says what is missing
    if (lower.endsWith('.md') || lower.endsWith('.markdown')) return 0;
    return known && names.length > 1 ? 3 : 0;
  },
  extract(text: string, positions: LineIndex, options: ExtractOptions, sink: ExtractSink) {
    const delimiter = sniffDelimiter(text);
    let header: string[] | null = null;
    let headerNamesAsWritten: string[] = [];
    let responseCol = -1;
    let promptCol = -1;
    let modelCol = -1;
    let idCol = -1;
    let rowNumber = 0;
    let gaveUp = false;
    const line = (offset: number) => positions.positionAt(offset).line + 1;

    parseCsv(text, delimiter, {
      problem(p) {
        sink.error({ kind: 'syntax', message: `Line ${line(p.start)}: ${p.message}`, range: rangeOf(positions, p.start, p.end) });
      },
      row(row) {
        if (gaveUp) return;
        if (!header) {
          headerNamesAsWritten = row.cells.map((c) => c.value.trim());
          header = row.cells.map((c) => normalise(c.value));
          const wanted = options.responseColumns.length > 0 ? options.responseColumns : DEFAULT_RESPONSE_COLUMNS;
          responseCol = findColumn(header, wanted);
          promptCol = findColumn(header, options.promptColumns.length > 0 ? options.promptColumns : DEFAULT_PROMPT_COLUMNS);
          modelCol = findColumn(header, MODEL_COLUMNS);
          idCol = findColumn(header, ID_COLUMNS);
          if (responseCol < 0) {
            gaveUp = true;
            sink.error({
              kind: 'structure',
              message: `No response column: the header row names ${headerNamesAsWritten.map((h) => `"${h}"`).join(', ')}; expected one of ${wanted.join(', ')} (set the response columns to use another)`,
              range: rangeOf(positions, row.start, row.end),
            });
          }
          return;
        }
        rowNumber++;
        if (row.cells.length !== header.length) {
          sink.error({
            kind: 'structure',
            message: `Line ${line(row.start)}: row ${rowNumber} has ${row.cells.length} fields but the header has ${header.length}: skipped`,
            range: rangeOf(positions, row.start, row.end),
          });
          return;
        }
        const response = located(positions, row.cells[responseCol]);
        if (!response) return; // an empty response cell
        const metadata: Record<string, MetadataValue> = { row: rowNumber };
        if (idCol >= 0 && row.cells[idCol].value.trim() !== '') metadata.id = row.cells[idCol].value.trim();
        const model = modelCol >= 0 ? row.cells[modelCol].value.trim() || null : null;
        sink.response(
          toResponse(`row ${rowNumber}: ${headerNamesAsWritten[responseCol]}`, response, {
            prompt: promptCol >= 0 ? located(positions, row.cells[promptCol]) : null,
            model,
            expected: expectationOf(rowObject(headerNamesAsWritten, header, row.cells), options),
            metadata,
          }),
        );
      },
    });
    if (!header && !gaveUp) sink.error({ kind: 'empty', message: 'No header row: the table is empty', range: rangeOf(positions, 0, 0) });
  },
};

function located(positions: LineIndex, cell: CsvCell) {
  return locateValue(positions, cell.start, cell.value, cell.escapes);
}

/** The row as a JSON object (column name -> text), so expected behaviour is read as in the JSON formats. */
function rowObject(names: string[], normalised: string[], cells: CsvCell[]): JsonObject {
  const properties: JsonObject['properties'] = [];
  cells.forEach((c, i) => {
    const value = { type: 'string' as const, value: c.value.trim(), escaped: false, start: c.start, end: c.start };
    properties.push({ key: names[i], keyStart: 0, value });
    if (normalised[i] !== names[i]) properties.push({ key: normalised[i], keyStart: 0, value });
  });
  return { type: 'object', start: 0, end: 0, properties };
}
