/** The CLI's exit codes (documented in the README; CI scripts depend on them). */
export const EXIT_OK = 0;
/** Usage error or a fatal error (one line on stderr; a stack trace only with --debug). */
export const EXIT_ERROR = 1;
/** A gate (--fail-above, --fail-on, --fail-on-new-refusals) tripped: the scan itself succeeded. */
export const EXIT_GATE = 3;
/** Interrupted (Ctrl-C), as shells report SIGINT. */
export const EXIT_CANCELLED = 130;

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}
