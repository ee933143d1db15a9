declare const REFUSAL_LENS_VERSION: string | undefined;

export const TOOL_INFO_URI = 'https://github.com/refusal-lens/refusal-lens';

/** The version baked into the bundle by esbuild; `0.0.0-dev` when run from source. */
export function toolVersion(): string {
  return typeof REFUSAL_LENS_VERSION === 'string' ? REFUSAL_LENS_VERSION : '0.0.0-dev';
}
