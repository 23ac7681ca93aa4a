import type { FileType } from './file-type.js';
import { ARCHIVE_TYPES } from './types/archives.js';
import { AUDIO_TYPES } from './types/audio.js';
import { BINARY_TYPES } from './types/binary.js';
import { BOOK_TYPES } from './types/books.js';
import { CODE_TYPES } from './types/code.js';
import { CONFIG_TYPES } from './types/config.js';
import { DATABASE_TYPES } from './types/databases.js';
import { DOCUMENT_TYPES } from './types/documents.js';
import { ENCRYPTED_TYPES } from './types/encrypted.js';
import { EXECUTABLE_TYPES } from './types/executables.js';
import { FONT_TYPES } from './types/fonts.js';
import { IMAGE_TYPES } from './types/images.js';
import { KEY_TYPES } from './types/keys.js';
import { MESH_TYPES } from './types/meshes.js';
import { TEXT_TYPES } from './types/text.js';
import { VIDEO_TYPES } from './types/video.js';

/** Every file type the indexer knows. When two signatures match equally well, the earlier type wins. */
export const FILE_TYPES: readonly FileType[] = [
  ...IMAGE_TYPES,
  ...VIDEO_TYPES,
  ...AUDIO_TYPES,
  ...DOCUMENT_TYPES,
  ...BOOK_TYPES,
  ...ARCHIVE_TYPES,
  ...DATABASE_TYPES,
  ...FONT_TYPES,
  ...MESH_TYPES,
  ...ENCRYPTED_TYPES,
  ...KEY_TYPES,
  ...EXECUTABLE_TYPES,
  ...CONFIG_TYPES,
  ...TEXT_TYPES,
  ...CODE_TYPES,
  ...BINARY_TYPES,
];

// Built once at load; a clash is a bug in the tables, so it fails loudly instead of letting one entry shadow another.
const byId = uniqueIndex('id', (t) => [t.id]);
const byExtension = uniqueIndex('extension', (t) => t.extensions);
const byFileName = uniqueIndex('file name', (t) => t.fileNames ?? []);
const byInterpreter = uniqueIndex('interpreter', (t) => t.interpreters ?? []);
const baseOf = resolveBases();
/** Last segments of compound extensions (`gz` of `tar.gz`): only names ending so need a second look. */
const compoundTails = new Set([...byExtension.keys()].filter((e) => e.includes('.')).map((e) => e.slice(e.lastIndexOf('.') + 1)));

export function fileTypeById(id: string): FileType | undefined {
  return byId.get(id);
}

/** `extension` in lower case, without the dot. */
export function fileTypeByExtension(extension: string): FileType | undefined {
  return byExtension.get(extension);
}

/** `name` in lower case: `makefile`, `.gitignore`, `cmakelists.txt`. */
export function fileTypeByFileName(name: string): FileType | undefined {
  return byFileName.get(name);
}

export function fileTypeByInterpreter(interpreter: string): FileType | undefined {
  return byInterpreter.get(interpreter);
}

/** Whether `type` is `ancestor` or builds on it (xlsm → xlsx → zip). */
export function isA(type: FileType, ancestor: FileType): boolean {
  for (let t: FileType | undefined = type; t; t = baseOf.get(t)) if (t === ancestor) return true;
  return false;
}

/**
 * The extension of a lower-case file name, without the dot: the last segment, or the last two when together they
 * are a known extension (`tar.gz`). Dotfiles (`.bashrc`) and names ending in a dot have none: ''.
 */
export function extensionOf(lowerName: string): string {
  const dot = lowerName.lastIndexOf('.');
  if (dot <= 0 || dot === lowerName.length - 1) return '';
  const last = lowerName.slice(dot + 1);
  if (compoundTails.has(last)) {
    const previous = lowerName.lastIndexOf('.', dot - 1);
    if (previous > 0) {
      const compound = lowerName.slice(previous + 1);
      if (byExtension.has(compound)) return compound;
    }
  }
  return last;
}

function uniqueIndex(what: string, keysOf: (type: FileType) => readonly string[]): Map<string, FileType> {
  const index = new Map<string, FileType>();
  for (const type of FILE_TYPES) {
    for (const key of keysOf(type)) {
      if (key !== key.toLowerCase()) throw new Error(`file type ${type.id}: ${what} "${key}" must be lower case`);
      if (what === 'extension' && key.startsWith('.')) throw new Error(`file type ${type.id}: extension "${key}" must not start with a dot`);
      const other = index.get(key);
      if (other) throw new Error(`file types ${other.id} and ${type.id} both claim the ${what} "${key}"`);
      index.set(key, type);
    }
  }
  return index;
}

function resolveBases(): Map<FileType, FileType> {
  const bases = new Map<FileType, FileType>();
  for (const type of FILE_TYPES) {
    if (type.base === undefined) continue;
    const base = byId.get(type.base);
    if (!base) throw new Error(`file type ${type.id}: unknown base "${type.base}"`);
    bases.set(type, base);
  }
  for (const type of FILE_TYPES) {
    let steps = 0;
    for (let t = bases.get(type); t; t = bases.get(t)) {
      if (++steps > FILE_TYPES.length) throw new Error(`file type ${type.id}: its bases form a cycle`);
    }
  }
  return bases;
}
