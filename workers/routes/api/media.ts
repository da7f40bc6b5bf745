import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as z from 'zod';
import type { AppEnv } from '../../deps';
import { AppError } from '../../domain/errors';
import { ALT_MAX_LENGTH, FILE_MAX_BYTES, IMAGE_MAX_BYTES, MEDIA_KINDS } from '../../domain/media';
import { apiDoc } from '../../middleware/api-doc';
import { validate } from '../../middleware/validate';
import { deleteMedia, getMedia, listMedia, updateMedia, uploadMedia } from '../../services/media';
import { idParam } from '../schemas';
import { serviceCtx } from '../service-context';

/**
 * A PDF just over its limit still arrives whole, so it is refused with the file-type message
 * (`too_large`); a body far beyond it is cut off while it streams in.
 */
export const MEDIA_UPLOAD_LIMIT_BYTES = FILE_MAX_BYTES + 1024 * 1024;

const MB = 1024 * 1024;

const altText = z.string().trim().max(ALT_MAX_LENGTH, `Keep alt text under ${ALT_MAX_LENGTH} characters.`);

const uploadForm = z.object({
  file: z.file('Attach the file as the "file" field.'),
  /** Required for images: what the picture shows, for people who cannot see it. */
  alt: altText.optional(),
});

const listQuery = z.object({
  kind: z.enum(MEDIA_KINDS).optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const mediaPatch = z
  .object({ alt: altText.nullable().optional() })
  .meta({ examples: [{ alt: 'Three bottles of the cosmetics set on a marble shelf' }] });

const removal = z.object({ force: z.enum(['true', 'false']).default('false') });

const UPLOAD_ERRORS = {
  unsupported_media: {
    status: 400,
    when: 'the bytes are not a PNG, JPEG, WebP, GIF or SVG image or a PDF (the name and declared type do not count).',
  },
  too_large: {
    status: 400,
    when: `an image is over ${IMAGE_MAX_BYTES / MB} MB or ${(20_000).toLocaleString('en-US')} px on a side, or a PDF over ${FILE_MAX_BYTES / MB} MB (413 when the body is over ${MEDIA_UPLOAD_LIMIT_BYTES / MB} MB).`,
  },
  unsafe_svg: { status: 400, when: 'an SVG contains script, event handlers, foreignObject, external links or CSS imports, or a DOCTYPE.' },
};

/**
 * The media library (`/api/media`): upload (multipart), list newest first, edit alt text, delete.
 * Images are then served at their public `url`; PDFs go into lead-magnet blocks as `leadMagnetRef`.
 */
export const mediaRoutes = new Hono<AppEnv>()
  .post(
    '/',
    apiDoc({
      summary: 'Upload an image or a lead-magnet PDF',
      description:
        'A `multipart/form-data` upload: the bytes in `file`, and `alt` (required for images). The type and size are read from the bytes. Nothing is stored when the upload is refused.',
      status: 201,
      returns: 'The stored `MediaItem`: `url` for images, `leadMagnetRef` for PDFs.',
      errors: UPLOAD_ERRORS,
    }),
    bodyLimit({
      maxSize: MEDIA_UPLOAD_LIMIT_BYTES,
      onError: () => {
        throw new AppError(
          413,
          'too_large',
          `Uploads are limited to ${FILE_MAX_BYTES / MB} MB for PDFs and ${IMAGE_MAX_BYTES / MB} MB for images.`,
        );
      },
    }),
    validate('form', uploadForm),
    async (c) => {
      const { file, alt } = c.req.valid('form');
      const item = await uploadMedia(serviceCtx(c), c.var.scope.workspaceId, {
        bytes: new Uint8Array(await file.arrayBuffer()),
        fileName: file.name,
        alt,
        userId: c.var.scope.user.id,
      });
      return c.json(item, 201);
    },
  )
  .get(
    '/',
    apiDoc({
      summary: 'List the media library',
      description: '`kind` limits it to images or files.',
      returns: '`{media, nextCursor}`, newest first.',
    }),
    validate('query', listQuery),
    async (c) => c.json(await listMedia(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('query'))),
  )
  .get(
    '/:id',
    apiDoc({
      summary: 'Get a media item and the pages that use it',
      returns: 'The `MediaItem` with `usedIn`: pages whose draft or published version refers to it.',
    }),
    validate('param', idParam),
    async (c) => c.json(await getMedia(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id)),
  )
  .patch('/:id', apiDoc({ summary: 'Edit a media item’s alt text' }), validate('param', idParam), validate('json', mediaPatch), async (c) =>
    c.json(await updateMedia(c.var.deps.database.db, c.var.scope.workspaceId, c.req.valid('param').id, c.req.valid('json'))),
  )
  .delete(
    '/:id',
    apiDoc({
      summary: 'Delete a media item and its stored file',
      description: 'Refused while a page uses it, unless `force=true`; the answer lists the pages it was used on.',
      returns: '`{id, wasUsedIn}`.',
      errors: {
        media_in_use: {
          status: 409,
          when: 'a page’s draft or published version uses it (the message names the pages); send `force=true` to delete anyway.',
        },
      },
    }),
    validate('param', idParam),
    validate('query', removal),
    async (c) =>
      c.json(
        await deleteMedia(serviceCtx(c), c.var.scope.workspaceId, c.req.valid('param').id, {
          force: c.req.valid('query').force === 'true',
        }),
      ),
  );
