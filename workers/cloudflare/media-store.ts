import type { MediaStore } from '../services/ports';

/** The part of an R2 bucket binding (`R2Bucket`) the media library uses. */
export interface MediaBucket {
  put(key: string, value: Uint8Array, options: { httpMetadata: { contentType: string }; sha256: string }): Promise<unknown>;
  get(key: string): Promise<{ body: ReadableStream; size: number } | null>;
  delete(key: string): Promise<void>;
}

/**
 * The media library in an R2 bucket (the `MEDIA` binding, wrangler.toml). An R2 put is atomic —
 * the object exists whole or not at all — and R2 checks the bytes against the SHA-256 the upload
 * was hashed to, so a body damaged on the way is refused instead of stored.
 */
export function r2MediaStore(bucket: MediaBucket): MediaStore {
  return {
    async put(key, bytes, { contentType, sha256 }) {
      await bucket.put(key, bytes, { httpMetadata: { contentType }, sha256 });
    },
    async get(key) {
      const object = await bucket.get(key);
      return object ? { body: object.body, size: object.size } : null;
    },
    async delete(key) {
      await bucket.delete(key);
    },
  };
}
