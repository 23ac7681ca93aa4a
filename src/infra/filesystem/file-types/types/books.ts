import type { FileType } from '../file-type.js';
import { ascii } from '../magic.js';

/** Mobipocket and Kindle books are Palm databases whose type/creator field reads `BOOKMOBI`. */
const MOBI = [ascii(60, 'BOOKMOBI')];

export const BOOK_TYPES: readonly FileType[] = [
  {
    id: 'epub',
    name: 'EPUB book',
    extensions: ['epub'],
    mime: 'application/epub+zip',
    kind: 'book',
    base: 'zip',
    // The first zip entry is the uncompressed `mimetype` file.
    magic: [[ascii(0, 'PK\x03\x04'), ascii(30, 'mimetypeapplication/epub+zip')]],
  },
  { id: 'mobi', name: 'Mobipocket book', extensions: ['mobi', 'prc'], mime: 'application/x-mobipocket-ebook', kind: 'book', magic: [MOBI] },
  { id: 'azw', name: 'Kindle book', extensions: ['azw'], mime: 'application/vnd.amazon.ebook', kind: 'book', base: 'mobi' },
  { id: 'azw3', name: 'Kindle KF8 book', extensions: ['azw3', 'kf8'], mime: 'application/vnd.amazon.mobi8-ebook', kind: 'book', base: 'mobi' },
  { id: 'fb2', name: 'FictionBook', extensions: ['fb2'], mime: 'application/x-fictionbook+xml', kind: 'book', base: 'xml' },
  { id: 'lit', name: 'Microsoft Reader book', extensions: ['lit'], mime: 'application/x-ms-reader', kind: 'book', magic: [[ascii(0, 'ITOLITLS')]] },
  { id: 'ibooks', name: 'Apple Books book', extensions: ['ibooks'], mime: 'application/x-ibooks+zip', kind: 'book', base: 'zip' },
  { id: 'cbz', name: 'Comic book (zip)', extensions: ['cbz'], mime: 'application/vnd.comicbook+zip', kind: 'book', base: 'zip' },
  { id: 'cbr', name: 'Comic book (rar)', extensions: ['cbr'], mime: 'application/vnd.comicbook-rar', kind: 'book', base: 'rar' },
  { id: 'cb7', name: 'Comic book (7z)', extensions: ['cb7'], mime: 'application/x-cb7', kind: 'book', base: '7z' },
  { id: 'cbt', name: 'Comic book (tar)', extensions: ['cbt'], mime: 'application/x-cbt', kind: 'book', base: 'tar' },
];
