import type { FileHandle } from 'node:fs/promises';

/**
 * The protobuf wire format, just enough to walk an ONNX file's messages field by field without
 * decoding (or holding) the large ones: the quantizer reads a 329 MB model one tensor at a time.
 * Wire types: 0 varint, 1 fixed 64-bit, 2 length-delimited, 5 fixed 32-bit (groups are not used by ONNX).
 */

export const WIRE = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

/** One field of a message, as positions in the file: the whole field, and its value. */
export interface FieldSpan {
  field: number;
  wireType: number;
  /** Where the field's tag starts and where the field ends. */
  start: number;
  end: number;
  /** Where the value starts (for LEN fields: after the length prefix). */
  valueStart: number;
}

export function varintLength(n: number): number {
  let len = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

export function encodeVarint(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`cannot encode ${n} as a varint`);
  const out = new Uint8Array(varintLength(n));
  let i = 0;
  while (n >= 128) {
    out[i++] = (n % 128) | 128;
    n = Math.floor(n / 128);
  }
  out[i] = n;
  return out;
}

/** The bytes before a length-delimited value: tag and length. */
export function lenPrefix(field: number, length: number): Uint8Array {
  const tag = encodeVarint(field * 8 + WIRE.LEN);
  const len = encodeVarint(length);
  const out = new Uint8Array(tag.length + len.length);
  out.set(tag);
  out.set(len, tag.length);
  return out;
}

/** A whole length-delimited field around `value`. */
export function lenField(field: number, value: Uint8Array): Uint8Array {
  const prefix = lenPrefix(field, value.length);
  const out = new Uint8Array(prefix.length + value.length);
  out.set(prefix);
  out.set(value, prefix.length);
  return out;
}

/** Reads a file at positions, with a small window for tags and lengths. */
export class WireFile {
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;

  private constructor(
    readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async open(handle: FileHandle): Promise<WireFile> {
    return new WireFile(handle, (await handle.stat()).size);
  }

  /** Exactly `length` bytes at `position` (a fresh buffer). */
  async read(position: number, length: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(out, done, length - done, position + done);
      if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${position + done} (the file has ${this.size})`);
      done += bytesRead;
    }
    return out;
  }

  /** The fields of the message stored in [start, end), in file order. */
  async fields(start: number, end: number): Promise<FieldSpan[]> {
    const out: FieldSpan[] = [];
    let pos = start;
    while (pos < end) {
      const tag = await this.varint(pos);
      const field = Math.floor(tag.value / 8);
      const wireType = tag.value % 8;
      let valueStart = pos + tag.length;
      let fieldEnd: number;
      switch (wireType) {
        case WIRE.VARINT:
          fieldEnd = valueStart + (await this.varint(valueStart)).length;
          break;
        case WIRE.I64:
          fieldEnd = valueStart + 8;
          break;
        case WIRE.I32:
          fieldEnd = valueStart + 4;
          break;
        case WIRE.LEN: {
          const len = await this.varint(valueStart);
          valueStart += len.length;
          fieldEnd = valueStart + len.value;
          break;
        }
        default:
          throw new Error(`not an ONNX protobuf: wire type ${wireType} at byte ${pos}`);
      }
      if (field === 0 || fieldEnd > end) throw new Error(`not an ONNX protobuf: a field at byte ${pos} runs past its message (ends ${fieldEnd}, message ends ${end})`);
      out.push({ field, wireType, start: pos, end: fieldEnd, valueStart });
      pos = fieldEnd;
    }
    return out;
  }

  private async varint(pos: number): Promise<{ value: number; length: number }> {
    if (pos < this.windowStart || pos + 10 > this.windowStart + this.window.length) {
      const length = Math.min(64 * 1024, this.size - pos);
      if (length <= 0) throw new Error(`unexpected end of file at byte ${pos}`);
      this.window = await this.read(pos, length);
      this.windowStart = pos;
    }
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const at = pos - this.windowStart + i;
      if (at >= this.window.length) break;
      const b = this.window[at];
      value += (b & 127) * scale;
      if (b < 128) {
        if (!Number.isSafeInteger(value)) throw new Error(`varint too large at byte ${pos}`);
        return { value, length: i + 1 };
      }
      scale *= 128;
    }
    throw new Error(`not an ONNX protobuf: unterminated varint at byte ${pos}`);
  }
}
