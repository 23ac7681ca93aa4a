import type { ContentKind } from '../../../domain/content/content-kind.js';

/** Bytes expected at `offset`. Where `mask` is set, only the bits it sets are compared (`bytes` is pre-masked). */
export interface MagicPattern {
  readonly offset: number;
  readonly bytes: Uint8Array;
  readonly mask?: Uint8Array;
}

/** A signature matches when every one of its patterns does (WebP: `RIFF` at 0 and `WEBP` at 8). */
export type MagicSignature = readonly MagicPattern[];

export interface FileType {
  /** Stable identifier, lower case: what the index stores. */
  readonly id: string;
  readonly name: string;
  /** Lower case, without the dot; an extension belongs to one type only. Compound ones (`tar.gz`) are allowed. */
  readonly extensions: readonly string[];
  readonly mime: string;
  readonly kind: ContentKind;
  /** Any one of these signatures identifies the type. */
  readonly magic?: readonly MagicSignature[];
  /**
   * The type this one is a specialisation of (docx → zip, svg → xml, tgz → gzip): bytes that say `base` together
   * with a name that says this type mean this type, since the bytes alone cannot tell them apart.
   */
  readonly base?: string;
  /**
   * The magic is a text prefix that other text formats may start with too (`<?xml`, `-----BEGIN `): it names a file
   * whose extension is unknown but never overrides a known one (a `.dae` mesh starts with `<?xml` as well).
   */
  readonly textual?: true;
  /** Prefixes of zip entry names that identify this zip-based type when the file's name does not (`word/` → docx). */
  readonly zipEntries?: readonly string[];
  /** Whole file names, lower case, that identify the type without an extension (`makefile`, `.gitignore`). */
  readonly fileNames?: readonly string[];
  /** `#!` interpreters, lower case, version digits removed (`python3.12` → `python`), for extensionless scripts. */
  readonly interpreters?: readonly string[];
}
