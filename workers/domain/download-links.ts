/**
 * Lead-magnet download links: `/d/<token>`, signed, naming the lead and the file, expiring. The
 * thank-you page and the lead-magnet email (services/lead-mail.ts) mint the same kind, so a link
 * from either works the same way, for the same time.
 */
import { signToken } from './signed-tokens';

/** Long enough for a link in an inbox to still work when the lead gets round to it. */
export const DOWNLOAD_LINK_DAYS = 7;
export const DOWNLOAD_TTL_MS = DOWNLOAD_LINK_DAYS * 24 * 60 * 60 * 1000;

export interface DownloadToken {
  /** Lead id. */
  l: string;
  /** The block's asset path (media:<id>, /assets/gated/…, or an https URL). */
  a: string;
  /** Expiry, epoch ms. */
  e: number;
}

/** The token of a download link for `leadId`, valid for DOWNLOAD_TTL_MS from `from`. */
export function signDownloadToken(secret: string, leadId: string, assetPath: string, from: number): Promise<string> {
  return signToken(secret, { l: leadId, a: assetPath, e: from + DOWNLOAD_TTL_MS } satisfies DownloadToken);
}
