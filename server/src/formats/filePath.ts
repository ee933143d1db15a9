/** Parts of the file name a format is given (a path written with `/` or `\`). */

export function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() ?? '';
}

/** The name of the folder holding the file ('' for a bare name). */
export function parentFolder(fileName: string): string {
  const parts = fileName.split(/[\\/]/);
  return parts.length > 1 ? parts[parts.length - 2] : '';
}
