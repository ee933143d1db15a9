/** Messages between the lexical pool and its workers. */

export interface PoolRequest {
  id: number;
  texts: string[];
}

/** Per text: score, and the deciding sentence's start and end (-1 when none); or what went wrong. */
export type PoolReply =
  | { id: number; scores: Float64Array; starts: Int32Array; ends: Int32Array; error?: undefined }
  | { id: number; error: string };
