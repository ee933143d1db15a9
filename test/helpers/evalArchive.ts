/** Inspect `.eval` archives for tests: the builder lives with the scripts, which make the example file with it. */
export { buildEvalArchive, sampleMemberName, type EvalArchive, type EvalArchiveOptions } from '../../scripts/inspectEvalArchive';
