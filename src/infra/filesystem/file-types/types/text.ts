import type { FileType } from '../file-type.js';
import { ascii } from '../magic.js';

export const TEXT_TYPES: readonly FileType[] = [
  {
    id: 'text',
    name: 'Plain text',
    extensions: ['txt', 'text'],
    mime: 'text/plain',
    kind: 'text',
    fileNames: ['readme', 'license', 'licence', 'copying', 'authors', 'contributors', 'changelog', 'notice', 'todo'],
  },
  { id: 'markdown', name: 'Markdown document', extensions: ['md', 'markdown', 'mdown', 'mkd', 'mdx'], mime: 'text/markdown', kind: 'text' },
  { id: 'rst', name: 'reStructuredText document', extensions: ['rst'], mime: 'text/x-rst', kind: 'text' },
  { id: 'org', name: 'Org document', extensions: ['org'], mime: 'text/x-org', kind: 'text' },
  { id: 'asciidoc', name: 'AsciiDoc document', extensions: ['adoc', 'asciidoc'], mime: 'text/asciidoc', kind: 'text' },
  { id: 'tex', name: 'TeX document', extensions: ['tex', 'ltx', 'sty'], mime: 'text/x-tex', kind: 'text' },
  { id: 'bibtex', name: 'BibTeX bibliography', extensions: ['bib'], mime: 'text/x-bibtex', kind: 'text' },
  { id: 'csv', name: 'Comma-separated values', extensions: ['csv'], mime: 'text/csv', kind: 'text' },
  { id: 'tsv', name: 'Tab-separated values', extensions: ['tsv', 'tab'], mime: 'text/tab-separated-values', kind: 'text' },
  { id: 'log', name: 'Log file', extensions: ['log'], mime: 'text/x-log', kind: 'text' },
  { id: 'srt', name: 'SubRip subtitles', extensions: ['srt'], mime: 'application/x-subrip', kind: 'text' },
  { id: 'vtt', name: 'WebVTT subtitles', extensions: ['vtt'], mime: 'text/vtt', kind: 'text', textual: true, magic: [[ascii(0, 'WEBVTT')]] },
  { id: 'ssa', name: 'SubStation Alpha subtitles', extensions: ['ass', 'ssa'], mime: 'text/x-ssa', kind: 'text' },
  { id: 'nfo', name: 'Release notes', extensions: ['nfo', 'diz'], mime: 'text/x-nfo', kind: 'text' },
  { id: 'gettext', name: 'Gettext translation', extensions: ['po'], mime: 'text/x-gettext-translation', kind: 'text' },
];
