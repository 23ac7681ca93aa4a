import type { ContentKind } from '../../../domain/content/content-kind.js';
import type { FileType } from './file-type.js';
import { strongestMagicMatch } from './magic-index.js';
import { extensionOf, fileTypeByExtension, fileTypeByFileName, fileTypeById, fileTypeByInterpreter, isA } from './registry.js';
import { TEXT_SNIFF_BYTES, looksLikeText, shebangInterpreter } from './text-sniff.js';
import { typeFromZipEntries } from './zip-entries.js';

/**
 * How many leading bytes detection wants: one page, which costs the same read as a few bytes and covers every
 * signature (the farthest, a tracker module's `M.K.`, ends at 1084) and leaves room for the zip entry walk.
 * The one exception is ISO 9660, whose `CD001` sits at 0x8001: reading 32 KiB of every file for it would be 8× the
 * I/O, and disc images nearly always carry `.iso`; a caller that passes 0x8006 bytes or more gets it by magic too.
 */
export const MAGIC_BYTES_NEEDED = 4096;

export interface DetectedFileType {
  kind: ContentKind;
  /** Null only when nothing is known: no type, and no bytes to call text or binary. */
  mime: string | null;
  /** The registry id, or null when the type was only sniffed (plain text, binary) or not found. */
  typeId: string | null;
  /** The name's extension, lower case, without the dot (`tar.gz` for compound ones), '' when there is none. */
  extension: string;
}

const ZIP = requireType('zip');

/**
 * What a file is, from its name and its first bytes (`head`, ideally MAGIC_BYTES_NEEDED of them; null or empty
 * when unread). Magic bytes beat the extension; where the bytes only name a family (a zip), the extension picks the
 * member (docx); where neither says anything, the bytes are judged as UTF-8 text or binary.
 */
export function detectFileType(name: string, head: Uint8Array | null): DetectedFileType {
  const lowerName = name.toLowerCase();
  const extension = extensionOf(lowerName);
  const named = fileTypeByFileName(lowerName) ?? (extension === '' ? undefined : fileTypeByExtension(extension)) ?? null;
  if (!head || head.length === 0) {
    return named ? found(named, extension) : { kind: 'unknown', mime: null, typeId: null, extension };
  }
  const type = identify(head, named);
  if (type) return found(type, extension);
  return looksLikeText(head, TEXT_SNIFF_BYTES)
    ? { kind: 'text', mime: 'text/plain', typeId: null, extension }
    : { kind: 'binary', mime: 'application/octet-stream', typeId: null, extension };
}

/** Kinds whose formats are binary through and through: a file of one of them is never readable text. */
const BINARY_KINDS = new Set<ContentKind>(['image', 'video', 'audio', 'archive', 'font', 'database', 'executable']);

function identify(head: Uint8Array, named: FileType | null): FileType | null {
  const match = strongestMagicMatch(head);
  if (!match) {
    // The name says a binary format, the bytes carry none of its signatures and read as text: the name lies (notes
    // renamed to .png). The file is then a script by its `#!` line, or else judged as text below. Only for formats
    // whose every signature holds bytes no text holds: one whose signature is text itself may have text variants
    // that no signature lists (EPS, VMDK).
    if (named && BINARY_KINDS.has(named.kind) && hasOnlyBinarySignatures(named) && looksLikeText(head, TEXT_SNIFF_BYTES)) return scriptType(head);
    return named ?? scriptType(head);
  }
  if (!named) return refine(match.type, head);
  // The bytes name a specialisation of what the name says (an epub called .zip, a PGP message called .asc).
  if (isA(match.type, named)) return match.type;
  // The name specialises what the bytes say (a zip called .docx, a gzip called .tar.gz).
  if (isA(named, match.type)) return named;
  return match.decisive ? refine(match.type, head) : named;
}

const binarySignatures = new Map<FileType, boolean>();

/** Whether the type has signatures and each holds a byte that text never holds (`\x89PNG`, not `GIF89a`). */
function hasOnlyBinarySignatures(type: FileType): boolean {
  let binary = binarySignatures.get(type);
  if (binary === undefined) {
    binary = !type.textual && (type.magic?.length ?? 0) > 0 && type.magic!.every((sig) => sig.some((p) => !looksLikeText(p.bytes)));
    binarySignatures.set(type, binary);
  }
  return binary;
}

/** A bare zip may still say what it holds through its first entries' names. */
function refine(type: FileType, head: Uint8Array): FileType {
  return type === ZIP ? (typeFromZipEntries(head) ?? type) : type;
}

function scriptType(head: Uint8Array): FileType | null {
  const interpreter = shebangInterpreter(head);
  return interpreter === null ? null : (fileTypeByInterpreter(interpreter) ?? null);
}

function found(type: FileType, extension: string): DetectedFileType {
  return { kind: type.kind, mime: type.mime, typeId: type.id, extension };
}

function requireType(id: string): FileType {
  const type = fileTypeById(id);
  if (!type) throw new Error(`the file type registry has no "${id}"`);
  return type;
}
