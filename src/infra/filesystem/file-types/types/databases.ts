import type { FileType } from '../file-type.js';
import { ascii, hex } from '../magic.js';

const JET = hex(0, '00 01 00 00');

export const DATABASE_TYPES: readonly FileType[] = [
  {
    id: 'sqlite',
    name: 'SQLite database',
    extensions: ['sqlite', 'sqlite3', 'db', 'db3', 'sdb'],
    mime: 'application/vnd.sqlite3',
    kind: 'database',
    magic: [[ascii(0, 'SQLite format 3\0')]],
  },
  { id: 'gpkg', name: 'GeoPackage', extensions: ['gpkg', 'mbtiles'], mime: 'application/geopackage+sqlite3', kind: 'database', base: 'sqlite' },
  {
    id: 'mdb',
    name: 'Access database',
    extensions: ['mdb'],
    mime: 'application/x-msaccess',
    kind: 'database',
    magic: [[JET, ascii(4, 'Standard Jet DB')]],
  },
  {
    id: 'accdb',
    name: 'Access 2007 database',
    extensions: ['accdb'],
    mime: 'application/msaccess',
    kind: 'database',
    magic: [[JET, ascii(4, 'Standard ACE DB')]],
  },
  { id: 'dbf', name: 'dBASE table', extensions: ['dbf'], mime: 'application/x-dbf', kind: 'database' },
  {
    id: 'parquet',
    name: 'Parquet table',
    extensions: ['parquet'],
    mime: 'application/vnd.apache.parquet',
    kind: 'database',
    magic: [[ascii(0, 'PAR1')]],
  },
  {
    id: 'arrow',
    name: 'Arrow table',
    extensions: ['arrow', 'feather'],
    mime: 'application/vnd.apache.arrow.file',
    kind: 'database',
    magic: [[ascii(0, 'ARROW1')]],
  },
  { id: 'avro', name: 'Avro container', extensions: ['avro'], mime: 'application/avro', kind: 'database', magic: [[ascii(0, 'Obj\x01')]] },
  {
    id: 'hdf5',
    name: 'HDF5 data',
    extensions: ['h5', 'hdf5', 'hdf'],
    mime: 'application/x-hdf5',
    kind: 'database',
    magic: [[hex(0, '89 48 44 46 0D 0A 1A 0A')]],
  },
  {
    id: 'netcdf',
    name: 'NetCDF data',
    extensions: ['nc', 'cdf'],
    mime: 'application/x-netcdf',
    kind: 'database',
    magic: [[ascii(0, 'CDF\x01')], [ascii(0, 'CDF\x02')]],
  },
  { id: 'duckdb', name: 'DuckDB database', extensions: ['duckdb'], mime: 'application/x-duckdb', kind: 'database', magic: [[ascii(8, 'DUCK')]] },
  { id: 'realm', name: 'Realm database', extensions: ['realm'], mime: 'application/x-realm', kind: 'database', magic: [[ascii(16, 'T-DB')]] },
  { id: 'redis-rdb', name: 'Redis snapshot', extensions: ['rdb'], mime: 'application/x-redis-rdb', kind: 'database', magic: [[ascii(0, 'REDIS')]] },
];
