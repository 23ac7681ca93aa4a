import { createRequire } from 'node:module';

/**
 * hash-wasm's hashers from their own bundles: its main entry carries every algorithm (~280 KB of script to parse
 * and compile), a cost each hashing thread paid at start for the two it uses.
 */
const require = createRequire(import.meta.url);

export const { createBLAKE3 } = require('hash-wasm/dist/blake3.umd.min.js') as Pick<typeof import('hash-wasm'), 'createBLAKE3'>;
export const { createXXHash64 } = require('hash-wasm/dist/xxhash64.umd.min.js') as Pick<typeof import('hash-wasm'), 'createXXHash64'>;
