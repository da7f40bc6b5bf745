import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { MediaStore } from '../services/ports';

/** Keys as services/media.ts makes them: a folder or two of safe names and a file with an extension. */
const KEY = /^[a-z]+(\/[A-Za-z0-9_-]{1,64}){1,2}\.[a-z0-9]{1,5}$/;

/**
 * The media library in a folder (`.data/media/` by default): one file per key. A key that does not
 * look like ours, or would resolve outside the folder, is refused before the file system sees it.
 * Writes go to a temporary file renamed into place, so a crash never leaves half a file under a key.
 */
export function fileMediaStore(root: string): MediaStore {
  const base = resolve(root) + sep;
  const pathOf = (key: string): string => {
    const full = resolve(base, key);
    if (!KEY.test(key) || !full.startsWith(base)) throw new Error(`Not a media key: ${JSON.stringify(key)}`);
    return full;
  };
  return {
    async put(key, bytes) {
      const full = pathOf(key);
      await mkdir(dirname(full), { recursive: true });
      const temp = join(dirname(full), `.${randomBytes(8).toString('hex')}.part`);
      try {
        await writeFile(temp, bytes, { flag: 'wx' });
        await rename(temp, full);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
    },
    async get(key) {
      let full: string;
      try {
        full = pathOf(key);
      } catch {
        return null;
      }
      try {
        const data = await readFile(full);
        return { body: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength), size: data.byteLength };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return null;
        throw err;
      }
    },
    async delete(key) {
      try {
        await unlink(pathOf(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    },
  };
}
