import type { FileType } from '../file-type.js';
import { ascii, hex } from '../magic.js';

export const MESH_TYPES: readonly FileType[] = [
  { id: 'obj', name: 'Wavefront OBJ model', extensions: ['obj'], mime: 'model/obj', kind: 'mesh' },
  { id: 'mtl', name: 'Wavefront material', extensions: ['mtl'], mime: 'model/mtl', kind: 'mesh' },
  // ASCII STL starts with `solid `; so do some binary ones, whose 80-byte header is free text.
  { id: 'stl', name: 'STL model', extensions: ['stl'], mime: 'model/stl', kind: 'mesh', textual: true, magic: [[ascii(0, 'solid ')]] },
  {
    id: 'fbx',
    name: 'FBX model',
    extensions: ['fbx'],
    mime: 'application/vnd.autodesk.fbx',
    kind: 'mesh',
    magic: [[ascii(0, 'Kaydara FBX Binary  \0')]],
  },
  { id: 'gltf', name: 'glTF model', extensions: ['gltf'], mime: 'model/gltf+json', kind: 'mesh' },
  { id: 'glb', name: 'glTF binary model', extensions: ['glb'], mime: 'model/gltf-binary', kind: 'mesh', magic: [[ascii(0, 'glTF')]] },
  { id: 'ply', name: 'PLY model', extensions: ['ply'], mime: 'model/x-ply', kind: 'mesh', magic: [[ascii(0, 'ply\n')], [ascii(0, 'ply\r\n')]] },
  // The main chunk id, its length, then the version chunk id.
  { id: '3ds', name: '3D Studio model', extensions: ['3ds'], mime: 'application/x-3ds', kind: 'mesh', magic: [[hex(0, '4D 4D ?? ?? ?? ?? 02 00')]] },
  { id: 'dae', name: 'COLLADA model', extensions: ['dae'], mime: 'model/vnd.collada+xml', kind: 'mesh', base: 'xml' },
  { id: 'x3d', name: 'X3D model', extensions: ['x3d'], mime: 'model/x3d+xml', kind: 'mesh', base: 'xml' },
  { id: 'blend', name: 'Blender scene', extensions: ['blend'], mime: 'application/x-blender', kind: 'mesh', magic: [[ascii(0, 'BLENDER')]] },
  {
    id: 'usd',
    name: 'Universal Scene Description',
    extensions: ['usd', 'usdc', 'usda'],
    mime: 'model/vnd.usd',
    kind: 'mesh',
    magic: [[ascii(0, 'PXR-USDC')]],
  },
  { id: 'usdz', name: 'USDZ scene', extensions: ['usdz'], mime: 'model/vnd.usdz+zip', kind: 'mesh', base: 'zip' },
  { id: '3mf', name: '3D Manufacturing model', extensions: ['3mf'], mime: 'model/3mf', kind: 'mesh', base: 'zip', zipEntries: ['3D/'] },
  { id: 'step', name: 'STEP CAD model', extensions: ['step', 'stp'], mime: 'model/step', kind: 'mesh', magic: [[ascii(0, 'ISO-10303-21;')]] },
  { id: 'dxf', name: 'AutoCAD drawing exchange', extensions: ['dxf'], mime: 'image/vnd.dxf', kind: 'mesh' },
  { id: 'vox', name: 'MagicaVoxel model', extensions: ['vox'], mime: 'model/x-vox', kind: 'mesh', magic: [[ascii(0, 'VOX ')]] },
  { id: 'las', name: 'LAS point cloud', extensions: ['las'], mime: 'application/vnd.las', kind: 'mesh', magic: [[ascii(0, 'LASF')]] },
];
