import type { FileType } from '../file-type.js';
import { ascii, hex, masked } from '../magic.js';

const ELF = hex(0, '7F 45 4C 46');
const CAFEBABE = hex(0, 'CA FE BA BE');

export const EXECUTABLE_TYPES: readonly FileType[] = [
  { id: 'elf', name: 'ELF executable', extensions: ['elf', 'axf'], mime: 'application/x-executable', kind: 'executable', magic: [[ELF]] },
  { id: 'elf-shared-library', name: 'ELF shared library', extensions: ['so'], mime: 'application/x-sharedlib', kind: 'executable', base: 'elf' },
  { id: 'elf-object', name: 'ELF object', extensions: ['o', 'ko'], mime: 'application/x-object', kind: 'executable', base: 'elf' },
  {
    id: 'appimage',
    name: 'AppImage',
    extensions: ['appimage'],
    mime: 'application/vnd.appimage',
    kind: 'executable',
    base: 'elf',
    magic: [[ELF, ascii(8, 'AI\x02')]],
  },
  {
    id: 'pe',
    name: 'Windows executable',
    extensions: ['exe', 'scr'],
    mime: 'application/vnd.microsoft.portable-executable',
    kind: 'executable',
    // `MZ` alone starts text too; the high half of the PE header offset is zero in every real executable.
    magic: [[ascii(0, 'MZ'), hex(0x3e, '00 00')]],
  },
  {
    id: 'dll',
    name: 'Windows library',
    extensions: ['dll', 'ocx', 'cpl', 'sys', 'drv'],
    mime: 'application/x-msdownload',
    kind: 'executable',
    base: 'pe',
  },
  { id: 'efi', name: 'EFI application', extensions: ['efi'], mime: 'application/efi', kind: 'executable', base: 'pe' },
  { id: 'msi', name: 'Windows installer', extensions: ['msi', 'msp'], mime: 'application/x-msi', kind: 'executable', base: 'cfb' },
  {
    id: 'macho',
    name: 'Mach-O executable',
    extensions: [],
    mime: 'application/x-mach-binary',
    kind: 'executable',
    // Thin binaries in either byte order and width; a universal binary shares CAFEBABE with Java classes but counts
    // its architectures (< 32) where a class file has its major version (≥ 45).
    magic: [
      ...['FE ED FA CE', 'FE ED FA CF', 'CE FA ED FE', 'CF FA ED FE'].map((thin) => [hex(0, thin)]),
      [CAFEBABE, hex(4, '00 00 00'), masked(7, 0x00, 0xe0)],
    ],
  },
  { id: 'dylib', name: 'Mach-O library', extensions: ['dylib', 'bundle'], mime: 'application/x-mach-binary', kind: 'executable', base: 'macho' },
  {
    id: 'java-class',
    name: 'Java class',
    extensions: ['class'],
    mime: 'application/java-vm',
    kind: 'executable',
    magic: [
      [CAFEBABE, masked(7, 0x20, 0xe0)],
      [CAFEBABE, masked(7, 0x40, 0xe0)],
    ],
  },
  { id: 'wasm', name: 'WebAssembly module', extensions: ['wasm'], mime: 'application/wasm', kind: 'executable', magic: [[hex(0, '00 61 73 6D')]] },
  {
    id: 'dex',
    name: 'Android Dalvik executable',
    extensions: ['dex'],
    mime: 'application/vnd.android.dex',
    kind: 'executable',
    magic: [[ascii(0, 'dex\n')]],
  },
  { id: 'pyc', name: 'Python bytecode', extensions: ['pyc', 'pyo'], mime: 'application/x-python-code', kind: 'executable' },
  {
    id: 'luac',
    name: 'Lua bytecode',
    extensions: ['luac'],
    mime: 'application/x-lua-bytecode',
    kind: 'executable',
    magic: [[hex(0, '1B 4C 75 61')]],
  },
  {
    id: 'swf',
    name: 'Flash movie',
    extensions: ['swf'],
    mime: 'application/x-shockwave-flash',
    kind: 'executable',
    magic: [[ascii(0, 'FWS')], [ascii(0, 'CWS')], [ascii(0, 'ZWS')]],
  },
];
